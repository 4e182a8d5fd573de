#!/bin/sh
# t1220: the server's security (issue 5: 等保 2.0 level 3 practice) over real
# HTTP against `zhifa serve` on a fresh init + demo database with a second
# county (150825, 乌拉特后旗, under the same city) and its own case and user:
#   - no session → 401 login_required; a write without X-CSRF-Token → 403
#     csrf_required, with a wrong one → 403 csrf_invalid;
#   - SQL metacharacters and path traversal in every path parameter, every
#     query parameter and in body strings are harmless (4xx, or a correct
#     200 that finds nothing); the database and ledger stay intact (table
#     counts unchanged, `zhifa ledger verify` ok), and text is kept verbatim;
#   - a body over 1 MiB → 413; malformed JSON, invalid UTF-8, wrong types,
#     unknown fields → 400, nothing written;
#   - 5 wrong passwords lock the user (one user.lock entry for the five);
#     more than 10 login attempts a minute from one address → 429;
#   - TOTP for the administrators; the session cookie is HttpOnly and
#     SameSite=Strict; logout ends the session; an idle session ends
#     (--session-idle 2);
#   - one organisation cannot read another's case by id; the city's
#     supervisor reads a county's cases with ?org= but cannot write;
#   - (beyond the issue's list) a path segment that is not UTF-8 is 400 on
#     every route and does not bring the server down.
# Each check prints one line; the first failure stops the test.

set -u
# shellcheck source=tests/cli/api_lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/api_lib.sh"
api_init 2025-12-31T17:00:00+08:00
# two counties: the CLI's default organisation is the demo county
ZHIFA_ORG=150826
export ZHIFA_ORG

OFFICERS="[\"$E1\",\"$E2\"]"
PW=Demo-Zhifa-2025
ROOT_LINE='root:x:0:0'


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

# every table's row count, one "table count" a line
counts() {
	sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name" |
		while read -r t; do
			printf '%s %s\n' "$t" "$(sqlite3 "$DB" "SELECT count(*) FROM \"$t\"")"
		done
}

alive() {
	req - GET /healthz
	[ "$CODE" = 200 ] || fail "the server no longer answers /healthz ($1)"
}

# ---- setup: the demo county, and a second county with its own case ----------

zf init
zf demo
zf org add --name 乌拉特后旗交通运输局 --level county --division-code 150825 --doc-abbr 乌交 \
	--parent 150800
zf --org 150825 officer add --name 测试甲 --cert-no 150825200001 --valid-from 2024-01-01 \
	--valid-to 2028-12-31 --roles enforcer
zf --org 150825 officer add --name 测试乙 --cert-no 150825200002 --valid-from 2024-01-01 \
	--valid-to 2028-12-31 --roles enforcer
zf --org 150825 officer add --name 测试丙 --cert-no 150825200003 --valid-from 2024-01-01 \
	--valid-to 2028-12-31 --roles head
zf --org 150825 party add --kind person --name 测试当事人 --id-number 11010519491231002X
zf --org 150825 --json case file --party 11010519491231002X --violation overload_mass \
	--act-date 2025-12-30 --place "G7 K100" --facts "车货总质量 60 吨" \
	--officers 150825200001,150825200002 --approver 150825200003
OTHER_CASE=$(sed -n 's/^  "id": "\(.*\)",$/\1/p' "$OUT")
OTHER_NO=$(sed -n 's/^  "number": "\(.*\)",$/\1/p' "$OUT")
[ -n "$OTHER_CASE" ] && [ -n "$OTHER_NO" ] || fail "no id/number of the case in 150825"
zf --org 150825 user add --username wlth.enforcer --roles enforcer --password Str0ng-Passw0rd! \
	--officer 150825200001
ok "setup: demo county 150826; county 150825 under the same city with officers, a party, case $OTHER_NO and user wlth.enforcer"

api_start
ok "zhifa serve on $BASE"

# ---- no session, CSRF ------------------------------------------------------------

refused 401 login_required '' - GET /api/v1/cases
refused 401 login_required '' - POST /api/v1/parties '{"kind":"person","name":"某"}'
refused 401 login_required '' -c "zhifa_session=abc" - GET /api/v1/me
ok "no session: GET and POST → 401 login_required (a junk cookie too)"

api_login enforcer enforcer
expect_status 200
grep -i '^set-cookie: zhifa_session=' "$HDR" >"$T/cookie" || fail "no session cookie"
grep -q 'HttpOnly' "$T/cookie" || fail "the session cookie is not HttpOnly: $(cat "$T/cookie")"
grep -q 'SameSite=Strict' "$T/cookie" || fail "the session cookie is not SameSite=Strict: $(cat "$T/cookie")"
grep -q 'Path=/' "$T/cookie" || fail "the session cookie has no Path=/"
grep -q "$(cat "$T/s.enforcer.tok")" "$OUT" && fail "the session token is in the login body"
req enforcer GET "/api/v1/parties/150826198803083644"
expect_status 200
grep -qi '^cache-control: no-store' "$HDR" || fail "personal data without Cache-Control: no-store"
grep -qi '^x-content-type-options: nosniff' "$HDR" || fail "no X-Content-Type-Options: nosniff"
ok "login: the session cookie is HttpOnly, SameSite=Strict, Path=/; the token is not in the body; answers are Cache-Control: no-store, nosniff"

