#!/bin/sh
# t1410: the overload API (issue 8) over real HTTP against `zhifa serve` on a
# fresh init + demo database, ZHIFA_NOW=2025-12-31T17:00:00+08:00.  The test
# brings its own scales (SC-T1410, SC-T1410-OLD) and stations (T1410-*), so
# whatever weighings the demo holds, the lists it reads are its own.
#   - a scale's certificate (POST/GET /api/v1/scales/{device}/calibrations,
#     GET /api/v1/calibrations): a head only; not_a_scale, invalid_period,
#     calibration_exists;
#   - a station weighing (POST /api/v1/weighings): scale_not_calibrated, one
#     officer, bad plate, future time, metres with 4 decimals, an officer
#     acting for others (not_assigned); the engine's calculation kept; a
#     client id resent and an Idempotency-Key replayed give the first answer;
#   - the list (filters, keyset paging, ?org= for the city's supervisor) and
#     the detail, equal to `zhifa weigh list|show --json`;
#   - unloading (not_over_limit, invalid_number, already_unloaded);
#   - the case opened from a weighing (POST .../case, client id resent) and
#     linking another to it (POST .../link: not_overload_case, not_assigned);
#   - the report to the home authority (report_overload) as a case step
#     over the API once the case is closed (archive refused before it);
#   - a weigh-in-motion CSV streamed to POST /api/v1/weigh-imports: the bad
#     row reported by line, over-limit rows waiting for review; the same
#     file again (chunked) adds nothing; strict refuses and writes nothing;
#     refusals before the body (no name, not a scale, declared too big); a
#     cut upload leaves no import; a strict refusal lists its rows
#     (rows_refused);
#   - the same CSV checked (POST /api/v1/weigh-checks): any reader, equal
#     to `zhifa --json weigh check`, strict refusal 400 with rows_refused,
#     no ledger entry and the database unchanged;
#   - the review (行政处罚法 Art. 41): confirm by opening a case
#     (wim_no_image), dismiss with a reason (review_not_pending, someone
#     else as reviewer);
#   - GET /api/v1/overload/stats and POST /api/v1/overload/check equal to
#     the CLI; roles refused (403) where the route table says so;
#   - the ledger verifies.
# Each check prints one line; the first failure stops the test.

set -u
# shellcheck source=tests/cli/api_lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/api_lib.sh"
api_init 2025-12-31T17:00:00+08:00
ST=T1410检测站
WST=T1410-WIM
SCALE=SC-T1410
OLD=SC-T1410-OLD
CID=019b7000-0000-7000-8000-000000001410	# client ids
WID=019b7000-0000-7000-8000-000000001411
CID2=019b7000-0000-7000-8000-000000001412

expect_exit 0 "$ZHIFA" --db "$DB" init
expect_exit 0 "$ZHIFA" --db "$DB" demo
expect_exit 0 "$ZHIFA" --db "$DB" --org 150826 device add --code $SCALE --kind scale --name 测试衡器
expect_exit 0 "$ZHIFA" --db "$DB" --org 150826 device add --code $OLD --kind scale --name 过期衡器
expect_exit 0 "$ZHIFA" --db "$DB" --org 150826 scale calibrate $OLD --cert-no OLD-2024 \
	--valid-from 2024-01-01 --valid-until 2024-12-31
ok "setup: init, demo, scales $SCALE and $OLD (certificate expired 2024-12-31)"
api_start
api_login enf enforcer
expect_status 200
api_login enf2 enforcer2
expect_status 200
api_login head head
expect_status 200
api_login rev reviewer
expect_status 200
api_login aud auditor
expect_status 200
api_login sup bynr.supervisor
expect_status 200
api_login sys sysadmin "$TOTP_SYSADMIN"
expect_status 200
ok "zhifa serve on $BASE; enforcer, enforcer2, head, reviewer, auditor, the city's supervisor and sysadmin logged in"

# the county's CLI, for the documents the API must equal
cli() {
	_o=$1
	shift
	LAST="zhifa --db \$DB --org 150826 --json $*"
	"$ZHIFA" --db "$DB" --org 150826 --json "$@" >"$_o" 2>"$ERR" ||
		fail "zhifa $* failed: $(cat "$ERR")"
}
# opened CASE_ID MEMBER VALUE: the request opened case CASE_ID (201), an
# overload_mass case whose MEMBER (state, source) is VALUE
opened() {
	expect_status 201
	[ "$(jv "d['id'] + ' ' + d['$2'] + ' ' + d['violation']")" = "$1 $3 overload_mass" ] ||
		fail "case $1: $(jv "[d['id'], d['$2'], d['violation']]")"
}

# expect_refused CODE FIELD: 400, the error shape with this code and field
# and, beside "error", only "rows_refused" (a list)
expect_refused() {
	expect_status 400
	[ "$(jv 'sorted(d)')" = '["error", "rows_refused"]' ] && [ "$(jv 'type(d["rows_refused"]).__name__')" = list ] ||
		fail "not the error shape with rows_refused: $(jv 'sorted(d)')"
	jv 'json.dumps({"error": d["error"]})' >"$T/err.json"
	why=$(py err "$T/err.json" "$1" "$2" 2>&1) || fail "$why"
}

req enf GET "/api/v1/parties"
expect_status 200
P1=$(jv '[p["id_number"] for p in d if p["kind"] == "person" and not p["erased"]][0]')
[ -n "$P1" ] && [ "$P1" != null ] || fail "no person among the demo's parties"

# ---- scales' certificates -------------------------------------------------------

