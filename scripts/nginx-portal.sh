#!/usr/bin/env bash
# Prints nginx's configuration for portal instances behind one address:
#   scripts/nginx-portal.sh STATE_DIR PROXY_PORT INSTANCE_ADDRESS...
# Sticky sessions (Blazor keeps a circuit on the instance a browser first reached), WebSockets, forwarded headers,
# a dead instance skipped (passive health checks), and X-Dsr-Instance naming the instance that answered.
set -euo pipefail
state="$1"; port="$2"; shift 2
mkdir -p "$state/logs" "$state/run"
# nginx's workers (another user when started as root) buffer large answers here.
chmod 1777 "$state/run"
cat <<CONF
worker_processes 1;
pid $state/nginx.pid;
error_log $state/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $state/run/client_body;
    proxy_temp_path $state/run/proxy;
    fastcgi_temp_path $state/run/fastcgi;
    uwsgi_temp_path $state/run/uwsgi;
    scgi_temp_path $state/run/scgi;
    client_max_body_size 210m;

    # A browser keeps the instance it first reached, by a cookie this proxy sets once; one without it is placed by a
    # fresh random value (the same value then goes into the cookie).
    map \$cookie_dsr_instance \$sticky { "" \$request_id; default \$cookie_dsr_instance; }
    map \$cookie_dsr_instance \$sticky_cookie { "" "dsr_instance=\$request_id; Path=/; HttpOnly; SameSite=Lax"; default ""; }
    map \$http_upgrade \$connection_upgrade { default upgrade; "" close; }

    upstream portal {
        hash \$sticky consistent;
$(for server in "$@"; do echo "        server $server max_fails=1 fail_timeout=10s;"; done)
    }

    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Host \$host:\$server_port;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_read_timeout 1h;
            # A dead instance is taken out: the request goes on to the next one.
            proxy_next_upstream error timeout http_502 http_503;
            add_header Set-Cookie \$sticky_cookie always;
            add_header X-Dsr-Instance \$upstream_addr always;
        }
    }
}
CONF
