#!/bin/sh
# t0300: the registry through the CLI (foundation issue): organisations,
# officers (certificates, suspension, renewal, who may act on a date, who
# expires soon), parties (person with an ID number, organisation with a
# credit code), vehicles (plate against configuration, owner by ID number),
# devices and settings; every change is one ledger entry and the ledger
# verifies at the end.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
export ZHIFA_NOW=2025-03-01T10:00:00+08:00


setup_org

zf org list
[ "$(grep -c '交通运输局' "$OUT")" -eq 2 ] || fail "org list: want 2 bureaus"
zf --json org show
[ "$(jtop division_code)" = '"150826"' ] || fail "default org is not the county: $(jtop division_code)"
county=$(jtop id)
zf --json org show 150800
city=$(jtop id)
zf --json org show 150826
[ "$(jtop parent_id)" = "$city" ] || fail "county parent_id $(jtop parent_id), want $city"
[ "$(jtop id)" = "$county" ] || fail "org show 150826 is not the default org"
zf --json org show 150800
city_size=$(jtop ledger_size)
ok "org list/show: county 150826 is the default, its parent is 150800"

# ---- officers ----
# A: valid to 2028; B: expires 2025-04-15 (within 60 days);
# C: to be suspended; D: expires 2025-03-20, renewed below;
# E: expired 2025-02-28, before today.
zf officer add --name 张三 --cert-no 15082600001 --valid-from 2020-01-01 \
	--valid-to 2028-12-31 --roles enforcer,legal_reviewer --legal-qualification \
	--id-number 150826199003150268 --phone 0478-1234567
zf officer add --name 李四 --cert-no 15082600002 --valid-from 2020-01-01 --valid-to 2025-04-15
zf officer add --name 王五 --cert-no 15082600003 --valid-from 2020-01-01 --valid-to 2028-12-31
zf officer add --name 赵六 --cert-no 15082600004 --valid-from 2020-01-01 --valid-to 2025-03-20
zf --json officer add --name 孙七 --cert-no 15082600005 --valid-from 2015-01-01 --valid-to 2025-02-28
[ "$(jtop may_act_today)" = false ] || fail "expired officer may act today"
[ "$(jtop days_to_expiry)" = -1 ] || fail "expired officer days_to_expiry $(jtop days_to_expiry)"
ok "officer add: five officers"

zf officer list
[ "$(grep -c '^1508260000[1-5]	' "$OUT")" -eq 5 ] || fail "officer list: want 5 rows"
head -n1 "$OUT" | grep -q '^cert_no	name	status	valid_to' || fail "officer list header"
ok "officer list: 5 rows with a header"

zf --json officer show 15082600001
a_id=$(jtop id)
[ "$(jtop name)" = '"张三"' ] || fail "officer show: name $(jtop name)"
[ "$(jtop legal_qualification)" = true ] || fail "legal_qualification not set"
[ "$(jtop status)" = '"active"' ] || fail "default status $(jtop status)"
[ "$(jtop category)" = '"交通运输行政执法证"' ] || fail "default category $(jtop category)"
grep -q '"legal_reviewer"' "$OUT" || fail "roles lack legal_reviewer"
[ "$(jtop may_act_today)" = true ] || fail "may_act_today false"
zf --json officer show "$(echo "$a_id" | tr -d '"')"
[ "$(jtop cert_no)" = '"15082600001"' ] || fail "officer show by id: cert_no $(jtop cert_no)"
ok "officer show by certificate number and by id"

zf --json officer update 15082600003 --status suspended --reason 停职审查
[ "$(jtop status)" = '"suspended"' ] || fail "update: status $(jtop status)"
[ "$(jtop may_act_today)" = false ] || fail "suspended officer may act today"
ok "officer update --status suspended"

zf officer list --may-act-on 2025-04-01
grep -q '^15082600001	' "$OUT" || fail "may-act-on 2025-04-01 lacks A"
grep -q '^15082600002	' "$OUT" || fail "may-act-on 2025-04-01 lacks B (valid to 04-15)"
grep -q '^15082600003	' "$OUT" && fail "may-act-on lists the suspended officer"
grep -q '^15082600004	' "$OUT" && fail "may-act-on 2025-04-01 lists D, expired 2025-03-20"
grep -q '^15082600005	' "$OUT" && fail "may-act-on lists E, expired 2025-02-28"
ok "officer list --may-act-on 2025-04-01: excludes the expired and the suspended"

zf officer list --expiring-within 60
[ "$(grep -c '^1508260000[1-5]	' "$OUT")" -eq 2 ] || fail "expiring-within 60: want B and D only"
grep -q '^15082600002	' "$OUT" || fail "expiring-within 60 lacks B (04-15)"
grep -q '^15082600004	' "$OUT" || fail "expiring-within 60 lacks D (03-20)"
ok "officer list --expiring-within 60: B and D, not the expired E"

zf --json officer update 15082600004 --valid-to 2030-12-31 --reason 换证
[ "$(jtop valid_to)" = '"2030-12-31"' ] || fail "renewal: valid_to $(jtop valid_to)"
zf officer list --may-act-on 2025-04-01
grep -q '^15082600004	' "$OUT" || fail "renewed officer D still cannot act"
zf officer list --expiring-within 60
grep -q '^15082600004	' "$OUT" && fail "renewed officer D still expiring"
ok "officer update --valid-to (renewal): D may act, no longer expiring"

zf --json officer update 15082600002 --legal-qualification yes --roles enforcer,head
[ "$(jtop legal_qualification)" = true ] || fail "legal_qualification yes not applied"
grep -q '"head"' "$OUT" || fail "roles head not applied"
ok "officer update --legal-qualification yes --roles"