CAL="/api/v1/scales/$SCALE/calibrations"
ledger_mark
req enf POST "$CAL" '{"cert_no":"T1410-JD-1","valid_from":"2025-01-01","valid_until":"2026-06-30"}'
expect_error 403 forbidden
req sys POST "$CAL" '{"cert_no":"T1410-JD-1","valid_from":"2025-01-01","valid_until":"2026-06-30"}'
expect_error 403 forbidden
req head POST /api/v1/scales/DSJ-01/calibrations '{"cert_no":"X","valid_from":"2025-01-01","valid_until":"2026-06-30"}'
expect_error 400 not_a_scale device
req head POST "$CAL" '{"cert_no":"T1410-JD-1","valid_from":"2025-07-01","valid_until":"2025-06-30"}'
expect_error 400 invalid_period valid_until
req head POST "$CAL" '{"cert_no":"T1410-JD-1","valid_from":"2025-01-01"}'
expect_error 400 required valid_until
req head POST /api/v1/scales/NO-SUCH-SCALE/calibrations '{"cert_no":"X","valid_from":"2025-01-01","valid_until":"2026-06-30"}'
expect_error 404 device_not_found device
unchanged "$s0" "refused certificates"
req head POST "$CAL" '{"cert_no":"T1410-JD-1","valid_from":"2025-01-01","valid_until":"2026-06-30"}'
expect_status 201
[ "$(jv 'd["cert_no"] + " " + d["valid_until"]')" = "T1410-JD-1 2026-06-30" ] || fail "certificate: $(cat "$OUT")"
[ "$(last_action)" = scale.calibrate ] || fail "last action $(last_action)"
req head POST "$CAL" '{"cert_no":"T1410-JD-1","valid_from":"2025-01-01","valid_until":"2026-06-30"}'
expect_error 409 calibration_exists
ok "POST $CAL: a head only (enforcer, sysadmin 403); not_a_scale, invalid_period, required, device_not_found; 201 scale.calibrate; twice 409"

req aud GET "$CAL"
expect_status 200
same_as_cli d scale list $SCALE
req enf GET /api/v1/calibrations
expect_status 200
same_as_cli d scale list
req sup GET "/api/v1/calibrations?org=150826"
expect_status 200
same_as_cli d scale list
req sys GET /api/v1/calibrations
expect_error 403 forbidden
ok "GET $CAL and /api/v1/calibrations (also the supervisor's ?org=150826) equal 'zhifa scale list'; sysadmin 403"

# ---- a station weighing -------------------------------------------------------

wbody() {	# wbody PLATE AXLES CONFIG GROSS TIME [DEVICE [OFFICERS [EXTRA]]]
	printf '{"station":"%s","plate":"%s","axles":%s,"config":"%s","gross_kg":%s,"weighed_at":"%s","device":"%s","officers":%s%s}' \
		"$ST" "$1" "$2" "$3" "$4" "$5" "${6:-$SCALE}" "${7:-[\"$E1\",\"$E2\"]}" "${8:-}"
}
ledger_mark
req enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00 $OLD)"
expect_error 409 scale_not_calibrated device
msg_has 检定
req enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00 $SCALE "[\"$E1\"]")"
expect_error 409 two_officers_required officers
req enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00 $SCALE "[\"$E2\",\"$E3\"]")"
expect_error 403 not_assigned officers
req enf POST /api/v1/weighings "$(wbody 蒙LI1401 6 train 55000 2025-12-31T09:00:00+08:00)"
expect_error 400 invalid_plate plate
req enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2026-01-01T09:00:00+08:00)"
expect_error 400 date_in_future weighed_at
req enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00 $SCALE "[\"$E1\",\"$E2\"]" ',"height_m":"4.0001"')"
expect_error 400 invalid_number height_m
req enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 bus 55000 2025-12-31T09:00:00+08:00)"
expect_error 400 unknown_code config
req enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00 $SCALE "[\"$E1\",\"$E2\"]" ',"colour":"red"')"
expect_error 400 unknown_field colour
req enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00 $SCALE "[\"$E1\",\"$E2\"]" ',"id":"NOT-A-UUID"')"
expect_error 400 invalid_id id
req aud POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00)"
expect_error 403 forbidden
req rev POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00)"
expect_error 403 forbidden
req -T enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00)"
expect_error 403 csrf_required
unchanged "$s0" "refused weighings"
ok "POST /api/v1/weighings refused: expired certificate (409 scale_not_calibrated, 检定), one officer, acting for others (403 not_assigned), bad plate, future, 4 decimals of metres, unknown config, unknown field, bad id; auditor, reviewer 403; no CSRF 403; nothing written"

req enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00 $SCALE "[\"$E1\",\"$E2\"]" ',"trailer_plate":"蒙L1401挂","height_m":3.9')"
expect_status 201
W1=$(jv 'd["id"]')
[ "$(jv '[d["limit_kg"], d["over_kg"], d["over"], d["height_mm"], d["calc"]["penalty"]["max_yuan"]]')" = '[49000, 6000, true, 3900, 3000]' ] ||
	fail "weighing: $(jv '[d["limit_kg"], d["over_kg"], d["over"], d["height_mm"], d["calc"]["penalty"]]')"
jv '" ".join(d["calc"]["explain"])' | grep -q 第四十三条 || fail "the calculation does not explain Art. 43"
[ "$(last_action)" = weigh.record ] || fail "last action $(last_action)"
same_as_cli d weigh show "$W1"
lsize
[ "$LSIZE" -eq $((s0 + 1)) ] || fail "one weighing wrote $((LSIZE - s0)) entries"
ok "POST /api/v1/weighings: 201, 55,000 kg on 6 axles is 6,000 kg over 49,000 (3,000 yuan, Art. 43 explained), height 3.9 m kept as 3900 mm; one weigh.record; equal to 'zhifa weigh show'"

