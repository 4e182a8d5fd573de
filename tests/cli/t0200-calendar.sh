#!/bin/sh
# t0200: `zhifa calendar add` counts deadlines (law.md §0.1: the start day
# does not count; working days skip weekends and holidays, calendar days
# move off a rest day at the end; §9: the State Council holiday notices),
# refuses a year with no notice unless asked for a provisional result
# (§9.0a), and `calendar load` of a new year recomputes provisional
# deadlines with a ledger entry each.
#
# Without --db (and without $ZHIFA_DB) calendar add uses the built-in
# calendar.  The 2027 file written below is a TEST fixture, not the notice.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
export ZHIFA_NOW=2025-03-01T10:00:00+08:00

# 2025-09-30 + 5 working days: 10-01..10-08 are 国庆节、中秋节, 10-11 (Sat) is a
# make-up working day, 10-12 is Sunday: 10-09, 10-10, 10-11, 10-13, 10-14.
expect_exit 0 "$ZHIFA" calendar add --from 2025-09-30 --working-days 5
[ "$(cat "$OUT")" = 2025-10-14 ] || fail "2025-09-30 + 5 working days: $(cat "$OUT")"
ok "2025-09-30 + 5 working days = 2025-10-14"

# 2025-09-20 + 15 days = 10-05, a 国庆 holiday: moves to 10-09 (10-06..08 off).
expect_exit 0 "$ZHIFA" calendar add --from 2025-09-20 --days 15
[ "$(cat "$OUT")" = 2025-10-09 ] || fail "2025-09-20 + 15 days: $(cat "$OUT")"
ok "2025-09-20 + 15 days ends on 国庆 10-05, moves to 2025-10-09"

expect_exit 0 "$ZHIFA" --json calendar add --from 2025-09-20 --days 15
[ "$(jtop due)" = '"2025-10-09"' ] || fail "--json due: $(jtop due)"
[ "$(jtop last_day_before_moving)" = '"2025-10-05"' ] ||
	fail "--json last_day_before_moving: $(jtop last_day_before_moving)"
[ "$(jtop provisional)" = false ] || fail "--json provisional: $(jtop provisional)"
ok "--json: due, last_day_before_moving 2025-10-05, provisional false"

expect_exit 0 "$ZHIFA" calendar add --from 2025-09-20 --days 15 --explain
grep -q '国庆' "$OUT" || fail "--explain does not mention 国庆"
grep -q '第八十五条' "$OUT" || fail "--explain does not cite 第八十五条"
grep -q '^届满日: 2025-10-09$' "$OUT" || fail "--explain lacks '届满日: 2025-10-09'"
grep -q '2025-10-05' "$OUT" || fail "--explain does not show the moved last day 2025-10-05"
ok "--explain (days) names 国庆, 第八十五条 and the moved last day"

expect_exit 0 "$ZHIFA" calendar add --from 2025-09-30 --working-days 5 --explain
grep -q '^跳过: 2025-10-01 .*国庆' "$OUT" || fail "--explain (working days) lacks 2025-10-01 国庆"
grep -q '第八十五条' "$OUT" || fail "--explain (working days) lacks 第八十五条"
grep -q '2025-10-11' "$OUT" && fail "--explain skips 2025-10-11, a make-up working day"
ok "--explain (working days) lists the 国庆 days skipped, not the make-up day"

# 2026-12-20 + 20 working days reaches 2027, which has no notice yet.
expect_exit 1 "$ZHIFA" calendar add --from 2026-12-20 --working-days 20
expect_stderr_code calendar_year_missing
[ ! -s "$OUT" ] || fail "refused deadline still printed: $(cat "$OUT")"
ok "into 2027 without --provisional: exit 1, calendar_year_missing"

expect_exit 0 "$ZHIFA" calendar add --from 2026-12-20 --working-days 20 --provisional
[ "$(cat "$OUT")" = "2027-01-15 (provisional)" ] ||
	fail "provisional result: $(cat "$OUT")"
ok "with --provisional: 2027-01-15 (provisional), weekends only"

expect_exit 1 "$ZHIFA" calendar add --from 2025-02-30 --working-days 3
expect_stderr_code invalid_date
expect_stderr_field from
ok "--from 2025-02-30: exit 1, invalid_date, field from"

