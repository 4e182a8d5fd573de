#!/bin/sh
# t1000: the penalty procedure (issue 3) through the real binary, on a fresh
# demo database (its officers and parties; the demo's own caseload is left
# alone and only counted around).  ZHIFA_NOW moves forward step by step
# through 2025, as an officer would enter the steps on the day:
#   - a general-procedure case from 立案 to 归档: every step has its ledger
#     entry, the documents their numbers, the clocks their explanation, and
#     the ledger verifies;
#   - a decision asked for too early is refused naming the article
#     (行政处罚法第四十四条/第六十二条) and writes nothing;
#   - a heard case: hearing requested, noticed 7 working days ahead with a
#     presider who did not investigate, held, legally reviewed, approved;
#   - a simplified case (当场处罚) to 归档, and one over the 200-yuan limit
#     refused (第五十一条);
#   - an extension of the 90-day decision period, with its new due date;
#   - pre-printed forms: a number in the registered range, one outside it,
#     one used twice;
#   - a voided document number is never issued again;
#   - `clock list --due-within 3d`: a statement window due soon and a
#     period overdue;
#   - `case list --year 2025 --json` counts the new cases.
# Each check prints one line; the first failure stops the test.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"

# "now" is a working hour of the given day
day() { ZHIFA_NOW="$1T10:00:00+08:00"; export ZHIFA_NOW; }
# count_cases [FILTERS...]: COUNT = how many cases `case list --year 2025
# --json` shows (set, not printed: a failure in $(...) would not stop the test)
count_cases() {
	zf --json case list --year 2025 "$@"
	COUNT=$(grep -c '^    "id": ' "$OUT")
}

# officers of the demo: 0001, 0002 heads; 0003 legal reviewer with the
# legal qualification; the others enforcers
H1=150826200001
H2=150826200002
REVIEWER=150826200003
A=150826200006,150826200007
B=150826200009,150826200010
PRESIDER=150826200011

# ---- a fresh demo database ----
day 2025-03-03
zf init
zf demo
zf party list --kind person
P1=$(sed -n 2p "$OUT" | cut -f4)
P2=$(sed -n 3p "$OUT" | cut -f4)
P3=$(sed -n 4p "$OUT" | cut -f4)
P4=$(sed -n 5p "$OUT" | cut -f4)
[ -n "$P4" ] || fail "demo: fewer than four persons"
zf --json officer show $H1
grep -q '"head"' "$OUT" || fail "demo: $H1 is not a head"
zf --json officer show $REVIEWER
[ "$(jtop legal_qualification)" = true ] || fail "demo: $REVIEWER lacks the legal qualification"
count_cases
base_all=$COUNT
count_cases --procedure general
base_general=$COUNT
count_cases --procedure simplified
base_simplified=$COUNT
count_cases --state archived
base_archived=$COUNT
ok "demo database: heads, a qualified legal reviewer, persons; $base_all cases of 2025 before this test"

# file_case PARTY OFFICERS: 线索登记 and 立案 the same day (two steps);
# NUM = the case number
file_case() {
	zf --json case file --party "$1" --violation overload_mass --act-date 2025-03-01 \
		--place "G242 陕坝段" --facts "货车超限运输" --officers "$2" --approver $H1
	NUM=$(jstr number)
}

# ---- the general procedure to 归档 ----
file_case "$P1" $A
GN=$NUM
case $GN in
杭交执罚立字〔2025〕第[0-9][0-9][0-9][0-9]号) ;;
*) fail "filing number '$GN' is not 杭交执罚立字〔2025〕第NNNN号" ;;
esac
[ "$(jstr state)" = filed ] || fail "case file: state $(jstr state), want filed"
ok "case file with --approver: 线索登记 and 立案, number $GN"

# the other cases of this test are filed the same day
# HN: the hearing; EN: the extension; ON: a statement window that lapses;
# SN: a statement window due soon
file_case "$P2" $B
HN=$NUM
file_case "$P3" $A
EN=$NUM
file_case "$P4" $B
ON=$NUM
file_case "$P1" $B
SN=$NUM
ok "four more cases filed: $HN $EN $ON $SN"

day 2025-03-04
zf case advance "$GN" notify --officers $A --kind fine --amount 3000 --level ordinary
zf case advance "$HN" notify --officers $B --kind fine --amount 8000 --level serious
zf --json case show "$HN"
grep -q '"kind": "hearing_request"' "$OUT" || fail "8000 yuan for a person: no hearing_request clock"
ok "notify: 3000 yuan (no hearing right) and 8000 yuan (hearing right, 第六十三条)"