req enf POST /api/v1/weighings "$(wbody 蒙LT1401 6 train 55000 2025-12-31T09:00:00+08:00)"
expect_error 409 weighing_exists
ledger_mark
req enf POST /api/v1/weighings "$(wbody 蒙LT1402 6 train 52100 2025-12-31T09:10:00+08:00 $SCALE "[\"$E1\",\"$E2\"]" ",\"id\":\"$WID\"")"
expect_status 201
[ "$(jv 'd["id"]')" = "$WID" ] || fail "client id not kept: $(jv 'd["id"]')"
cp "$OUT" "$T/w2.json"
req enf POST /api/v1/weighings "$(wbody 蒙LT1402 6 train 52100 2025-12-31T09:10:00+08:00 $SCALE "[\"$E1\",\"$E2\"]" ",\"id\":\"$WID\"")"
expect_status 200
why=$(jsame "$OUT" d "$T/w2.json" d) || fail "resent creation differs: $why"
req -k t1410-key-1 enf POST /api/v1/weighings "$(wbody 蒙LT1403 2 truck 18000 2025-12-31T09:20:00+08:00)"
expect_status 201
W0=$(jv 'd["id"]')
[ "$(jv 'd["over"]')" = false ] || fail "18,000 kg on two axles is not over (over means >)"
cp "$OUT" "$T/w0.json"
req -k t1410-key-1 enf POST /api/v1/weighings "$(wbody 蒙LT1403 2 truck 18000 2025-12-31T09:20:00+08:00)"
expect_status 201
why=$(jsame "$OUT" d "$T/w0.json" d) || fail "Idempotency-Key replay differs: $why"
lsize
[ "$LSIZE" -eq $((s0 + 2)) ] || fail "two weighings (one resent, one replayed) wrote $((LSIZE - s0)) entries"
ok "the same vehicle at the same instant 409 weighing_exists; client id resent → 200 the same weighing; Idempotency-Key replayed → the first answer; 2 entries"

for p in 蒙LT1404 蒙LT1405 蒙LT1406; do
	req enf2 POST /api/v1/weighings "$(wbody $p 6 train 53000 2025-12-31T1${p#蒙LT140}:00:00+08:00 $SCALE "[\"$E2\",\"$E1\"]")"
	expect_status 201
done
W4=$(jv 'd["id"]')
ok "three more over-limit weighings by enforcer2"

# ---- the list and the detail ------------------------------------------------------

req aud GET "/api/v1/weighings?station=$ST&limit=4"
expect_status 200
[ "$(jv 'len(d["items"])')" = 4 ] || fail "first page: $(jv 'len(d["items"])') items"
NEXT=$(jv 'd["next"]')
[ "$NEXT" = "$(jv 'd["items"][-1]["id"]')" ] || fail "next is not the last id of the page"
cp "$OUT" "$T/p1.json"
req aud GET "/api/v1/weighings?station=$ST&limit=4&after=$NEXT"
expect_status 200
[ "$(jv 'len(d["items"])')" = 2 ] && [ "$(jv 'd["next"]')" = null ] || fail "second page: $(cat "$OUT")"
cp "$OUT" "$T/p2.json"
cli "$T/list.json" weigh list --station "$ST"
py exec "$T/list.json" "import json; a = json.load(open('$T/p1.json'))['items'] + json.load(open('$T/p2.json'))['items']; raise SystemExit(0 if a == d else 1)" ||
	fail "the two pages differ from 'zhifa weigh list --station $ST'"
req enf GET "/api/v1/weighings?station=$ST&over=1&year=2025"
expect_status 200
same_as_cli 'd["items"]' weigh list --station "$ST" --over --year 2025
[ "$(jv 'len(d["items"])')" = 5 ] || fail "over-limit weighings at $ST: $(jv 'len(d["items"])'), want 5"
req enf GET "/api/v1/weighings?plate=%E8%92%99LT1403"
expect_status 200
[ "$(jv '[w["id"] for w in d["items"]]')" = "[\"$W0\"]" ] || fail "by plate: $(jv '[w["plate"] for w in d["items"]]')"
req sup GET "/api/v1/weighings?org=150826&station=$ST&over=1"
expect_status 200
same_as_cli 'd["items"]' weigh list --station "$ST" --over
req sup GET "/api/v1/weighings?station=$ST"
expect_status 200
[ "$(jv 'd["items"]')" = '[]' ] || fail "the city itself has weighings at $ST"
req sup GET "/api/v1/weighings/$W1?org=150826"
expect_status 200
same_as_cli d weigh show "$W1"
req aud GET "/api/v1/weighings/$W1"
expect_status 200
same_as_cli d weigh show "$W1"
ok "GET /api/v1/weighings: keyset pages (4 + 2) equal 'zhifa weigh list'; over, year, plate filters; the supervisor with ?org=150826 (own org: none); GET /api/v1/weighings/{id} equals 'zhifa weigh show'"

