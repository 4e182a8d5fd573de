#!/bin/sh
# t1100: the demo's 2025 caseload (procedure issue, "Demo caseload"): 16
# general- and 15 simplified-procedure penalties decided in 2025, 16 of them
# over-limit transport cases; open cases in every state of the general
# procedure; a time-barred case and a 首违不罚 ending in 不予处罚; pre-printed
# on-the-spot forms; clocks due soon and overdue at the year's end; and a
# ledger that verifies.  Counted from `case list --year 2025 --json` as a
# reader of the annual report would count them.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
# the default "now" of `make run`: the end of the demo's year
export ZHIFA_NOW=2025-12-31T17:00:00+08:00


zf init
zf --json demo
[ "$(jtop cases_decided_2025)" = 31 ] || fail "demo: cases_decided_2025 $(jtop cases_decided_2025), want 31"
[ "$(jtop general_decided_2025)" = 16 ] || fail "demo: general_decided_2025 $(jtop general_decided_2025), want 16"
[ "$(jtop simplified_decided_2025)" = 15 ] ||
	fail "demo: simplified_decided_2025 $(jtop simplified_decided_2025), want 15"
[ "$(jtop overload_decided_2025)" -ge 16 ] 2>/dev/null ||
	fail "demo: overload_decided_2025 $(jtop overload_decided_2025), want >= 16"
[ "$(jtop open_cases)" -ge 7 ] 2>/dev/null || fail "demo: open_cases $(jtop open_cases), want >= 7"
ok "demo summary: 31 decided (16 general, 15 simplified), over-limit and open cases"

# ---- the year as case list shows it ----
zf --json case list --year 2025
# one line per case: procedure state violation decided_date outcome number
# (top-level keys are indented 4 spaces, the decision's 6)
awk '
function val(s) { sub(/^[^:]*: "/, "", s); sub(/",?$/, "", s); return s }
/^  \{/ { p = "-"; s = "-"; v = "-"; d = "-"; o = "-"; n = "-"; next }
/^    "procedure": / { p = val($0) }
/^    "state": / { s = val($0) }
/^    "violation": / { v = val($0) }
/^    "decided_date": / { d = val($0) }
/^    "number": / { n = val($0) }
/^      "outcome": / { o = val($0) }
/^  \}/ { print p, s, v, d, o, n }
' "$OUT" >"$T/cases"
[ -s "$T/cases" ] || fail "case list --year 2025: no cases"

# decided with a penalty in 2025
awk '$5 == "penalty" && $4 ~ /^2025-/' "$T/cases" >"$T/decided"
general=$(awk '$1 == "general"' "$T/decided" | wc -l | tr -d ' ')
simplified=$(awk '$1 == "simplified"' "$T/decided" | wc -l | tr -d ' ')
overload=$(awk '$3 == "overload_mass" || $3 == "overload_dimension"' "$T/decided" | wc -l | tr -d ' ')
[ "$general" -eq 16 ] || fail "general-procedure penalties decided in 2025: $general, want 16"
[ "$simplified" -eq 15 ] || fail "simplified-procedure penalties decided in 2025: $simplified, want 15"
[ "$overload" -ge 16 ] || fail "over-limit penalties decided in 2025: $overload, want >= 16"
ok "case list: 16 general + 15 simplified penalties decided in 2025, $overload over-limit"

# most decided cases are carried out and archived, a few still run
for st in archived served; do
	awk -v s="$st" '$1 == "general" && $2 == s' "$T/decided" | grep -q . ||
		fail "no decided general case in state $st"
done
awk '$1 == "simplified" && $2 == "archived"' "$T/decided" | grep -q . ||
	fail "no archived simplified case"
archived=$(awk '$2 == "archived"' "$T/decided" | wc -l | tr -d ' ')
[ "$archived" -ge 16 ] || fail "only $archived of the 31 decided cases archived"
ok "decided cases: $archived archived, others served or executed"

# open cases in every state of the general procedure
for st in clue filed notified hearing_requested hearing_scheduled heard approved; do
	awk -v s="$st" '$1 == "general" && $2 == s' "$T/cases" | grep -q . ||
		fail "no open general-procedure case in state $st"
done
ok "open cases in every general state (clue .. approved)"

