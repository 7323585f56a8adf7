#!/usr/bin/env bash
# The production shape on one machine: PostgreSQL, several portal instances on it, and nginx in front with sticky
# sessions for Blazor's circuits.
#   ./cluster.sh up [instances]   start everything (2 instances unless told; at most 3); the last line is the proxy's address
#   ./cluster.sh down             stop everything this script started
# State (the database files, logs, nginx's configuration) lives in .cluster/; `down` leaves the data for the next `up`.
set -euo pipefail
cd "$(dirname "$0")"
root="$(pwd)"
state="$root/.cluster"
pg_port=55432
proxy_port=8088
first_instance_port=5201

stop_all() {
  if [ -f "$state/nginx.pid" ]; then
    nginx -p "$state" -c "$state/nginx.conf" -s quit 2>/dev/null || true
    rm -f "$state/nginx.pid"
  fi
  for pidfile in "$state"/instance-*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  if [ -f "$state/pg/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$state/pg" -m fast stop >/dev/null 2>&1 || true
  fi
}

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
scripts/install-missing.sh "${need[@]}"
export PATH="$PATH:/usr/sbin"
pg_bin="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")"
# PostgreSQL refuses to run as root: then its files and processes belong to the postgres system user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  down)
    stop_all
    echo "Stopped."
    exit 0
    ;;
  up)
    instances="${2:-2}"
    [[ "$instances" =~ ^[1-3]$ ]] || { echo "Instances: 1, 2 or 3." >&2; exit 2; }
    ;;
  *)
    echo "Usage: ./cluster.sh up [instances] | down" >&2
    exit 2
    ;;
esac

stop_all
mkdir -p "$state/logs" "$state/run" "$state/pg-run"
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$state/pg"
  chown postgres:postgres "$state/pg" "$state/pg-run"
  touch "$state/logs/postgres.log" && chown postgres:postgres "$state/logs/postgres.log"
fi

# PostgreSQL, owned by this user, on loopback only; trust authentication on loopback for this local cluster.
if [ ! -f "$state/pg/PG_VERSION" ]; then
  as_pg "$pg_bin/initdb" -D "$state/pg" -U dsr --auth=trust -E UTF8 >/dev/null
fi
as_pg "$pg_bin/pg_ctl" -D "$state/pg" -l "$state/logs/postgres.log" -o "-p $pg_port -k $state/pg-run -c listen_addresses=127.0.0.1" -w start >/dev/null
"$pg_bin/psql" -h 127.0.0.1 -p $pg_port -U dsr -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'dsrportal'" | grep -q 1 \
  || "$pg_bin/createdb" -h 127.0.0.1 -p $pg_port -U dsr dsrportal
connection="Host=127.0.0.1;Port=$pg_port;Database=dsrportal;Username=dsr"

dotnet build DsrPortal/DsrPortal.csproj -c Release -nologo -v quiet >/dev/null
dll="$root/DsrPortal/bin/Release/net10.0/DsrPortal.dll"

# Every instance: the same database, packages in it, forwarded headers trusted from the proxy only. The demo's
# Development settings give each one the demo company's service database and demo accounts.
start_instance() {
  local n=$1 port=$((first_instance_port + $1 - 1))
  (
    cd "$root/DsrPortal"
    ASPNETCORE_ENVIRONMENT=Development \
    ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Database__Provider=Postgres \
    ConnectionStrings__Postgres="$connection" \
    Fulfilment__ExportStorage=Database \
    ReverseProxy__KnownProxies__0=127.0.0.1 \
    Email__PortalUrl="http://127.0.0.1:$proxy_port" \
    nohup dotnet "$dll" >"$state/logs/instance-$n.log" 2>&1 &
    echo $! >"$state/instance-$n.pid"
  )
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  echo "Instance $n did not become ready; see $state/logs/instance-$n.log" >&2
  stop_all
  exit 1
}

# The first instance migrates and seeds; the others start on the database it prepared.
for n in $(seq 1 "$instances"); do
  start_instance "$n"
done

scripts/nginx-portal.sh "$state" "$proxy_port" $(for n in $(seq 1 "$instances"); do echo "127.0.0.1:$((first_instance_port + n - 1))"; done) >"$state/nginx.conf"
nginx -p "$state" -c "$state/nginx.conf"
for _ in $(seq 1 30); do
  curl -fs "http://127.0.0.1:$proxy_port/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
echo "PostgreSQL on 127.0.0.1:$pg_port, $instances instance(s) from port $first_instance_port, logs in .cluster/logs; ./cluster.sh down stops them."
echo "http://127.0.0.1:$proxy_port/"