req aud GET "/api/v1/weighings?review=maybe"
expect_error 400 unknown_code review
req aud GET "/api/v1/weighings?over=yes"
expect_error 400 invalid_type over
req aud GET "/api/v1/weighings?after=x"
expect_error 400 invalid_id after
req aud GET "/api/v1/weighings?limit=0"
expect_error 400 invalid_number limit
req aud GET "/api/v1/weighings?year=1999"
expect_error 400 invalid_number year
req aud GET "/api/v1/weighings?colour=red"
expect_error 400 unknown_parameter colour
req aud GET "/api/v1/weighings/019b0000-0000-7000-8000-00000000dead"
expect_error 404 weighing_not_found
req sys GET /api/v1/weighings
expect_error 403 forbidden
req - GET /api/v1/weighings
expect_error 401 login_required
req enf POST "/api/v1/weighings?org=150826" "$(wbody 蒙LT1409 2 truck 9000 2025-12-31T09:30:00+08:00)"
expect_error 403 org_read_only org
ok "list refusals: unknown review, bad over/after/limit/year, unknown parameter (400); unknown id 404; sysadmin 403; no login 401; a write with ?org= 403 org_read_only"

# ---- unloading ----------------------------------------------------------------------

ledger_mark
ub='{"goods":"煤炭","unloaded_kg":6500,"place":"T1410检测站卸货场","reweigh_kg":48500,"unloaded_at":"2025-12-31T09:50:00+08:00"}'
req enf POST "/api/v1/weighings/$W0/unload" "$ub"
expect_error 409 not_over_limit
req enf POST "/api/v1/weighings/$W1/unload" '{"goods":"煤炭","unloaded_kg":0,"place":"卸货场","reweigh_kg":48500}'
expect_error 400 invalid_number unloaded_kg
req enf POST "/api/v1/weighings/$W1/unload" '{"goods":"煤炭","unloaded_kg":6500,"place":"卸货场"}'
expect_error 400 required reweigh_kg
req enf POST "/api/v1/weighings/$W1/unload" '{"goods":"煤炭","unloaded_kg":6500,"place":"卸货场","reweigh_kg":48500,"unloaded_at":"2025-12-31T08:00:00+08:00"}'
expect_error 400 invalid_period unloaded_at
req aud POST "/api/v1/weighings/$W1/unload" "$ub"
expect_error 403 forbidden
req sys POST "/api/v1/weighings/$W1/unload" "$ub"
expect_error 403 forbidden
unchanged "$s0" "refused unloadings"
req enf POST "/api/v1/weighings/$W1/unload" "$ub"
expect_status 200
[ "$(jv '[d["unloaded_kg"], d["reweigh_kg"], d["cleared"]]')" = '[6500, 48500, true]' ] || fail "unloading: $(cat "$OUT")"
[ "$(last_action)" = weigh.unload ] || fail "last action $(last_action)"
same_as_cli d weigh show "$W1"
req enf POST "/api/v1/weighings/$W1/unload" "$ub"
expect_error 409 already_unloaded
ok "POST .../unload: not over (409 not_over_limit), 0 kg, no re-weighing, before the weighing (400), auditor and sysadmin 403; then 200 cleared (48,500 ≤ 49,000), weigh.unload; twice 409 already_unloaded"

# ---- the case from a weighing, and linking another --------------------------------

ledger_mark
req enf POST "/api/v1/weighings/$W0/case" "{\"party\":\"$P1\",\"officers\":[\"$E1\",\"$E2\"]}"
expect_error 409 not_over_limit
req enf POST "/api/v1/weighings/$W1/case" "{\"officers\":[\"$E1\",\"$E2\"]}"
expect_error 400 required party
req enf POST "/api/v1/weighings/$W1/case" "{\"party\":\"$P1\",\"officers\":[\"$E2\",\"$E3\"]}"
expect_error 403 not_assigned officers
req enf POST "/api/v1/weighings/$W1/case" "{\"party\":\"$P1\",\"officers\":[\"$E1\",\"$E3\"],\"flags\":{\"huge\":true}}"
expect_error 400 unknown_field flags
req rev POST "/api/v1/weighings/$W1/case" "{\"party\":\"$P1\",\"officers\":[\"$E1\",\"$E3\"]}"
expect_error 403 forbidden
unchanged "$s0" "refused case openings"
req enf POST "/api/v1/weighings/$W1/case" "{\"id\":\"$CID\",\"party\":\"$P1\",\"officers\":[\"$E1\",\"$E3\"],\"level\":\"ordinary\"}"
opened "$CID" state clue
jv 'd["facts"]' | grep -q '超限6000千克' || fail "facts do not give the excess: $(jv 'd["facts"]')"
[ "$(last_action)" = weigh.case ] || fail "last action $(last_action)"
lsize
[ "$LSIZE" -eq $((s0 + 2)) ] || fail "opening a case wrote $((LSIZE - s0)) entries, want 2 (case.register, weigh.case)"
same_as_cli d case show "$CID"
req enf POST "/api/v1/weighings/$W1/case" "{\"id\":\"$CID\",\"party\":\"$P1\",\"officers\":[\"$E1\",\"$E3\"],\"level\":\"ordinary\"}"
expect_status 200
[ "$(jv 'd["id"]')" = "$CID" ] || fail "resent opening: $(jv 'd["id"]')"
req enf POST "/api/v1/weighings/$W1/case" "{\"party\":\"$P1\",\"officers\":[\"$E1\",\"$E3\"]}"
expect_error 409 weighing_has_case
unchanged $((s0 + 2)) "a resent and a second opening"
req enf GET "/api/v1/weighings/$W1"
[ "$(jv 'd["case_id"]')" = "$CID" ] || fail "weighing not linked to its case"
ok "POST .../case: not over 409, no party 400, acting for others 403 not_assigned, bad flags 400, reviewer 403; 201 the case (clue, overload_mass, facts with the excess), case.register + weigh.case, equal to 'zhifa case show'; resent → 200; again 409 weighing_has_case"