# a decision before the statement window has passed: refused, nothing written
day 2025-03-05
size=$(ledger_size) || fail "cannot read the ledger size"
sum=$(db_sum)
refused statement_window_open case advance "$GN" approve --approver $H2 --kind fine --amount 3000
grep -q -e '第四十四条' -e '第六十二条' "$ERR" || fail "early decision: the article is not named"
[ "$(ledger_size)" = "$size" ] || fail "a refused step changed the ledger size"
[ "$(db_sum)" = "$sum" ] || fail "a refused step changed the database"
ok "approve within the statement window: statement_window_open (第四十四条), nothing written"

refused two_officers_required case advance "$GN" evidence --officers 150826200006 --note 称重
err_has '第四十二条'
ok "a step on the party by one officer: two_officers_required (第四十二条)"

day 2025-03-06
zf case advance "$HN" request_hearing
refused presider_is_investigator case advance "$HN" schedule_hearing --officers $B \
	--hearing-date 2025-03-17 --presider 150826200009
# 7 working days after 03-06: 07 10 11 12 13 14 17
refused hearing_notice_too_short case advance "$HN" schedule_hearing --officers $B \
	--hearing-date 2025-03-14 --presider $PRESIDER
err_has '2025-03-17'
err_has '第六十四条'
zf --json case advance "$HN" schedule_hearing --officers $B --hearing-date 2025-03-17 \
	--presider $PRESIDER
[ "$(jstr state)" = hearing_scheduled ] || fail "schedule_hearing: state $(jstr state)"
grep -q '杭交执罚听字〔2025〕第[0-9]\{4\}号' "$OUT" || fail "no hearing notice number"
ok "hearing: requested; noticed for 03-17 (not 03-14, 第六十四条) by a presider who did not investigate"

day 2025-03-10
zf case advance "$GN" approve --approver $H2 --kind fine --amount 3000
day 2025-03-11
zf case advance "$GN" decide --officers $A
day 2025-03-12
refused electronic_service_without_consent case advance "$GN" serve --officers $A --method electronic
zf --json case advance "$GN" serve --officers $A --method direct
grep -q '"kind": "payment"' "$OUT" || fail "serve did not open the payment clock"
day 2025-03-17
refused wrong_amount case advance "$GN" pay --amount 2000
err_has '3000.00'
ok "approve, decide, serve (direct; electronic without consent refused); pay 2000 refused"

zf case advance "$HN" hold_hearing --record "当事人到场陈述申辩"
refused legal_review_required case advance "$HN" approve --approver $H2 --kind fine --amount 8000
err_has '第五十八条'
zf case advance "$HN" legal_review --reviewer $REVIEWER --result pass --opinion "事实清楚，程序合法"
zf case advance "$HN" approve --approver $H2 --kind fine --amount 8000
day 2025-03-18
zf --json case advance "$HN" decide --officers $B
[ "$(jstr state)" = decided ] || fail "heard case: state $(jstr state), want decided"
grep -q '杭交执罚决字〔2025〕第[0-9]\{4\}号' "$OUT" || fail "heard case: no decision number"
ok "heard case: held 03-17, legal review by $REVIEWER (required, 第五十八条), approved, decided"

day 2025-03-20
zf case advance "$GN" pay --amount 3000
day 2025-03-24
zf case advance "$GN" close --approver $H1 --summary "罚款已缴清，结案"
day 2025-03-25
zf --json case advance "$GN" archive
[ "$(jstr state)" = archived ] || fail "state $(jstr state), want archived"
refused case_archived case advance "$GN" close --approver $H1 --summary 再次结案
err_has '第四十七条'
zf case note "$GN" --text "卷宗已移交档案室"
ok "pay, close, archive; after 归档 only notes (case_archived, 第四十七条)"

zf --json case show "$GN"
for t in register file notify approve decide serve pay close archive note; do
	grep -q "^      \"transition\": \"$t\"" "$OUT" || fail "case show: no step $t"
done
nsteps=$(grep -c '^      "transition": ' "$OUT")
nseq=$(jall ledger_seq | grep -c '^[0-9][0-9]*$')
[ "$nsteps" -eq 10 ] || fail "case show: $nsteps steps, want 10"
[ "$nseq" -eq "$nsteps" ] || fail "case show: $nseq steps with ledger_seq, want $nsteps"
jall ledger_seq | awk 'NR > 1 && $1 <= prev { exit 1 } { prev = $1 }' ||
	fail "ledger_seq not increasing: $(jall ledger_seq | tr '\n' ' ')"
for w in 立 告 决 送 结; do
	grep -q "\"number\": \"杭交执罚${w}字〔2025〕第[0-9]\\{4\\}号\"" "$OUT" ||
		fail "case show: no document 杭交执罚${w}字〔2025〕第NNNN号"
