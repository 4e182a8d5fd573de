#!/bin/sh
# t0500: 全程留痕 — every act leaves a trace that cannot be silently changed
# (DESIGN.md principle 1).  Rows and ledger entries are changed behind
# zhifa's back with the sqlite3 tool, each on its own copy of one base
# database, and `ledger verify` must exit 1 naming what was done:
#   a row changed           state_mismatch (pii_digest_mismatch for personal data)
#   a row deleted           object_missing
#   an entry deleted        ledger_gap + ledger_chain_broken (middle),
#                           state_mismatch / object unrecorded (last)
#   an entry's bytes edited ledger_hash_mismatch
#   a row with no entry     (inserted, or its only entry deleted at the
#                           tail) must be reported too: checked last, as
#                           verify does not yet look for such rows
# Without dropping its triggers the ledger table refuses UPDATE and DELETE.
# Erasing a party's personal data through zhifa keeps the ledger verifiable.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
export ZHIFA_NOW=2025-03-01T10:00:00+08:00


BASE=$T/base.db
DB=$BASE

# use_copy NAME: DB becomes a fresh copy of the base database
use_copy() {
	DB=$T/$1.db
	rm -f "$DB" "$DB-wal" "$DB-shm"
	sqlite3 "$BASE" ".backup '$DB'" || fail "cannot copy the base database"
}

# sq SQL: run SQL on $DB with the sqlite3 tool, which must succeed
sq() {
	LAST="sqlite3 $DB \"$1\""
	sqlite3 "$DB" "$1" >"$OUT" 2>"$ERR" || fail "sqlite3 failed"
}