# a non-overload case the head may act on
req head GET "/api/v1/cases?limit=200"
OTHER=$(jv '[c["id"] for c in d["items"] if not c["violation"].startswith("overload_")][0]')
[ -n "$OTHER" ] && [ "$OTHER" != null ] || fail "no non-overload case in the demo"
ledger_mark
req head POST "/api/v1/weighings/$W4/link" "{\"case\":\"$OTHER\"}"
expect_error 409 not_overload_case case
req enf2 POST "/api/v1/weighings/$W4/link" "{\"case\":\"$CID\"}"
expect_error 403 not_assigned case
req enf POST "/api/v1/weighings/$W4/link" '{"case":"019b0000-0000-7000-8000-00000000dead"}'
expect_error 404 case_not_found case
req enf POST "/api/v1/weighings/$W4/link" '{}'
expect_error 400 required case
unchanged "$s0" "refused links"
req enf POST "/api/v1/weighings/$W4/link" "{\"case\":\"$CID\"}"
expect_status 200
[ "$(jv 'd["case_id"]')" = "$CID" ] || fail "link: $(jv 'd["case_id"]')"
[ "$(last_action)" = weigh.case ] || fail "last action $(last_action)"
same_as_cli d weigh show "$W4"
req enf POST "/api/v1/weighings/$W4/link" "{\"case\":\"$CID\"}"
expect_error 409 weighing_has_case
ok "POST .../link: a non-overload case 409 not_overload_case, not a case officer 403 not_assigned, unknown case 404, none 400; 200 linked (weigh.case); twice 409"

# the report to the home authority (62号令 Art. 44) as a case step over the
# API: the case taken to 结案 with the CLI on the same database
for step in "file --officers $E1,$E3 --approver $H1" \
	"notify --officers $E1,$E3 --kind fine --amount 3000 --level ordinary" "waive" \
	"approve --approver $H1 --kind fine --amount 3000" "decide --officers $E1,$E3" \
	"serve --officers $E1,$E3 --method direct" "pay --amount 3000" \
	"close --approver $H1 --summary 罚款已缴清"; do
	# shellcheck disable=SC2086 # the step's words
	expect_exit 0 "$ZHIFA" --db "$DB" case advance "$CID" $step
done
expect_exit 0 "$ZHIFA" --db "$DB" --json case show "$CID"
grep -q '"kind": "overload_report"' "$OUT" || fail "closing opened no overload_report clock"
req enf POST "/api/v1/cases/$CID/steps" '{"transition":"archive"}'
expect_error 409 overload_report_pending transition
req enf POST "/api/v1/cases/$CID/steps" \
	'{"transition":"report_overload","params":{"authority":"巴彦淖尔市交通运输综合行政执法支队","channel":"全国治超联网管理信息系统","colour":"red"}}'
expect_error 400 unknown_field
req enf POST "/api/v1/cases/$CID/steps" \
	'{"transition":"report_overload","params":{"authority":"巴彦淖尔市交通运输综合行政执法支队","channel":"全国治超联网管理信息系统"}}'
expect_status 200
[ "$(jv 'd["overload_report"]["authority"]')" = 巴彦淖尔市交通运输综合行政执法支队 ] ||
	fail "report: $(jv 'd["overload_report"]')"
req enf POST "/api/v1/cases/$CID/steps" '{"transition":"report_overload","params":{"authority":"再次"}}'
expect_error 409 already_reported transition
req enf POST "/api/v1/cases/$CID/steps" '{"transition":"archive"}'
expect_status 200
ok "report_overload over the API: archive 409 until reported, unknown parameter 400, reported 200, again 409; then archived"

# ---- weigh-in-motion import ----------------------------------------------------------

IMG=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
H=station,time,lane,plate,plate_colour,axles,config,gross_kg,speed_kmh,image_sha256,video_sha256
{
	echo "$H"
	echo "$WST,2025-12-30T10:00:00+08:00,1,蒙L5A001,yellow,6,train,55000,60,$IMG,"
	echo "$WST,2025-12-30T10:01:00+08:00,2,蒙L5A002,yellow,6,train,56000,61,$IMG,"
	echo "$WST,2025-12-30T10:02:00+08:00,1,蒙LI5003,yellow,2,truck,9000,58,,"
	echo "$WST,2025-12-30T10:03:00+08:00,1,蒙L5A004,yellow,2,truck,17000,59,,"
	echo "$WST,2025-12-30T10:04:00+08:00,2,蒙L5A005,yellow,6,train,57000,57,,"
	echo "$WST,2025-12-30T10:05:00+08:00,1,蒙L5A006,yellow,6,train,51000,62,$IMG,"
} >"$T/wim.csv"
IMP="/api/v1/weigh-imports"
ledger_mark
req -f "$T/wim.csv" -H 'Content-Type: text/csv' enf POST "$IMP?device=$SCALE"
expect_error 400 required name
req -f "$T/wim.csv" -H 'Content-Type: text/csv' enf POST "$IMP?name=wim.csv&device=DSJ-01"
expect_error 400 not_a_scale device
req -f "$T/wim.csv" -H 'Content-Type: text/csv' enf POST "$IMP?name=wim.csv&device=NO-SUCH"
expect_error 404 device_not_found device
req -f "$T/wim.csv" -H 'Content-Type: text/csv' enf POST "$IMP?name=wim.csv&strict=maybe"
expect_error 400 invalid_type strict
req -f "$T/wim.csv" -H 'Content-Type: text/csv' enf POST "$IMP?name=wim.csv&colour=red"
expect_error 400 unknown_parameter colour
req -f "$T/wim.csv" -H 'Content-Type: text/csv' aud POST "$IMP?name=wim.csv"
expect_error 403 forbidden
req -f "$T/wim.csv" -H 'Content-Type: text/csv' enf POST "$IMP?name=wim.csv&device=$SCALE&strict=1"
expect_refused invalid_format file
[ "$(jv '[(e["line"], e["column"], e["field"], e["code"]) for e in d["rows_refused"]]')" = '[[4, 4, "plate", "invalid_plate"]]' ] ||
	fail "strict import: rows_refused $(jv 'd["rows_refused"]')"
