#!/bin/sh
# HTTP figures against nginx in the same run (issue 5): an authenticated
# GET /api/v1/cases/{id} with random ids of the demo bureau, and a filtered
# list page, each with wrk -t2 -c64 -d10s, against nginx serving a 1 KB
# static JSON file with the same Lua script.  Needs wrk and nginx, which
# this script installs if missing.
set -eu
cd "$(dirname "$0")/.."
need=""
command -v wrk >/dev/null || need="$need wrk"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need="$need nginx"
if [ -n "$need" ]; then
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
dir=$(mktemp -d)
zpid="" npid=""
cleanup() {
	[ -n "$zpid" ] && kill "$zpid" 2>/dev/null || true
	[ -n "$npid" ] && kill "$npid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
export ZHIFA_NOW=2025-12-31T17:00:00+08:00
build/zhifa --db "$dir/z.db" init >/dev/null
build/zhifa --db "$dir/z.db" demo >/dev/null
ids=$(build/zhifa --db "$dir/z.db" case list --json | sed -n 's/.*"id": "\([0-9a-f-]*\)".*/\1/p' | tr '\n' ' ')
build/zhifa --db "$dir/z.db" serve --listen 127.0.0.1:18181 --threads 2 2>/dev/null &
zpid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do curl -sf 127.0.0.1:18181/healthz >/dev/null && break; sleep 0.5; done
cookie=$(curl -s -D - -o /dev/null -X POST 127.0.0.1:18181/api/v1/login \
	-d '{"username":"auditor","password":"Demo-Zhifa-2025"}' |
	sed -n 's/^Set-Cookie: \(zhifa_session=[0-9a-f]*\).*/\1/p')
# nginx serves one case document as a static file
build/zhifa --db "$dir/z.db" case show "$(echo $ids | cut -d' ' -f1)" --json > "$dir/case.json"
mkdir -p "$dir/www/cases"
cp "$dir/case.json" "$dir/www/case.json"
cat > "$dir/nginx.conf" <<NGX
daemon off; worker_processes 2; pid $dir/nginx.pid; error_log $dir/nginx.err;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 1000000;
  client_body_temp_path $dir/t1; proxy_temp_path $dir/t2; fastcgi_temp_path $dir/t3;
  uwsgi_temp_path $dir/t4; scgi_temp_path $dir/t5;
  server { listen 127.0.0.1:18182; root $dir/www;
    location /api/v1/cases/ { default_type application/json; try_files /case.json =404; } } }
NGX
"$NGINX" -c "$dir/nginx.conf" &
npid=$!
sleep 1
# the same script for both: a random case id, the session cookie
{
	printf 'ids = {'
	for i in $ids; do printf '"%s",' "$i"; done
	printf '}\n'
	printf 'request = function()\n  local id = ids[math.random(#ids)]\n'
	printf '  return wrk.format("GET", "/api/v1/cases/" .. id, {["Cookie"] = "%s"})\nend\n' "$cookie"
} > "$dir/case.lua"
printf 'request = function()\n  return wrk.format("GET", "/api/v1/cases?year=2025&limit=20", {["Cookie"] = "%s"})\nend\n' "$cookie" > "$dir/list.lua"
run() { wrk -t2 -c64 -d10s --latency -s "$2" "http://127.0.0.1:$1" 2>/dev/null |
	awk '/Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "%s req/s p50 %s p99 %s", r, p50, p99}'; }
run 18182 "$dir/case.lua" >/dev/null	# warm-up
run 18181 "$dir/case.lua" >/dev/null
n=$(run 18182 "$dir/case.lua")
z=$(run 18181 "$dir/case.lua")
l=$(run 18181 "$dir/list.lua")
rss=$(awk '/VmRSS/ {print $2 " kB"}' /proc/$zpid/status)
echo "nginx static 1 KB-class case JSON:   $n"
echo "zhifa GET /api/v1/cases/{id} (auth): $z"
echo "zhifa GET /api/v1/cases?year&limit:  $l"
echo "zhifa server RSS: $rss"
awk -v a="$z" -v b="$n" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "ratio single-case read / nginx: %.2f\n", x[1] / y[1] }'
