#!/bin/sh
# t1020: detention of a vehicle (扣押, 行政强制法 Arts. 18, 19, 24-28;
# 公路安全保护条例 Art. 72) as steps of a general-procedure case, through the
# real binary on a fresh demo database, ZHIFA_NOW moving forward day by day:
#   - detain: refused without the head's approval and with one officer
#     (第十八条), writing nothing; then the 行政强制措施决定书 and the 扣押物品
#     清单 numbered, the 30-day clock open, the case's state unchanged;
#   - extend_detention: 31 days refused, 30 days with its 延长通知书, the
#     clock now due 60 days after the detention (moved off 劳动节); a second
#     extension refused;
#   - the party does not come: the decision served by notice and enforced,
#     close refused while the vehicle is held (detention_in_force);
#     notice_detention with its 公告 opens the 3-month notice clock
#     (05-06 + 3 months = 08-06, 92 days, not 90); disposal refused on the
#     last day of the notice, allowed the day after; then close and archive;
#   - a second case: the detention released (解除行政强制措施决定书), a second
#     release refused, the case revoked and closed;
#   - an emergency detention (Art. 19), approved by the head the day after:
#     only once `case advance` takes --emergency (src/cli/commands.c
#     CASE_STEP_OPTS); skipped until then;
#   - every step one ledger entry; `ledger verify` clean.
# Each check prints one line; the first failure stops the test.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"

