#!/bin/sh
# t2000: the staff application end to end in a browser (issue 6).
#
# Makes a fresh database with the demo bureau, serves it on a free loopback
# port at ZHIFA_NOW=2025-12-31T17:00:00+08:00 and runs the Playwright tests
# in tests/e2e/ (playwright-core driving Debian's /usr/bin/chromium headless,
# node's built-in test runner).  Installs nothing itself: scripts/deps.sh
# installs chromium, fonts-noto-cjk, nodejs and npm; this script runs
# `npm ci --prefix tests/e2e` only when tests/e2e/node_modules is missing.
#
# Screenshots of every page (and the server's log and the test output) are
# kept in build-test/e2e-artifacts/screenshots/ (the directory of $ZHIFA;
# E2E_ARTIFACTS overrides it).  Needs $ZHIFA, $ZF_SRC and curl.

set -u

: "${ZHIFA:?set ZHIFA to the zhifa binary}"
: "${ZF_SRC:?set ZF_SRC to the source directory}"
case $ZHIFA in
/*) ;;
*/*) ZHIFA=$(pwd)/$ZHIFA ;;
esac
E2E=$ZF_SRC/tests/e2e
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ZHIFA_NOW=${ZHIFA_NOW:-2025-12-31T17:00:00+08:00}
export ZHIFA_NOW
unset ZHIFA_DB ZHIFA_ORG

fail() {
	echo "not ok - $*"
	if [ -n "${SRV_LOG:-}" ] && [ -s "$SRV_LOG" ]; then
		echo "# server stderr (last 30 lines):"
		tail -n 30 "$SRV_LOG" | sed 's/^/#   /'
	fi
	exit 1
}
ok() { echo "ok - $*"; }

for tool in curl node npm; do
	command -v "$tool" >/dev/null 2>&1 ||
		fail "$tool not installed (scripts/deps.sh installs it)"
done
[ -x "$CHROMIUM" ] || fail "$CHROMIUM not installed (scripts/deps.sh installs chromium)"
if command -v fc-list >/dev/null 2>&1; then
	fc-list | grep -q 'Noto Sans CJK SC' ||
		fail "font Noto Sans CJK SC not installed (scripts/deps.sh installs fonts-noto-cjk)"
fi

if [ ! -d "$E2E/node_modules/playwright-core" ]; then
	npm ci --prefix "$E2E" --no-audit --no-fund >/dev/null 2>&1 ||
		fail "npm ci --prefix tests/e2e failed (the npm registry is needed once)"
	ok "npm ci tests/e2e"
fi

ART=${E2E_ARTIFACTS:-$(dirname "$ZHIFA")/e2e-artifacts/screenshots}
rm -rf "$ART"
mkdir -p "$ART" || fail "cannot make $ART"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/t2000.XXXXXX") || exit 1
pid=
SRV_LOG=
cleanup() {
	if [ -n "$pid" ]; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	[ -n "$SRV_LOG" ] && [ -f "$SRV_LOG" ] && cp "$SRV_LOG" "$ART/server.log" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

DB=$tmp/z.db
"$ZHIFA" init --db "$DB" >"$tmp/init.out" 2>&1 || fail "zhifa init: $(cat "$tmp/init.out")"
"$ZHIFA" demo --db "$DB" >"$tmp/demo.out" 2>&1 || fail "zhifa demo: $(tail -5 "$tmp/demo.out")"
ok "fresh database with the demo bureau"

# A free loopback port: start at one derived from our PID, move on while taken.
port=$((20000 + ($$ * 7 + 3) % 20000))
tries=0
while :; do
	SRV_LOG=$tmp/srv.err
	"$ZHIFA" serve --db "$DB" --listen "127.0.0.1:$port" >"$tmp/srv.out" 2>"$SRV_LOG" &
	pid=$!
	i=0
	while ! grep -q '^zhifa serving ' "$tmp/srv.out" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null
			pid=
			break
		fi
		i=$((i + 1))
		[ "$i" -lt 100 ] || fail "zhifa serve did not start within 10 s"
		sleep 0.1
	done
	[ -n "$pid" ] && break
	tries=$((tries + 1))
	if ! grep -q 'listen_failed' "$SRV_LOG" || [ "$tries" -ge 20 ]; then
		fail "zhifa serve exited: $(cat "$SRV_LOG")"
	fi
	port=$((20000 + (port - 20000 + 11) % 20000))
done
BASE_URL=http://127.0.0.1:$port
curl -s -o /dev/null --max-time 5 "$BASE_URL/healthz" || fail "no answer from $BASE_URL/healthz"
ok "server on $BASE_URL"

# The tests (node's runner, TAP on a pipe); at most 150 s in all.  The
# files are named, not the directory: node 21+ no longer searches a
# directory given to --test (nodejs/node#50219).
BASE_URL=$BASE_URL SCREENSHOT_DIR=$ART CHROMIUM=$CHROMIUM \
	timeout -k 5 150 node --test "$E2E"/*.test.js >"$tmp/node.out" 2>&1
st=$?
cp "$tmp/node.out" "$ART/node-test.tap"
sed 's/^/# /' "$tmp/node.out"
[ "$st" -eq 0 ] || fail "browser tests (node --test tests/e2e/*.test.js, exit $st; screenshots in $ART)"
ok "browser tests (screenshots in $ART)"

kill -TERM "$pid"
wait "$pid"
st=$?
pid=
[ "$st" -eq 0 ] || fail "server exit status $st after SIGTERM"
grep -q '^zhifa: stopped$' "$SRV_LOG" || fail "no 'zhifa: stopped' in the server's stderr"
if grep -E 'runtime error|AddressSanitizer|LeakSanitizer' "$SRV_LOG" >/dev/null; then
	fail "sanitizer report in the server's stderr"
fi
ok "server stopped cleanly"
