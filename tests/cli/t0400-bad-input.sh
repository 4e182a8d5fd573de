#!/bin/sh
# t0400: "Bad input gets a clear error naming the field ... and writes
# nothing" (foundation issue §Bad input; DESIGN.md principle 5).  For each
# bad input: the exit status (1 invalid or refused, 2 usage), stderr is one
# JSON error line {"error":{"code","message","field"}} with the expected code
# and field and a Chinese message, stdout is empty, and neither the ledger
# nor any other row of the database changed.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
export ZHIFA_NOW=2025-03-01T10:00:00+08:00


setup_org
zf officer add --name 张三 --cert-no 15082600001 --valid-from 2020-01-01 --valid-to 2028-12-31
zf party add --kind person --name 刘某 --id-number 11010519491231002X
zf party add --kind org --name 某运输公司 --credit-code 91350100M000100Y43
zf vehicle add --plate 蒙L12345 --config truck --axles 6
zf device add --code DSJ-01 --kind body_camera
ok "registry with one officer, two parties, a vehicle and a device"

nbad=0

# bad EXIT CODE FIELD WHAT CMD...
#   FIELD "-": not checked (the error is not about one field);
#   FIELD "~name": compared with "-" read as "_": errors found while reading
#   options name the option (valid-to), the rules name the field (valid_to).
bad() {
	bad_exit=$1 bad_code=$2 bad_field=$3 bad_what=$4
	shift 4
	bad_size=$(ledger_size) || fail "$bad_what: cannot read the ledger size"
	bad_sum=$(db_sum)
	expect_exit "$bad_exit" "$@"
	expect_stderr_code "$bad_code"
	case $bad_field in
	-) ;;
	~*)
		got=$(err_key field | tr - _)
		[ "$got" = "${bad_field#\~}" ] ||
			fail "$bad_what: field '$(err_key field)' does not name ${bad_field#\~}"
		;;
	*) expect_stderr_field "$bad_field" ;;
	esac
	[ ! -s "$OUT" ] || fail "$bad_what: refused command printed a result"
	now=$(ledger_size) || fail "$bad_what: cannot read the ledger size"
	[ "$now" = "$bad_size" ] || fail "$bad_what: ledger grew from $bad_size to $now"
	[ "$(db_sum)" = "$bad_sum" ] || fail "$bad_what: the database changed"
	nbad=$((nbad + 1))
	ok "$bad_what: exit $bad_exit, $bad_code, nothing written"
}

# zhifa on the test database (a function, so the path is never split)
zh() { "$ZHIFA" --db "$DB" "$@"; }

# ---- identifiers ----
bad 1 invalid_resident_id id_number "bad ID number (check character)" \
	zh party add --kind person --name 王某 --id-number 110105194912310023
bad 1 invalid_resident_id id_number "ID number with a birth date after today" \
	zh party add --kind person --name 王某 --id-number 150826202506010018
bad 1 invalid_resident_id id_number "officer with a bad ID number" \
	zh officer add --name 李四 --cert-no 15082600002 --valid-from 2020-01-01 \
	--valid-to 2028-12-31 --id-number 11010519491231002
bad 1 invalid_credit_code credit_code "bad credit code (check character)" \
	zh party add --kind org --name 某公司 --credit-code 91350100M000100Y44
bad 1 invalid_credit_code credit_code "credit code with the letter O" \
	zh party add --kind org --name 某公司 --credit-code 91350100MO00100Y43
bad 1 invalid_plate plate "bad plate 蒙LI2345" \
	zh vehicle add --plate 蒙LI2345 --config truck --axles 2
bad 1 invalid_plate plate "plate not starting with a province abbreviation" \
	zh vehicle add --plate XL12345 --config car

# ---- dates ----
bad 1 invalid_date valid_from "bad date 2025-02-30" \
	zh officer add --name 李四 --cert-no 15082600002 --valid-from 2025-02-30 --valid-to 2028-12-31
bad 1 invalid_date valid_to "date in the wrong format 2028/12/31" \
	zh officer add --name 李四 --cert-no 15082600002 --valid-from 2025-01-01 --valid-to 2028/12/31
bad 1 invalid_period valid_to "valid_to before valid_from" \
	zh officer add --name 李四 --cert-no 15082600002 --valid-from 2025-02-01 --valid-to 2024-01-01
bad 1 invalid_period valid_to "renewal to a date before valid_from" \
	zh officer update 15082600001 --valid-to 2019-12-31
bad 1 invalid_date "~valid_to" "renewal to a bad date 2025-02-30" \
	zh officer update 15082600001 --valid-to 2025-02-30
bad 1 invalid_date from "deadline from 2025-13-01" \
	zh deadline add --object-type case --object-id X --kind k --from 2025-13-01 --days 3

# ---- codes ----
bad 1 unknown_code roles "unknown role boss" \
	zh officer add --name 李四 --cert-no 15082600002 --valid-from 2020-01-01 \
	--valid-to 2028-12-31 --roles enforcer,boss
bad 1 unknown_code status "unknown officer status fired" \
	zh officer update 15082600001 --status fired
bad 1 unknown_code level "unknown org level village" \
	zh org add --name 某镇交通所 --level village --division-code 150826 --doc-abbr 某
bad 1 invalid_format division_code "division code of 5 digits" \
	zh org add --name 某局 --level county --division-code 15082 --doc-abbr 某