for st in onsite_decided delivered recorded; do
	awk -v s="$st" '$1 == "simplified" && $2 == s' "$T/cases" | grep -q . ||
		fail "no simplified case in state $st"
done
ok "simplified cases in onsite_decided, delivered and recorded"

# pre-printed forms (Art. 52) next to system numbers
awk '$1 == "simplified" && $6 ~ /^蒙交当[0-9][0-9][0-9][0-9]$/' "$T/cases" | grep -q . ||
	fail "no simplified case on a pre-printed form 蒙交当NNNN"
awk '$1 == "simplified" && $6 !~ /^蒙交当/' "$T/cases" | grep -q . ||
	fail "no simplified case with a system number"
ok "simplified decisions on pre-printed stock and with system numbers"

# 不予处罚: one time-barred, one 首违不罚, neither counted among the 31
awk '$5 == "no_penalty" { print $6 }' "$T/cases" >"$T/nopen"
[ -s "$T/nopen" ] || fail "no case ended in no_penalty"
: >"$T/reasons"
while read -r num; do
	zf --json case show "$num"
	jall reason >>"$T/reasons"
done <"$T/nopen"
grep -q '^"time_barred"$' "$T/reasons" || fail "no time-barred no_penalty decision"
grep -q '^"first_offence"$' "$T/reasons" || fail "no first_offence no_penalty decision"
ok "no_penalty: time_barred and first_offence"

# ---- clocks at the year's end ----
zf --json clock list --due-within 3d
grep -q '"overdue": true' "$OUT" || fail "clock list: nothing overdue"
jall days_left | grep -qE '^[0-3]$' || fail "clock list: nothing due within 3 days"
jall surcharge_fen | grep -qE '^[1-9][0-9]*$' || fail "clock list: no late-payment surcharge"
jall extended_days | grep -qE '^([1-9]|[12][0-9]|30)$' || fail "clock list: no extended decision clock"
ok "clock list: due soon, overdue, a surcharge and an extension"

# ---- the weigh stations (overload issue "Demo"; report §一.4: 查处超限车辆16辆、
# 卸载货物100余吨，超限率控制在被检测车辆2%以内) ----
zf --json overload stats --year 2025
[ "$(jtop over_limit)" = 16 ] || fail "stats: over_limit $(jtop over_limit), want 16"
[ "$(jtop cases)" = 16 ] || fail "stats: over-limit weighings with a case $(jtop cases), want 16"
[ "$(jtop unloaded_kg)" -gt 100000 ] 2>/dev/null || fail "stats: unloaded $(jtop unloaded_kg) kg, want > 100 t"
[ "$(jtop over_limit_rate_bp)" -lt 200 ] 2>/dev/null ||
	fail "stats: over-limit rate $(jtop over_limit_rate_text), want < 2%"
[ "$(jtop review_pending)" -ge 1 ] 2>/dev/null || fail "stats: no weigh-in-motion record waiting for review"
ok "stats 2025: $(jtop checked) checked, 16 over-limit ($(jtop over_limit_rate_text)), $(jtop unloaded_t_text) t unloaded"
# each over-limit weighing belongs to one of the 16 decided over-limit penalties
zf weigh list --over --year 2025 --limit 1000
awk -F'\t' 'NR > 1 && $10 != "-" { print $10 }' "$OUT" | sort -u >"$T/wcases"
[ "$(wc -l <"$T/wcases" | tr -d ' ')" = 16 ] || fail "weighings linked to $(wc -l <"$T/wcases") cases, want 16"
while read -r c; do
	zf --json case show "$c"
	v=$(jtop violation)
	case $v in '"overload_mass"' | '"overload_dimension"') ;; *) fail "weighing linked to a $v case" ;; esac
	grep -q '"decision": {' "$OUT" || grep -q '"onsite_decision": {' "$OUT" || grep -q '"decided_date"' "$OUT" ||
		fail "weighing linked to undecided case $c"
done <"$T/wcases"
ok "the 16 over-limit weighings are attached to 16 decided over-limit cases (penalties stay 31)"

zf --json ledger verify
[ "$(jtop ok)" = true ] || fail "ledger verify: ok $(jtop ok)"
ok "ledger verify: ok"

# the demo bureau exists once
expect_exit 1 "$ZHIFA" --db "$DB" demo
expect_stderr_code demo_exists
ok "demo refuses to run twice"
