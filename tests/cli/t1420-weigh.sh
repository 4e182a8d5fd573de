#!/bin/sh
# t1420: weigh-station work and off-site enforcement (issue 8) through the
# real binary, on a fresh demo database, in January 2026:
#   - a scale's calibration: only a scale, a period that ends after it
#     starts; a weighing by a scale without a valid certificate is refused
#     (62号令: data of equipment not legally calibrated is no evidence) and
#     writes nothing; two officers (行政处罚法 Art. 42);
#   - a station weighing keeps the engine's calculation (Art. 3 limit,
#     Art. 43 penalty); the same vehicle at the same instant twice is
#     refused; unloading (once, only over the limit) says whether the
#     re-weighed vehicle is within the limit;
#   - a case opened from the weighing: prefilled violation and facts, and
#     the first-offence / repeat flags (公路安全保护条例 Art. 66: more than
#     3 times in a year); closing it opens the 7-working-day report to the
#     home authority (62号令 Art. 44), archiving waits for the report;
#   - `weigh import`: bad rows by line, good rows kept, re-import adds
#     nothing, --strict writes nothing; over-limit rows become review tasks
#     (行政处罚法 Art. 41): confirm needs a calibrated device and an image,
#     dismiss needs a reason; rows outside the device's certificate refused;
#   - `overload stats`; `ledger verify` clean, and each kind of tampering
#     with weighings or imported rows found.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"

day() { ZHIFA_NOW="$1T${2:-17}:00:00+08:00"; export ZHIFA_NOW; }
unchanged() { # SUM SIZE WHAT
	[ "$(db_sum)" = "$1" ] || fail "$3 changed the database"
	[ "$(ledger_size)" = "$2" ] || fail "$3 changed the ledger"
}

H1=150826200001
A=150826200006,150826200007
ST=G242-K1096

day 2025-12-31
zf init
zf demo
# persons 13 and 14 of the demo: no over-limit case in 2025 (the first ones have)
zf party list --kind person
P1=$(sed -n 14p "$OUT" | cut -f4)
P2=$(sed -n 15p "$OUT" | cut -f4)
[ -n "$P2" ] || fail "demo: fewer than two persons"
ok "demo database"

# ---- scales ----
day 2026-01-05 09
refused not_a_scale scale calibrate DSJ-01 --cert-no X1 --valid-from 2026-01-01 --valid-until 2026-12-31
expect_stderr_field device
refused invalid_period scale calibrate SCALE-G242 --cert-no X2 --valid-from 2026-02-01 \
	--valid-until 2026-01-01
expect_stderr_field valid_until
zf device add --code SCALE-OLD --kind scale --name 旧衡器
zf scale calibrate SCALE-OLD --cert-no OLD-1 --valid-from 2024-01-01 --valid-until 2025-12-31
zf --json scale list SCALE-OLD
[ "$(jall valid_until)" = '"2025-12-31"' ] || fail "scale list: $(jall valid_until)"
ok "calibration: only a scale, a period that does not end before it starts"

sum=$(db_sum)
size=$(ledger_size) || fail "ledger size"
refused scale_not_calibrated weigh record --station $ST --at 2026-01-05T08:00:00+08:00 \
	--plate 蒙LX1001 --axles 6 --config train --gross-kg 55340 --device SCALE-OLD --officers $A
expect_stderr_field device
grep -q 检定 "$ERR" || fail "the refusal does not say the certificate"
refused two_officers_required weigh record --station $ST --at 2026-01-05T08:00:00+08:00 \
	--plate 蒙LX1001 --axles 6 --config train --gross-kg 55340 --device SCALE-G242 \
	--officers 150826200006
refused invalid_plate weigh record --station $ST --at 2026-01-05T08:00:00+08:00 \
	--plate 蒙LI1001 --axles 6 --config train --gross-kg 55340 --device SCALE-G242 --officers $A
