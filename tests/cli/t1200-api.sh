#!/bin/sh
# t1200: the JSON API (issue 5) over real HTTP against `zhifa serve` on a
# fresh init + demo database, ZHIFA_NOW=2025-12-31T17:00:00+08:00.  Every
# route of the table is called: its success (status, a key field, and the
# whole body equal to the CLI's --json document of the same object where
# there is one) and its refusals (400 naming the field with nothing written
# to the ledger, 401, 403, 404, 409 naming the rule and its article).
#   - logins of every role (administrators with TOTP), /me, logout;
#   - organisations and settings, officers, parties, vehicles, devices, the
#     calendar, deadlines, users (三权分立), violations, discretion;
#   - a general case from 线索登记 to 归档 (the enforcer registers, the head
#     files and approves, the legal reviewer reviews; approval inside the
#     statement window is 409 statement_window_open, 第四十四条), a
#     simplified case to 归档, an extension, notes, a voided document,
#     pre-printed stocks, clocks;
#   - keyset paging of /api/v1/cases (limit=5, then after=next);
#   - the ledger for auditors, and the public checkpoint, key and proofs
#     (no login), verified offline by `zhifa ledger check-proof`;
#   - Idempotency-Key replay, client-chosen ids;
#   - /api/v1/openapi.json lists every route of the table in src/http/.
# Each check prints one line; the first failure stops the test.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
# shellcheck source=tests/cli/api_lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/api_lib.sh"
SRC=${ZF_SRC:-$(dirname "$0")/../..}
api_init

ZHIFA_NOW=2025-12-31T17:00:00+08:00
export ZHIFA_NOW

E1=150826200006		# 执法人员, login "enforcer"
E2=150826200007		# 执法人员, login "enforcer2"
REV=150826200003	# 法制审核员, login "reviewer"
HEAD=150826200001	# 负责人, login "head"
PARTY=150826198803083644
OFFICERS="[\"$E1\",\"$E2\"]"

# refused STATUS CODE FIELD REQ-ARGS...: refused so, the ledger unchanged
refused() {
	_st=$1 _c=$2 _f=$3
	shift 3
	lsize
	_s0=$LSIZE
	req "$@"
	expect_error "$_st" "$_c" "$_f"
	unchanged "$_s0" "a refused request"
}

expect_exit 0 "$ZHIFA" --db "$DB" init
expect_exit 0 "$ZHIFA" --db "$DB" demo
ok "setup: init and demo"

api_start
ok "zhifa serve on $BASE"

# ---- the server's own routes ----------------------------------------------

req - GET /
expect_status 200
grep -q 'lang="zh-CN"' "$OUT" || fail "/ is not the zh-CN page"
req - GET /healthz
expect_status 200
[ "$(jv 'd["status"]')" = ok ] || fail "/healthz body"
req - GET /readyz
expect_status 200
[ "$(jv 'd["status"]') $(jv 'd["orgs"]')" = "ready 3" ] || fail "/readyz body"
req - GET /ui/index.html
expect_status 200
cp "$OUT" "$T/index"
req - GET /
cmp -s "$OUT" "$T/index" || fail "GET / is not ui/index.html"
req - GET /ui/no-such-file.css
expect_error 404 not_found
req - DELETE /api/v1/cases
expect_error 405 method_not_allowed
grep -qi '^allow: GET, HEAD, POST' "$HDR" || fail "405 without Allow: GET, HEAD, POST"
req - GET /api/v1/no/such/route
expect_error 404 not_found
ok "GET / (the zh-CN page, ui/index.html), /ui/{file} (404 for an unknown file), /healthz, /readyz (ready, 3 organisations); 405 with Allow, 404 for no route"

# ---- logins -----------------------------------------------------------------

lsize
s0=$LSIZE
[ "$(ledger_size)" = "$LSIZE" ] || fail "sqlite3 counts $LSIZE entries, 'zhifa org show' $(ledger_size)"
api_login enforcer enforcer
expect_status 200
[ "$(jv 'd["username"]') $(jv 'd["roles"]')" = "enforcer enforcer" ] || fail "login body"
jv 'd["csrf_token"]' | grep -Eq '^[0-9a-f]{64}$' || fail "csrf_token is not 64 hex digits"
cp "$OUT" "$T/login.json"
cli "$T/users.json" user list
why=$(jsame "$T/login.json" '{k: v for k, v in d.items() if k != "csrf_token"}' \
	"$T/users.json" '[u for u in d if u["username"] == "enforcer"][0]') ||
	fail "login body is not the user of 'zhifa user list --json': $why"
[ "$(last_action)" = user.login ] || fail "no user.login entry"
lsize
[ "$LSIZE" -eq $((s0 + 1)) ] || fail "a login wrote $((LSIZE - s0)) entries"
ok "POST /api/v1/login enforcer: 200, the user document + csrf_token, one user.login entry"

for u in enforcer2 reviewer head disclosure auditor; do
	api_login "$u" "$u"
	expect_status 200
	[ "$(jv 'd["username"]')" = "$u" ] || fail "login $u: username $(jv 'd["username"]')"
done
api_login sup bynr.supervisor
expect_status 200
api_login sysadmin sysadmin "$TOTP_SYSADMIN"
expect_status 200
api_login secadmin secadmin "$TOTP_SECADMIN"
expect_status 200
api_login auditadmin auditadmin "$TOTP_AUDITADMIN"
expect_status 200
[ "$(jv 'd["totp_enrolled"]')" = true ] || fail "auditadmin: totp_enrolled"
ok "logins: enforcer2 reviewer head disclosure auditor bynr.supervisor, and the three administrators with TOTP"

refused 400 required password - POST /api/v1/login '{"username":"enforcer"}'
refused 400 unknown_field extra - POST /api/v1/login \
	'{"username":"enforcer","password":"Demo-Zhifa-2025","extra":1}'
refused 400 invalid_type username - POST /api/v1/login '{"username":7,"password":"x"}'
refused 400 invalid_json body - POST /api/v1/login '{"username":'
ok "login refusals: 400 naming password / extra / username / body, nothing written"

req - POST /api/v1/login '{"username":"enforcer","password":"Wrong-Password-1"}'
expect_error 401 login_failed
cp "$OUT" "$T/wrong.json"
req - POST /api/v1/login '{"username":"nobody.here","password":"Wrong-Password-1"}'
expect_error 401 login_failed
cmp -s "$OUT" "$T/wrong.json" || fail "unknown user and wrong password answer differently"
ok "login: wrong password and unknown user → the same 401 login_failed"

req enforcer GET /api/v1/me
expect_status 200
why=$(jsame "$OUT" d "$T/users.json" '[u for u in d if u["username"] == "enforcer"][0]') ||
	fail "/me is not the user of 'zhifa user list --json': $why"
req sysadmin GET /api/v1/me
expect_status 200
[ "$(jv 'd["roles"]')" = system_admin ] || fail "/me sysadmin roles"
jv 'd' | grep -q totp_secret && fail "/me shows the TOTP secret"
jv 'd' | grep -q password && fail "/me shows the password hash"
req - GET /api/v1/me
expect_error 401 login_required
ok "GET /api/v1/me: the user of 'zhifa user list --json', no secrets; 401 without a session"

# ---- organisations and settings -------------------------------------------

cli "$T/orgs.json" org list
req enforcer GET /api/v1/orgs
expect_status 200
why=$(jsame "$OUT" d "$T/orgs.json" '[o for o in d if o["division_code"] == "150826"]') ||
	fail "GET /orgs (county user): $why"
req sup GET /api/v1/orgs
expect_status 200
why=$(jsame "$OUT" 'sorted(o["division_code"] for o in d)' "$T/orgs.json" \
	'sorted(o["division_code"] for o in d if o["division_code"] != "150000")') ||
	fail "GET /orgs (city supervisor): $why"
ok "GET /api/v1/orgs: the county sees itself, the city itself and the county (as 'zhifa org list')"

req enforcer GET /api/v1/orgs/150826
expect_status 200
same_as_cli d org show 150826
COUNTY=$(jv 'd["id"]')
req auditor GET "/api/v1/orgs/$COUNTY"
expect_status 200
[ "$(jv 'd["division_code"]')" = 150826 ] || fail "org by id"
req sup GET /api/v1/orgs/150826
expect_status 200
refused 404 org_not_found id enforcer GET /api/v1/orgs/150800
refused 404 org_not_found id sup GET /api/v1/orgs/150000
refused 404 org_not_found id enforcer GET /api/v1/orgs/999999
ok "GET /api/v1/orgs/{id}: 'zhifa org show'; by id too; the city reads the county; above or unknown → 404"

req enforcer GET /api/v1/org/settings
expect_status 200
cp "$OUT" "$T/a.json"
cli "$T/b.json" org show 150826
# the signing key's path is shown only to the system and security administrators
why=$(jsame "$T/a.json" d "$T/b.json" '{k: v for k, v in d["settings"].items() if k not in ("ledger_key_path", "evidence_dir")}') ||
	fail "GET /org/settings: $why"
