#!/bin/sh
# t1025: detention of a vehicle (扣押, 行政强制法 Arts. 18, 19, 24-28;
# 公路安全保护条例 Art. 72) over the API: POST /api/v1/cases/{id}/steps with
# the six detention transitions, against `zhifa serve` on a fresh init +
# demo database, three cases filed by the CLI on 2025-03-04 (ZHIFA_NOW),
# and a second server at 2025-06-05 for the disposal.
#   - detain refused: no head's approval (第十八条), an approver who is not
#     the user, one officer, no items, a bad or unknown parameter, officers
#     not including the user, the auditor; release or notice naming who the
#     step does not take; nothing written;
#   - detain by the head as approver with the two officers: the 决定书 and
#     清单, the 30-day clock; again: detention_exists;
#   - an emergency detain by the officer ("emergency": true, no approver,
#     Art. 19): the 24-hour approval clock; extension refused until the head
#     approves (approve_detention, by the head only);
#   - extend_detention: 31 days, 0 days, no approver refused; 30 days; a
#     second extension refused (409 detention_already_extended, field
#     transition), nothing written;
#   - release_detention by the officer (no approver) and by the head naming
#     themselves (recorded); a second release refused;
#   - notice_detention: the 3-month notice clock; disposal refused while it
#     runs; after the restart at 2025-06-05 dispose_detention by the head;
#   - every reply equal to `zhifa case show --json`; one ledger entry per
#     step; `ledger verify` clean.
# Each check prints one line; the first failure stops the test.

set -u
# shellcheck source=tests/cli/api_lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/api_lib.sh"
api_init 2025-03-04T10:00:00+08:00
REASON="造成公路路面损坏，拒不接受现场调查处理（《公路安全保护条例》第七十二条）"
ITEMS="重型半挂牵引车 蒙L6D225 一辆（含挂车）"
PLACE="杭锦后旗治超站停车场"

expect_exit 0 "$ZHIFA" --db "$DB" init
expect_exit 0 "$ZHIFA" --db "$DB" demo
expect_exit 0 "$ZHIFA" --db "$DB" party list --kind person
P1=$(sed -n 2p "$OUT" | cut -f4)
P2=$(sed -n 3p "$OUT" | cut -f4)
[ -n "$P2" ] || fail "demo: fewer than two persons"
expect_exit 0 "$ZHIFA" --db "$DB" vehicle add --plate 蒙L6D225 --config tractor --axles 6 --owner "$P1"
file_case() {	# file_case PARTY [--vehicle PLATE]: sets ID and NUM
	cli "$T/filed.json" case file --party "$@" --violation overload_mass \
		--act-date 2025-03-03 --place "G242 陕坝段" --facts "车辆超限运输，造成路面损坏" \
		--officers $E1,$E2 --approver $H1
	ID=$(jfv "$T/filed.json" 'd["id"]')
	NUM=$(jfv "$T/filed.json" 'd["number"]')
}
file_case "$P1" --vehicle 蒙L6D225
C1=$ID N1=$NUM
file_case "$P2"
C2=$ID N2=$NUM
file_case "$P2"
C3=$ID N3=$NUM
ok "setup: init, demo, three cases filed on 2025-03-04: $N1 (with the vehicle), $N2, $N3"

api_start
api_login head head
expect_status 200
api_login enf enforcer
expect_status 200
api_login aud auditor
expect_status 200
req aud GET "/api/v1/officers/$H1"
expect_status 200
H1_ID=$(jv 'd["id"]')
ok "zhifa serve on $BASE; head, enforcer and auditor logged in"