day() { ZHIFA_NOW="$1T10:00:00+08:00"; export ZHIFA_NOW; }
# a member of the case's "detention" object in $OUT (case --json output)
det() {
	sed -n '/^  "detention": {/,/^  }/p' "$OUT" |
		sed -n "s/^    \"$1\": \\(.*\\)\$/\\1/p" | sed 's/,$//; s/^"//; s/"$//'
}
# "KIND DUE STATUS COUNT" of each clock in $OUT (case --json output)
clocks() {
	awk '
	function val(s) { sub(/^[^:]*: /, "", s); sub(/,$/, "", s); gsub(/"/, "", s); return s }
	/^  "clocks": \[/ { in_clocks = 1; next }
	in_clocks && /^  \]/ { in_clocks = 0 }
	in_clocks && /^    \{/ { k = "-"; d = "-"; s = "-"; c = "-" }
	in_clocks && /^      "kind": / { k = val($0) }
	in_clocks && /^      "due": / { d = val($0) }
	in_clocks && /^      "status": / { s = val($0) }
	in_clocks && /^      "count": / { c = val($0) }
	in_clocks && /^    \}/ { print k, d, s, c }
	' "$OUT"
}
has_clock() { clocks | grep -qx "$1" || fail "no clock '$1'; clocks: $(clocks | tr '\n' ';')"; }
has_doc() {
	grep -q "\"number\": \"杭交$1〔2025〕第[0-9]\\{4\\}号\"" "$OUT" ||
		fail "no document 杭交$1〔2025〕第NNNN号"
}

H1=150826200001
H2=150826200002
A=150826200006,150826200007
REASON="造成公路路面损坏，拒不接受现场调查处理（《公路安全保护条例》第七十二条）"
ITEMS="重型半挂牵引车 蒙L6D201 一辆（含挂车）"
PLACE="杭锦后旗治超站停车场"

# ---- a fresh demo database, two cases filed on 03-03 ----
day 2025-03-03
zf init
zf demo
zf party list --kind person
P1=$(sed -n 2p "$OUT" | cut -f4)
P2=$(sed -n 3p "$OUT" | cut -f4)
[ -n "$P2" ] || fail "demo: fewer than two persons"
zf vehicle add --plate 蒙L6D201 --config tractor --axles 6 --owner "$P1"
file_case() {
	zf --json case file --party "$1" $2 --violation overload_mass --act-date 2025-03-03 \
		--place "G242 陕坝段" --facts "车辆超限运输，造成路面损坏" --officers $A --approver $H1
	NUM=$(jstr number)
}
file_case "$P1" "--vehicle 蒙L6D201"
DN=$NUM
file_case "$P2" ""
RN=$NUM
ok "two cases filed: $DN (with the vehicle) and $RN"

# ---- 扣押 ----
day 2025-03-04
size=$(ledger_size) || fail "cannot read the ledger size"
sum=$(db_sum)
refused approval_required case advance "$DN" detain --officers $A \
	--reason "$REASON" --text "$ITEMS" --to "$PLACE"
err_has '第十八条'
refused two_officers_required case advance "$DN" detain --officers 150826200006 \
	--approver $H2 --reason "$REASON" --text "$ITEMS" --to "$PLACE"
err_has '第十八条'
refused required case advance "$DN" detain --officers $A --approver $H2 \
	--reason "$REASON" --to "$PLACE"
expect_stderr_field text
[ "$(ledger_size)" = "$size" ] || fail "a refused detention changed the ledger size"
[ "$(db_sum)" = "$sum" ] || fail "a refused detention changed the database"
ok "detain without the head or with one officer: refused (第十八条), nothing written"

zf --json case advance "$DN" detain --officers $A --approver $H2 \
	--reason "$REASON" --text "$ITEMS" --to "$PLACE"
[ "$(ledger_size)" -eq $((size + 1)) ] || fail "detain: not one ledger entry"
[ "$(jstr state)" = filed ] || fail "detain changed the case's state to $(jstr state)"
[ "$(det status)" = detained ] || fail "detention status '$(det status)', want detained"
[ "$(det date)" = 2025-03-04 ] || fail "detention date '$(det date)'"
[ "$(det items)" = "$ITEMS" ] || fail "detention items '$(det items)'"
[ "$(det place)" = "$PLACE" ] || fail "detention place '$(det place)'"
[ "$(det emergency)" = false ] || fail "detention emergency '$(det emergency)'"
[ -n "$(det vehicle_id)" ] || fail "detention: no vehicle_id from the case"
has_doc 执强扣字
has_doc 执强清字
# 行政强制法 Art. 25: 30 days, 03-04 + 30 = 04-03
has_clock "detention 2025-04-03 open 30"
grep -q '"label": "扣押期限"' "$OUT" || fail "the detention clock has no label 扣押期限"
clocks | grep -q '^detention_approval ' && fail "an approved detention has an approval clock"
refused detention_exists case advance "$DN" detain --officers $A --approver $H2 \
	--reason "$REASON" --text "$ITEMS" --to "$PLACE"
ok "detain $DN: 决定书 and 清单 numbered (执强扣字, 执强清字), clock due 2025-04-03, state still filed"

zf case advance "$DN" notify --officers $A --kind fine --amount 3000 --level ordinary
day 2025-03-10
zf case advance "$DN" approve --approver $H1 --kind fine --amount 3000
day 2025-03-11
zf case advance "$DN" decide --officers $A
day 2025-03-12
zf case advance "$DN" serve --officers $A --method direct
ok "the penalty procedure goes on beside the detention: notified, approved, decided, served"

# ---- 延长扣押期限 ----
day 2025-03-31
refused detention_extension_too_long case advance "$DN" extend_detention --approver $H2 \
	--days 31 --reason "需对车辆进行技术鉴定"
err_has '第二十五条'
refused approval_required case advance "$DN" extend_detention --days 30 --reason "需技术鉴定"
zf --json case advance "$DN" extend_detention --approver $H2 --days 30 \
	--reason "需对车辆进行技术鉴定"
has_doc 执强延字
# 03-04 + 60 = 05-03 (劳动节 05-01..05) -> 05-06
has_clock "detention 2025-05-06 open 60"
refused detention_already_extended case advance "$DN" extend_detention --approver $H2 \
	--days 5 --reason "再次延长"
err_has '第二十五条'
ok "extend_detention: 31 days refused; 30 days (执强延字), due 2025-05-06; once only (第二十五条)"

# ---- the party does not come: 公告, then 依法处理 ----
day 2025-05-06
refused disposal_without_notice case advance "$DN" dispose_detention --note "依法拍卖"
err_has '第七十二条'
zf --json case advance "$DN" notice_detention \
	--text "当事人逾期未到本局接受处理，现予公告，三个月内仍不来接受处理的依法处理"
[ "$(det status)" = noticed ] || fail "after notice: status '$(det status)'"
has_doc 执强告字
has_clock "detention 2025-05-06 met 60"
# 公路安全保护条例 Art. 72 with 民法典 Art. 202: 05-06 + 3 months = 08-06
has_clock "disposal_notice 2025-08-06 open 92"
grep -q '"label": "扣押车辆、工具公告期限"' "$OUT" || fail "no label for the notice clock"
ok "notice_detention on the last day of the period: 公告 numbered, detention met, notice due 2025-08-06 (92 days)"

day 2025-05-07
zf case advance "$DN" enforce --officers $A --how court --note "当事人逾期未缴纳罚款，申请人民法院强制执行"
zf --json case show "$DN"
[ "$(jstr state)" = executed ] || fail "after enforce: state $(jstr state)"
refused detention_in_force case advance "$DN" close --approver $H1 --summary 结案
err_has '第二十八条'
ok "executed, but close refused while the vehicle is held (detention_in_force, 第二十八条)"

day 2025-08-06
refused disposal_notice_running case advance "$DN" dispose_detention --note "依法拍卖"
err_has '2025-08-06'
err_has '第七十二条'
day 2025-08-07
zf --json case advance "$DN" dispose_detention --approver $H1 --note "依法委托拍卖，所得上缴国库"
[ "$(det status)" = disposed ] || fail "after disposal: status '$(det status)'"
has_doc 执强处字
has_clock "disposal_notice 2025-08-06 met 92"
refused detention_not_in_force case advance "$DN" release_detention --reason 退还
ok "dispose_detention refused on 08-06 (the notice's last day), done on 08-07 (执强处字)"

day 2025-08-08
zf case advance "$DN" close --approver $H1 --summary "罚款申请法院强制执行，扣押车辆依法处理"
zf --json case advance "$DN" archive
[ "$(jstr state)" = archived ] || fail "state $(jstr state), want archived"
for t in detain extend_detention notice_detention dispose_detention; do
	grep -q "^      \"transition\": \"$t\"" "$OUT" || fail "case show: no step $t"
done
ok "closed and archived once the vehicle was disposed of; the detention steps are in the timeline"

# ---- a detention released ----
day 2025-08-11
zf case advance "$RN" detain --officers $A --approver $H2 --reason "$REASON" \
	--text "装载机一台" --to "$PLACE"
day 2025-08-12
zf --json case advance "$RN" release_detention --reason "当事人已到场接受调查处理"
[ "$(det status)" = released ] || fail "after release: status '$(det status)'"
has_doc 执强解字
has_clock "detention 2025-09-10 met 30"
refused detention_not_in_force case advance "$RN" release_detention --reason 再次解除
err_has '第二十八条'
zf case advance "$RN" revoke --approver $H1 --reason "不属于本机关管辖"
zf --json case advance "$RN" close --approver $H1 --summary 撤销立案
[ "$(jstr state)" = closed ] || fail "$RN: state $(jstr state), want closed"
ok "release_detention (执强解字, clock met); a second release refused; revoked and closed"

# ---- an emergency detention (Art. 19) ----
day 2025-03-03
file_case "$P2" ""
EN=$NUM
day 2025-03-07
run "$ZHIFA" --db "$DB" case advance "$EN" detain --officers $A --emergency \
	--reason "$REASON" --text "自卸货车一辆" --to "$PLACE"
if [ "$STATUS" -eq 2 ] && [ "$(err_key code)" = unknown_option ]; then
	echo "ok # SKIP emergency detention: case advance does not take --emergency yet (CASE_STEP_OPTS)"
else
	[ "$STATUS" -eq 0 ] || fail "emergency detain: exit status $STATUS"
	zf --json case show "$EN"
	[ "$(det emergency)" = true ] || fail "emergency detention: emergency '$(det emergency)'"
	# 24 hours: detained on Friday 03-07, due Saturday 03-08, not moved
	has_clock "detention_approval 2025-03-08 open 0"
	day 2025-03-10
	refused detention_not_approved case advance "$EN" extend_detention --approver $H2 \
		--days 10 --reason 复杂
	refused detention_approval_late case advance "$EN" approve_detention --approver $H2
	err_has '2025-03-08'
	err_has '第十九条'
	zf --json case advance "$EN" approve_detention --approver $H2 --date 2025-03-08
	has_clock "detention_approval 2025-03-08 met 0"
	[ "$(det approved_date)" = 2025-03-08 ] || fail "approved_date '$(det approved_date)'"
	ok "emergency detention: approval due 2025-03-08; late approval refused (第十九条); approved on 03-08"
fi

zf --json ledger verify
[ "$(jtop ok)" = true ] || fail "ledger verify: not ok"
ok "ledger verify ok"