grep -q ledger_key_path "$T/a.json" && fail "GET /org/settings: ledger_key_path shown to an enforcer"
req sup GET '/api/v1/org/settings?org=150826'
expect_status 200
why=$(jsame "$OUT" d "$T/b.json" '{k: v for k, v in d["settings"].items() if k not in ("ledger_key_path", "evidence_dir")}') ||
	fail "GET /org/settings?org=150826: $why"
ok "GET /api/v1/org/settings: the settings of 'zhifa org show' without the key path (and ?org= for the city)"

lsize
s0=$LSIZE
req sysadmin PUT /api/v1/org/settings/checkpoint_every_entries '{"value":500}'
expect_status 200
[ "$(jv 'd["checkpoint_every_entries"]')" = 500 ] || fail "setting not changed"
cp "$OUT" "$T/a.json"
cli "$T/b.json" org show 150826
why=$(jsame "$T/a.json" d "$T/b.json" 'd["settings"]') || fail "PUT settings: $why"
[ "$(last_action)" = org.setting.set ] || fail "setting entry: $(last_action)"
req sysadmin PUT /api/v1/org/settings/checkpoint_every_entries '{"value":"1000"}'
expect_status 200
[ "$(jv 'd["checkpoint_every_entries"]')" = 1000 ] || fail "setting not changed back"
lsize
[ "$LSIZE" -eq $((s0 + 2)) ] || fail "two settings wrote $((LSIZE - s0)) entries"
refused 400 invalid_number value sysadmin PUT /api/v1/org/settings/checkpoint_every_entries \
	'{"value":"abc"}'
refused 400 invalid_type value sysadmin PUT /api/v1/org/settings/checkpoint_every_entries \
	'{"value":true}'
refused 400 required value sysadmin PUT /api/v1/org/settings/checkpoint_every_entries '{}'
refused 400 unknown_setting key sysadmin PUT /api/v1/org/settings/no_such_setting '{"value":"1"}'
refused 403 setting_server_only key sysadmin PUT /api/v1/org/settings/ledger_key_path \
	'{"value":"/tmp/other.pem"}'
refused 403 forbidden '' head PUT /api/v1/org/settings/checkpoint_every_entries '{"value":"9"}'
ok "PUT /api/v1/org/settings/{key}: 200 with 'zhifa org show' settings, one entry each; 400 value/key, 403 ledger_key_path and non-admins"

# ---- officers ---------------------------------------------------------------

req disclosure GET /api/v1/officers
expect_status 200
same_as_cli d officer list
[ "$(jv 'len(d)')" = 60 ] || fail "60 demo officers"
req sysadmin GET '/api/v1/officers?may_act_on=2025-06-01'
expect_status 200
same_as_cli d officer list --may-act-on 2025-06-01
req enforcer GET '/api/v1/officers?expiring_within=60'
expect_status 200
same_as_cli d officer list --expiring-within 60
[ "$(jv 'len(d)')" -ge 5 ] || fail "five certificates expire in January 2026"
refused 400 invalid_date may_act_on enforcer GET '/api/v1/officers?may_act_on=2025-02-30'
refused 400 '*' bogus enforcer GET '/api/v1/officers?bogus=1'
ok "GET /api/v1/officers: 'zhifa officer list' (also --may-act-on, --expiring-within); 400 naming a bad parameter"

req enforcer GET "/api/v1/officers/$E1"
expect_status 200
same_as_cli d officer show "$E1"
E1_ID=$(jv 'd["id"]')
req head GET "/api/v1/officers/$E1_ID"
expect_status 200
[ "$(jv 'd["cert_no"]')" = "$E1" ] || fail "officer by id"
refused 404 officer_not_found officer enforcer GET /api/v1/officers/150826299999
ok "GET /api/v1/officers/{id}: 'zhifa officer show' by certificate number or id; unknown → 404"

OFF_ID=019b0000-0000-7000-8000-0000000000a1
lsize
s0=$LSIZE
req sysadmin POST /api/v1/officers "{\"id\":\"$OFF_ID\",\"name\":\"测试员\",\"cert_no\":\"150826209901\",\"valid_from\":\"2025-01-01\",\"valid_to\":\"2028-12-31\",\"roles\":[\"enforcer\"]}"
expect_status 201
[ "$(jv 'd["id"]')" = "$OFF_ID" ] || fail "the client-chosen id was not kept: $(jv 'd["id"]')"
same_as_cli d officer show 150826209901
[ "$(last_action)" = officer.add ] || fail "officer entry: $(last_action)"
lsize
[ "$LSIZE" -eq $((s0 + 1)) ] || fail "officer add wrote $((LSIZE - s0)) entries"
refused 400 invalid_date valid_from sysadmin POST /api/v1/officers \
	'{"name":"测试员二","cert_no":"150826209902","valid_from":"2025-02-30","valid_to":"2028-12-31"}'
refused 400 required cert_no sysadmin POST /api/v1/officers \
	'{"name":"测试员二","valid_from":"2025-01-01","valid_to":"2028-12-31"}'
refused 400 invalid_type name sysadmin POST /api/v1/officers \
	'{"name":5,"cert_no":"150826209902","valid_from":"2025-01-01","valid_to":"2028-12-31"}'
refused 400 invalid_id id sysadmin POST /api/v1/officers \
	'{"id":"not-a-uuid","name":"测试员二","cert_no":"150826209902","valid_from":"2025-01-01","valid_to":"2028-12-31"}'
refused 400 unknown_field salary sysadmin POST /api/v1/officers \
	'{"name":"测试员二","cert_no":"150826209902","valid_from":"2025-01-01","valid_to":"2028-12-31","salary":1}'
req sysadmin POST /api/v1/officers \
	'{"name":"测试员三","cert_no":"150826209901","valid_from":"2025-01-01","valid_to":"2028-12-31"}'
[ "$CODE" = 409 ] || fail "a second officer with certificate 150826209901: $CODE, want 409"
unchanged "$((s0 + 1))" "a duplicate certificate"
ok "POST /api/v1/officers: 201 with the client-chosen id, as 'zhifa officer show'; 400 naming valid_from/cert_no/name/id/salary, 409 duplicate, nothing written"

req sysadmin PATCH /api/v1/officers/150826209901 '{"status":"suspended","reason":"调离执法岗位"}'
expect_status 200
[ "$(jv 'd["status"]')" = suspended ] || fail "not suspended"
same_as_cli d officer show 150826209901
refused 400 invalid_date valid_to sysadmin PATCH /api/v1/officers/150826209901 '{"valid_to":"2028-13-01"}'
refused 400 unknown_field cert_no sysadmin PATCH /api/v1/officers/150826209901 '{"cert_no":"1"}'
refused 404 officer_not_found officer sysadmin PATCH /api/v1/officers/150826299999 \
	'{"status":"suspended","reason":"x"}'
ok "PATCH /api/v1/officers/{id}: suspended, as 'zhifa officer show'; 400 valid_to/cert_no, 404 unknown"

# ---- parties ----------------------------------------------------------------

req auditor GET /api/v1/parties
expect_status 200
same_as_cli d party list
req enforcer GET '/api/v1/parties?kind=org'
expect_status 200
same_as_cli d party list --kind org
refused 400 unknown_code kind enforcer GET '/api/v1/parties?kind=robot'
ok "GET /api/v1/parties: 'zhifa party list' (and --kind org); 400 kind"

req enforcer GET "/api/v1/parties/$PARTY"
expect_status 200
same_as_cli d party show "$PARTY"
PARTY_ID=$(jv 'd["id"]')
refused 404 party_not_found party enforcer GET /api/v1/parties/019b0000-0000-7000-8000-00000000dead
ok "GET /api/v1/parties/{id}: 'zhifa party show'; unknown → 404"

P_ID=019b0000-0000-7000-8000-0000000000b1
lsize
s0=$LSIZE
req enforcer POST /api/v1/parties "{\"id\":\"$P_ID\",\"kind\":\"person\",\"name\":\"李测试\",\"id_number\":\"11010519491231002X\",\"phone\":\"13800000000\"}"
expect_status 201
[ "$(jv 'd["id"]')" = "$P_ID" ] || fail "the client-chosen id was not kept"
same_as_cli d party show "$P_ID"
[ "$(last_action)" = party.add ] || fail "party entry: $(last_action)"
refused 409 '*' '*' enforcer POST /api/v1/parties "{\"id\":\"$P_ID\",\"kind\":\"person\",\"name\":\"李测试\",\"id_number\":\"11010519491231002X\"}"
refused 400 invalid_resident_id id_number enforcer POST /api/v1/parties \
	'{"kind":"person","name":"王测试","id_number":"110105194912310021"}'
refused 400 required name enforcer POST /api/v1/parties '{"kind":"person","id_number":"11010519491231002X"}'
refused 400 invalid_text name enforcer POST /api/v1/parties \
	"{\"kind\":\"person\",\"name\":\"$(printf '%0101d' 0)\"}"