# step WHO CASE_ID BODY: POST /api/v1/cases/CASE_ID/steps
step() { req "$1" POST "/api/v1/cases/$2/steps" "$3"; }
# refuse WHO CASE_ID BODY STATUS CODE [FIELD]: the step is refused so
refuse() {
	step "$1" "$2" "$3"
	shift 3
	expect_error "$@"
}
# a detain body: detain_body OFFICERS_JSON EXTRA_MEMBERS PARAMS_EXTRA
detain_body() {
	printf '{"transition":"detain","officers":%s%s,"params":{"reason":"%s","text":"%s","to":"%s"%s}}' \
		"$1" "${2:-}" "$REASON" "$ITEMS" "$PLACE" "${3:-}"
}
BOTH="[\"$E1\",\"$E2\"]"
# the detention member EXPR of the case in $OUT
det() { jv "(d.get('detention') or {}).get('$1')"; }
# det_is WHAT GOT WANT: GOT (read from the detention) is WANT
det_is() { [ "$2" = "$3" ] || fail "$1: $(jv 'd.get("detention")')"; }
# "DUE STATUS COUNT" of the case's clocks of KIND in $OUT
clk() { jv "' '.join('%s %s %s' % (c['due'], c['status'], c['count']) for c in d['clocks'] if c['kind'] == '$1')"; }
# clock KIND "DUE STATUS COUNT": the case's KIND clock is this one
clock() { [ "$(clk "$1")" = "$2" ] || fail "$1 clock: $(clk "$1"), want $2"; }
# the numbers of the case's documents of KIND in $OUT
docs() { jv "' '.join(x['number'] for x in d['documents'] if x['kind'] == '$1')"; }
# doc_numbered KIND WORD NAME: the case has its document NAME of KIND,
# numbered WORD〔2025〕第N号
doc_numbered() {
	case $(docs "$1") in
	*"$2"〔2025〕第*号) ;;
	*) fail "no $3: $(docs "$1")" ;;
	esac
}
# the case as it stands (for "nothing written")
snap() { req aud GET "/api/v1/cases/$1"; expect_status 200; cp "$OUT" "$T/snap.$1.json"; }
same_snap() {
	cp "$OUT" "$T/last.json"
	req aud GET "/api/v1/cases/$1"
	expect_status 200
	why=$(jsame "$OUT" d "$T/snap.$1.json" d) || fail "a refused step changed case $1: $why"
	cp "$T/last.json" "$OUT"
}
# checkpoint NUMBER [CASE_ID]: the reply equals `zhifa case show NUMBER`;
# then the ledger mark s0 (and a snapshot of CASE_ID) before the next steps
checkpoint() {
	same_as_cli d case show "$1"
	ledger_mark
	[ $# -lt 2 ] || snap "$2"
}
# one_entry MARK ACTION: the step succeeded (200) and wrote one more ledger
# entry than MARK, of this action
one_entry() {
	expect_status 200
	lsize
	[ "$LSIZE" -eq $(($1 + 1)) ] || fail "$2 wrote $((LSIZE - $1)) ledger entries"
	[ "$(last_action)" = "case.$2" ] || fail "last action $(last_action), want case.$2"
}

# ---- detain: refusals ----------------------------------------------------------

ledger_mark
snap "$C1"
refuse enf "$C1" "$(detain_body "$BOTH")" 409 approval_required approver
msg_has 第十八条
refuse enf "$C1" "$(detain_body "$BOTH" ",\"approver\":\"$H1\"")" 403 not_assigned approver
refuse head "$C1" "$(detain_body "[\"$E1\"]" ",\"approver\":\"$H1\"")" 409 two_officers_required officers
msg_has 第十八条
refuse head "$C1" "{\"transition\":\"detain\",\"officers\":$BOTH,\"approver\":\"$H1\",\"params\":{\"reason\":\"$REASON\",\"to\":\"$PLACE\"}}" 400 required text
refuse enf "$C1" "$(detain_body "$BOTH" '' ',"emergency":"yes"')" 400 invalid_type params.emergency
refuse enf "$C1" "$(detain_body "$BOTH" '' ',"plate":"蒙L6D225"')" 400 unknown_field params.plate
refuse enf "$C1" "$(detain_body "[\"$E2\",\"$E3\"]" '' ',"emergency":true')" 403 not_assigned officers
refuse aud "$C1" "$(detain_body "$BOTH" '' ',"emergency":true')" 403 forbidden
refuse enf "$C1" '{"transition":"release_detention","params":{"reason":"当事人已接受处理"}}' 409 no_detention transition
refuse enf "$C1" "{\"transition\":\"notice_detention\",\"approver\":\"$H1\",\"params\":{\"text\":\"公告\"}}" 400 not_allowed approver
refuse enf "$C1" "{\"transition\":\"release_detention\",\"officers\":$BOTH,\"params\":{\"reason\":\"退还\"}}" 400 not_allowed officers
unchanged "$s0" "refused detentions"
same_snap "$C1"
ok "detain refused: no approver (409 approval_required, 第十八条), someone else's approval and officers without the user (403 not_assigned), one officer (409), no items (400 required text), emergency not a boolean, an unknown parameter, the auditor (403); release without a detention (409 no_detention); who a step does not take (400 not_allowed); nothing written"

# ---- detain with the head's approval --------------------------------------------