jv 'd["rows_refused"][0]["message"]' | LC_ALL=C grep -q "$ZF_CJK" || fail "the refused row's reason is not in Chinese"
req -H 'Content-Type: text/csv' enf POST "$IMP?name=empty.csv" ''
expect_error 400 invalid_format header
unchanged "$s0" "refused imports"
python3 - "$BASE" "$IMP?name=big.csv" "$TOK_enf" "$CSRF_enf" >"$T/big.out" <<'PY' || fail "declared-size script"
import socket, sys, urllib.parse
base, path, tok, csrf = sys.argv[1:5]
host, port = urllib.parse.urlparse(base).netloc.split(':')
s = socket.create_connection((host, int(port)))
s.sendall(('POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n'
           'Cookie: zhifa_session=%s\r\nX-CSRF-Token: %s\r\n\r\n'
           % (path, (256 << 20) + 1, tok, csrf)).encode())
s.settimeout(10)
data = b''
while b'\r\n\r\n' not in data:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.split(b'\r\n', 1)[0].decode())
PY
grep -q ' 413 ' "$T/big.out" || fail "a declared 256 MB + 1 byte: $(cat "$T/big.out"), want 413"
python3 - "$BASE" "$IMP?name=cut.csv&device=$SCALE" "$TOK_enf" "$CSRF_enf" "$T/wim.csv" <<'PY' || fail "cut upload script"
import socket, sys, time, urllib.parse
base, path, tok, csrf, f = sys.argv[1:6]
host, port = urllib.parse.urlparse(base).netloc.split(':')
body = open(f, 'rb').read()
s = socket.create_connection((host, int(port)))
s.sendall(('POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n'
           'Cookie: zhifa_session=%s\r\nX-CSRF-Token: %s\r\n\r\n' % (path, len(body) + 1000, tok, csrf)).encode())
s.sendall(body)
time.sleep(0.5)
s.close()
time.sleep(0.5)
PY
unchanged "$s0" "a declared too-big and a cut upload"
req enf GET "$IMP"
[ "$(jv 'len([i for i in d if i["name"] in ("cut.csv", "big.csv")])')" = 0 ] || fail "a cut upload left an import"
ok "POST $IMP refused: no name, not a scale, unknown device, bad strict, unknown parameter (400/404), auditor 403, strict with a bad row (400 invalid_format, the row in rows_refused), empty (400 header), declared > 256 MB (413 before the body); a cut upload: no import; nothing written"

req -f "$T/wim.csv" -H 'Content-Type: text/csv' enf POST "$IMP?name=wim-2025-12-30.csv&device=$SCALE"
expect_status 201
IMPORT=$(jv 'd["id"]')
[ "$(jv '[d["rows"], d["accepted"], d["added"], d["duplicates"], d["rejected"], d["over_limit"]]')" = '[6, 5, 5, 0, 1, 4]' ] ||
	fail "import summary: $(jv '[d["rows"], d["accepted"], d["added"], d["duplicates"], d["rejected"], d["over_limit"]]')"
[ "$(jv '[(e["line"], e["field"], e["code"]) for e in d["errors"]]')" = '[[4, "plate", "invalid_plate"]]' ] ||
	fail "errors: $(jv 'd["errors"]')"
jv 'd["errors"][0]["message"]' | LC_ALL=C grep -q "$ZF_CJK" || fail "the row's reason is not in Chinese"
[ "$(jv 'd["file_sha256"]')" = "$(sha256sum "$T/wim.csv" | cut -d' ' -f1)" ] || fail "file_sha256 is not the file's SHA-256"
[ "$(last_action)" = weigh.import ] || fail "last action $(last_action)"
lsize
[ "$LSIZE" -eq $((s0 + 1)) ] || fail "an import of 5 rows wrote $((LSIZE - s0)) entries, want 1"
req -f "$T/wim.csv" -H 'Content-Type: text/csv' -H 'Transfer-Encoding: chunked' enf POST "$IMP?name=again.csv&device=$SCALE"
expect_status 201
[ "$(jv '[d["accepted"], d["added"], d["duplicates"], d["over_limit"]]')" = '[5, 0, 5, 0]' ] ||
	fail "re-import: $(jv '[d["accepted"], d["added"], d["duplicates"], d["over_limit"]]')"
req aud GET "$IMP"
expect_status 200
same_as_cli d weigh imports
req sup GET "$IMP?org=150826"
expect_status 200
same_as_cli d weigh imports
ok "POST $IMP (text/csv, streamed): 201, 6 rows, 5 added, line 4 refused (plate, invalid_plate, in Chinese), 4 over the limit, file SHA-256; one weigh.import entry; the same file again (chunked) adds nothing; GET $IMP equals 'zhifa weigh imports'"

# ---- a weigh-in-motion file checked, nothing stored ------------------------------------