unchanged "$((s0 + 1))" "party refusals"
ok "POST /api/v1/parties: 201 with the client-chosen id, as 'zhifa party show'; resent id → 409; 400 id_number/name"

req head POST "/api/v1/parties/$P_ID/erase" '{"reason":"保存期限届满"}'
expect_status 200
[ "$(jv 'd["erased"]')" = true ] || fail "not erased"
same_as_cli d party show "$P_ID"
[ "$(last_action)" = party.erase ] || fail "erase entry: $(last_action)"
refused 400 required reason head POST "/api/v1/parties/$PARTY_ID/erase" '{}'
refused 404 party_not_found party head POST /api/v1/parties/019b0000-0000-7000-8000-00000000dead/erase \
	'{"reason":"x"}'
refused 403 forbidden '' enforcer POST "/api/v1/parties/$PARTY_ID/erase" '{"reason":"x"}'
ok "POST /api/v1/parties/{id}/erase (head): erased, as 'zhifa party show'; 400 reason, 404, 403 for an enforcer"

# ---- vehicles and devices -----------------------------------------------------

req disclosure GET /api/v1/vehicles
expect_status 200
same_as_cli d vehicle list
VEH_ID=019b0000-0000-7000-8000-0000000000c1
req reviewer POST /api/v1/vehicles "{\"id\":\"$VEH_ID\",\"plate\":\"蒙L8T888\",\"config\":\"truck\",\"axles\":6,\"owner\":\"$PARTY\"}"
expect_status 201
cp "$OUT" "$T/a.json"
cli "$T/b.json" vehicle list
why=$(jsame "$T/a.json" d "$T/b.json" '[v for v in d if v["id"] == "019b0000-0000-7000-8000-0000000000c1"][0]') ||
	fail "POST /vehicles is not the vehicle of 'zhifa vehicle list': $why"
refused 400 invalid_plate plate enforcer POST /api/v1/vehicles '{"plate":"ABC","config":"truck"}'
refused 400 invalid_number axles enforcer POST /api/v1/vehicles '{"plate":"蒙L8T889","config":"truck","axles":99}'
ok "GET/POST /api/v1/vehicles: 'zhifa vehicle list'; 201 for the legal reviewer; 400 plate/axles"

req sysadmin GET /api/v1/devices
expect_status 200
same_as_cli d device list
DEV_ID=019b0000-0000-7000-8000-0000000000f1
req sysadmin POST /api/v1/devices "{\"id\":\"$DEV_ID\",\"code\":\"DSJ-11\",\"kind\":\"body_camera\",\"name\":\"执法记录仪11号\"}"
expect_status 201
[ "$(jv 'd["id"]')" = "$DEV_ID" ] || fail "the client-chosen id was not kept"
cp "$OUT" "$T/a.json"
cli "$T/b.json" device list
why=$(jsame "$T/a.json" d "$T/b.json" '[v for v in d if v["code"] == "DSJ-11"][0]') ||
	fail "POST /devices: $why"
refused 400 required kind sysadmin POST /api/v1/devices '{"code":"DSJ-12"}'
refused 409 '*' '*' sysadmin POST /api/v1/devices '{"code":"DSJ-11","kind":"body_camera"}'
ok "GET/POST /api/v1/devices: 'zhifa device list'; 201 with the client-chosen id; 400 kind; 409 duplicate code"

# ---- calendar and deadlines --------------------------------------------------

req enforcer GET /api/v1/calendar
expect_status 200
same_as_cli d calendar list
req disclosure POST /api/v1/calendar/due '{"from":"2025-09-30","working_days":5}'
expect_status 200
[ "$(jv 'd["due"]')" = 2025-10-14 ] || fail "due $(jv 'd["due"]'), want 2025-10-14"
same_as_cli d calendar add --from 2025-09-30 --working-days 5
req secadmin POST /api/v1/calendar/due '{"from":"2025-09-20","days":15}'
expect_status 200
same_as_cli d calendar add --from 2025-09-20 --days 15
refused 400 not_allowed days enforcer POST /api/v1/calendar/due '{"from":"2025-09-30","working_days":5,"days":3}'
refused 400 invalid_date from enforcer POST /api/v1/calendar/due '{"from":"2025-02-29","days":3}'
refused 400 invalid_number working_days enforcer POST /api/v1/calendar/due '{"from":"2025-09-30","working_days":-1}'
ok "GET /api/v1/calendar, POST /calendar/due: as 'zhifa calendar list / add'; 400 days/from/working_days"

cat >"$T/2027.tsv" <<'EOF'
# TEST FIXTURE ONLY: not the State Council's 2027 notice.
year	2027
source	测试用 2027 年节假日安排（非真实通知）
basis	全国年节及纪念日放假办法（2024-11-10 修订）

2027-01-01	holiday	元旦
2027-01-02	holiday	元旦
2027-01-03	holiday	元旦
EOF
body=$(py get "$T/orgs.json" "json.dumps({'text': open('$T/2027.tsv', encoding='utf-8').read()}, ensure_ascii=False)")
refused 400 invalid_calendar_file '*' sysadmin POST /api/v1/calendar/years '{"text":"year\t2027\n2027-02-30\tholiday\t错\n"}'
refused 400 required text sysadmin POST /api/v1/calendar/years '{}'
req sysadmin POST /api/v1/calendar/years "$body"
expect_status 201
[ "$(jv 'd["loaded"]')" = true ] || fail "not loaded"
req sysadmin GET /api/v1/calendar
expect_status 200
same_as_cli d calendar list
[ "$(jv 'd[-1]["year"]')" = 2027 ] || fail "2027 not listed"
ok "POST /api/v1/calendar/years: a (test) 2027 loaded and listed; 400 text"

req head GET /api/v1/deadlines
expect_status 200
same_as_cli d deadline list
ok "GET /api/v1/deadlines: 'zhifa deadline list'"

# ---- users (三权分立) -----------------------------------------------------------

req sysadmin GET /api/v1/users
expect_status 200
same_as_cli d user list
req secadmin GET /api/v1/users
expect_status 200
[ "$(jv 'len(d)')" = 9 ] || fail "the county has 9 demo users"
ok "GET /api/v1/users: 'zhifa user list' for the system and the security administrator"

U_ID=019b0000-0000-7000-8000-0000000000d1
refused 403 admin_role_by_security_admin roles sysadmin POST /api/v1/users \
	'{"username":"api.tester","roles":["security_admin"],"password":"Str0ng-Passw0rd!"}'
refused 400 weak_password password sysadmin POST /api/v1/users \
	'{"username":"api.tester","roles":["enforcer"],"password":"short"}'
refused 400 unknown_code roles sysadmin POST /api/v1/users \
	'{"username":"api.tester","roles":["king"],"password":"Str0ng-Passw0rd!"}'
req sysadmin POST /api/v1/users "{\"id\":\"$U_ID\",\"username\":\"api.tester\",\"display_name\":\"接口测试\",\"roles\":[\"enforcer\"],\"password\":\"Str0ng-Passw0rd!\"}"
expect_status 201
[ "$(jv 'd["id"]')" = "$U_ID" ] || fail "the client-chosen id was not kept"
jv d | grep -q password && fail "the answer shows the password"
cp "$OUT" "$T/a.json"
cli "$T/b.json" user list
why=$(jsame "$T/a.json" d "$T/b.json" '[u for u in d if u["username"] == "api.tester"][0]') ||
	fail "POST /users: $why"
[ "$(last_action)" = user.add ] || fail "user entry: $(last_action)"
ok "POST /api/v1/users: 201 with the client-chosen id, as 'zhifa user list'; admin roles 403, weak password and unknown role 400"

req secadmin PUT /api/v1/users/api.tester/roles '{"roles":["enforcer","legal_reviewer"]}'
expect_status 200
[ "$(jv 'd["roles"]')" = enforcer,legal_reviewer ] || fail "roles $(jv 'd["roles"]')"
[ "$(last_action)" = user.roles ] || fail "roles entry: $(last_action)"
refused 409 roles_conflict roles secadmin PUT "/api/v1/users/$U_ID/roles" '{"roles":["system_admin","security_admin"]}'
refused 409 roles_conflict roles secadmin PUT "/api/v1/users/$U_ID/roles" '{"roles":["enforcer","audit_admin"]}'
refused 403 roles_conflict id secadmin PUT /api/v1/users/secadmin/roles '{"roles":["security_admin"]}'
refused 404 user_not_found id secadmin PUT /api/v1/users/no.such.user/roles '{"roles":["enforcer"]}'
refused 403 forbidden '' sysadmin PUT "/api/v1/users/$U_ID/roles" '{"roles":["enforcer"]}'
ok "PUT /api/v1/users/{id}/roles (security admin): roles changed, ledgered; admin conflicts 409, own roles 403, 404, 403 for the system admin"