api_login enforcer2 enforcer2
expect_status 200
api_login head head
expect_status 200
api_login auditor auditor
expect_status 200
api_login sysadmin sysadmin "$TOTP_SYSADMIN"
expect_status 200
api_login secadmin secadmin "$TOTP_SECADMIN"
expect_status 200
api_login sup bynr.supervisor
expect_status 200
api_login other wlth.enforcer "" Str0ng-Passw0rd!
expect_status 200

PB='{"kind":"person","name":"测试人","id_number":"11010519491231002X"}'
refused 403 csrf_required X-CSRF-Token -T enforcer POST /api/v1/parties "$PB"
refused 403 csrf_invalid X-CSRF-Token -t "$(printf '%064d' 0)" enforcer POST /api/v1/parties "$PB"
refused 403 csrf_invalid X-CSRF-Token -t "$(cat "$T/s.enforcer2.csrf")" enforcer POST /api/v1/parties "$PB"
refused 403 csrf_invalid X-CSRF-Token -t abc enforcer POST /api/v1/parties "$PB"
refused 403 csrf_required X-CSRF-Token -T sysadmin PATCH /api/v1/officers/150826200060 \
	'{"status":"suspended","reason":"x"}'
refused 403 csrf_required X-CSRF-Token -T sysadmin PUT /api/v1/org/settings/checkpoint_every_entries \
	'{"value":"7"}'
refused 403 csrf_required X-CSRF-Token -T enforcer POST /api/v1/logout
req enforcer GET /api/v1/me
expect_status 200
ok "CSRF: POST/PATCH/PUT without X-CSRF-Token → 403 csrf_required; zeros, another session's or a short token → 403 csrf_invalid; nothing written"

# ---- SQL metacharacters and path traversal ---------------------------------------

counts >"$T/counts.before"
[ "$(wc -l <"$T/counts.before")" -ge 10 ] || fail "cannot count the tables"
ledger_mark

req enforcer GET /api/v1/openapi.json
expect_status 200
cp "$OUT" "$T/openapi.json"
# The attacks, made from the OpenAPI document: each payload, percent-encoded,
# in every path parameter and every query parameter of every route, by a
# role that may call it (write routes with a body that passes validation,
# so that the payload reaches the lookup).  The payloads: SQL
# metacharacters, path traversal (plain, %2e%2e%2f), NUL, LIKE wildcards,
# and in query values bytes that are not UTF-8.
# All go through one curl (a config file, one transfer each, keep-alive):
# "$T/attacks" lists them, line N answers to "$T/r/N".
mkdir "$T/r"
printf '{"T":"%s","base":"%s"}\n' "$T" "$BASE" >"$T/ctx.json"
pycheck "$T/ctx.json" <<'EOF' >"$ERR" || fail "cannot build the attacks: $(cat "$ERR")"
import json, re
from urllib.parse import quote
T = d["T"]
api = json.load(open(T + "/openapi.json", encoding="utf-8"))
payloads = ["' OR 1=1 --", "\"; DROP TABLE cases; --", "x' UNION SELECT password_hash FROM app_user --",
            "1; SELECT sqlite_version()", "../../etc/passwd", "..\\..\\..\\windows\\win.ini",
            "%", "*", "_"]
raw = ["%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%2f..%2f..%2fetc%2fpasswd", "abc%00def", "%00"]
enc = [quote(p, safe="") for p in payloads] + raw
# bytes that are not UTF-8 (FF, an overlong "/", a surrogate): query values only
# here; path segments come last in this test
qenc = enc + ["%ff", "%c0%af", "%ed%a0%80"]
who = ["enforcer", "auditor", "head", "system_admin", "security_admin"]
session = {"enforcer": "enforcer", "auditor": "auditor", "head": "head",
           "system_admin": "sysadmin", "security_admin": "secadmin"}