expect_stderr_field plate
refused date_in_future weigh record --station $ST --at 2026-01-06T08:00:00+08:00 \
	--plate 蒙LX1001 --axles 6 --config train --gross-kg 55340 --device SCALE-G242 --officers $A
unchanged "$sum" "$size" "refused weighings"
ok "weighing refused: expired scale (scale_not_calibrated), one officer, bad plate, future; nothing written"

# ---- a station weighing ----
zf --json weigh record --station $ST --at 2026-01-05T08:00:00+08:00 --plate 蒙LX1001 \
	--trailer-plate 蒙L7001挂 --axles 6 --config train --gross-kg 55340 --device SCALE-G242 \
	--officers $A
W1=$(jstr id)
[ "$(jtop limit_kg)" = 49000 ] || fail "limit $(jtop limit_kg), want 49000 (Art. 3 item 8)"
[ "$(jtop over_kg)" = 6340 ] || fail "over $(jtop over_kg), want 6340"
[ "$(jtop over)" = true ] || fail "over $(jtop over)"
[ "$(jall min_yuan)" = 3000 ] && [ "$(jall max_yuan)" = 3000 ] ||
	fail "penalty $(jall min_yuan)-$(jall max_yuan), want 3000 (Art. 43: 6 whole tonnes x 500)"
[ "$(jtop calibrated_until)" = '"2026-06-24"' ] || fail "calibrated_until $(jtop calibrated_until)"
grep -q '第四十三条' "$OUT" || fail "the calculation does not cite Art. 43"
refused weighing_exists weigh record --station $ST --at 2026-01-05T08:00:00+08:00 \
	--plate 蒙LX1001 --axles 6 --config train --gross-kg 55340 --device SCALE-G242 --officers $A
ok "station weighing: 55,340 kg against 49,000 kg, 6,340 kg over, 3,000 yuan; the same instant twice refused"

zf --json weigh record --station $ST --at 2026-01-05T08:10:00+08:00 --plate 蒙LX1002 \
	--axles 2 --config truck --gross-kg 18000 --device SCALE-G242 --officers $A
W0=$(jstr id)
[ "$(jtop over)" = false ] || fail "18,000 kg on two axles is not over (over means >)"
refused not_over_limit weigh unload "$W0" --goods 煤 --unloaded-kg 100 --place 场 --reweigh-kg 17900
refused not_over_limit weigh case "$W0" --party "$P1" --officers $A
ok "exactly at the limit: not over; no unloading, no case"

refused invalid_number weigh unload "$W1" --goods 煤炭 --unloaded-kg 0 --place 卸货场 --reweigh-kg 48840
expect_stderr_field unloaded_kg
zf --json weigh unload "$W1" --goods 煤炭 --unloaded-kg 6500 --place 检测站卸货场 \
	--reweigh-kg 48840 --at 2026-01-05T08:50:00+08:00
[ "$(jtop cleared)" = true ] || fail "re-weighed 48,840 kg: cleared $(jtop cleared)"
refused already_unloaded weigh unload "$W1" --goods 煤炭 --unloaded-kg 1 --place 卸货场 --reweigh-kg 48000
ok "unloading: 6,500 kg, re-weighed within the limit; once only"

# ---- the case from the weighing, first offence and repeats ----
refused required weigh case "$W1" --officers $A
expect_stderr_field party
zf --json weigh case "$W1" --party "$P1" --officers $A
C1=$(jstr id)
[ "$(jstr state)" = clue ] || fail "case state $(jstr state)"
[ "$(jstr violation)" = overload_mass ] || fail "violation $(jstr violation)"
grep -q '"facts": ".*超限6340千克' "$OUT" || fail "facts do not give the excess"
grep -q '"first_offence": true' "$OUT" || fail "not a first offence"
grep -q '"repeat": false' "$OUT" || fail "repeat flag set on a first offence"
refused weighing_has_case weigh case "$W1" --party "$P1" --officers $A
zf --json weigh show "$W1"
[ "$(jstr case_id)" = "$C1" ] || fail "weighing not linked to its case"
ok "case opened from the weighing: overload_mass, facts with the excess, first offence; only once"