CHK=/api/v1/weigh-checks
# the CLI from $T, so that its "file" is the name the API is given
clicheck() {	# clicheck OUTFILE [--strict]
	(cd "$T" && "$ZHIFA" --db "$DB" --org 150826 --json weigh check ${2:-} wim.csv) >"$1" 2>"$ERR"
}
dbsum() { sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1; }
ledger_mark
sum0=$(dbsum)
clicheck "$T/check-cli.json" || fail "zhifa weigh check wim.csv failed: $(cat "$ERR")"
for who in enf rev aud sup; do
	req -f "$T/wim.csv" -H 'Content-Type: text/csv' $who POST "$CHK?name=wim.csv"
	expect_status 200
	why=$(jsame "$OUT" d "$T/check-cli.json" d) || fail "$who: $CHK differs from 'zhifa --json weigh check wim.csv': $why"
done
[ "$(jv '[d["rows"], d["accepted"], d["rejected"], d["over_limit"], d["strict"]]')" = '[6, 5, 1, 4, false]' ] ||
	fail "check summary: $(jv '[d["rows"], d["accepted"], d["rejected"], d["over_limit"], d["strict"]]')"
[ "$(jv '[(e["line"], e["field"], e["code"]) for e in d["errors"]]')" = '[[4, "plate", "invalid_plate"]]' ] ||
	fail "check errors: $(jv 'd["errors"]')"
[ "$(jv '[r["line"] for r in d["over_limit_records"]]')" = '[2, 3, 6, 7]' ] ||
	fail "over-limit records: $(jv 'd["over_limit_records"]')"
req -f "$T/wim.csv" -H 'Content-Type: text/csv' -H 'Transfer-Encoding: chunked' aud POST "$CHK?name=wim.csv"
expect_status 200
why=$(jsame "$OUT" d "$T/check-cli.json" d) || fail "chunked check differs: $why"
clicheck "$T/check-strict.json" --strict && fail "zhifa weigh check --strict accepted a bad row"
grep -q invalid_format "$ERR" || fail "zhifa weigh check --strict: $(cat "$ERR")"
req -f "$T/wim.csv" -H 'Content-Type: text/csv' enf POST "$CHK?name=wim.csv&strict=1"
expect_refused invalid_format file
why=$(jsame "$OUT" 'd["rows_refused"]' "$T/check-strict.json" 'd["errors"]') || fail "strict check's rows_refused: $why"
head -n 3 "$T/wim.csv" >"$T/wim-good.csv"
req -f "$T/wim-good.csv" -H 'Content-Type: text/csv' rev POST "$CHK?strict=1"
expect_status 200
[ "$(jv '[d["file"], d["rows"], d["rejected"], d["strict"]]')" = '["", 2, 0, true]' ] || fail "strict check of a good file: $(cat "$OUT")"
req -H 'Content-Type: text/csv' enf POST "$CHK" ''
expect_error 400 invalid_format header
req -f "$T/wim.csv" -H 'Content-Type: text/csv' enf POST "$CHK?device=$SCALE"
expect_error 400 unknown_parameter device
req -f "$T/wim.csv" -H 'Content-Type: text/csv' enf POST "$CHK?strict=maybe"
expect_error 400 invalid_type strict
req -f "$T/wim.csv" -H 'Content-Type: text/csv' sys POST "$CHK?name=wim.csv"
expect_error 403 forbidden
req -T -f "$T/wim.csv" -H 'Content-Type: text/csv' aud POST "$CHK?name=wim.csv"
expect_error 403 csrf_required
unchanged "$s0" "weigh checks"
[ "$(dbsum)" = "$sum0" ] || fail "a weigh check changed the database"
ok "POST $CHK (text/csv, streamed): 200 for enforcer, reviewer, auditor and the supervisor, equal to 'zhifa --json weigh check' (line 4 refused, 4 over the limit; chunked too); strict with a bad row 400 invalid_format file with rows_refused = the CLI's errors; a good file strict 200; empty 400 header; unknown parameter, bad strict 400; sysadmin 403; no CSRF 403; no ledger entry, the database unchanged"

# ---- the review queue (行政处罚法 Art. 41) --------------------------------------------

req enf GET "/api/v1/weighings?review=pending&over=1&station=$WST"
expect_status 200
same_as_cli 'd["items"]' weigh list --review pending --over --station "$WST"
[ "$(jv 'len(d["items"])')" = 4 ] || fail "pending reviews: $(jv 'len(d["items"])'), want 4"
R1=$(jv '[w["id"] for w in d["items"] if w["plate"] == "蒙L5A001"][0]')
R2=$(jv '[w["id"] for w in d["items"] if w["plate"] == "蒙L5A002"][0]')
R5=$(jv '[w["id"] for w in d["items"] if w["plate"] == "蒙L5A005"][0]')
R6=$(jv '[w["id"] for w in d["items"] if w["plate"] == "蒙L5A006"][0]')
req enf GET "/api/v1/weighings/$R1"
expect_status 200
[ "$(jv '[d["source"], d["review"], d["line"], d["import_id"]]')" = "[\"import\", \"pending\", 2, \"$IMPORT\"]" ] ||
	fail "loaded record: $(jv '[d["source"], d["review"], d["line"], d["import_id"]]')"
jv '" ".join(d["calc"]["explain"])' | grep -q 第三条 || fail "a loaded record's calculation is not explained"
same_as_cli d weigh show "$R1"