# the query parameters each route reads, with valid values for the others
query = {
    "/api/v1/cases": {"org": "150826", "year": "2025", "procedure": "general",
                      "violation": "overload_mass", "overdue": "0", "limit": "5"},
    "/api/v1/cases/{id}": {"org": "150826"},
    "/api/v1/clocks": {"org": "150826", "due_within": "3"},
    "/api/v1/clocks/mine": {"org": "150826", "due_within": "3"},
    "/api/v1/violations": {"org": "150826"},
    "/api/v1/violations/{code}": {"org": "150826"},
    "/api/v1/officers": {"org": "150826", "may_act_on": "2025-06-01", "expiring_within": "60",
                         "status": "active"},
    "/api/v1/officers/{id}": {"org": "150826"},
    "/api/v1/parties": {"org": "150826", "kind": "person"},
    "/api/v1/parties/{id}": {"org": "150826"},
    "/api/v1/vehicles": {"org": "150826"},
    "/api/v1/devices": {"org": "150826"},
    "/api/v1/calendar": {"org": "150826"},
    "/api/v1/deadlines": {"org": "150826"},
    "/api/v1/users": {"org": "150826"},
    "/api/v1/org/settings": {"org": "150826"},
    "/api/v1/ledger/entries": {"org": "150826", "after": "1", "limit": "5"},
    "/api/v1/ledger/entries/{seq}": {"org": "150826"},
    "/api/v1/ledger/verify": {"org": "150826"},
    "/api/v1/ledger/head": {"org": "150826"},
    "/api/v1/weighings": {"org": "150826", "review": "pending", "over": "1", "year": "2025",
                          "limit": "5"},
    "/api/v1/weighings/{id}": {"org": "150826"},
    "/api/v1/weigh-imports": {"org": "150826"},
    "/api/v1/calibrations": {"org": "150826"},
    "/api/v1/scales/{device}/calibrations": {"org": "150826"},
    "/api/v1/overload/stats": {"org": "150826", "year": "2025"},
    "/public/ledger/checkpoint": {"org": "150826"},
    "/public/ledger/pubkey": {"org": "150826"},
    "/public/ledger/proof": {"org": "150826", "entry": "1", "size": "2"},
    "/public/ledger/consistency": {"org": "150826", "from": "1", "to": "2"},
}
# attacked, but left out of the valid query (they would narrow it to nothing)
extra = {"/api/v1/cases": ["state", "officer", "after"],
         "/api/v1/weighings": ["station", "plate", "after"]}
bodies = {
    "/api/v1/org/settings/{key}": '{"value":"3"}',
    "/api/v1/officers/{id}": '{"status":"suspended","reason":"x"}',
    "/api/v1/parties/{id}/erase": '{"reason":"x"}',
    "/api/v1/users/{id}/roles": '{"roles":["enforcer"]}',
    "/api/v1/users/{id}/password": '{"password":"Str0ng-Passw0rd!"}',
    "/api/v1/cases/{id}/steps": '{"transition":"note","params":{"text":"x"}}',
    "/api/v1/cases/{id}/extend": '{"days":1,"reason":"x"}',
    "/api/v1/cases/{id}/notes": '{"text":"x"}',
    "/api/v1/documents/{number}/void": '{"reason":"x"}',
    "/api/v1/weighings/{id}/unload": '{"goods":"x","unloaded_kg":1,"place":"x","reweigh_kg":1}',
    "/api/v1/weighings/{id}/case": '{"party":"150826198803083644","officers":["150826200006","150826200007"]}',
    "/api/v1/weighings/{id}/dismiss": '{"reason":"x"}',
    "/api/v1/scales/{device}/calibrations": '{"cert_no":"x","valid_from":"2025-01-01","valid_until":"2025-12-31"}',
}
reqs = []
def url(path, q):
    return path + ("?" + "&".join("%s=%s" % kv for kv in q.items()) if q else "")
for p, ops in api["paths"].items():
    for m, op in ops.items():
        M = m.upper()
        if "public" in op["x-flags"]:
            s = "-"
        else:
            s = next((session[r] for r in who if r in op["x-roles"]), None)
            if s is None:
                continue
        body = bodies.get(p) if M != "GET" else None
        params = re.findall(r"\{(\w+)\}", p)
        base_q = {k: quote(v) for k, v in query.get(p, {}).items()} if M == "GET" else {}
        for name in params:
            for e in enc:
                path = p
                for other in params:
                    path = path.replace("{%s}" % other, e if other == name else "1")
                reqs.append((s, M, url(path, base_q), body))
        if M == "GET":
            for k in list(base_q) + extra.get(p, []):
                for e in qenc:
                    q = dict(base_q)
                    q[k] = e
                    path = p
                    for other in params:
                        path = path.replace("{%s}" % other, "1")
                    reqs.append((s, M, url(path, q), body))
# plain traversal, not encoded (sent as is)
for t in ["/../../../../etc/passwd", "/ui/../../../../etc/passwd", "/ui/..", "/ui/%2e%2e",
          "/ui/..%2f..%2f..%2fetc%2fpasswd", "/public/ledger/../../../etc/passwd",
          "/api/v1/officers/../../../../etc/passwd", "/api/v1/../../etc/passwd",
          "/api/v1/cases/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
          "/api/v1/cases/%2e%2e", "/public/ledger/proof/..%2f..%2fetc%2fpasswd"]:
    reqs.append(("enforcer", "GET", t, None))