# a registered vehicle, no party named: its owner (a company) is the party
zf vehicle list
TPLATE=$(awk -F'\t' '$3 == "tractor" { print $1; exit }' "$OUT")
TOWNER=$(awk -F'\t' '$3 == "tractor" { print $5; exit }' "$OUT")
zf --json weigh record --station $ST --at 2026-01-05T08:20:00+08:00 --plate "$TPLATE" \
	--axles 5 --config train --gross-kg 47000 --device SCALE-G242 --officers $A
zf --json weigh case "$(jstr id)" --officers $A
[ "$(jstr party_id)" = "$TOWNER" ] || fail "party $(jstr party_id), want the owner $TOWNER of $TPLATE"
grep -q '"vehicle_id"' "$OUT" || fail "the registered vehicle is not on the case"
ok "no party named: the registered owner of $TPLATE is the party, the vehicle on the case"

# the driver is the party, the vehicle's owning company had an over-limit
# case in 2025: not a first offence (the company's record counts)
zf vehicle list
cp "$OUT" "$T/vehicles"
zf --json weigh list --over --year 2025 --limit 1000
for p in $(jall plate | tr -d '"'); do
	owner=$(awk -F'\t' -v p="$p" '$1 == p && $3 == "tractor" { print $5 }' "$T/vehicles")
	[ -n "$owner" ] && break
done
[ -n "$owner" ] || fail "demo: no over-limit tractor of a company in 2025"
TRAILER=$(awk -F'\t' -v o="$owner" '$5 == o && $3 == "trailer" { print $1; exit }' "$T/vehicles")
zf --json weigh record --station $ST --at 2026-01-05T08:30:00+08:00 --plate "$TRAILER" \
	--axles 6 --config train --gross-kg 50500 --device SCALE-G242 --officers $A
zf --json weigh case "$(jstr id)" --party "$P1" --officers $A
grep -q '"owner_prior": [1-9]' "$OUT" || fail "the owning company's prior case not counted"
grep -q '"first_offence": false' "$OUT" || fail "a first offence although the company had a case"
ok "driver as party: the owning company's over-limit case of 2025 counts (not a first offence)"

# three more over-limit weighings of the vehicle within the year
n=2
for d in 06 07 08; do
	day 2026-01-$d 09
	zf --json weigh record --station $ST --at "2026-01-${d}T08:00:00+08:00" --plate 蒙LX1001 \
		--axles 6 --config train --gross-kg 52000 --device SCALE-G242 --officers $A
	w=$(jstr id)
	zf --json weigh case "$w" --party "$P2" --officers $A
	CR=$(jstr id)
	prior=$(jall vehicle_prior | head -1)
	[ "$prior" = $((n - 1)) ] || fail "weighing $n: vehicle_prior $prior, want $((n - 1))"
	rep=$(jall repeat | head -1)
	if [ $n -le 3 ]; then want=false; else want=true; fi
	[ "$rep" = $want ] || fail "weighing $n: repeat $rep, want $want (Art. 66: more than 3 times)"
	n=$((n + 1))
done
grep -q '"party_prior": 2' "$OUT" || fail "party P2's prior over-limit cases not counted"
ok "repeat flags: the 4th over-limit case of the vehicle in a year is a repeat (Art. 66), party counted"

# ---- to closing: the report to the home authority ----
day 2026-01-09 10
zf case advance "$C1" file --officers $A --approver $H1
zf case advance "$C1" notify --officers $A --kind fine --amount 3000 --level ordinary
zf case advance "$C1" waive
zf case advance "$C1" approve --approver $H1 --kind fine --amount 3000
zf case advance "$C1" decide --officers $A
zf case advance "$C1" serve --officers $A --method direct
zf case advance "$C1" pay --amount 3000
zf --json case advance "$C1" close --approver $H1 --summary 罚款已缴清，结案
grep -q '"kind": "overload_report"' "$OUT" || fail "closing opened no overload_report clock"
# 7 working days after Friday 2026-01-09: 12 13 14 15 16 19 20
grep -A8 '"kind": "overload_report"' "$OUT" | grep -q '"due": "2026-01-20"' ||
	fail "report due date is not 2026-01-20 (7 working days, 62号令 Art. 44)"