# verify_fails CODE [WHERE]: ledger verify exits 1 reporting CODE (at WHERE,
# e.g. '"seq": 7' or '"object": "officer/ID"', when given)
verify_fails() {
	expect_exit 1 "$ZHIFA" --db "$DB" --json ledger verify
	expect_stderr_code ledger_verify_failed
	[ "$(jtop ok)" = false ] || fail "ledger verify: ok is $(jtop ok)"
	grep -q "\"code\": \"$1\"" "$OUT" || fail "ledger verify does not report $1"
	if [ $# -gt 1 ]; then
		sed -n "/$2/{n;p;}" "$OUT" | grep -q "\"code\": \"$1\"" ||
			fail "ledger verify reports $1, but not at $2"
	fi
}

verify_ok() {
	expect_exit 0 "$ZHIFA" --db "$DB" --json ledger verify
	[ "$(jtop ok)" = true ] || fail "ledger verify: ok is $(jtop ok)"
}

# ---- the base database ----
setup_org
zf --json org show
org=$(jtop id | tr -d '"')
zf --json officer add --name 张三 --cert-no 15082600001 --valid-from 2020-01-01 --valid-to 2028-12-31
a_id=$(jtop id | tr -d '"')
zf --json officer add --name 李四 --cert-no 15082600002 --valid-from 2020-01-01 --valid-to 2028-12-31
b_id=$(jtop id | tr -d '"')
zf --json party add --kind person --name 刘某 --id-number 11010519491231002X --phone 13800000000
p_id=$(jtop id | tr -d '"')
zf party add --kind org --name 某运输公司 --credit-code 91350100M000100Y43
zf vehicle add --plate 蒙L12345 --config truck --axles 6 --owner "$p_id"
zf --json device add --code DSJ-01 --kind body_camera
d_id=$(jtop id | tr -d '"')
zf org set statement_window_working_days 5
zf officer update 15082600002 --status suspended --reason 停职审查
size=$(ledger_size) || fail "cannot read the ledger size"
verify_ok
[ "$(jtop entries)" = "$size" ] || fail "verify read $(jtop entries) entries of $size"
ok "base: $size ledger entries (last: officer.update of 李四), ledger verify ok"

# the county's ledger entries, in SQL
L="ledger_entry WHERE org_id = '$org'"
W="org_id = '$org'"

# ---- (d) the ledger table is append-only ----
use_copy d
LAST="sqlite3 $DB DELETE FROM ledger_entry"
sqlite3 "$DB" "DELETE FROM ledger_entry WHERE org_id = '$org' AND seq = $size" \
	>"$OUT" 2>"$ERR" && fail "plain DELETE FROM ledger_entry succeeded"
grep -q 'append-only' "$ERR" || fail "DELETE refused, but not by the append-only trigger"
sqlite3 "$DB" "DELETE FROM ledger_entry" >"$OUT" 2>"$ERR" &&
	fail "DELETE of the whole ledger succeeded"
LAST="sqlite3 $DB UPDATE ledger_entry"
sqlite3 "$DB" "UPDATE ledger_entry SET action = 'x' WHERE org_id = '$org' AND seq = 1" \
	>"$OUT" 2>"$ERR" && fail "plain UPDATE of a ledger entry succeeded"
grep -q 'append-only' "$ERR" || fail "UPDATE refused, but not by the append-only trigger"
[ "$(ledger_size)" = "$size" ] || fail "ledger size changed"
verify_ok
ok "sqlite3 DELETE and UPDATE on ledger_entry refused by the append-only triggers"

# ---- (a) rows changed behind the ledger ----
use_copy a1
sq "UPDATE officer SET name = '篡改' WHERE org_id = '$org' AND cert_no = '15082600001'"
verify_fails state_mismatch "\"object\": \"officer\\/$a_id\""
ok "officer name changed with sqlite3: state_mismatch for that officer"

use_copy a2
sq "UPDATE party SET phone = '13900000000' WHERE org_id = '$org' AND id = '$p_id'"
verify_fails pii_digest_mismatch "\"object\": \"party\\/$p_id\""
ok "a person's phone changed with sqlite3: pii_digest_mismatch"

use_copy a3
sq "DELETE FROM device WHERE org_id = '$org' AND id = '$d_id'"
verify_fails object_missing "\"object\": \"device\\/$d_id\""
ok "device row deleted with sqlite3: object_missing"

use_copy a4
sq "UPDATE org_setting SET value = '30' WHERE org_id = '$org' AND key = 'statement_window_working_days'"
verify_fails state_mismatch "\"object\": \"org_setting\\/statement_window_working_days\""
ok "setting changed with sqlite3: state_mismatch"

# ---- (b) entries deleted (triggers dropped) ----
use_copy b1
sq "DROP TRIGGER ledger_entry_no_delete; DELETE FROM $L AND seq = $size"
verify_fails state_mismatch "\"object\": \"officer\\/$b_id\""
ok "last entry (officer.update) deleted: state_mismatch, the officer no longer matches"

use_copy b2
mid=$((size - 3))
sq "DROP TRIGGER ledger_entry_no_delete; DELETE FROM $L AND seq = $mid"
verify_fails ledger_gap "\"seq\": $((mid + 1))"
verify_fails ledger_chain_broken "\"seq\": $((mid + 1))"
ok "middle entry $mid deleted: ledger_gap and ledger_chain_broken at $((mid + 1))"

# ---- (c) entries edited (triggers dropped) ----
use_copy c1
sq "DROP TRIGGER ledger_entry_no_update;
    UPDATE ledger_entry SET entry = CAST(replace(CAST(entry AS TEXT),
	'\"user\":\"cli\"', '\"user\":\"xyz\"') AS BLOB) WHERE $W AND seq = 5"
sq "SELECT count(*) FROM $L AND CAST(entry AS TEXT) LIKE '%\"user\":\"xyz\"%'"
[ "$(cat "$OUT")" = 1 ] || fail "the edit did not change entry 5"
verify_fails ledger_hash_mismatch '"seq": 5'
ok "entry 5 text edited (actor cli -> xyz): ledger_hash_mismatch at 5"

use_copy c2
sq "DROP TRIGGER ledger_entry_no_update;
    UPDATE ledger_entry SET leaf_hash = zeroblob(32) WHERE $W AND seq = 5"
verify_fails ledger_hash_mismatch '"seq": 5'
verify_fails ledger_chain_broken '"seq": 6'
ok "entry 5 leaf hash overwritten: ledger_hash_mismatch at 5, chain broken at 6"

use_copy c3
sq "DROP TRIGGER ledger_entry_no_update;
    UPDATE ledger_entry SET seq = $((size + 1)) WHERE $W AND seq = $size"
verify_fails ledger_gap "\"seq\": $((size + 1))"
verify_fails ledger_seq_mismatch "\"seq\": $((size + 1))"
ok "last entry renumbered: ledger_gap and ledger_seq_mismatch"

# ---- (e) erasure through zhifa keeps the ledger verifiable ----
use_copy e
zf --json party erase "$p_id" --reason 当事人申请删除个人信息
[ "$(jtop erased)" = true ] || fail "party erase: erased is $(jtop erased)"
[ "$(jtop name)" = null ] || fail "party erase kept the name $(jtop name)"
[ "$(jtop id_number)" = null ] || fail "party erase kept the ID number"
[ "$(jtop phone)" = null ] || fail "party erase kept the phone"
sq "SELECT count(*) FROM party WHERE org_id = '$org' AND id = '$p_id' AND pii_salt IS NULL AND name IS NULL"
[ "$(cat "$OUT")" = 1 ] || fail "erased row still holds its salt or name"
[ "$(ledger_size)" = $((size + 1)) ] || fail "party erase did not append one entry"
verify_ok
ok "party erase: personal data gone, one party.erase entry, ledger verify ok"

expect_exit 1 "$ZHIFA" --db "$DB" party erase "$p_id" --reason 再次删除
expect_stderr_code already_erased
[ "$(ledger_size)" = $((size + 1)) ] || fail "second erase wrote to the ledger"
ok "erasing again: already_erased, nothing written"

# ---- (b3) the last entry deleted when it was the object's only entry ----
# The device row then exists with no ledger entry at all.  verify must
# notice a row the ledger does not account for (tail truncation).
use_copy b3
zf --json device add --code DSJ-02 --kind body_camera
d2=$(jtop id | tr -d '"')
verify_ok
sq "DROP TRIGGER ledger_entry_no_delete; DELETE FROM $L AND seq = $((size + 1))"
expect_exit 1 "$ZHIFA" --db "$DB" --json ledger verify
[ "$(jtop ok)" = false ] ||
	fail "last entry (device.add) deleted, device row left: ledger verify still ok"
grep -q "device\\/$d2" "$OUT" || fail "ledger verify does not name device/$d2"
ok "last entry (device.add) deleted: verify names the unrecorded device"

# ---- (a5) a row inserted behind the ledger ----
# Same blind spot: a device row written with sqlite3 has no entry at all.
use_copy a5
sq "INSERT INTO device (org_id, id, code, kind, name, status, created_at)
    SELECT org_id, 'forged-device', 'DSJ-99', kind, name, status, created_at
    FROM device WHERE $W AND id = '$d_id'"
expect_exit 0 "$ZHIFA" --db "$DB" device list
grep -q '^DSJ-99	' "$OUT" || fail "the forged device is not listed"
expect_exit 1 "$ZHIFA" --db "$DB" --json ledger verify
[ "$(jtop ok)" = false ] || fail "device row inserted with sqlite3: ledger verify still ok"
grep -q 'device\/forged-device' "$OUT" || fail "ledger verify does not name device/forged-device"
ok "device row inserted with sqlite3: verify names the unrecorded device"
