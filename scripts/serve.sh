#!/usr/bin/env bash
# Serves a folder through web/nginx/finesse-inspector.conf on 127.0.0.1:PORT, in the
# foreground, with nginx's files in a temp folder.   usage: scripts/serve.sh DIR [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=$(realpath "${1:?usage: scripts/serve.sh DIR [PORT]}")
PORT=${2:-8080}
TMP=$(mktemp -d /tmp/finesse-nginx.XXXXXX)
mkdir -p "$TMP/logs"
sed -e "s|@ROOT@|$DIR|" -e "s|@LISTEN@|127.0.0.1:$PORT|" web/nginx/finesse-inspector.conf > "$TMP/server.conf"
USER_LINE=""
# As root, nginx's workers would run as nobody, who may not read the folder.
if [ "$(id -u)" = 0 ]; then USER_LINE="user root root;"; fi
cat > "$TMP/nginx.conf" <<CONF
$USER_LINE
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log;
daemon off;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $TMP/logs/access.log;
    client_body_temp_path $TMP/body;
    proxy_temp_path $TMP/proxy;
    fastcgi_temp_path $TMP/fastcgi;
    uwsgi_temp_path $TMP/uwsgi;
    scgi_temp_path $TMP/scgi;
    include $TMP/server.conf;
}
CONF
trap 'rm -rf "$TMP"' EXIT
echo "Finesse Inspector: http://127.0.0.1:$PORT/"
nginx -p "$TMP" -c "$TMP/nginx.conf"