done
nclocks=$(grep -c '"explain": {' "$OUT")
[ "$nclocks" -ge 4 ] || fail "case show: $nclocks clocks with explain, want >= 4"
for k in decision statement service payment; do
	grep -q "\"kind\": \"$k\"" "$OUT" || fail "case show: no $k clock"
done
ok "case show --json: 10 steps each with ledger_seq, documents 立/告/决/送/结, $nclocks clocks with explain"

# the entry a step names is that step's
seq=$(jall ledger_seq | sed -n 5p)
zf --json ledger list --after $((seq - 1)) --limit 1
grep -q '"case.decide"' "$OUT" || fail "ledger entry $seq is not case.decide"
zf --json ledger verify
[ "$(jtop ok)" = true ] || fail "ledger verify: not ok"
ok "ledger entry $seq is the decision; ledger verify ok"

# ---- the simplified procedure ----
day 2025-04-07
refused simplified_not_allowed case onspot --party "$P2" --violation overload_dimension \
	--act-date 2025-04-07 --place G242 --facts 超宽 --kind fine --amount 300 --level ordinary \
	--officers $A
err_has '第五十一条'
size=$(ledger_size) || fail "cannot read the ledger size"
zf --json case onspot --party "$P2" --violation overload_dimension --act-date 2025-04-07 \
	--place G242 --facts 车货总宽度超限 --kind fine --amount 100 --level minor --officers $A
CN=$(jstr number)
case $CN in
杭交执罚当字〔2025〕第[0-9][0-9][0-9][0-9]号) ;;
*) fail "on-the-spot number '$CN'" ;;
esac
[ "$(jstr procedure)" = simplified ] || fail "onspot: procedure $(jstr procedure)"
[ "$(ledger_size)" -eq $((size + 1)) ] || fail "onspot: not one ledger entry"
zf case advance "$CN" deliver --officers $A
zf case advance "$CN" record
day 2025-04-08
zf case advance "$CN" pay --amount 100
zf case advance "$CN" close --approver $H1 --summary 当场处罚结案
zf --json case advance "$CN" archive
[ "$(jstr state)" = archived ] || fail "simplified case: state $(jstr state)"
ok "simplified: 300 yuan refused (第五十一条); 100 yuan $CN delivered, recorded, paid, closed, archived"

# ---- pre-printed forms (Art. 52) ----
zf --json stock add --kind onsite_decision --prefix 杭交当 --from 1 --to 50
zf --json case onspot --party "$P3" --violation overload_dimension --act-date 2025-04-08 \
	--place G242 --facts 超宽 --kind fine --amount 50 --level minor --officers $B \
	--form-number 杭交当0010
[ "$(jstr number)" = 杭交当0010 ] || fail "stock form: number $(jstr number)"
size=$(ledger_size) || fail "cannot read the ledger size"
refused form_not_in_stock case onspot --party "$P3" --violation overload_dimension \
	--act-date 2025-04-08 --place G242 --facts 超宽 --kind fine --amount 50 --level minor \
	--officers $B --form-number 杭交当0051
err_has '第五十二条'
expect_exit 1 "$ZHIFA" --db "$DB" case onspot --party "$P4" --violation overload_dimension \
	--act-date 2025-04-08 --place G242 --facts 超宽 --kind fine --amount 50 --level minor \
	--officers $B --form-number 杭交当0010
[ -s "$ERR" ] || fail "a reused form number: no error"
[ "$(ledger_size)" = "$size" ] || fail "refused forms changed the ledger"
ok "stock 杭交当0001-0050: 0010 used; 0051 form_not_in_stock; 0010 again refused ($(err_key code))"

refused date_in_future case advance "$SN" notify --officers $B --kind fine --amount 1000 \
	--level ordinary --date 2025-04-09
zf case advance "$ON" notify --officers $B --kind fine --amount 1000 --level ordinary --date 2025-04-01
zf case advance "$SN" notify --officers $B --kind fine --amount 1000 --level ordinary
refused date_before_previous_step case advance "$SN" evidence --officers $B --note 补充 \
	--date 2025-04-07
err_has '第四十七条'
ok "steps are dated: not after today (date_in_future), not before the last step"