req sysadmin POST "/api/v1/users/$U_ID/password" '{"password":"An0ther-Passw0rd!"}'
expect_status 200
[ "$(last_action)" = user.password ] || fail "password entry: $(last_action)"
refused 403 forbidden id sysadmin POST /api/v1/users/sysadmin/password '{"password":"An0ther-Passw0rd!"}'
refused 400 weak_password password sysadmin POST "/api/v1/users/$U_ID/password" '{"password":"aaaaaaaaaaaa"}'
ok "POST /api/v1/users/{id}/password (system admin): 200, ledgered; own 403; weak 400"

refused 409 user_not_locked id secadmin POST "/api/v1/users/$U_ID/unlock"
# lock api.tester: 5 wrong passwords from one address
for i in 1 2 3 4 5; do
	req -a 127.0.0.200 - POST /api/v1/login '{"username":"api.tester","password":"Wrong-Passw0rd!"}'
	[ "$CODE" = 401 ] || fail "wrong password $i: $CODE"
done
req -a 127.0.0.201 - POST /api/v1/login '{"username":"api.tester","password":"An0ther-Passw0rd!"}'
expect_error 401 user_locked
req secadmin POST "/api/v1/users/$U_ID/unlock"
expect_status 200
[ "$(jv 'd["status"]')" = active ] || fail "unlock: status $(jv 'd["status"]')"
[ "$(last_action)" = user.unlock ] || fail "unlock entry: $(last_action)"
ok "POST /api/v1/users/{id}/unlock (security admin): 409 when not locked; after 5 failures user_locked, unlocked → active"

req secadmin POST "/api/v1/users/$U_ID/totp"
expect_status 200
SECRET=$(jv 'd["totp_secret"]')
echo "$SECRET" | grep -Eq '^[A-Z2-7]{32}$' || fail "totp_secret '$SECRET' is not 32 base32 characters"
[ "$(jv 'd["totp_enrolled"]')" = true ] || fail "totp_enrolled"
cli "$T/b.json" user list
[ "$(jfv "$T/b.json" '[u["totp_enrolled"] for u in d if u["username"] == "api.tester"][0]')" = true ] ||
	fail "user list: not enrolled"
grep -q "$SECRET" "$T/b.json" && fail "user list shows the TOTP secret"
req -a 127.0.0.202 - POST /api/v1/login '{"username":"api.tester","password":"An0ther-Passw0rd!"}'
expect_error 401 totp_required totp
api_login tester api.tester "$SECRET" An0ther-Passw0rd!
expect_status 200
ok "POST /api/v1/users/{id}/totp (security admin): the secret shown once; the user then logs in with a TOTP code"

refused 403 wrong_password old_password tester POST /api/v1/me/password \
	'{"old_password":"Wrong-Passw0rd!","new_password":"Third-Passw0rd!"}'
refused 400 password_unchanged new_password tester POST /api/v1/me/password \
	'{"old_password":"An0ther-Passw0rd!","new_password":"An0ther-Passw0rd!"}'
refused 400 weak_password new_password tester POST /api/v1/me/password \
	'{"old_password":"An0ther-Passw0rd!","new_password":"short"}'
req tester POST /api/v1/me/password '{"old_password":"An0ther-Passw0rd!","new_password":"Third-Passw0rd!"}'
expect_status 200
[ "$(last_action)" = user.password ] || fail "own password entry: $(last_action)"
ok "POST /api/v1/me/password: 200, ledgered; wrong old password 403, unchanged or weak 400"

req sysadmin POST "/api/v1/users/$U_ID/disable"
expect_status 200
[ "$(jv 'd["status"]')" = disabled ] || fail "not disabled"
cp "$OUT" "$T/a.json"
cli "$T/b.json" user list
why=$(jsame "$T/a.json" d "$T/b.json" '[u for u in d if u["username"] == "api.tester"][0]') ||
	fail "disable: $why"
[ "$(last_action)" = user.update ] || fail "disable entry: $(last_action)"
req tester GET /api/v1/me
expect_error 401 login_required
refused 409 user_disabled id sysadmin POST "/api/v1/users/$U_ID/disable"
refused 403 forbidden id sysadmin POST /api/v1/users/sysadmin/disable
refused 404 user_not_found id sysadmin POST /api/v1/users/no.such.user/disable
ok "POST /api/v1/users/{id}/disable (system admin): disabled, its session ends; again 409, self 403, unknown 404"

# ---- violations and discretion -----------------------------------------------

req auditor GET /api/v1/violations
expect_status 200
same_as_cli d violation list
req enforcer GET /api/v1/violations/overload_mass
expect_status 200
same_as_cli d violation show overload_mass
refused 404 unknown_code code enforcer GET /api/v1/violations/no_such_violation
ok "GET /api/v1/violations[/{code}]: 'zhifa violation list / show'; unknown → 404"

py exec "$T/orgs.json" "import json as j; v=[x for x in j.load(open('$SRC/data/violations/road.json', encoding='utf-8'))['violations'] if x['code']=='road_spill_load']; open('$T/import.json','w',encoding='utf-8').write(j.dumps({'name':'测试导入的裁量基准','standard':{'standard':'测试用裁量基准（非正式文件，仅供测试）','violations':v}},ensure_ascii=False))" ||
	fail "cannot write the import body"
refused 400 required standard head POST /api/v1/violations/imports '{"name":"测试"}'
refused 400 invalid_violation_file '*' head POST /api/v1/violations/imports \
	'{"name":"测试","standard":{"standard":"x","violations":[{"code":"bad"}]}}'
refused 400 invalid_type standard head POST /api/v1/violations/imports '{"name":"测试","standard":5}'
refused 403 forbidden '' enforcer POST /api/v1/violations/imports -f "$T/import.json"
req -f "$T/import.json" head POST /api/v1/violations/imports
expect_status 201
[ "$(jv 'd["name"]')" = 测试导入的裁量基准 ] || fail "import name"
[ "$(last_action)" = violation.import ] || fail "import entry: $(last_action)"
req enforcer GET /api/v1/violations/road_spill_load
expect_status 200
same_as_cli d violation show road_spill_load
ok "POST /api/v1/violations/imports (head): 201, ledgered, the catalogue as the CLI sees it; 400 standard, 403 for an enforcer"

req auditor POST /api/v1/discretion/proposals '{"violation":"overload_mass","level":"ordinary","act_date":"2025-03-01","party_kind":"person","ground":["eliminated_harm"]}'
expect_status 200
same_as_cli d discretion propose --violation overload_mass --level ordinary --act-date 2025-03-01 \
	--party-kind person --ground eliminated_harm
refused 400 unknown_code party_kind enforcer POST /api/v1/discretion/proposals \
	'{"violation":"overload_mass","act_date":"2025-03-01","party_kind":"robot"}'
refused 400 required act_date enforcer POST /api/v1/discretion/proposals \
	'{"violation":"overload_mass","party_kind":"person"}'
refused 400 unknown_code ground enforcer POST /api/v1/discretion/proposals \
	'{"violation":"overload_mass","act_date":"2025-03-01","party_kind":"person","ground":["luck"]}'
ok "POST /api/v1/discretion/proposals: as 'zhifa discretion propose', nothing written; 400 party_kind/act_date/ground"

# ---- a general case, 线索登记 to 归档 ----------------------------------------------

C1=019b0000-0000-7000-8000-0000000000e1
GEN="\"procedure\":\"general\",\"party\":\"$PARTY\",\"violation\":\"overload_mass\",\"place\":\"G242 K12\",\"facts\":\"车货总质量 55 吨\""
NEW="$GEN,\"act_date\":\"2025-12-01\""
refused 400 required party enforcer POST /api/v1/cases \
	"{\"procedure\":\"general\",\"violation\":\"overload_mass\",\"officers\":$OFFICERS}"
refused 400 unknown_code procedure enforcer POST /api/v1/cases \
	"{\"procedure\":\"fast\",\"party\":\"$PARTY\",\"officers\":$OFFICERS}"
refused 400 invalid_date date enforcer POST /api/v1/cases "{$NEW,\"officers\":$OFFICERS,\"date\":\"2025-11-31\"}"
refused 400 date_in_future date enforcer POST /api/v1/cases "{$NEW,\"officers\":$OFFICERS,\"date\":\"2026-01-05\"}"
refused 400 invalid_type officers enforcer POST /api/v1/cases "{$NEW,\"officers\":\"$E1\"}"
refused 400 not_allowed kind enforcer POST /api/v1/cases "{$NEW,\"officers\":$OFFICERS,\"kind\":\"fine\"}"
refused 400 invalid_id id enforcer POST /api/v1/cases "{$NEW,\"officers\":$OFFICERS,\"id\":\"X\"}"
refused 400 unknown_field colour enforcer POST /api/v1/cases "{$NEW,\"officers\":$OFFICERS,\"colour\":\"red\"}"
refused 403 not_assigned officers enforcer POST /api/v1/cases "{$NEW,\"officers\":[\"$E2\",\"150826200008\"]}"
refused 403 not_assigned approver enforcer POST /api/v1/cases "{$NEW,\"officers\":$OFFICERS,\"approver\":\"$HEAD\"}"
refused 403 forbidden '' disclosure POST /api/v1/cases "{$NEW,\"officers\":$OFFICERS}"
refused 409 officer_not_certified officers head POST /api/v1/cases \
	"{$NEW,\"officers\":[\"$E1\",\"150826209901\"],\"approver\":\"$HEAD\",\"date\":\"2025-12-01\"}"
