#!/bin/sh
# t0600: `zhifa init` creates the database (and its directory) and applies
# the schema; running it again is harmless.  Other commands never create a
# database: a missing one is database_not_found, one from a newer zhifa
# (PRAGMA user_version above what this binary knows) is database_too_new.
# The database is --db, else $ZHIFA_DB, else ./var/zhifa.db.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
export ZHIFA_NOW=2025-03-01T10:00:00+08:00

# ---- init ----
DB=$T/new/sub/dir/z.db
expect_exit 0 "$ZHIFA" --db "$DB" --json init
[ -f "$DB" ] || fail "init did not create $DB"
[ "$(jtop db)" = "\"$DB\"" ] || fail "init reports db $(jtop db)"
[ "$(jtop backend)" = '"sqlite"' ] || fail "init reports backend $(jtop backend)"
schema=$(jtop schema_version)
[ "$schema" -ge 1 ] 2>/dev/null || fail "schema_version '$schema'"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = "$schema" ] ||
	fail "PRAGMA user_version $(sqlite3 "$DB" 'PRAGMA user_version'), init said $schema"
for t in org org_setting ledger_entry officer party vehicle device calendar_year deadline; do
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$t'")" = 1 ] ||
		fail "init did not create table $t"
done
ok "init creates the database, its parent directories and the schema (version $schema)"

expect_exit 0 "$ZHIFA" --db "$DB" org list
[ "$(sed 1d "$OUT" | wc -l | tr -d ' ')" -eq 0 ] || fail "a new database has organisations"
ok "a new database has no organisation"

expect_exit 0 "$ZHIFA" --db "$DB" org add --name 杭锦后旗交通运输局 --level county \
	--division-code 150826 --doc-abbr 杭交
size=$(ledger_size) || fail "cannot read the ledger size"
sum=$(db_sum)
expect_exit 0 "$ZHIFA" --db "$DB" init
[ "$(ledger_size)" = "$size" ] || fail "second init changed the ledger"
[ "$(db_sum)" = "$sum" ] || fail "second init changed the database"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = "$schema" ] || fail "second init changed user_version"
expect_exit 0 "$ZHIFA" --db "$DB" --json ledger verify
[ "$(jtop ok)" = true ] || fail "ledger verify after the second init"
ok "second init on the same database is harmless"

# ---- a database from a newer zhifa ----
cp "$DB" "$T/newer.db"
sqlite3 "$T/newer.db" 'PRAGMA user_version = 999' || fail "cannot set user_version"
sum=$(DB=$T/newer.db db_sum)
for cmd in "org list" "org show" "ledger verify" "init" "officer list" "calendar list"; do
	# shellcheck disable=SC2086 # $cmd is the command words
	expect_exit 1 "$ZHIFA" --db "$T/newer.db" $cmd
	expect_stderr_code database_too_new
	expect_stderr_field db
	grep -q '999' "$ERR" || fail "$cmd: database_too_new does not name version 999"
done
[ "$(sqlite3 "$T/newer.db" 'PRAGMA user_version')" = 999 ] || fail "user_version was changed"
[ "$(DB=$T/newer.db db_sum)" = "$sum" ] || fail "the newer database was changed"
ok "user_version 999: every command exits 1 with database_too_new, nothing changed"

# ---- a missing database ----
for cmd in "org list" "org show" "ledger verify" "officer list" "device add --code DSJ-01 --kind body_camera"; do
	# shellcheck disable=SC2086
	expect_exit 1 "$ZHIFA" --db "$T/missing/z.db" $cmd
	expect_stderr_code database_not_found
	expect_stderr_field db
done
[ ! -e "$T/missing/z.db" ] || fail "a command other than init created the database"
[ ! -e "$T/missing" ] || fail "a command other than init created the directory"
expect_exit 1 "$ZHIFA" --db "$T/nothere.db" org list
expect_stderr_code database_not_found
[ ! -e "$T/nothere.db" ] || fail "org list created $T/nothere.db"
grep -q 'zhifa init' "$ERR" || fail "database_not_found does not suggest zhifa init"
ok "missing database: exit 1, database_not_found, no file created"

# ---- ZHIFA_DB ----
expect_exit 0 env ZHIFA_DB="$T/env.db" "$ZHIFA" --json init
[ -f "$T/env.db" ] || fail "init with ZHIFA_DB did not create it"
[ "$(jtop db)" = "\"$T/env.db\"" ] || fail "init with ZHIFA_DB reports db $(jtop db)"
expect_exit 0 env ZHIFA_DB="$T/env.db" "$ZHIFA" org add --name 巴彦淖尔市交通运输局 \
	--level city --division-code 150800 --doc-abbr 巴交
expect_exit 0 "$ZHIFA" --db "$T/env.db" org list
grep -q '巴彦淖尔市交通运输局' "$OUT" || fail "org added through ZHIFA_DB not in $T/env.db"
ok "ZHIFA_DB names the database when --db is not given"

expect_exit 0 env ZHIFA_DB="$T/env.db" "$ZHIFA" --db "$DB" org list
grep -q '杭锦后旗交通运输局' "$OUT" || fail "--db did not override ZHIFA_DB"
grep -q '巴彦淖尔市' "$OUT" && fail "--db did not override ZHIFA_DB (read ZHIFA_DB's database)"
ok "--db overrides ZHIFA_DB"

expect_exit 1 env ZHIFA_DB="$T/env-missing.db" "$ZHIFA" org list
expect_stderr_code database_not_found
grep -q "$T/env-missing.db" "$ERR" || fail "database_not_found does not name the ZHIFA_DB path"
ok "ZHIFA_DB pointing at a missing database: database_not_found naming it"

# ---- the default ./var/zhifa.db ----
mkdir "$T/cwd" || fail "mkdir"
LAST="(cd $T/cwd && zhifa org list)"
(cd "$T/cwd" && "$ZHIFA" org list) >"$OUT" 2>"$ERR"
[ $? -eq 1 ] || fail "org list in an empty directory did not exit 1"
expect_stderr_code database_not_found
grep -q './var/zhifa.db' "$ERR" || fail "default path is not ./var/zhifa.db"
(cd "$T/cwd" && ZHIFA_DB='' "$ZHIFA" init) >"$OUT" 2>"$ERR" || fail "init in an empty directory"
[ -f "$T/cwd/var/zhifa.db" ] || fail "init without --db or ZHIFA_DB did not create ./var/zhifa.db"
ok "without --db or ZHIFA_DB (or with it empty) the database is ./var/zhifa.db"
