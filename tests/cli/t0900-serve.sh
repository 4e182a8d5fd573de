#!/bin/sh
# t0900: `zhifa serve` answers /healthz, / and /ui/, a 404 and a 405 on loopback, and
# stops cleanly (exit 0, "zhifa: stopped") on SIGTERM.
#
# Needs $ZHIFA (the binary) and curl.  The port is derived from the PID so
# parallel ctest runs rarely collide; a taken port fails loudly rather than
# testing some other server.

set -u

: "${ZHIFA:?set ZHIFA to the zhifa binary}"
command -v curl >/dev/null 2>&1 || { echo "skip: curl not installed"; exit 0; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/t0900.XXXXXX") || exit 1
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "not ok - $*"
	if [ -s "$tmp/err" ]; then
		echo "# server stderr:"
		sed 's/^/#   /' "$tmp/err"
	fi
	exit 1
}
ok() { echo "ok - $*"; }

port=$((20000 + $$ % 20000))
base="http://127.0.0.1:$port"

"$ZHIFA" init --db "$tmp/z.db" >"$tmp/init.out" 2>&1 ||
	fail "zhifa init: $(cat "$tmp/init.out")"
ok "init"

"$ZHIFA" serve --db "$tmp/z.db" --listen "127.0.0.1:$port" \
	>"$tmp/out" 2>"$tmp/err" &
pid=$!

# Poll /healthz for up to 5 s (50 x 0.1 s).
i=0
until curl -s -o "$tmp/body" "$base/healthz" 2>/dev/null; do
	kill -0 "$pid" 2>/dev/null || { wait "$pid"; fail "server exited early (status $?)"; }
	i=$((i + 1))
	[ "$i" -lt 50 ] || fail "no answer on $base within 5 s"
	sleep 0.1
done
ok "server answers on port $port"

grep -q "^zhifa serving http://127.0.0.1:$port/ (database $tmp/z.db)\$" "$tmp/out" ||
	fail "startup line: $(cat "$tmp/out")"
ok "startup line"

[ "$(cat "$tmp/body")" = '{"status":"ok"}' ] || fail "/healthz body: $(cat "$tmp/body")"
code=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$base/healthz")
[ "$code" = "200 application/json" ] || fail "/healthz status: $code"
ok "/healthz"

code=$(curl -s -o "$tmp/index" -w '%{http_code} %{content_type}' "$base/")
[ "$code" = "200 text/html; charset=utf-8" ] || fail "/ status: $code"
grep -q '执法' "$tmp/index" || fail "/ lacks 执法"
grep -q 'lang="zh-CN"' "$tmp/index" || fail "/ lacks lang=zh-CN"
grep -q 'src="/ui/app.js"' "$tmp/index" || fail "/ does not load the staff application"
ok "/ page"

# The staff application's files, embedded in the binary, public.
code=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$base/ui/app.js")
[ "$code" = "200 application/javascript; charset=utf-8" ] || fail "/ui/app.js status: $code"
code=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$base/ui/app.css")
[ "$code" = "200 text/css; charset=utf-8" ] || fail "/ui/app.css status: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/ui/no-such-file.js")
[ "$code" = 404 ] || fail "/ui/no-such-file.js status: $code"
ok "/ui/ files"

code=$(curl -s -o "$tmp/404" -w '%{http_code}' "$base/no/such/page")
[ "$code" = 404 ] || fail "404 status: $code"
[ "$(cat "$tmp/404")" = '{"error":{"code":"not_found","message":"未找到该页面","field":""}}' ] ||
	fail "404 body: $(cat "$tmp/404")"
ok "404 JSON"

code=$(curl -s -o "$tmp/405" -D "$tmp/405.h" -w '%{http_code}' -X POST -d x "$base/healthz")
[ "$code" = 405 ] || fail "405 status: $code"
grep -q '"code":"method_not_allowed"' "$tmp/405" || fail "405 body: $(cat "$tmp/405")"
grep -qi '^allow: GET, HEAD' "$tmp/405.h" || fail "405 lacks Allow"
ok "405 JSON"

# Two requests on one connection: the server must keep it alive.
curl -s -v -o /dev/null -o /dev/null "$base/healthz" "$base/healthz" 2>"$tmp/ka" ||
	fail "keep-alive requests failed"
grep -q 'Re-using existing connection' "$tmp/ka" || fail "connection not kept alive"
ok "keep-alive"

grep -q ' GET /healthz 200 [0-9]*us$' "$tmp/err" || fail "no access-log line for /healthz"
ok "access log"

kill -TERM "$pid"
wait "$pid"
status=$?
pid=
[ "$status" -eq 0 ] || fail "exit status $status after SIGTERM"
grep -q '^zhifa: stopped$' "$tmp/err" || fail "no 'zhifa: stopped' on stderr"
ok "stops on SIGTERM"