ledger_mark
req enf POST "/api/v1/weighings/$R5/case" "{\"party\":\"$P1\",\"officers\":[\"$E1\",\"$E2\"]}"
expect_error 409 wim_no_image
req enf POST "/api/v1/weighings/$R2/dismiss" '{}'
expect_error 400 required reason
req enf POST "/api/v1/weighings/$R2/dismiss" "{\"reviewer\":\"$E2\",\"reason\":\"图像显示为另一车辆\"}"
expect_error 403 not_assigned reviewer
req enf POST "/api/v1/weighings/$W0/dismiss" '{"reason":"图像显示为另一车辆"}'
expect_error 409 review_not_pending
req rev POST "/api/v1/weighings/$R2/dismiss" '{"reason":"图像显示为另一车辆"}'
expect_error 403 forbidden
unchanged "$s0" "refused reviews"
req enf POST "/api/v1/weighings/$R1/case" "{\"id\":\"$CID2\",\"party\":\"$P1\",\"officers\":[\"$E1\",\"$E2\"]}"
opened "$CID2" source monitoring
req enf GET "/api/v1/weighings/$R1"
[ "$(jv '[d["review"], d["case_id"]]')" = "[\"confirmed\", \"$CID2\"]" ] ||
	fail "confirmed record: $(jv '[d["review"], d["case_id"]]')"
[ "$(jv 'd["reviewed_by"]')" = "$(sqlite3 "$DB" "SELECT id FROM officer WHERE cert_no = '$E1'")" ] ||
	fail "reviewed_by $(jv 'd["reviewed_by"]'), want enforcer's officer"
req enf POST "/api/v1/weighings/$R2/dismiss" "{\"reviewer\":\"$E1\",\"reason\":\"图像显示为另一车辆\"}"
expect_status 200
[ "$(jv '[d["review"], d["review_reason"]]')" = '["dismissed", "图像显示为另一车辆"]' ] || fail "dismissed: $(cat "$OUT")"
[ "$(last_action)" = weigh.dismiss ] || fail "last action $(last_action)"
same_as_cli d weigh show "$R2"
req enf2 POST "/api/v1/weighings/$R6/dismiss" '{"reason":"称重时车辆跨道行驶，数据不可靠"}'
expect_status 200
[ "$(jv 'd["review"]')" = dismissed ] || fail "dismissed by default reviewer: $(jv 'd["review"]')"
req enf POST "/api/v1/weighings/$R2/dismiss" '{"reason":"again"}'
expect_error 409 review_not_pending
req enf POST "/api/v1/weighings/$R2/case" "{\"party\":\"$P1\",\"officers\":[\"$E1\",\"$E2\"]}"
expect_error 409 review_not_pending
req enf GET "/api/v1/weighings?review=pending&over=1&station=$WST"
[ "$(jv '[w["plate"] for w in d["items"]]')" = '["蒙L5A005"]' ] || fail "queue after review: $(jv '[w["plate"] for w in d["items"]]')"
ok "review: without an image 409 wim_no_image; dismiss without reason 400, for someone else 403 not_assigned, a station record 409 review_not_pending, reviewer role 403; confirm = 201 case (source monitoring, reviewed by the enforcer); dismiss 200 (reviewer given or the user); twice 409; the queue keeps the one left"

# ---- statistics and the engine --------------------------------------------------------

req aud GET "/api/v1/overload/stats?year=2025"
expect_status 200
same_as_cli d overload stats --year 2025
st=$(jv "[[g['checked'], g['over_limit'], g['unloaded_kg']] for g in d['by_station'] if g['station'] == '$ST']")
[ "$st" = '[[6, 5, 6500]]' ] || fail "$ST in the stats: $st, want 6 checked, 5 over, 6,500 kg unloaded"
req enf GET /api/v1/overload/stats
expect_status 200
same_as_cli d overload stats --year 2025
req sup GET "/api/v1/overload/stats?org=150826&year=2025"
expect_status 200
same_as_cli d overload stats --year 2025
req aud GET "/api/v1/overload/stats?year=1999"
expect_error 400 invalid_number year
req sys GET /api/v1/overload/stats
expect_error 403 forbidden
ok "GET /api/v1/overload/stats (year 2025, the default year, the supervisor's ?org=) equal 'zhifa overload stats'; $ST: 6 checked, 5 over, 6,500 kg unloaded; year 1999 400; sysadmin 403"

ledger_mark
req aud POST /api/v1/overload/check '{"axles":6,"config":"train","mass_kg":55000}'
expect_status 200
same_as_cli d overload check --axles 6 --config train --mass-kg 55000
req enf POST /api/v1/overload/check '{"axles":2,"config":"truck","height_m":"4.3","width_m":2.5,"length_m":10,"date":"2025-06-01"}'
expect_status 200
same_as_cli d overload check --axles 2 --config truck --height-m 4.3 --width-m 2.5 --length-m 10 --date 2025-06-01
req enf POST /api/v1/overload/check '{"axles":6,"config":"train","mass_kg":55000,"wim":true}'
expect_status 200
same_as_cli d overload check --axles 6 --config train --mass-kg 55000 --wim
req enf POST /api/v1/overload/check '{"axles":6,"config":"bus","mass_kg":55000}'
expect_error 400 unknown_code config
req enf POST /api/v1/overload/check '{"axles":6,"config":"train","height_m":"4.3333"}'
expect_error 400 invalid_number height_m
req enf POST /api/v1/overload/check '{"config":"train"}'
expect_error 400 required axles
req sys POST /api/v1/overload/check '{"axles":6,"config":"train","mass_kg":55000}'
expect_error 403 forbidden
unchanged "$s0" "the engine"
ok "POST /api/v1/overload/check equals 'zhifa overload check' (mass, dimensions with metres as text and numbers, weigh-in-motion); unknown config, 4 decimals, no axles 400; sysadmin 403; nothing written"

api_stop
ok "the server stops cleanly"
ledger_verified --org 150826