msg_has 第四十二条
ok "POST /api/v1/cases refusals: 400 party/procedure/date/officers/kind/id/colour, 403 not_assigned and forbidden, 409 officer_not_certified (第四十二条), nothing written"

lsize
s0=$LSIZE
req enforcer POST /api/v1/cases "{$NEW,\"officers\":$OFFICERS,\"date\":\"2025-12-01\",\"id\":\"$C1\"}"
expect_status 201
[ "$(jv 'd["id"]') $(jv 'd["state"]')" = "$C1 clue" ] || fail "case $(jv 'd["id"]') $(jv 'd["state"]')"
cp "$OUT" "$T/c1.json"
same_as_cli d case show "$C1"
req enforcer POST /api/v1/cases "{$NEW,\"officers\":$OFFICERS,\"date\":\"2025-12-01\",\"id\":\"$C1\"}"
[ "$CODE" = 200 ] || [ "$CODE" = 201 ] || fail "resent creation: status $CODE"
why=$(jsame "$OUT" d "$T/c1.json" d) || fail "resent creation answers another case: $why"
lsize
[ "$LSIZE" -eq $((s0 + 1)) ] || fail "a resent creation wrote $((LSIZE - s0 - 1)) more entries"
ok "POST /api/v1/cases (enforcer): 201 线索登记 with the client-chosen id, as 'zhifa case show'; resent → the same case, one entry"

# step WHO BODY STATE: one step of case $CID, 200 and the new state
step() {
	req "$1" POST "/api/v1/cases/$CID/steps" "$2"
	expect_status 200
	[ "$(jv 'd["state"]')" = "$3" ] || fail "state $(jv 'd["state"]'), want $3"
}

CID=$C1
refused 403 not_assigned approver enforcer POST "/api/v1/cases/$CID/steps" \
	"{\"transition\":\"file\",\"officers\":$OFFICERS,\"approver\":\"$HEAD\",\"date\":\"2025-12-01\"}"
step head "{\"transition\":\"file\",\"officers\":$OFFICERS,\"approver\":\"$HEAD\",\"date\":\"2025-12-01\"}" filed
C1_NO=$(jv 'd["number"]')
case $C1_NO in 杭交执罚立字〔2025〕第*号) ;; *) fail "case number $C1_NO" ;; esac
[ "$(last_action)" = case.file ] || fail "file entry: $(last_action)"
step enforcer "{\"transition\":\"evidence\",\"officers\":$OFFICERS,\"date\":\"2025-12-02\",\"params\":{\"note\":\"称重记录\"}}" filed
refused 400 unknown_code transition enforcer POST "/api/v1/cases/$CID/steps" '{"transition":"fly"}'
refused 400 not_allowed transition enforcer POST "/api/v1/cases/$CID/steps" '{"transition":"register"}'
refused 400 unknown_field params.colour enforcer POST "/api/v1/cases/$CID/steps" \
	"{\"transition\":\"evidence\",\"officers\":$OFFICERS,\"params\":{\"colour\":\"red\"}}"
refused 400 invalid_type params.amount_fen enforcer POST "/api/v1/cases/$CID/steps" \
	"{\"transition\":\"notify\",\"officers\":$OFFICERS,\"params\":{\"kind\":\"fine\",\"amount_fen\":\"3000\"}}"
refused 400 date_in_future date enforcer POST "/api/v1/cases/$CID/steps" \
	"{\"transition\":\"evidence\",\"officers\":$OFFICERS,\"date\":\"2026-01-02\"}"
refused 409 date_before_previous_step date enforcer POST "/api/v1/cases/$CID/steps" \
	"{\"transition\":\"evidence\",\"officers\":$OFFICERS,\"date\":\"2025-11-30\"}"
refused 404 case_not_found '*' enforcer POST /api/v1/cases/019b0000-0000-7000-8000-00000000dead/steps \
	"{\"transition\":\"evidence\",\"officers\":$OFFICERS}"
step enforcer "{\"transition\":\"notify\",\"officers\":$OFFICERS,\"date\":\"2025-12-02\",\"params\":{\"kind\":\"fine\",\"amount_fen\":300000,\"level\":\"ordinary\"}}" notified
refused 409 statement_window_open date head POST "/api/v1/cases/$CID/steps" \
	"{\"transition\":\"approve\",\"approver\":\"$HEAD\",\"date\":\"2025-12-03\",\"params\":{\"kind\":\"fine\",\"amount_fen\":300000}}"
msg_has 第四十四条
refused 403 not_assigned reviewer reviewer POST "/api/v1/cases/$CID/steps" \
	"{\"transition\":\"legal_review\",\"reviewer\":\"$HEAD\",\"date\":\"2025-12-08\",\"params\":{\"result\":\"pass\",\"opinion\":\"x\"}}"
step reviewer "{\"transition\":\"legal_review\",\"reviewer\":\"$REV\",\"date\":\"2025-12-08\",\"params\":{\"result\":\"pass\",\"opinion\":\"事实清楚，证据确凿\"}}" notified
step head "{\"transition\":\"approve\",\"approver\":\"$HEAD\",\"date\":\"2025-12-10\",\"params\":{\"kind\":\"fine\",\"amount_fen\":300000}}" approved
step enforcer2 "{\"transition\":\"decide\",\"officers\":$OFFICERS,\"date\":\"2025-12-10\"}" decided
step enforcer "{\"transition\":\"serve\",\"officers\":$OFFICERS,\"date\":\"2025-12-11\",\"params\":{\"method\":\"direct\"}}" served
refused 403 not_assigned '' reviewer POST "/api/v1/cases/$CID/steps" \
	'{"transition":"pay","date":"2025-12-12","params":{"amount_fen":300000}}'
step enforcer '{"transition":"pay","date":"2025-12-12","params":{"amount_fen":300000}}' executed
step head "{\"transition\":\"close\",\"approver\":\"$HEAD\",\"date\":\"2025-12-15\",\"params\":{\"summary\":\"已缴清\"}}" closed
step enforcer '{"transition":"archive","date":"2025-12-16"}' archived
[ "$(last_action)" = case.archive ] || fail "archive entry: $(last_action)"
[ "$(jv '" ".join(s["transition"] for s in d["steps"])')" = "register file evidence notify legal_review approve decide serve pay close archive" ] ||
	fail "steps: $(jv '" ".join(s["transition"] for s in d["steps"])')"
ARCHIVE_SEQ=$(jv 'd["steps"][-1]["ledger_seq"]')
same_as_cli d case show "$C1"
ok "a general case $C1_NO: file (head), evidence, notify, legal_review (reviewer), approve (head), decide, serve, pay, close, archive; approval in the statement window 409 第四十四条; step refusals 400/403/404/409"

req auditor GET "/api/v1/cases/$C1"
expect_status 200
same_as_cli d case show "$C1"
NO_Q=$(py get "$T/c1.json" "__import__('urllib.parse').parse.quote('$C1_NO')")
req disclosure GET "/api/v1/cases/$NO_Q"
expect_status 200
[ "$(jv 'd["id"]')" = "$C1" ] || fail "case by number: $(jv 'd["id"]')"
req sup GET "/api/v1/cases/$C1?org=150826"
expect_status 200
[ "$(jv 'd["id"]')" = "$C1" ] || fail "case for the city"
refused 404 case_not_found '*' enforcer GET /api/v1/cases/019b0000-0000-7000-8000-00000000dead
refused 400 '*' bogus enforcer GET "/api/v1/cases/$C1?bogus=1"
ok "GET /api/v1/cases/{id}: 'zhifa case show' by id or number; the city with ?org=150826; unknown → 404"

req enforcer POST "/api/v1/cases/$C1/notes" '{"text":"归档后补充：当事人已整改"}'
expect_status 200
[ "$(jv 'd["notes"][-1]["text"]')" = 归档后补充：当事人已整改 ] || fail "note not kept"
same_as_cli d case show "$C1"
refused 400 required text enforcer POST "/api/v1/cases/$C1/notes" '{}'
refused 400 invalid_date date enforcer POST "/api/v1/cases/$C1/notes" '{"text":"x","date":"2025-13-01"}'
refused 403 not_assigned '' reviewer POST "/api/v1/cases/$C1/notes" '{"text":"x"}'
ok "POST /api/v1/cases/{id}/notes: a note after archiving; 400 text/date; 403 for a user not on the case"

# ---- a second general case: create-and-file by the head, extend, void -------