def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
with open(T + "/attacks", "w", encoding="utf-8") as lst, \
     open(T + "/attacks.cfg", "w", encoding="utf-8") as cfg:
    for i, (s, M, u, body) in enumerate(reqs, 1):
        lst.write("%d %s %s %s\n" % (i, s, M, u))
        if i > 1:
            cfg.write("next\n")
        cfg.write("url = %s\n" % q(d["base"] + u))
        cfg.write("request = %s\npath-as-is\nsilent\nshow-error\n" % q(M))
        cfg.write("output = %s\n" % q("%s/r/%d" % (T, i)))
        cfg.write("write-out = %s\n" % q("%{http_code} " + str(i) + "\\n"))
        cfg.write('header = "Content-Type: application/json"\n')
        if s != "-":
            tok = open("%s/s.%s.tok" % (T, s)).read().strip()
            csrf = open("%s/s.%s.csrf" % (T, s)).read().strip()
            cfg.write("header = %s\n" % q("Cookie: zhifa_session=" + tok))
            if M != "GET":
                cfg.write("header = %s\n" % q("X-CSRF-Token: " + csrf))
        if body is not None:
            cfg.write("data-binary = %s\n" % q(body))
print(len(reqs))
EOF
n=$(cat "$ERR")
LAST="curl -K \$T/attacks.cfg ($n transfers)"
curl --max-time 300 -K "$T/attacks.cfg" >"$T/codes" 2>"$ERR" || fail "curl -K: $(head -c 500 "$ERR")"
[ "$(wc -l <"$T/codes")" -eq "$n" ] || fail "$(wc -l <"$T/codes") answers for $n requests"
# the valid queries the payloads replace one value of do find something
req enforcer GET '/api/v1/cases?org=150826&year=2025&procedure=general&violation=overload_mass&overdue=0&limit=5'
expect_status 200
[ "$(jv 'len(d["items"])')" -ge 1 ] || fail "the valid case query finds nothing"
req enforcer GET '/api/v1/officers?org=150826&may_act_on=2025-06-01&expiring_within=60&status=active'
expect_status 200
[ "$(jv 'len(d)')" -ge 1 ] || fail "the valid officer query finds nothing"
paste -d ' ' "$T/codes" "$T/attacks" >"$T/answers"
while read -r code i _ what; do
	LAST=$what
	case $code in
	400 | 404 | 405 | 409) continue ;;
	esac
	cp "$T/r/$i" "$OUT" 2>/dev/null || : >"$OUT"
	case $code in
	200)
		# a correct 200 finds nothing: no list grew because of the payload
		r=$(jv 'len(d["items"]) if isinstance(d, dict) and "items" in d else (len(d) if isinstance(d, list) else -1)') ||
			fail "$what → 200 with a body that is not JSON"
		[ "$r" -le 0 ] || fail "$what → 200 with $r items: the payload matched something"
		;;
	*) fail "$what → $code" ;;
	esac