refused overload_report_pending case advance "$C1" archive
grep -q 第四十四条 "$ERR" || fail "archive refusal does not name Art. 44"
zf case advance "$C1" report_overload --authority 巴彦淖尔市交通运输综合行政执法支队 \
	--channel 全国治超联网管理信息系统
refused already_reported case advance "$C1" report_overload --authority 再次
zf --json case advance "$C1" archive
[ "$(jstr state)" = archived ] || fail "archive after the report: $(jstr state)"
# a case not found by weighing has nothing to report
zf --json case file --party "$P1" --violation road_spill_load --act-date 2026-01-09 \
	--place S212 --facts 遗洒 --officers $A
CX=$(jstr id)
zf case advance "$CX" revoke --approver $H1 --reason 经核查不属实
zf case advance "$CX" close --approver $H1 --summary 撤销立案，结案
refused not_overload_case case advance "$CX" report_overload --authority 车籍地运管机构
zf case advance "$CX" archive
ok "closing opens the report (due 2026-01-20), archive refused until reported, then archived; other cases need none"

# ---- off-site: a weigh-in-motion file ----
day 2026-01-12 10
H=station,time,lane,plate,plate_colour,axles,config,gross_kg,speed_kmh,image_sha256,video_sha256
IMG=$(printf 'img1' | sha256sum | cut -c1-64)
{
	echo "$H"
	echo "NM-WIM-1,2026-01-10T10:00:00+08:00,1,蒙LA2001,yellow,6,train,40000,60,$IMG,"
	echo "NM-WIM-1,2026-01-10T10:00:05+08:00,1,蒙LI2002,yellow,6,train,40000,60,,"
	echo "NM-WIM-1,2026-01-10T10:00:09+08:00,2,蒙LA2003,yellow,6,train,56000,61,$IMG,"
	echo "NM-WIM-1,2026-01-10T10:00:12+08:00,2,蒙LA2004,yellow,2,truck,19500,55,,"
	echo "NM-WIM-1,2026-01-10T10:00:20+08:00,1,蒙LA2005,blue,2,truck,9000,55,,"
} >"$T/a.csv"
sum=$(db_sum)
size=$(ledger_size) || fail "ledger size"
expect_exit 1 "$ZHIFA" --db "$DB" --json weigh import --strict "$T/a.csv"
expect_stderr_code invalid_format
expect_stderr_field file
[ "$(jall line)" = 3 ] && [ "$(jtop stored)" = false ] ||
	fail "a refused --strict import does not say which row (line $(jall line), stored $(jtop stored))"
unchanged "$sum" "$size" "a refused --strict import"
zf --json weigh import "$T/a.csv"
[ "$(jtop rows)" = 5 ] && [ "$(jtop accepted)" = 4 ] && [ "$(jtop added)" = 4 ] &&
	[ "$(jtop rejected)" = 1 ] && [ "$(jtop over_limit)" = 2 ] ||
	fail "import summary rows/accepted/added/rejected/over $(jtop rows)/$(jtop accepted)/$(jtop added)/$(jtop rejected)/$(jtop over_limit)"
[ "$(jall line)" = 3 ] || fail "refused row reported at line $(jall line), want 3"
[ "$(jall code)" = '"invalid_plate"' ] || fail "refused row code $(jall code)"
zf --json weigh import "$T/a.csv"
[ "$(jtop added)" = 0 ] && [ "$(jtop duplicates)" = 4 ] ||
	fail "re-import added $(jtop added), duplicates $(jtop duplicates)"
ok "import: 5 rows, 4 kept, line 3 refused (invalid_plate), 2 over the limit; re-import adds nothing; --strict writes nothing"