# ---- parties ----
zf --json party add --kind person --name 刘某 --id-number 11010519491231002x \
	--phone 13800000000 --address 杭锦后旗陕坝镇
person=$(jtop id | tr -d '"')
[ "$(jtop id_number)" = '"11010519491231002X"' ] || fail "id_number stored as $(jtop id_number)"
[ "$(jtop kind)" = '"person"' ] || fail "party kind $(jtop kind)"
ok "party add person (lower-case x stored as X)"

zf --json party add --kind org --name 巴彦淖尔某运输有限公司 --credit-code 91350100m000100y43 \
	--legal-rep 陈某
company=$(jtop id | tr -d '"')
[ "$(jtop credit_code)" = '"91350100M000100Y43"' ] || fail "credit_code stored as $(jtop credit_code)"
ok "party add org (credit code upper-cased)"

zf --json party show 11010519491231002X
[ "$(jtop id)" = "\"$person\"" ] || fail "party show by ID number"
zf --json party show 91350100M000100Y43
[ "$(jtop id)" = "\"$company\"" ] || fail "party show by credit code"
zf party list --kind person
[ "$(sed 1d "$OUT" | wc -l | tr -d ' ')" -eq 1 ] || fail "party list --kind person: want 1 row"
zf party list
[ "$(sed 1d "$OUT" | wc -l | tr -d ' ')" -eq 2 ] || fail "party list: want 2 rows"
ok "party show by ID number and credit code; party list [--kind]"

# ---- vehicles ----
zf --json vehicle add --plate 蒙L12345 --config truck --axles 6 --owner 11010519491231002X
[ "$(jtop owner_id)" = "\"$person\"" ] || fail "vehicle owner $(jtop owner_id), want $person"
[ "$(jtop axles)" = 6 ] || fail "axles $(jtop axles)"
[ "$(jtop plate_kind)" = '"ordinary"' ] || fail "plate_kind $(jtop plate_kind)"
ok "vehicle add 蒙L12345 truck 6 axles, owner by ID number"

size=$(ledger_size) || fail "cannot read the ledger size"
expect_exit 1 "$ZHIFA" --db "$DB" vehicle add --plate 蒙L1234挂 --config truck --axles 3
expect_stderr_code plate_config_mismatch
expect_stderr_field config
[ "$(ledger_size)" = "$size" ] || fail "refused vehicle changed the ledger"
ok "trailer plate 蒙L1234挂 as a truck: plate_config_mismatch"

zf --json vehicle add --plate 蒙L1234挂 --config trailer --axles 3 --owner "$company"
[ "$(jtop plate_kind)" = '"trailer"' ] || fail "trailer plate_kind $(jtop plate_kind)"
zf vehicle list
grep -q '^蒙L12345	ordinary	truck	6	' "$OUT" || fail "vehicle list lacks 蒙L12345"
grep -q '^蒙L1234挂	trailer	trailer	3	' "$OUT" || fail "vehicle list lacks 蒙L1234挂"
ok "trailer plate as a trailer; vehicle list"

# ---- devices and settings ----
zf --json device add --code DSJ-01 --kind body_camera --name 执法记录仪一号
[ "$(jtop status)" = '"active"' ] || fail "device status $(jtop status)"
zf device list
grep -q '^DSJ-01	body_camera	执法记录仪一号	active$' "$OUT" || fail "device list lacks DSJ-01"
ok "device add DSJ-01 body_camera; device list"

zf org set statement_window_working_days 5
zf --json org show
[ "$(jall statement_window_working_days)" = '"5"' ] ||
	fail "setting after org set: $(jall statement_window_working_days)"
ok "org set statement_window_working_days 5; org show --json shows it"

# ---- the ledger ----
zf --json org show 150800
[ "$(jtop ledger_size)" = "$city_size" ] || fail "writes went to the city's ledger"
zf --json ledger list --limit 1000
for a in officer.add officer.update party.add vehicle.add device.add org.setting.set; do
	grep -q "\"action\": \"$a\"" "$OUT" || fail "ledger has no $a entry"
done
[ "$(grep -c '"action": "officer.add"' "$OUT")" -eq 5 ] || fail "want 5 officer.add entries"
[ "$(grep -c '"action": "officer.update"' "$OUT")" -eq 3 ] || fail "want 3 officer.update entries"
ok "ledger: one entry per change, in the county's ledger only"

size=$(ledger_size) || fail "cannot read the ledger size"
zf --json ledger verify
[ "$(jtop ok)" = true ] || fail "ledger verify not ok"
[ "$(jtop entries)" = "$size" ] || fail "verify entries $(jtop entries), ledger size $size"
grep -q '"problems": \[\]' "$OUT" || fail "ledger verify reports problems"
ok "ledger verify: exit 0, ok true, $size entries"

# Erasing a person's data by the ID number used to find them: the erasure
# must succeed and say so, not commit and then exit 1 because the party can
# no longer be found by the number it has just erased.
zf --json party erase 11010519491231002X --reason 当事人申请删除个人信息
[ "$(jtop erased)" = true ] || fail "party erase: erased $(jtop erased)"
[ "$(jtop id)" = "\"$person\"" ] || fail "party erase printed another party"
[ "$(jtop id_number)" = null ] || fail "id_number not erased"
zf --json ledger verify
[ "$(jtop ok)" = true ] || fail "ledger verify after erase not ok"
ok "party erase by ID number: exit 0, erased, ledger verifies"