lsize
s0=$LSIZE
req head POST /api/v1/cases "{$GEN,\"act_date\":\"2025-12-20\",\"officers\":$OFFICERS,\"approver\":\"$HEAD\",\"date\":\"2025-12-20\"}"
expect_status 201
[ "$(jv 'd["state"]')" = filed ] || fail "created by the head: state $(jv 'd["state"]')"
C2=$(jv 'd["id"]')
C2_NO=$(jv 'd["number"]')
lsize
[ "$LSIZE" -eq $((s0 + 2)) ] || fail "register + file wrote $((LSIZE - s0)) entries"
ok "POST /api/v1/cases by the head with an approver: registered and filed ($C2_NO), two entries"

refused 400 invalid_number days head POST "/api/v1/cases/$C2/extend" "{\"days\":0,\"reason\":\"x\",\"approver\":\"$HEAD\"}"
refused 400 required reason head POST "/api/v1/cases/$C2/extend" "{\"days\":30,\"approver\":\"$HEAD\"}"
refused 403 not_assigned approver enforcer POST "/api/v1/cases/$C2/extend" "{\"days\":30,\"reason\":\"x\",\"approver\":\"$HEAD\"}"
req head POST "/api/v1/cases/$C2/extend" "{\"days\":30,\"reason\":\"案情复杂，需补充鉴定\",\"approver\":\"$HEAD\"}"
expect_status 200
[ "$(jv '[c["extended_days"] for c in d["clocks"] if c["kind"] == "decision"][0]')" = 30 ] ||
	fail "decision clock not extended by 30 days"
same_as_cli d case show "$C2"
[ "$(last_action)" = case.extend ] || fail "extend entry: $(last_action)"
ok "POST /api/v1/cases/{id}/extend (head): the decision clock +30 days, as 'zhifa case show'; 400 days/reason, 403 enforcer"

C2_NO_Q=$(py get "$T/c1.json" "__import__('urllib.parse').parse.quote('$C2_NO')")
refused 400 required reason head POST "/api/v1/documents/$C2_NO_Q/void" '{}'
refused 404 document_not_found number head POST /api/v1/documents/NO-SUCH-NUMBER/void '{"reason":"x"}'
refused 403 forbidden '' enforcer POST "/api/v1/documents/$C2_NO_Q/void" '{"reason":"x"}'
req head POST "/api/v1/documents/$C2_NO_Q/void" '{"reason":"填写错误"}'
expect_status 200
[ "$(jv 'd["number"]') $(jv 'd["status"]')" = "$C2_NO void" ] || fail "void answer"
[ "$(last_action)" = case.void_document ] || fail "void entry: $(last_action)"
cli "$T/b.json" case show "$C2"
[ "$(jfv "$T/b.json" "[x['status'] for x in d['documents'] if x['number'] == '$C2_NO'][0]")" = void ] ||
	fail "case show: document not void"
refused 409 document_already_void number head POST "/api/v1/documents/$C2_NO_Q/void" '{"reason":"再次作废"}'
ok "POST /api/v1/documents/{number}/void (head): void, as 'zhifa case show'; again 409; 400 reason; 404; 403 enforcer"

# ---- pre-printed forms and a simplified case -------------------------------

refused 400 invalid_number last head POST /api/v1/stocks '{"kind":"onsite_decision","prefix":"杭交当","first":50,"last":1}'
refused 400 unknown_code kind head POST /api/v1/stocks '{"kind":"receipt","prefix":"杭交当","first":1,"last":50}'
refused 400 required prefix head POST /api/v1/stocks '{"kind":"onsite_decision","first":1,"last":50}'
refused 403 forbidden '' enforcer POST /api/v1/stocks '{"kind":"onsite_decision","prefix":"杭交当","first":1,"last":50}'
req head POST /api/v1/stocks '{"kind":"onsite_decision","prefix":"杭交当","first":1,"last":50}'
expect_status 201
[ "$(last_action)" = stock.add ] || fail "stock entry: $(last_action)"
ok "POST /api/v1/stocks (head): 杭交当0001-0050 registered; 400 last/kind/prefix; 403 enforcer"

SP="\"procedure\":\"simplified\",\"party\":\"$PARTY\",\"violation\":\"road_spill_load\",\"act_date\":\"2025-12-20\",\"place\":\"S212 K3\",\"facts\":\"运输煤炭未覆盖，遗洒污染路面约15米\",\"officers\":$OFFICERS,\"date\":\"2025-12-20\",\"level\":\"minor\",\"kind\":\"fine\""
refused 409 simplified_not_allowed amount enforcer POST /api/v1/cases "{$SP,\"amount_fen\":30000}"
msg_has 第五十一条
refused 409 form_not_in_stock '*' enforcer POST /api/v1/cases "{$SP,\"amount_fen\":10000,\"form_number\":\"杭交当0051\"}"
msg_has 第五十二条
refused 400 not_allowed approver enforcer POST /api/v1/cases "{$SP,\"amount_fen\":10000,\"approver\":\"$HEAD\"}"
req enforcer POST /api/v1/cases "{$SP,\"amount_fen\":10000,\"form_number\":\"杭交当0001\"}"
expect_status 201
[ "$(jv 'd["state"]') $(jv 'd["number"]')" = "onsite_decided 杭交当0001" ] ||
	fail "simplified: $(jv 'd["state"]') $(jv 'd["number"]')"
CID=$(jv 'd["id"]')
C3=$CID
step enforcer2 "{\"transition\":\"deliver\",\"officers\":$OFFICERS,\"date\":\"2025-12-20\"}" delivered
step enforcer '{"transition":"pay","date":"2025-12-21","params":{"amount_fen":10000}}' executed
step enforcer '{"transition":"record","date":"2025-12-22"}' executed
step head "{\"transition\":\"close\",\"approver\":\"$HEAD\",\"date\":\"2025-12-23\",\"params\":{\"summary\":\"当场缴纳\"}}" closed
step enforcer '{"transition":"archive","date":"2025-12-24"}' archived
same_as_cli d case show "$C3"
ok "a simplified case 杭交当0001 (pre-printed form): deliver, pay, record, close, archive; 300 yuan 409 第五十一条, form 0051 409 第五十二条"

# ---- the case list: filters and keyset paging -------------------------------

cli "$T/list.json" case list
req auditor GET '/api/v1/cases?limit=5'
expect_status 200
[ "$(jv 'len(d["items"])')" = 5 ] || fail "first page: $(jv 'len(d["items"])') items"
cat "$OUT" >"$T/pages"
pages=1
next=$(jv 'd["next"]')
while [ "$next" != null ]; do
	req auditor GET "/api/v1/cases?limit=5&after=$next"
	expect_status 200
	n=$(jv 'len(d["items"])')
	[ "$n" -ge 1 ] && [ "$n" -le 5 ] || fail "page $((pages + 1)): $n items"
	echo >>"$T/pages"
	cat "$OUT" >>"$T/pages"
	pages=$((pages + 1))
	[ "$pages" -le 100 ] || fail "paging does not end"
	next=$(jv 'd["next"]')
done
pycheck "$T/list.json" <<EOF >"$ERR" || fail "paging: $(cat "$ERR")"
import json as j
pages = [j.loads(l) for l in open('$T/pages', encoding='utf-8') if l.strip()]
ids = [c['id'] for p in pages for c in p['items']]
if len(ids) != len(set(ids)):
    print('pages overlap'); raise SystemExit(1)
for p in pages[:-1]:
    if p['next'] != p['items'][-1]['id']:
        print('next is not the last id of its page'); raise SystemExit(1)
if ids != [c['id'] for c in d]:
    print('pages: %d cases, zhifa case list: %d (or another order)' % (len(ids), len(d))); raise SystemExit(1)
if [c for p in pages for c in p['items']] != d:
    print('page items differ from zhifa case list'); raise SystemExit(1)
EOF
ok "GET /api/v1/cases?limit=5, then after=next: $pages disjoint pages until next is null, together 'zhifa case list'"

req enforcer GET '/api/v1/cases?procedure=simplified&year=2025&limit=1000'
expect_status 200
[ "$(jv 'd["next"]')" = null ] || fail "one page of 1000"
cp "$OUT" "$T/a.json"
cli "$T/b.json" case list --procedure simplified --year 2025
why=$(jsame "$T/a.json" 'd["items"]' "$T/b.json" d) || fail "filtered list: $why"
req enforcer GET '/api/v1/cases?state=archived'
expect_status 200
cp "$OUT" "$T/a.json"
cli "$T/b.json" case list --state archived
why=$(jsame "$T/a.json" 'd["items"]' "$T/b.json" d) || fail "state filter: $why"
req sup GET '/api/v1/cases?org=150826&limit=1000'
expect_status 200
cp "$OUT" "$T/a.json"
why=$(jsame "$T/a.json" 'd["items"]' "$T/list.json" d) || fail "the city's view: $why"
req sup GET '/api/v1/cases'
expect_status 200
[ "$(jv 'len(d["items"])')" = 0 ] || fail "the city has no cases of its own"
refused 400 invalid_number limit enforcer GET '/api/v1/cases?limit=0'
refused 400 invalid_id after enforcer GET '/api/v1/cases?after=abc'
refused 400 unknown_code state enforcer GET '/api/v1/cases?state=flying'
refused 400 unknown_code procedure enforcer GET '/api/v1/cases?procedure=fast'
refused 400 '*' bogus enforcer GET '/api/v1/cases?bogus=1'
refused 404 org_not_found org enforcer GET '/api/v1/cases?org=150800'
ok "GET /api/v1/cases filters (procedure+year, state; the city with ?org=150826) as 'zhifa case list'; 400 limit/after/state/procedure/bogus; 404 org above"