# ---- clock list ----
# statement windows: $ON from 04-01 (04-04 清明, weekend) due 04-07, lapsed;
# $SN from 04-08 due 04-11; $HN's service period (7 working days from
# 03-18) ran out on 03-27 without service
day 2025-04-09
zf --json clock list --due-within 3d
# one line per clock: kind due overdue lapsed case_number
awk '
function val(s) { sub(/^[^:]*: /, "", s); sub(/,$/, "", s); gsub(/"/, "", s); return s }
/^  \{/ { k = "-"; d = "-"; o = "-"; l = "-"; c = "-" }
/^    "kind": / { k = val($0) }
/^    "due": / { d = val($0) }
/^    "overdue": / { o = val($0) }
/^    "lapsed": / { l = val($0) }
/^    "case_number": / { c = val($0) }
/^  \}/ { print k, d, o, l, c }
' "$OUT" >"$T/clocks"
grep -qx "statement 2025-04-11 false - $SN" "$T/clocks" ||
	fail "clock list: no statement window of $SN due 2025-04-11"
grep -qx "statement 2025-04-07 false true $ON" "$T/clocks" ||
	fail "clock list: the statement window of $ON (due 2025-04-07) is not listed as lapsed"
grep -qx "service 2025-03-27 true - $HN" "$T/clocks" ||
	fail "clock list: the service period of $HN (due 2025-03-27) is not overdue"
zf clock list --due-within 3d
grep -q "2025-04-11	2	陈述申辩期限	$SN" "$OUT" || fail "clock list (text): $SN due 2025-04-11 in 2 days"
ok "clock list --due-within 3d: $SN statement due 04-11, $ON lapsed, $HN service overdue"

# ---- a voided number is never issued again ----
day 2025-04-10
file_case "$P2" $A
V1=$NUM
zf document void "$V1" --reason 填写错误
refused document_already_void document void "$V1" --reason 再次作废
file_case "$P3" $A
V2=$NUM
s1=$(echo "$V1" | sed 's/.*第0*\([0-9][0-9]*\)号/\1/')
s2=$(echo "$V2" | sed 's/.*第0*\([0-9][0-9]*\)号/\1/')
[ "$s2" -eq $((s1 + 1)) ] || fail "after voiding $V1 the next number is $V2"
zf --json case show "$V1"
grep -q '"status": "void"' "$OUT" || fail "case show $V1: document not void"
ok "document void $V1; the next filing gets $V2, the voided number is not reused"

# ---- an extension of the decision period ----
day 2025-05-20
# not notified at all: no decision (第四十四条, 第六十二条), nothing written
size=$(ledger_size) || fail "cannot read the ledger size"
refused not_notified case advance "$EN" approve --approver $H2 --kind fine --amount 3000
err_has '第四十四条'
[ "$(ledger_size)" = "$size" ] || fail "a refused approval changed the ledger"
refused extension_too_long case extend "$EN" --days 31 --reason 案情复杂 --approver $H1
refused approver_not_head case extend "$EN" --days 30 --reason 案情复杂 --approver $PRESIDER
zf --json case extend "$EN" --days 30 --reason "需要委托鉴定" --approver $H1
# 03-03 + 90 = 06-01 (端午) -> 06-03; + 30 -> 03-03 + 120 = 07-01
grep -q '"new_due": "2025-07-01"' "$OUT" || fail "extension: no new_due 2025-07-01"
awk '
/^    \{/ { k = ""; d = "" }
/^      "kind": / { k = $2 }
/^      "due": / { d = $2 }
/^    \}/ && k == "\"decision\"," && d == "\"2025-07-01\"," { f = 1 }
END { exit !f }' "$OUT" || fail "extension: the decision clock is not due 2025-07-01"
grep -q '"extended_days": 30' "$OUT" || fail "extension: explain lacks extended_days 30"
ok "approve before any notice: not_notified (第四十四条); case extend --days 30: due 2025-07-01 (31 days refused)"

# ---- counting the year ----
count_cases
all=$COUNT
count_cases --procedure general
general=$COUNT
count_cases --procedure simplified
simplified=$COUNT
count_cases --state archived
archived=$COUNT
# general: GN HN EN ON SN V1 V2; simplified: CN and the form 杭交当0010
[ "$all" -eq $((base_all + 9)) ] || fail "case list --year 2025: $all, want $((base_all + 9))"
[ "$general" -eq $((base_general + 7)) ] || fail "general: $general, want $((base_general + 7))"
[ "$simplified" -eq $((base_simplified + 2)) ] ||
	fail "simplified: $simplified, want $((base_simplified + 2))"
[ "$archived" -eq $((base_archived + 2)) ] || fail "archived: $archived, want $((base_archived + 2))"
zf --json ledger verify
[ "$(jtop ok)" = true ] || fail "ledger verify at the end: not ok"
ok "case list --year 2025 --json: +9 cases (7 general, 2 simplified, 2 archived); ledger verifies"