step head "$C1" "$(detain_body "$BOTH" ",\"approver\":\"$H1\"")"
one_entry "$s0" detain
[ "$(jv 'd["state"]')" = filed ] || fail "detain changed the state to $(jv 'd["state"]')"
det_is "detention" "$(det status) $(det date) $(det emergency) $(det approved_date)" "detained 2025-03-04 false 2025-03-04"
det_is "detention items/place/reason" "$(det items)|$(det place)|$(det reason)" "$ITEMS|$PLACE|$REASON"
[ "$(det approver)" = "$H1_ID" ] || fail "detention approver $(det approver), want $H1_ID"
[ "$(det vehicle_id)" != null ] || fail "detention: no vehicle_id from the case"
doc_numbered detention_decision 执强扣字 行政强制措施决定书
doc_numbered detention_list 执强清字 扣押物品清单
clock detention "2025-04-03 open 30"
[ -z "$(clk detention_approval)" ] || fail "an approved detention has an approval clock"
checkpoint "$N1" "$C1"
refuse head "$C1" "$(detain_body "$BOTH" ",\"approver\":\"$H1\"")" 409 detention_exists transition
refuse head "$C1" "{\"transition\":\"approve_detention\",\"approver\":\"$H1\"}" 409 detention_approval_not_pending transition
unchanged "$s0" "a second detention"
same_snap "$C1"
ok "detain $N1 by the head as approver: 200, one case.detain, state still filed, 执强扣字 and 执强清字, clock due 2025-04-03; equal to 'zhifa case show'; again 409 detention_exists; approve_detention 409 not pending"

# ---- an emergency detention (Art. 19) --------------------------------------------

step enf "$C2" "$(detain_body "$BOTH" '' ',"emergency":true')"
one_entry "$s0" detain
det_is "emergency detention" "$(det status) $(det emergency) $(det approved_date)" "detained true null"
# 24 hours: detained on Tuesday 03-04, due Wednesday 03-05
clock detention_approval "2025-03-05 open 0"
clock detention "2025-04-03 open 30"
checkpoint "$N2" "$C2"
refuse head "$C2" "{\"transition\":\"extend_detention\",\"approver\":\"$H1\",\"params\":{\"days\":10,\"reason\":\"需技术鉴定\"}}" 409 detention_not_approved transition
msg_has 第十九条
refuse enf "$C2" "{\"transition\":\"approve_detention\",\"approver\":\"$H1\"}" 403 not_assigned approver
refuse enf "$C2" '{"transition":"approve_detention"}' 409 approval_required approver
unchanged "$s0" "refused steps on an emergency detention"
same_snap "$C2"
step head "$C2" "{\"transition\":\"approve_detention\",\"approver\":\"$H1\"}"
one_entry "$s0" approve_detention
det_is "approval" "$(det approved_date) $(det approver)" "2025-03-04 $H1_ID"
clock detention_approval "2025-03-05 met 0"
same_as_cli d case show "$N2"
ok "emergency detain $N2 by the officer (no approver): approval clock due 2025-03-05; extension refused until approved (第十九条); approve_detention by the officer 403/409, by the head 200, clock met"

# ---- extend_detention ------------------------------------------------------------

ext_body() { printf '{"transition":"extend_detention"%s,"params":{"days":%s,"reason":"需对车辆进行技术鉴定"}}' "$1" "$2"; }
ledger_mark
snap "$C1"
refuse head "$C1" "$(ext_body ",\"approver\":\"$H1\"" 31)" 409 detention_extension_too_long days
msg_has 第二十五条
refuse head "$C1" "$(ext_body ",\"approver\":\"$H1\"" 0)" 400 invalid_number params.days
refuse enf "$C1" "$(ext_body '' 30)" 409 approval_required approver
unchanged "$s0" "refused extensions"
same_snap "$C1"
step head "$C1" "$(ext_body ",\"approver\":\"$H1\"" 30)"
one_entry "$s0" extend_detention
[ "$(jv '[d["detention"]["extension"][k] for k in ("date", "days")]')" = '["2025-03-04", 30]' ] ||
	fail "extension: $(jv 'd["detention"].get("extension")')"
doc_numbered detention_extension 执强延字 延长通知书
# 03-04 + 60 = 05-03 (劳动节 05-01..05) -> 05-06
clock detention "2025-05-06 open 60"
checkpoint "$N1" "$C1"
refuse head "$C1" "$(ext_body ",\"approver\":\"$H1\"" 5)" 409 detention_already_extended transition
msg_has 第二十五条
unchanged "$s0" "a second extension"
same_snap "$C1"
ok "extend_detention: 31 days (409, 第二十五条), 0 days (400), no approver (409) refused; 30 days by the head (执强延字, due 2025-05-06); a second one 409 detention_already_extended, nothing written"

# ---- release_detention -----------------------------------------------------------

