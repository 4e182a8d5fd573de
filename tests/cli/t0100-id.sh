#!/bin/sh
# t0100: `zhifa id check` (foundation issue §Identifiers): resident ID
# numbers (GB 11643), unified social credit codes (GB 32100) and plates
# (GA 36).  A valid value exits 0, an invalid one exits 1 with the reason in
# the document on stdout, a missing argument is a usage error (2).

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
export ZHIFA_NOW=2025-03-01T10:00:00+08:00

# check VALUE: run `id check --json VALUE`, expecting exit status $1
check() {
	expect_exit "$1" "$ZHIFA" --json id check "$2"
}

# The "checked" array: one "kind" per identifier the value was tried as.
nchecked() { sed -n '/^  "checked"/,$p' "$OUT" | grep -c '"kind":'; }

check 0 11010519491231002X
[ "$(jtop valid)" = true ] || fail "11010519491231002X: valid is $(jtop valid)"
[ "$(jtop kind)" = '"resident_id"' ] || fail "11010519491231002X: kind $(jtop kind)"
[ "$(jtop normalised)" = '"11010519491231002X"' ] || fail "normalised $(jtop normalised)"
ok "valid resident ID 11010519491231002X"

check 0 11010519491231002x
[ "$(jtop valid)" = true ] || fail "lower-case x refused"
[ "$(jtop normalised)" = '"11010519491231002X"' ] ||
	fail "lower-case x not normalised to X: $(jtop normalised)"
ok "lower-case check character x accepted and normalised to X"

check 1 110105194912310023
[ "$(jtop valid)" = false ] || fail "wrong check character accepted"
[ "$(jtop kind)" = '"resident_id"' ] || fail "wrong check: kind $(jtop kind)"
sed -n '/^  "error"/,/^  }/p' "$OUT" | grep -q '"code": "invalid_resident_id"' ||
	fail "wrong check character: no error code invalid_resident_id"
sed -n '/^  "error"/,/^  }/p' "$OUT" | grep -q '"message": "校验码' ||
	fail "wrong check character: message does not name the check character"
[ ! -s "$ERR" ] || fail "an invalid identifier is an answer, not an error: stderr not empty"
ok "wrong check character (…0023, should be X) refused: invalid_resident_id"

check 0 91350100M000100Y43
[ "$(jtop valid)" = true ] || fail "credit code refused"
[ "$(jtop kind)" = '"credit_code"' ] || fail "credit code: kind $(jtop kind)"
ok "valid credit code 91350100M000100Y43"

check 1 91350100M000100Y44
[ "$(jtop valid)" = false ] || fail "credit code with a wrong check character accepted"
grep -q '"code": "invalid_credit_code"' "$OUT" || fail "no invalid_credit_code"
ok "credit code with a wrong check character refused"

check 0 蒙L12345
[ "$(jtop valid)" = true ] || fail "plate 蒙L12345 refused"
[ "$(jtop kind)" = '"plate"' ] || fail "plate: kind $(jtop kind)"
[ "$(jtop normalised)" = '"蒙L12345"' ] || fail "plate normalised $(jtop normalised)"
ok "valid plate 蒙L12345"

check 1 蒙LI2345
[ "$(jtop valid)" = false ] || fail "plate with the letter I accepted"
[ "$(jtop kind)" = '"plate"' ] || fail "蒙LI2345: kind $(jtop kind)"
grep -q '"code": "invalid_plate"' "$OUT" || fail "蒙LI2345: no invalid_plate"
ok "plate 蒙LI2345 (letter I) refused: invalid_plate"

# An 18-character all-digit value is both a resident ID and a credit-code
# candidate, and is checked as each.
check 0 11010519491231002X
[ "$(nchecked)" -eq 2 ] || fail "11010519491231002X checked $(nchecked) ways, want 2"
sed -n '/^  "checked"/,$p' "$OUT" | grep -q '"kind": "credit_code"' ||
	fail "11010519491231002X not checked as a credit code"
ok "18-digit value checked as resident ID and as credit code (2 entries)"

# 150826199003150268 passes both check-character rules.
check 0 150826199003150268
[ "$(nchecked)" -eq 2 ] || fail "150826199003150268 checked $(nchecked) ways, want 2"
[ "$(sed -n '/^  "checked"/,$p' "$OUT" | grep -c '"valid": true')" -eq 2 ] ||
	fail "150826199003150268 should be valid both ways"
[ "$(jtop kind)" = '"resident_id"' ] || fail "ambiguous value: kind $(jtop kind)"
ok "value valid both as resident ID and credit code: both entries valid"

# Birth date after today (today from ZHIFA_NOW, local time UTC+8).
check 1 150826202506010018
[ "$(jtop valid)" = false ] || fail "birth date 2025-06-01 accepted on 2025-03-01"
grep -q '"code": "invalid_resident_id"' "$OUT" || fail "future birth: no invalid_resident_id"
grep -q '"message": "出生日期' "$OUT" || fail "future birth: message does not name the birth date"
ok "birth date after ZHIFA_NOW refused"

expect_exit 0 env ZHIFA_NOW=2025-07-01T10:00:00+08:00 "$ZHIFA" id check 150826202506010018
ok "the same ID is valid once ZHIFA_NOW is after the birth date"

# 2025-03-01T17:00Z is 2025-03-02 01:00 in China: born 2025-03-02 is fine.
expect_exit 0 env ZHIFA_NOW=2025-03-01T17:00:00Z "$ZHIFA" id check 150826202503020018
expect_exit 1 env ZHIFA_NOW=2025-03-01T15:00:00Z "$ZHIFA" id check 150826202503020018
ok "today is the local (UTC+8) date of ZHIFA_NOW"

expect_exit 1 "$ZHIFA" id check 12345
[ ! -s "$ERR" ] || fail "unknown identifier: stderr not empty"
grep -q '^valid: false$' "$OUT" || fail "text output lacks 'valid: false'"
ok "a value that is none of the three exits 1 (text output)"

expect_exit 2 "$ZHIFA" id check
expect_stderr_code wrong_arguments
ok "no argument: usage error, exit 2"

expect_exit 2 "$ZHIFA" id check 11010519491231002X 91350100M000100Y43
expect_stderr_code wrong_arguments
ok "two arguments: usage error, exit 2"
