#!/usr/bin/env bash
# Benchmarks: not tests, and not part of ./test.sh. Each measure runs against its baseline in the same run and
# prints one line:  bench <name>: <figure> (baseline <figure>, ratio <r>x, goal <goal>) <met|missed>
#
#   ./bench.sh export     a 400k-record subject's export package   vs  sqlite3 -json of the same rows
#   ./bench.sh erasure    a whole-account deletion                  vs  a raw DELETE of the same rows
#   ./bench.sh intake     API submissions, 16 connections           vs  raw SQLite inserts, one transaction each
#   ./bench.sh cluster    API submissions on two instances, PostgreSQL  vs  the same on one instance
#   ./bench.sh queue      the queue's first page at 100k requests   vs  the same SQL over raw ADO.NET
#   ./bench.sh circuits   server memory per idle queue tab          vs  per home page tab (real Chromium)
#   ./bench.sh audit      `audit verify` of 1M events               vs  a plain SHA-256 chain over the same rows
#   ./bench.sh all        every one of them, one after the other
#
# Installs what it needs when missing (Debian's sqlite3 for the export baseline, chromium for circuits).
set -euo pipefail
cd "$(dirname "$0")"

measures=(export erasure intake cluster queue circuits audit)
usage() { echo "usage: ./bench.sh export|erasure|intake|cluster|queue|circuits|audit|all" >&2; exit 2; }
[ $# -eq 1 ] || usage
case "$1" in
  all) chosen=("${measures[@]}") ;;
  export|erasure|intake|cluster|queue|circuits|audit) chosen=("$1") ;;
  *) usage ;;
esac

need=()
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
scripts/install-missing.sh "${need[@]}"
dotnet build DsrPortal.sln -c Release -nologo -v quiet >/dev/null

status=0
for name in "${chosen[@]}"; do
  log=$(mktemp)
  # One measure at a time, alone on the machine: the figures are only as good as the quiet around them.
  if ! dotnet test DsrPortal.Tests -c Release --no-build --filter "Category=Benchmark&Bench=$name" \
      --logger "console;verbosity=detailed" >"$log" 2>&1; then
    echo "bench $name: failed to run; its output follows" >&2
    cat "$log" >&2
    status=1
  fi
  # What it measured, then its line.
  grep -E "^\s*$name: " "$log" | sed -E 's/^\s+//' || true
  grep -E "^\s*bench $name: " "$log" | sed -E 's/^\s+//' || true
  rm -f "$log"
done
exit $status