# ---- clocks -----------------------------------------------------------------

req head GET /api/v1/clocks
expect_status 200
same_as_cli d clock list
req auditor GET '/api/v1/clocks?due_within=120'
expect_status 200
same_as_cli d clock list --due-within 120d
cp "$OUT" "$T/all.json"
req enforcer GET '/api/v1/clocks/mine?due_within=120d'
expect_status 200
cp "$OUT" "$T/mine.json"
pycheck "$T/mine.json" <<EOF >"$ERR" || fail "clocks/mine: $(cat "$ERR")"
import json as j
all = j.load(open('$T/all.json', encoding='utf-8'))
if any(c not in all for c in d):
    print('a clock of mine is not in the list'); raise SystemExit(1)
if not any(c['object_id'] == '$C2' for c in d):
    print('the decision clock of $C2 is missing'); raise SystemExit(1)
EOF
for id in $(jv '" ".join(sorted(set(c["object_id"] for c in d)))'); do
	cli "$T/b.json" case show "$id"
	[ "$(jfv "$T/b.json" "'$E1_ID' in d['officers']")" = true ] ||
		fail "clocks/mine lists case $id, which is not the enforcer's"
done
refused 400 '*' due_within enforcer GET '/api/v1/clocks?due_within=abc'
refused 400 '*' due_within enforcer GET '/api/v1/clocks?due_within=5000'
ok "GET /api/v1/clocks (as 'zhifa clock list [--due-within 120d]'), /clocks/mine: only the enforcer's cases; 400 due_within"

# ---- the ledger, for auditors ----------------------------------------------

req auditor GET /api/v1/ledger/entries
expect_status 200
same_as_cli d ledger list
[ "$(jv 'len(d)')" = 100 ] || fail "100 entries by default"
req auditadmin GET '/api/v1/ledger/entries?after=400&limit=20'
expect_status 200
same_as_cli d ledger list --after 400 --limit 20
[ "$(jv 'd[0]["seq"]') $(jv 'len(d)')" = "401 20" ] || fail "after=400&limit=20"
refused 400 invalid_number limit auditor GET '/api/v1/ledger/entries?limit=0'
refused 400 invalid_number limit auditor GET '/api/v1/ledger/entries?limit=1001'
refused 400 invalid_number after auditor GET '/api/v1/ledger/entries?after=-1'
refused 400 '*' bogus auditor GET '/api/v1/ledger/entries?bogus=1'
ok "GET /api/v1/ledger/entries: 'zhifa ledger list [--after --limit]' for auditor and audit admin; 400 limit/after/bogus"

req auditor GET "/api/v1/ledger/entries/$ARCHIVE_SEQ"
expect_status 200
same_as_cli d ledger show --entry "$ARCHIVE_SEQ"
[ "$(jv 'd["entry"]["action"]')" = case.archive ] || fail "entry $ARCHIVE_SEQ: $(jv 'd["entry"]["action"]')"
lsize
refused 404 '*' '*' auditor GET "/api/v1/ledger/entries/$((LSIZE + 1000))"
refused 400 invalid_number seq auditor GET /api/v1/ledger/entries/0
refused 400 invalid_number seq auditor GET /api/v1/ledger/entries/abc
ok "GET /api/v1/ledger/entries/{seq}: 'zhifa ledger show --entry' (the archive step's entry); 404 past the end, 400 seq"

req auditor GET /api/v1/ledger/verify
expect_status 200
[ "$(jv 'd["ok"]')" = true ] || fail "ledger verify: $(jv 'd["problems"]')"
same_as_cli d ledger verify
req auditadmin GET /api/v1/ledger/head
expect_status 200
same_as_cli d ledger head
req sup GET '/api/v1/ledger/head?org=150826'
expect_status 200
same_as_cli d ledger head
refused 404 org_not_found org auditor GET '/api/v1/ledger/head?org=150800'
ok "GET /api/v1/ledger/verify (ok), /ledger/head: as 'zhifa ledger verify / head'; the city reads the county's; 404 org above"

# ---- the public ledger: no login, verified offline -------------------------

refused 404 no_checkpoint '*' - GET '/public/ledger/checkpoint?org=150826'
refused 404 ledger_key_missing '*' - GET '/public/ledger/pubkey?org=150826'
expect_exit 0 "$ZHIFA" --db "$DB" ledger keygen --out "$T/key.pem"
expect_exit 0 "$ZHIFA" --db "$DB" ledger checkpoint
cp "$OUT" "$T/cp.cli"
expect_exit 0 "$ZHIFA" --db "$DB" ledger pubkey
req - GET '/public/ledger/checkpoint?org=150826'
expect_status 200
grep -qi '^content-type: text/plain' "$HDR" || fail "checkpoint is not text/plain"
cp "$OUT" "$T/cp.txt"
cmp -s "$T/cp.txt" "$T/cp.cli" || fail "the public checkpoint is not the one 'zhifa ledger checkpoint' signed"
req - GET "/public/ledger/checkpoint?org=$COUNTY"
expect_status 200
cmp -s "$OUT" "$T/cp.txt" || fail "checkpoint by organisation id differs"
req - GET '/public/ledger/pubkey?org=150826'
expect_status 200
cp "$OUT" "$T/pub.pem"
grep -q '^-----BEGIN PUBLIC KEY-----$' "$T/pub.pem" || fail "pubkey is not PEM"
cli "$T/b.json" ledger pubkey
[ "$(jfv "$T/b.json" 'd["public_pem"].strip()')" = "$(cat "$T/pub.pem")" ] ||
	fail "the public key is not 'zhifa ledger pubkey'"
req - GET "/public/ledger/proof?org=150826&entry=$ARCHIVE_SEQ"
expect_status 200
cp "$OUT" "$T/proof.json"
same_as_cli d ledger prove --entry "$ARCHIVE_SEQ"
[ "$(jv '"entry" in d or "canonical" in d')" = false ] || fail "the public proof shows the entry"
expect_exit 0 "$ZHIFA" --db "$DB" ledger show --entry "$ARCHIVE_SEQ" --raw
cp "$OUT" "$T/entry.raw"
mkdir "$T/offline"
expect_exit 0 "$ZHIFA" --db "$T/offline/none.db" ledger check-proof --proof "$T/proof.json" \
	--checkpoint "$T/cp.txt" --pubkey "$T/pub.pem" --entry "$T/entry.raw"
grep -q '^valid: true' "$OUT" || fail "check-proof: not valid"
grep -q '^entry_checked: true' "$OUT" || fail "check-proof: the entry was not checked"
[ ! -e "$T/offline/none.db" ] || fail "check-proof opened a database"
sed 's/case.archive/case.closeX/' "$T/entry.raw" >"$T/entry.bad"
expect_exit 1 "$ZHIFA" ledger check-proof --proof "$T/proof.json" \
	--checkpoint "$T/cp.txt" --pubkey "$T/pub.pem" --entry "$T/entry.bad"
ok "GET /public/ledger/checkpoint, /pubkey, /proof (no login): the CLI's checkpoint and key; 'zhifa ledger check-proof' offline: valid, and a changed entry fails"

lsize
req - GET "/public/ledger/consistency?org=150826&from=100&to=$LSIZE"
expect_status 200
same_as_cli d ledger consistency --from 100 --to "$LSIZE"
refused 400 required org - GET /public/ledger/checkpoint
refused 400 invalid_org org - GET '/public/ledger/checkpoint?org=abc'
refused 404 org_not_found org - GET '/public/ledger/checkpoint?org=999999'
refused 400 required entry - GET '/public/ledger/proof?org=150826'
refused 400 invalid_number entry - GET '/public/ledger/proof?org=150826&entry=0'
refused 400 '*' entry - GET "/public/ledger/proof?org=150826&entry=$((LSIZE + 1000))"
refused 400 '*' to - GET "/public/ledger/consistency?org=150826&from=10&to=5"
refused 400 '*' bogus - GET '/public/ledger/pubkey?org=150826&bogus=1'
ok "GET /public/ledger/consistency: 'zhifa ledger consistency'; public refusals 400 org/entry/to/bogus, 404 org"

# ---- Idempotency-Key ----------------------------------------------------------