bad 1 invalid_format division_code "division code with a letter" \
	zh org add --name 某局 --level county --division-code 15082A --doc-abbr 某
bad 1 unknown_setting key "unknown setting key" \
	zh org set no_such_setting 5
bad 1 invalid_number value "setting out of range (31 working days)" \
	zh org set statement_window_working_days 31
bad 1 unknown_code kind "unknown party kind" \
	zh party add --kind alien --name 某 --id-number 150826199003150268
bad 1 unknown_code kind "unknown device kind" \
	zh device add --code DSJ-02 --kind drone
bad 1 unknown_code config "unknown vehicle config" \
	zh vehicle add --plate 蒙L54321 --config tank --axles 2

# ---- numbers and text ----
bad 1 invalid_number axles "non-integer axles" \
	zh vehicle add --plate 蒙L54321 --config truck --axles six
bad 1 invalid_number axles "truck without axles" \
	zh vehicle add --plate 蒙L54321 --config truck
bad 1 invalid_number axles "9 axles" \
	zh vehicle add --plate 蒙L54321 --config truck --axles 9
bad 1 invalid_cert_no cert_no "certificate number with a space" \
	zh officer add --name 李四 --cert-no '1508 2600002' --valid-from 2020-01-01 --valid-to 2028-12-31
bad 1 invalid_phone phone "phone with letters" \
	zh party add --kind person --name 王某 --id-number 150826199003150268 --phone 138abc
bad 1 invalid_flag legal_qualification "--legal-qualification maybe" \
	zh officer update 15082600001 --legal-qualification maybe

# ---- duplicates and references ----
bad 1 officer_exists cert_no "duplicate cert_no" \
	zh officer add --name 李四 --cert-no 15082600001 --valid-from 2020-01-01 --valid-to 2028-12-31
bad 1 party_exists id_number "duplicate party (same ID number, lower-case x)" \
	zh party add --kind person --name 刘某某 --id-number 11010519491231002x
bad 1 party_exists credit_code "duplicate party (same credit code)" \
	zh party add --kind org --name 另一公司 --credit-code 91350100M000100Y43
bad 1 vehicle_exists plate "duplicate plate" \
	zh vehicle add --plate 蒙L12345 --config truck --axles 2
bad 1 device_exists code "duplicate device code" \
	zh device add --code DSJ-01 --kind body_camera
bad 1 org_exists name "duplicate org name" \
	zh org add --name 杭锦后旗交通运输局 --level county --division-code 150826 --doc-abbr 杭交
bad 1 party_not_found owner.party "vehicle owner that is not registered" \
	zh vehicle add --plate 蒙L54321 --config truck --axles 2 --owner 150826199003150268
bad 1 officer_not_found - "update of an unknown officer" \
	zh officer update 99999 --status suspended

# ---- required and contradictory fields ----
bad 1 required id_number "party person without id number" \
	zh party add --kind person --name 王某
bad 1 required credit_code "party org without credit code" \
	zh party add --kind org --name 某公司
bad 1 not_allowed credit_code "party person with a credit code" \
	zh party add --kind person --name 王某 --id-number 150826199003150268 \
	--credit-code 91350100M000100Y43
bad 1 required name "officer with an empty name" \
	zh officer add --name '' --cert-no 15082600002 --valid-from 2020-01-01 --valid-to 2028-12-31
bad 1 nothing_to_change - "officer update with nothing to change" \
	zh officer update 15082600001 --reason 无

# ---- usage errors (exit 2) ----
bad 2 missing_option "~valid_to" "missing required option --valid-to" \
	zh officer add --name 李四 --cert-no 15082600002 --valid-from 2020-01-01
bad 2 missing_option "~reason" "party erase without --reason" \
	zh party erase 11010519491231002X
bad 2 unknown_option - "unknown option --bogus" \
	zh device add --code DSJ-02 --kind body_camera --bogus 1
bad 2 unexpected_value - "value given to a flag" \
	zh officer add --name 李四 --cert-no 15082600002 --valid-from 2020-01-01 \
	--valid-to 2028-12-31 --legal-qualification=yes
bad 2 missing_value - "option without its value at the end" \
	zh device add --code DSJ-02 --kind
bad 2 unknown_command - "unknown command" \
	zh frobnicate
bad 2 unknown_command - "unknown subcommand" \
	zh officer fire 15082600001
bad 2 wrong_arguments - "extra argument" \
	zh officer show 15082600001 15082600002

# ---- the clock ----
bad 1 invalid_now ZHIFA_NOW "ZHIFA_NOW malformed (yesterday)" \
	env ZHIFA_NOW=yesterday "$ZHIFA" --db "$DB" device add --code DSJ-02 --kind body_camera
bad 1 invalid_now ZHIFA_NOW "ZHIFA_NOW with no time zone" \
	env ZHIFA_NOW=2025-03-01T10:00:00 "$ZHIFA" --db "$DB" device add --code DSJ-02 --kind body_camera
bad 1 invalid_now ZHIFA_NOW "ZHIFA_NOW on 2025-02-29" \
	env ZHIFA_NOW=2025-02-29T10:00:00+08:00 "$ZHIFA" --db "$DB" device add --code DSJ-02 --kind body_camera

[ "$nbad" -ge 15 ] || fail "only $nbad bad inputs checked"

zf --json ledger verify
[ "$(jtop ok)" = true ] || fail "ledger verify after the bad inputs not ok"
ok "$nbad bad inputs refused; ledger verifies"
