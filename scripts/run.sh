#!/bin/sh
# make run: create ./var/zhifa.db with the demo bureau on first run (reused
# afterwards) and serve it on 127.0.0.1:8080.  The demo's year is 2025, so
# "now" defaults to the end of that year; set ZHIFA_NOW to override.
set -eu
cd "$(dirname "$0")/.."
ZHIFA=build/zhifa
DB=${ZHIFA_DB:-./var/zhifa.db}
LISTEN=${ZHIFA_LISTEN:-127.0.0.1:8080}
export ZHIFA_NOW="${ZHIFA_NOW:-2025-12-31T17:00:00+08:00}"
if [ ! -f "$DB" ]; then
	"$ZHIFA" --db "$DB" init >/dev/null
	"$ZHIFA" --db "$DB" demo --json > "$DB.demo.json"
	echo "zhifa: created $DB with the demo bureau 杭锦后旗交通运输局"
fi
if [ -f "$DB.demo.json" ]; then
	echo "zhifa: demo logins (DEMO ONLY — 演示账号，切勿用于真实机构):"
	# one line per user: name, roles, password, TOTP secret for administrators
	sed -n 's/.*"username": "\([^"]*\)".*/\1/p' "$DB.demo.json" | while read -r u; do
		printf '  %s\n' "$u"
	done
	echo "  password for all: Demo-Zhifa-2025; administrators' TOTP secrets are in $DB.demo.json"
fi
echo "zhifa: database $DB"
echo "zhifa: open http://$LISTEN/ (Ctrl-C stops)"
exec "$ZHIFA" --db "$DB" serve --listen "$LISTEN"