K=idem-$$-vehicle
lsize
s0=$LSIZE
VB='{"plate":"蒙L7K777","config":"truck","axles":4}'
req -k "$K" enforcer POST /api/v1/vehicles "$VB"
expect_status 201
cp "$OUT" "$T/first.json"
req -k "$K" enforcer POST /api/v1/vehicles "$VB"
expect_status 201
cmp -s "$OUT" "$T/first.json" || fail "the replay answered another body"
lsize
[ "$LSIZE" -eq $((s0 + 1)) ] || fail "two requests with one Idempotency-Key wrote $((LSIZE - s0)) entries"
cli "$T/b.json" vehicle list
[ "$(jfv "$T/b.json" 'len([v for v in d if v["plate"] == "蒙L7K777"])')" = 1 ] || fail "the vehicle was added twice"
refused 409 idempotency_key_reused Idempotency-Key -k "$K" enforcer POST /api/v1/parties \
	'{"kind":"person","name":"赵测试","id_number":"11010519491231002X"}'
K2=idem-$$-note
lsize
s0=$LSIZE
req -k "$K2" enforcer POST "/api/v1/cases/$C2/notes" '{"text":"离线终端补录"}'
expect_status 200
cp "$OUT" "$T/first.json"
req -k "$K2" enforcer POST "/api/v1/cases/$C2/notes" '{"text":"离线终端补录"}'
expect_status 200
cmp -s "$OUT" "$T/first.json" || fail "the replayed note answered another body"
lsize
[ "$LSIZE" -eq $((s0 + 1)) ] || fail "a replayed note wrote $((LSIZE - s0)) entries"
refused 409 idempotency_key_reused Idempotency-Key -k "$K2" enforcer POST "/api/v1/cases/$C1/notes" \
	'{"text":"离线终端补录"}'
refused 400 invalid_text Idempotency-Key -k "$(printf '%0101d' 0)" enforcer POST /api/v1/vehicles \
	'{"plate":"蒙L7K778","config":"truck"}'
# the ledger has grown since the checkpoint: proofs stay against it
CP_SIZE=$(sed -n 2p "$T/cp.txt")
lsize
[ "$LSIZE" -gt "$CP_SIZE" ] || fail "the ledger did not grow after the checkpoint"
req - GET "/public/ledger/proof?org=150826&entry=$ARCHIVE_SEQ"
expect_status 200
[ "$(jv 'd["tree_size"]')" = "$CP_SIZE" ] || fail "proof tree_size $(jv 'd["tree_size"]'), checkpoint $CP_SIZE"
cp "$OUT" "$T/proof2.json"
expect_exit 0 "$ZHIFA" ledger check-proof --proof "$T/proof2.json" \
	--checkpoint "$T/cp.txt" --pubkey "$T/pub.pem" --entry "$T/entry.raw"
ok "Idempotency-Key: the same key twice → the same status and body, one entry (vehicle, case note); on another path 409 idempotency_key_reused; 101 characters 400; public proofs stay against the checkpoint"

# ---- the OpenAPI document -------------------------------------------------------

req disclosure GET /api/v1/openapi.json
expect_status 200
[ "$(jv 'd["openapi"]')" = 3.0.3 ] || fail "openapi version"
cp "$OUT" "$T/openapi.json"
# the route table, read from the source: {"METHOD", "/path", ...
sed -n 's/.*{"\(GET\|POST\|PUT\|PATCH\|DELETE\)", "\(\/[^"]*\)".*/\1 \2/p' \
	"$SRC/src/http/routes.c" "$SRC"/src/http/api_routes*.h | sort >"$T/table.txt"
[ "$(wc -l <"$T/table.txt")" -ge 50 ] || fail "could not read the route table from src/http/"
py get "$T/openapi.json" \
	'"\n".join(sorted(m.upper() + " " + p for p, ops in d["paths"].items() for m in ops))' >"$T/doc.txt"
diff "$T/table.txt" "$T/doc.txt" >"$ERR" || fail "openapi.json and the route table differ: $(cat "$ERR")"
pycheck "$T/openapi.json" <<'EOF' >"$ERR" || fail "openapi.json: $(cat "$ERR")"
for p, ops in d["paths"].items():
    for m, op in ops.items():
        pub = "public" in op["x-flags"] or "login" in op["x-flags"]
        if not pub and not op["x-roles"]:
            print("%s %s: no x-roles" % (m, p)); raise SystemExit(1)
        if not pub and not op.get("security"):
            print("%s %s: no security" % (m, p)); raise SystemExit(1)
        if not op.get("summary"):
            print("%s %s: no summary" % (m, p)); raise SystemExit(1)
EOF
ok "GET /api/v1/openapi.json: OpenAPI 3.0.3 listing exactly the $(wc -l <"$T/table.txt" | tr -d ' ') routes of the table in src/http/, each with summary, x-roles and security"

# ---- logout -------------------------------------------------------------------------

refused 403 csrf_required X-CSRF-Token -T enforcer2 POST /api/v1/logout
req enforcer2 POST /api/v1/logout
expect_status 200
[ "$(jv 'd["logged_out"]')" = true ] || fail "logout body"
grep -qi '^set-cookie: zhifa_session=;.*Max-Age=0' "$HDR" || fail "logout does not clear the cookie"
[ "$(last_action)" = user.logout ] || fail "logout entry: $(last_action)"
req enforcer2 GET /api/v1/me
expect_error 401 login_required
req enforcer GET /api/v1/me
expect_status 200
ok "POST /api/v1/logout: 200, cookie cleared, a user.logout entry; the session then gets 401 (others stay)"

# ---- shutdown -------------------------------------------------------------------------

api_stop
lsize
cps=$(sqlite3 "$DB" "SELECT max(size) FROM ledger_checkpoint WHERE org_id = $API_ORG_SQL")
[ "$cps" = "$LSIZE" ] || fail "no checkpoint at shutdown: newest $cps, ledger $LSIZE"
expect_exit 0 "$ZHIFA" --db "$DB" ledger verify
ok "SIGTERM: the server stops cleanly (exit 0, no sanitizer report), signs a checkpoint of the whole ledger ($LSIZE); 'zhifa ledger verify' ok"

# ---- beyond the issue's list: client ids and Idempotency-Keys, strictly ----------

api_start
ok "zhifa serve again on $BASE"
api_login enforcer enforcer
expect_status 200
api_login enforcer2 enforcer2
expect_status 200
api_login sysadmin sysadmin "$TOTP_SYSADMIN"
expect_status 200

# a creation whose client-chosen id is taken is 409 naming "id", not the
# plate, ID number, certificate or user name it happens to carry
refused 409 '*' id enforcer POST /api/v1/parties \
	"{\"id\":\"$P_ID\",\"kind\":\"person\",\"name\":\"钱测试\",\"id_number\":\"110105195001010012\"}"
refused 409 '*' id enforcer POST /api/v1/vehicles \
	"{\"id\":\"$VEH_ID\",\"plate\":\"蒙L6P666\",\"config\":\"truck\",\"axles\":2}"
refused 409 '*' id sysadmin POST /api/v1/devices "{\"id\":\"$DEV_ID\",\"code\":\"DSJ-12\",\"kind\":\"body_camera\"}"
refused 409 '*' id sysadmin POST /api/v1/officers \
	"{\"id\":\"$OFF_ID\",\"name\":\"测试员四\",\"cert_no\":\"150826209903\",\"valid_from\":\"2025-01-01\",\"valid_to\":\"2028-12-31\"}"
refused 409 '*' id sysadmin POST /api/v1/users \
	"{\"id\":\"$U_ID\",\"username\":\"api.tester2\",\"roles\":[\"enforcer\"],\"password\":\"Str0ng-Passw0rd!\"}"
ok "a taken client-chosen id (party, vehicle, device, officer, user) → 409 naming the field id, nothing written"

# an Idempotency-Key belongs to its user, and one key is one request
K3=idem-$$-scope
req -k "$K3" enforcer POST /api/v1/vehicles '{"plate":"蒙L5P555","config":"truck","axles":2}'
expect_status 201
lsize
s0=$LSIZE
req -k "$K3" enforcer2 POST /api/v1/vehicles '{"plate":"蒙L5P556","config":"truck","axles":3}'
case $CODE in
201) [ "$(jv 'd["plate"]')" = 蒙L5P556 ] ||
	fail "another user's request with the same Idempotency-Key got the first user's answer (plate $(jv 'd["plate"]'))" ;;
409 | 422) unchanged "$s0" "a refused reuse of another user's key" ;;
*) fail "another user's key: status $CODE" ;;
esac
lsize
s0=$LSIZE
req -k "$K3" enforcer POST /api/v1/vehicles '{"plate":"蒙L5P557","config":"truck","axles":2}'
case $CODE in
409 | 422) ;;
*) fail "the same key with another body: status $CODE, want 409 or 422 (not the first answer replayed)" ;;
esac
unchanged "$s0" "the same key with another body"
ok "Idempotency-Key: another user's request with the same key is not answered with the first user's; the same key with another body → 409/422"

api_stop
ok "the server stops cleanly"