expect_exit 2 "$ZHIFA" calendar add --from 2025-03-03 --days 3 --working-days 3
expect_stderr_code missing_option
ok "both --days and --working-days: usage error, exit 2"

expect_exit 2 "$ZHIFA" calendar add --from 2025-03-03
expect_stderr_code missing_option
ok "neither --days nor --working-days: usage error, exit 2"

expect_exit 1 "$ZHIFA" calendar add --from 2025-03-03 --days -3
expect_stderr_code invalid_number
ok "--days -3: exit 1, invalid_number"

expect_exit 1 "$ZHIFA" calendar add --from 2025-03-03 --working-days 1.5
expect_stderr_code invalid_number
ok "--working-days 1.5: exit 1, invalid_number"

# ---- a database: provisional deadline, then the 2027 calendar arrives ----

setup_org

expect_exit 0 "$ZHIFA" --db "$DB" --json deadline add --object-type case \
	--object-id X --kind decision_due --from 2026-12-20 --working-days 20 \
	--basis 测试
[ "$(jtop due)" = '"2027-01-15"' ] || fail "deadline due: $(jtop due)"
[ "$(jtop provisional)" = true ] || fail "deadline provisional: $(jtop provisional)"
ok "deadline add into 2027: due 2027-01-15, provisional"

size=$(ledger_size) || fail "cannot read the ledger size"

# TEST-ONLY 2027 file: 元旦 on Friday 2027-01-01 (with the weekend after).
cat >"$T/2027.tsv" <<'EOF'
# TEST FIXTURE ONLY: not the State Council's 2027 notice.
year	2027
source	测试用 2027 年节假日安排（非真实通知）
basis	全国年节及纪念日放假办法（2024-11-10 修订）

2027-01-01	holiday	元旦
2027-01-02	holiday	元旦
2027-01-03	holiday	元旦
EOF

# A bad file is refused and changes nothing.
sed 's/^2027-01-03	holiday	元旦$/2027-01-03	holiday	/' "$T/2027.tsv" >"$T/bad.tsv"
expect_exit 1 "$ZHIFA" --db "$DB" calendar load "$T/bad.tsv"
expect_stderr_code invalid_calendar_file
[ "$(ledger_size)" = "$size" ] || fail "refused calendar file changed the ledger"
ok "calendar file with an empty holiday name: invalid_calendar_file, nothing written"

expect_exit 0 "$ZHIFA" --db "$DB" --json calendar load "$T/2027.tsv"
[ "$(jtop deadlines_moved)" = 1 ] || fail "deadlines_moved: $(jtop deadlines_moved)"
ok "calendar load 2027: one deadline moved"

expect_exit 0 "$ZHIFA" --db "$DB" --json deadline list
[ "$(jall provisional)" = false ] || fail "after load: provisional $(jall provisional)"
[ "$(jall due)" = '"2027-01-18"' ] || fail "after load: due $(jall due), want 2027-01-18"
ok "deadline list: provisional false, due 2027-01-18 (元旦 skipped)"

expect_exit 0 "$ZHIFA" --db "$DB" --json ledger list --after "$size"
[ "$(jall action | tr '\n' ' ')" = '"calendar.load" "deadline.recompute" ' ] ||
	fail "new ledger entries: $(jall action | tr '\n' ' ')"
ok "ledger: calendar.load then deadline.recompute"

expect_exit 0 "$ZHIFA" --db "$DB" calendar list
grep -q '^2027	3	0	测试用' "$OUT" || fail "calendar list lacks 2027"
ok "calendar list shows 2027"

expect_exit 0 "$ZHIFA" --db "$DB" calendar add --from 2026-12-20 --working-days 20
[ "$(cat "$OUT")" = 2027-01-18 ] || fail "calendar add with the database: $(cat "$OUT")"
ok "calendar add --db uses the loaded 2027: 2027-01-18, not provisional"

size=$(ledger_size) || fail "cannot read the ledger size"
expect_exit 1 "$ZHIFA" --db "$DB" calendar load "$T/2027.tsv"
expect_stderr_code calendar_year_exists
[ "$(ledger_size)" = "$size" ] || fail "second load changed the ledger"
ok "loading 2027 again: calendar_year_exists, nothing written"

expect_exit 0 "$ZHIFA" --db "$DB" --json ledger verify
[ "$(jtop ok)" = true ] || fail "ledger verify: $(cat "$OUT")"
ok "ledger verify ok"