zf weigh review
R3=$(awk -F'\t' '$4 == "蒙LA2003" { print $1 }' "$OUT")
R4=$(awk -F'\t' '$4 == "蒙LA2004" { print $1 }' "$OUT")
[ -n "$R3" ] && [ -n "$R4" ] || fail "review queue lacks the two over-limit records"
refused scale_not_calibrated weigh confirm "$R3" --party "$P1" --officers $A
ok "over-limit rows are review tasks; a record of no calibrated device cannot be confirmed"

refused required weigh dismiss "$R4" --reviewer 150826200006 --reason ""
expect_stderr_field reason
zf --json weigh dismiss "$R4" --reviewer 150826200006 --reason 图像显示相邻车道有车并行，数据受干扰
[ "$(jstr review)" = dismissed ] || fail "review $(jstr review)"
refused review_not_pending weigh dismiss "$R4" --reviewer 150826200006 --reason 再次
refused review_not_pending weigh confirm "$R4" --party "$P1" --officers $A
ok "dismissed with a reason, once; a dismissed record is no evidence"

refused invalid_number weigh list --limit 1001
expect_stderr_field limit

# the same station's system declared as a calibrated scale
zf device add --code WIM-T1 --kind scale --name 动态称重设备
zf scale calibrate WIM-T1 --cert-no W-1 --valid-from 2026-01-11 --valid-until 2027-01-10
{
	echo "$H"
	echo "NM-WIM-1,2026-01-10T23:59:00+08:00,1,蒙LA3001,yellow,6,train,55000,60,$IMG,"
	echo "NM-WIM-1,2026-01-11T09:00:00+08:00,1,蒙LA3002,yellow,6,train,55000,60,$IMG,"
	echo "NM-WIM-1,2026-01-11T09:00:30+08:00,1,蒙LA3003,yellow,6,train,56000,60,,"
} >"$T/b.csv"
zf --json weigh import --device WIM-T1 "$T/b.csv"
[ "$(jtop added)" = 2 ] || fail "device import added $(jtop added), want 2"
[ "$(jall code)" = '"scale_not_calibrated"' ] && [ "$(jall line)" = 2 ] ||
	fail "the row before the certificate: line $(jall line) code $(jall code)"
zf weigh review
B2=$(awk -F'\t' '$4 == "蒙LA3002" { print $1 }' "$OUT")
B3=$(awk -F'\t' '$4 == "蒙LA3003" { print $1 }' "$OUT")
refused wim_no_image weigh confirm "$B3" --party "$P1" --officers $A
grep -q 第四十一条 "$ERR" || fail "no-image refusal does not name Art. 41"
# linking a machine record to a case is its review: by a named officer
refused case_archived weigh link "$B2" --case "$C1" --reviewer 150826200006
refused required weigh link "$B2" --case "$CR"
expect_stderr_field reviewer
# officer 0008's certificate (2021 wave) ended on 2026-01-10
refused officer_not_certified weigh link "$B2" --case "$CR" --reviewer 150826200008
zf --json weigh confirm "$B2" --party "$P1" --officers $A
[ "$(jstr source)" = monitoring ] || fail "confirmed case source $(jstr source), want monitoring"
zf --json weigh show "$B2"
[ "$(jstr review)" = confirmed ] || fail "review $(jstr review), want confirmed"
ok "device import: a row before the certificate refused; confirm needs an image, then opens a monitoring case"

# ---- a long file in batches: one entry per batch, verify follows ----
zf org set weigh_import_commit_rows 1
awk -v h="$H" 'BEGIN { print h; for (i = 0; i < 600; i++)
	printf "NM-WIM-2,2026-01-11T%02d:%02d:%02d+08:00,1,蒙LB%04d,yellow,2,truck,12000,60,,\n",
		int(i / 3600), int(i / 60) % 60, i % 60, i }' >"$T/long.csv"