done <"$T/answers"
if grep -l "$ROOT_LINE" "$T"/r/* >"$ERR" 2>/dev/null; then
	fail "answers hold /etc/passwd: $(cat "$ERR")"
fi
alive "after the path and query attacks"
ok "$n requests with SQL metacharacters, path traversal (plain, %2e%2e%2f, ..%2f), NUL and LIKE wildcards in every path and query parameter (and non-UTF-8 query values): 400/404/405/409 or a 200 that finds nothing; no /etc/passwd"

# body strings: the same payloads where a value is looked up or checked
set -- "' OR 1=1 --" "\"; DROP TABLE cases; --" "../../etc/passwd" "1' UNION SELECT password_hash FROM users --"
for p in "$@"; do
	q=$(printf '%s' "$p" | sed 's/\\/\\\\/g; s/"/\\"/g')
	for body in "{\"kind\":\"$q\",\"name\":\"测试人\"}" \
		"{\"kind\":\"person\",\"name\":\"测试人\",\"id_number\":\"$q\"}" \
		"{\"kind\":\"org\",\"name\":\"测试公司\",\"credit_code\":\"$q\"}"; do
		req enforcer POST /api/v1/parties "$body"
		[ "$CODE" = 400 ] || fail "party with '$p': $CODE, want 400"
	done
	req enforcer POST /api/v1/cases "{\"procedure\":\"general\",\"party\":\"$q\",\"violation\":\"overload_mass\",\"act_date\":\"2025-12-01\",\"place\":\"x\",\"facts\":\"x\",\"officers\":$OFFICERS}"
	case $CODE in 400 | 404) ;; *) fail "case with party '$p': $CODE" ;; esac
	req enforcer POST /api/v1/cases "{\"procedure\":\"general\",\"party\":\"150826198803083644\",\"violation\":\"$q\",\"act_date\":\"2025-12-01\",\"place\":\"x\",\"facts\":\"x\",\"officers\":$OFFICERS}"
	case $CODE in 400 | 404 | 409) ;; *) fail "case with violation '$p': $CODE" ;; esac
	req enforcer POST /api/v1/cases "{\"procedure\":\"general\",\"party\":\"150826198803083644\",\"violation\":\"overload_mass\",\"act_date\":\"2025-12-01\",\"place\":\"x\",\"facts\":\"x\",\"officers\":[\"$q\",\"$E2\"]}"
	case $CODE in 400 | 403 | 404) ;; *) fail "case with officer '$p': $CODE" ;; esac
	req enforcer POST /api/v1/vehicles "{\"plate\":\"$q\",\"config\":\"truck\"}"
	[ "$CODE" = 400 ] || fail "vehicle with plate '$p': $CODE"
	req enforcer POST /api/v1/vehicles "{\"plate\":\"蒙L9Z999\",\"config\":\"truck\",\"owner\":\"$q\"}"
	case $CODE in 400 | 404) ;; *) fail "vehicle with owner '$p': $CODE" ;; esac
	req enforcer POST /api/v1/discretion/proposals "{\"violation\":\"$q\",\"act_date\":\"2025-03-01\",\"party_kind\":\"person\"}"
	case $CODE in 400 | 404) ;; *) fail "discretion with violation '$p': $CODE" ;; esac
	req enforcer POST /api/v1/calendar/due "{\"from\":\"$q\",\"days\":3}"
	[ "$CODE" = 400 ] || fail "calendar due from '$p': $CODE"
	req sysadmin POST /api/v1/users "{\"username\":\"$q\",\"roles\":[\"enforcer\"],\"password\":\"Str0ng-Passw0rd!\"}"
	[ "$CODE" = 400 ] || fail "user named '$p': $CODE"
	req secadmin PUT /api/v1/users/enforcer2/roles "{\"roles\":[\"$q\"]}"
	[ "$CODE" = 400 ] || fail "roles '$p': $CODE"
	req -a 127.0.0.40 - POST /api/v1/login "{\"username\":\"$q\",\"password\":\"$q\"}"
	expect_error 401 login_failed
done
ok "SQL metacharacters and traversal in body strings (party kind/id_number/credit_code, case party/violation/officers, plate, owner, violation, date, username, roles, login): 4xx"

counts >"$T/counts.after"
diff "$T/counts.before" "$T/counts.after" >"$ERR" || fail "table counts changed: $(cat "$ERR")"
unchanged "$s0" "the attacks"
expect_exit 0 "$ZHIFA" --db "$DB" ledger verify
expect_exit 0 "$ZHIFA" --db "$DB" --org 150825 ledger verify
ok "after the attacks: every table's row count unchanged, both ledgers verify"

# text that merely looks like SQL is kept as it was typed
NAME="O'Brien'); DROP TABLE parties; --"
ADDR="\"; DELETE FROM cases WHERE 1=1; -- ../../etc/passwd"
req enforcer POST /api/v1/parties "{\"kind\":\"person\",\"id_number\":\"11010519491231002X\",\"name\":\"O'Brien'); DROP TABLE parties; --\",\"address\":\"\\\"; DELETE FROM cases WHERE 1=1; -- ../../etc/passwd\"}"
expect_status 201
P=$(jv 'd["id"]')
req auditor GET "/api/v1/parties/$P"
expect_status 200
[ "$(jv 'd["name"]')" = "$NAME" ] || fail "name kept as $(jv 'd["name"]')"
[ "$(jv 'd["address"]')" = "$ADDR" ] || fail "address kept as $(jv 'd["address"]')"
counts >"$T/counts.after2"
diff "$T/counts.before" "$T/counts.after2" | grep '^[<>]' | sed 's/^[<>] //' | sort >"$T/changed"
grep -q '^party ' "$T/changed" || fail "the party was not added"
grep -v '^ledger_' "$T/changed" | grep -v '^party ' | grep -q . &&
	fail "other tables changed: $(cat "$T/changed")"
expect_exit 0 "$ZHIFA" --db "$DB" ledger verify
ok "a party named $NAME: 201, kept verbatim (name and address), only parties (and the ledger) grew, the ledger verifies"

# ---- oversized and malformed bodies ----------------------------------------------

ledger_mark
head -c 1048577 /dev/zero | tr '\0' 'a' >"$T/big"
refused 413 body_too_large '' -f "$T/big" enforcer POST /api/v1/parties
refused 413 body_too_large '' -f "$T/big" - POST /api/v1/login
# exactly 1 MiB is read (and refused for what it says)
py exec "$T/openapi.json" "pad = 1048576 - len('{\"kind\":\"person\",\"name\":\"\"}'); open('$T/mib', 'w').write('{\"kind\":\"person\",\"name\":\"' + 'a' * pad + '\"}')" ||
	fail "cannot write the 1 MiB body"
[ "$(wc -c <"$T/mib")" -eq 1048576 ] || fail "the 1 MiB body is $(wc -c <"$T/mib") bytes"
refused 400 invalid_text name -f "$T/mib" enforcer POST /api/v1/parties
# a chunked body has no length to refuse up front: the connection is dropped
req -f "$T/big" -H 'Transfer-Encoding: chunked' enforcer POST /api/v1/parties
case $CODE in 000 | 100 | 413) ;; *) fail "a chunked 1 MiB + 1 body: $CODE, want 413 or a dropped connection" ;; esac
alive "after the big bodies"
unchanged "$s0" "the big bodies"
ok "bodies: 1 MiB + 1 → 413 body_too_large (logged in or not), exactly 1 MiB is read (400 name), chunked → dropped; nothing written"

refused 400 invalid_json body enforcer POST /api/v1/parties '{"kind":"person",'
refused 400 invalid_json body enforcer POST /api/v1/parties '[1,2,3]'
refused 400 invalid_json body enforcer POST /api/v1/parties '"person"'
refused 400 invalid_json body enforcer POST /api/v1/parties ''
refused 400 invalid_json body enforcer POST /api/v1/parties '{"kind":"person","kind":"org","name":"x"}'
refused 400 invalid_json body enforcer POST /api/v1/parties "$(printf '{"kind":"person","name":"\377\376"}')"
refused 400 invalid_json body enforcer POST /api/v1/parties "$(printf '{"kind":"person","name":"\300\257"}')"
refused 400 invalid_json body enforcer POST /api/v1/parties "$(printf '{"kind":"person","name":"\355\240\200"}')"
refused 400 invalid_json body enforcer POST /api/v1/parties '{"kind":"person","name":"a\u0000b"}'
refused 400 '*' name enforcer POST /api/v1/parties '{"kind":"person","name":"a\u0007b"}'
refused 400 invalid_type kind enforcer POST /api/v1/parties '{"kind":1,"name":"x"}'
refused 400 invalid_type name enforcer POST /api/v1/parties '{"kind":"person","name":["x"]}'
refused 400 invalid_type name enforcer POST /api/v1/parties '{"kind":"person","name":{"a":1}}'
refused 400 invalid_type name enforcer POST /api/v1/parties '{"kind":"person","name":true}'
refused 400 unknown_field admin enforcer POST /api/v1/parties '{"kind":"person","name":"x","admin":true}'
refused 400 required name enforcer POST /api/v1/parties '{"kind":"person"}'
refused 400 invalid_type axles enforcer POST /api/v1/vehicles '{"plate":"蒙L9Z998","config":"truck","axles":"6"}'
refused 400 '*' '*' enforcer POST /api/v1/vehicles '{"plate":"蒙L9Z998","config":"truck","axles":1e400}'
refused 400 invalid_type axles enforcer POST /api/v1/vehicles '{"plate":"蒙L9Z998","config":"truck","axles":6.5}'
refused 400 invalid_date valid_from sysadmin POST /api/v1/officers \
	'{"name":"测试","cert_no":"150826209999","valid_from":"2025-02-29","valid_to":"2028-12-31"}'
refused 400 invalid_type officers enforcer POST /api/v1/cases \
	"{\"procedure\":\"general\",\"party\":\"150826198803083644\",\"officers\":[1,2]}"
py exec "$T/openapi.json" "open('$T/deep', 'w').write('[' * 100000 + ']' * 100000)" || fail "cannot write the deep body"
refused 400 invalid_json body -f "$T/deep" enforcer POST /api/v1/parties
alive "after the malformed bodies"
ok "malformed JSON, non-objects, an empty body, duplicate keys, invalid UTF-8 (FF FE, overlong, surrogate), NUL and control characters, wrong types, unknown and missing fields, bad numbers and dates, 100000-deep nesting: 400 naming the field, nothing written"

# ---- organisations: isolation and supervision ------------------------------------

req other GET "/api/v1/cases/$OTHER_CASE"
expect_status 200
[ "$(jv 'd["number"]')" = "$OTHER_NO" ] || fail "150825 reads its own case"
refused 404 case_not_found '*' enforcer GET "/api/v1/cases/$OTHER_CASE"
NO_Q=$(py get "$T/openapi.json" "__import__('urllib.parse').parse.quote('$OTHER_NO')")
refused 404 case_not_found '*' enforcer GET "/api/v1/cases/$NO_Q"
refused 404 org_not_found org enforcer GET "/api/v1/cases/$OTHER_CASE?org=150825"
refused 404 org_not_found org enforcer GET '/api/v1/cases?org=150825'
refused 404 case_not_found '*' enforcer POST "/api/v1/cases/$OTHER_CASE/notes" '{"text":"x"}'
refused 404 case_not_found '*' head POST "/api/v1/cases/$OTHER_CASE/steps" \
	'{"transition":"revoke","approver":"150826200001","params":{"reason":"x"}}'
req enforcer GET '/api/v1/cases?limit=1000'
expect_status 200
[ "$(jv "len([c for c in d['items'] if c['id'] == '$OTHER_CASE'])")" = 0 ] || fail "the county lists 150825's case"
refused 404 officer_not_found '*' enforcer GET /api/v1/officers/150825200001
req other GET /api/v1/cases
expect_status 200
cli "$T/county.json" case list
[ "$(jv "len([c for c in d['items'] if c['id'] != '$OTHER_CASE'])")" = 0 ] || fail "150825 lists the demo county's cases"
C1=$(jfv "$T/county.json" 'd[0]["id"]')
refused 404 case_not_found '*' other GET "/api/v1/cases/$C1"
ok "isolation: 150826's enforcer gets 404 for 150825's case (by id, by number, ?org=150825, notes, steps), does not list it or its officers; and the other way round"

req sup GET '/api/v1/cases?org=150826&limit=1000'
expect_status 200
[ "$(jv 'len(d["items"])')" -ge 40 ] || fail "the city sees $(jv 'len(d["items"])') county cases"
req sup GET "/api/v1/cases/$C1?org=150826"
expect_status 200
req sup GET "/api/v1/cases/$OTHER_CASE?org=150825"
expect_status 200
refused 404 case_not_found '*' sup GET "/api/v1/cases/$C1"
refused 404 org_not_found org sup GET '/api/v1/cases?org=150000'
refused 403 forbidden '' sup POST '/api/v1/cases?org=150826' \
	"{\"procedure\":\"general\",\"party\":\"150826198803083644\",\"officers\":$OFFICERS}"
refused 403 forbidden '' sup POST "/api/v1/cases/$C1/notes?org=150826" '{"text":"上级批注"}'
refused 403 forbidden '' sup POST '/api/v1/parties?org=150826' "$PB"
refused 403 forbidden '' sup POST '/api/v1/vehicles?org=150826' '{"plate":"蒙L9Z997","config":"truck"}'
ok "supervision: the city reads both counties' cases with ?org= (200), not without it, not the province above; it cannot write (403)"

# ---- lockout, rate limit, TOTP ----------------------------------------------------

api_login disclosure disclosure
expect_status 200
ledger_mark
for i in 1 2 3 4 5; do
	req -a 127.0.0.50 - POST /api/v1/login '{"username":"disclosure","password":"Wrong-Passw0rd-1"}'
	expect_error 401 login_failed
done
lsize
[ "$LSIZE" -eq $((s0 + 1)) ] || fail "5 failures wrote $((LSIZE - s0)) entries, want 1 (user.lock)"
cli "$T/entry.json" ledger show --entry "$LSIZE"
[ "$(jfv "$T/entry.json" 'd["entry"]["action"]')" = user.lock ] || fail "the entry is not user.lock"
[ "$(jfv "$T/entry.json" 'd["entry"]["detail"]["failed_attempts"]')" = 5 ] || fail "user.lock: failed_attempts"
req -a 127.0.0.51 - POST /api/v1/login "{\"username\":\"disclosure\",\"password\":\"$PW\"}"
expect_error 401 user_locked
req -a 127.0.0.51 - POST /api/v1/login '{"username":"disclosure","password":"Wrong-Passw0rd-1"}'
expect_error 401 user_locked
unchanged "$((s0 + 1))" "logins of a locked user"
req disclosure GET /api/v1/me
expect_error 401 login_required
cli "$T/users.json" user list
[ "$(jfv "$T/users.json" '[u["status"] for u in d if u["username"] == "disclosure"][0]')" = locked ] ||
	fail "user list: disclosure is not locked"
req secadmin POST /api/v1/users/disclosure/unlock
expect_status 200
api_login disclosure disclosure
expect_status 200
ok "lockout: 5 wrong passwords → one user.lock entry (failed_attempts 5); then even the right password → 401 user_locked from any address, nothing written, the user's open session ends; unlocked by the security admin"

ledger_mark
for i in 1 2 3 4 5 6 7 8 9 10; do
	req -a 127.0.0.60 - POST /api/v1/login "{\"username\":\"nobody$i\",\"password\":\"Wrong-Passw0rd-1\"}"
	expect_error 401 login_failed
done
req -a 127.0.0.60 - POST /api/v1/login '{"username":"nobody11","password":"Wrong-Passw0rd-1"}'
expect_error 429 too_many_attempts
req -a 127.0.0.60 - POST /api/v1/login "{\"username\":\"auditor\",\"password\":\"$PW\"}"
expect_error 429 too_many_attempts
req -a 127.0.0.61 - POST /api/v1/login "{\"username\":\"auditor\",\"password\":\"$PW\"}"
expect_status 200
lsize
[ "$LSIZE" -eq $((s0 + 1)) ] || fail "the flood wrote $((LSIZE - s0 - 1)) entries besides the one login"
ok "rate limit: 10 login attempts from one address, the 11th → 429 too_many_attempts (even with the right password); another address logs in; the flood wrote nothing"

req -a 127.0.0.70 - POST /api/v1/login "{\"username\":\"sysadmin\",\"password\":\"$PW\"}"
expect_error 401 totp_required totp
CODE_OK=$(totp "$TOTP_SYSADMIN")
WRONG=$(printf '%06d' $(( (1${CODE_OK} - 1000000 + 1) % 1000000 )))
req -a 127.0.0.70 - POST /api/v1/login "{\"username\":\"sysadmin\",\"password\":\"$PW\",\"totp\":\"$WRONG\"}"
expect_error 401 login_failed
OLD=$(py totp "$TOTP_SYSADMIN" 2025-12-31T16:50:00+08:00)
req -a 127.0.0.70 - POST /api/v1/login "{\"username\":\"sysadmin\",\"password\":\"$PW\",\"totp\":\"$OLD\"}"
expect_error 401 login_failed
req -a 127.0.0.70 - POST /api/v1/login "{\"username\":\"sysadmin\",\"password\":\"Wrong-Passw0rd-1\",\"totp\":\"$CODE_OK\"}"
expect_error 401 login_failed
req -a 127.0.0.70 - POST /api/v1/login "{\"username\":\"sysadmin\",\"password\":\"$PW\",\"totp\":\"$CODE_OK\"}"
expect_status 200
req -a 127.0.0.71 - POST /api/v1/login "{\"username\":\"auditadmin\",\"password\":\"$PW\"}"
expect_error 401 totp_required totp
req -a 127.0.0.71 - POST /api/v1/login "{\"username\":\"secadmin\",\"password\":\"$PW\"}"
expect_error 401 totp_required totp
ok "TOTP: sysadmin without a code → 401 totp_required, a wrong or 10-minute-old code → login_failed, the right code with a wrong password → login_failed, the right code → 200; secadmin and auditadmin need it too"

# ---- logout -------------------------------------------------------------------------

req enforcer2 POST /api/v1/logout
expect_status 200
refused 401 login_required '' enforcer2 GET /api/v1/me
refused 401 login_required '' enforcer2 POST /api/v1/parties "$PB"
refused 401 login_required '' enforcer2 POST /api/v1/logout
ok "logout: the session's cookie then gets 401 login_required (reads, writes, a second logout)"

api_stop
ok "the server stops cleanly (exit 0, no sanitizer report)"

# ---- idle sessions --------------------------------------------------------------------

api_start --session-idle 2
api_login idle enforcer
expect_status 200
# used every 1.2 s it outlives 2 s; idle for 3 s it ends
sleep 1.2
req idle GET /api/v1/me
expect_status 200
sleep 1.2
req idle GET /api/v1/me
expect_status 200
sleep 3
refused 401 login_required '' idle GET /api/v1/me
ok "--session-idle 2: a session used every 1.2 s lives on past 2 s; idle 3 s → 401 login_required"

# ---- beyond the issue's list: path segments that are not UTF-8 ----------------------

api_login enforcer enforcer
api_login auditor auditor
api_login head head
api_login sysadmin sysadmin "$TOTP_SYSADMIN"
api_login secadmin secadmin "$TOTP_SECADMIN"
ledger_mark
# shellcheck disable=SC2089
set -- \
	"sysadmin PUT /api/v1/org/settings/%ff key {\"value\":\"3\"}" \
	"enforcer GET /api/v1/orgs/%ff id -" \
	"enforcer GET /api/v1/officers/%ff id -" \
	"enforcer GET /api/v1/parties/%ff id -" \
	"enforcer GET /api/v1/cases/%ff id -" \
	"enforcer GET /api/v1/violations/%ff code -" \
	"auditor GET /api/v1/ledger/entries/%ff seq -" \
	"sysadmin PATCH /api/v1/officers/%ff id {\"status\":\"suspended\",\"reason\":\"x\"}" \
	"head POST /api/v1/parties/%ff/erase id {\"reason\":\"x\"}" \
	"secadmin PUT /api/v1/users/%ff/roles id {\"roles\":[\"enforcer\"]}" \
	"sysadmin POST /api/v1/users/%ff/password id {\"password\":\"Str0ng-Passw0rd!\"}" \
	"secadmin POST /api/v1/users/%ff/unlock id -" \
	"secadmin POST /api/v1/users/%ff/totp id -" \
	"sysadmin POST /api/v1/users/%ff/disable id -" \
	"enforcer POST /api/v1/cases/%ff/steps id {\"transition\":\"note\",\"params\":{\"text\":\"x\"}}" \
	"head POST /api/v1/cases/%ff/extend id {\"days\":1,\"reason\":\"x\"}" \
	"enforcer POST /api/v1/cases/%ff/notes id {\"text\":\"x\"}" \
	"head POST /api/v1/documents/%ff/void number {\"reason\":\"x\"}"
set -f	# the bodies hold [ ]: no pathname expansion when splitting
for t in "$@"; do
	# shellcheck disable=SC2086,SC2090
	set -- $t
	if [ "$5" = - ]; then req "$1" "$2" "$3"; else req "$1" "$2" "$3" "$5"; fi
	[ "$CODE" != 000 ] || fail "$1 $2 $3: no answer, the server is down"
	expect_status 400
	grep -q "\"field\":\"$4\"" "$OUT" || fail "$1 $2 $3: 400 does not name the field $4"
	grep -q '(null)' "$OUT" && fail "$1 $2 $3: the message prints a null pointer"
done
set +f
unchanged "$s0" "non-UTF-8 path segments"
alive "after non-UTF-8 path segments"
ok "a path segment that is not UTF-8 (%ff) → 400 naming the parameter on every route; the server stays up"

api_stop
ok "the server stops cleanly"