refuse enf "$C2" "{\"transition\":\"release_detention\",\"approver\":\"$H1\",\"params\":{\"reason\":\"退还\"}}" 403 not_assigned approver
refuse enf "$C2" '{"transition":"release_detention","params":{}}' 400 required reason
unchanged "$s0" "refused releases"
step enf "$C2" '{"transition":"release_detention","params":{"reason":"当事人已到场接受调查处理"}}'
one_entry "$s0" release_detention
det_is "release" "$(det status) $(jv 'd["detention"]["release"]["late"]') $(jv 'd["detention"]["release"].get("approver")')" "released false null"
doc_numbered detention_release 执强解字 解除决定书
clock detention "2025-04-03 met 30"
checkpoint "$N2"
refuse enf "$C2" '{"transition":"release_detention","params":{"reason":"再次解除"}}' 409 detention_not_in_force transition
unchanged "$s0" "a second release"

step head "$C3" "{\"transition\":\"detain\",\"officers\":$BOTH,\"approver\":\"$H1\",\"params\":{\"reason\":\"$REASON\",\"text\":\"装载机一台\",\"to\":\"$PLACE\"}}"
one_entry "$s0" detain
step head "$C3" "{\"transition\":\"release_detention\",\"approver\":\"$H1\",\"params\":{\"reason\":\"不属于本机关管辖\"}}"
one_entry "$((s0 + 1))" release_detention
det_is "release by the head" "$(det status) $(jv 'd["detention"]["release"].get("approver")')" "released $H1_ID"
same_as_cli d case show "$N3"
ok "release_detention: by the officer without an approver (执强解字, clock met), someone else's approval 403, no reason 400, a second release 409 detention_not_in_force; by the head naming themselves (recorded)"

# ---- notice_detention, then dispose_detention after the notice ------------------

ledger_mark
step enf "$C1" '{"transition":"notice_detention","params":{"text":"当事人逾期未到本局接受处理，现予公告，三个月内仍不来接受处理的依法处理"}}'
one_entry "$s0" notice_detention
[ "$(det status)" = noticed ] || fail "after the notice: $(det status)"
doc_numbered detention_notice 执强告字 公告
clock detention "2025-05-06 met 60"
# 03-04 + 3 months = 06-04 (92 days)
clock disposal_notice "2025-06-04 open 92"
checkpoint "$N1" "$C1"
refuse head "$C1" "{\"transition\":\"dispose_detention\",\"approver\":\"$H1\",\"params\":{\"note\":\"依法委托拍卖\"}}" 409 disposal_notice_running date
msg_has 2025-06-04
refuse enf "$C1" "{\"transition\":\"extend_detention\",\"approver\":\"$H1\",\"params\":{\"days\":5,\"reason\":\"x\"}}" 403 not_assigned approver
unchanged "$s0" "disposal during the notice"
same_snap "$C1"
ok "notice_detention by the officer (执强告字): detention met, notice clock due 2025-06-04 (92 days); disposal refused while it runs (409 disposal_notice_running, date)"

api_stop
ZHIFA_NOW=2025-06-05T10:00:00+08:00
export ZHIFA_NOW
api_start
api_login head head
expect_status 200
api_login enf enforcer
expect_status 200
ok "the server again at $ZHIFA_NOW (the notice has run); head and enforcer logged in again"

ledger_mark
refuse enf "$C1" "{\"transition\":\"dispose_detention\",\"approver\":\"$H1\",\"params\":{\"note\":\"依法委托拍卖\"}}" 403 not_assigned approver
refuse head "$C1" "{\"transition\":\"dispose_detention\",\"approver\":\"$H1\",\"params\":{}}" 400 required note
unchanged "$s0" "refused disposals"
step head "$C1" "{\"transition\":\"dispose_detention\",\"approver\":\"$H1\",\"params\":{\"note\":\"依法委托拍卖，所得上缴国库\"}}"
one_entry "$s0" dispose_detention
det_is "disposal" "$(det status) $(jv 'd["detention"]["disposal"]["date"]') $(jv 'd["detention"]["disposal"]["approver"]')" "disposed 2025-06-05 $H1_ID"
doc_numbered detention_disposal 执强处字 处理决定书
clock disposal_notice "2025-06-04 met 92"
[ "$(jv '[s["transition"] for s in d["steps"] if "detention" in s["transition"] or s["transition"] == "detain"]')" = \
	'["detain", "extend_detention", "notice_detention", "dispose_detention"]' ] ||
	fail "steps: $(jv '[s["transition"] for s in d["steps"]]')"
checkpoint "$N1"
refuse head "$C1" "{\"transition\":\"release_detention\",\"approver\":\"$H1\",\"params\":{\"reason\":\"退还\"}}" 409 detention_not_in_force transition
unchanged "$s0" "a release after the disposal"
ok "dispose_detention on 2025-06-05 by the head (执强处字, notice clock met); the officer naming the head 403, no note 400; release afterwards 409"

api_stop
ok "the server stops cleanly"
ledger_verified