size=$(ledger_size) || fail "ledger size"
zf --json weigh import "$T/long.csv"
[ "$(jtop added)" = 600 ] || fail "long file: added $(jtop added), want 600"
after=$(ledger_size) || fail "ledger size"
# flushed every 256 rows: batches committed after 256 and 512, then the last
[ "$after" -eq $((size + 3)) ] || fail "long file: $((after - size)) entries, want 3 (two batches and the end)"
zf --json weigh imports
grep -q '"status": "done"' "$OUT" || fail "the import is not done"
zf ledger verify
zf org set weigh_import_commit_rows 100000
ok "a long import commits in batches (one entry each, status loading until done); verify follows"

# ---- statistics ----
zf --json overload stats --year 2026
# checked: 7 station + 4 + 2 + 600 loaded; over-limit: 6 station + 1 confirmed
[ "$(jtop checked)" = 613 ] || fail "checked $(jtop checked), want 613"
[ "$(jtop over_limit)" = 7 ] || fail "over_limit $(jtop over_limit), want 7"
[ "$(jtop review_pending)" = 2 ] || fail "review_pending $(jtop review_pending), want 2"
[ "$(jtop review_dismissed)" = 1 ] || fail "review_dismissed $(jtop review_dismissed), want 1"
[ "$(jtop unloaded_kg)" = 6500 ] || fail "unloaded_kg $(jtop unloaded_kg)"
[ "$(jtop over_limit_rate_bp)" = 114 ] && [ "$(jtop over_limit_rate_text)" = '"1.14%"' ] ||
	fail "rate $(jtop over_limit_rate_bp) $(jtop over_limit_rate_text), want 114 1.14%"
ok "stats 2026: 613 checked, 7 over-limit (station + confirmed), 2 pending, 1 dismissed, 6.5 t"

# ---- the ledger ----
zf ledger verify
ok "ledger verify: clean"
cp "$DB" "$T/clean.db"
tamper() { # SQL CODE WHAT
	cp "$T/clean.db" "$DB"
	rm -f "$DB-wal" "$DB-shm"
	sqlite3 "$DB" "$1" || fail "sqlite3: $1"
	expect_exit 1 "$ZHIFA" --db "$DB" --json ledger verify
	grep -q "\"$2\"" "$OUT" || fail "$3: verify did not report $2"
}
tamper "UPDATE weighing SET gross_kg = 45000 WHERE plate = '蒙LA2001'" state_mismatch \
	"an imported row's mass lowered"
grep -q weigh_import/ "$OUT" || fail "the changed imported row is not traced to its import"
tamper "DELETE FROM weighing WHERE plate = '蒙LA2005'" state_mismatch "an imported row deleted"
# a row slipped in under an import's id, in the state a load leaves it
tamper "INSERT INTO weighing SELECT org_id, substr(id, 1, 24) || 'ffffffffffff', source, station,
	weighed_at + 1, plate, trailer_plate, plate_colour, lane, axles, config, gross_kg, height_mm,
	width_mm, length_mm, speed_kmh, device_id, calibrated_until, officers, image_sha256,
	video_sha256, limit_kg, tolerance_kg, over_kg, over, import_id, line, review, review_reason,
	reviewed_by, reviewed_at, case_id, unload_goods, unloaded_kg, unload_place, reweigh_kg,
	unloaded_at, calc, created_at, updated_at FROM weighing WHERE plate = '蒙LA2001'" \
	object_unrecorded "a row added under an import's id"
tamper "UPDATE weighing SET gross_kg = 49000 WHERE id = '$W1'" state_mismatch \
	"a station weighing's mass lowered"
tamper "UPDATE weighing SET review = 'none' WHERE plate = '蒙LA2003'" object_unrecorded \
	"a pending review task cleared"
tamper "UPDATE calibration SET valid_until = '2030-12-31' WHERE cert_no = 'OLD-1'" \
	state_mismatch "a certificate extended"
ok "tampering found: imported row changed, deleted or slipped in, station weighing changed, review task cleared, certificate extended"
