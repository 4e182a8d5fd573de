#!/bin/sh
# t1210: the role matrix (issue 5).  The server's own /api/v1/openapi.json
# (generated from the route table) gives, for every route, the roles that
# may call it (x-roles); it must equal the expectation table below, written
# by hand from the issue (等保 2.0: business roles, and three administrators
# who each hold one admin role and cannot act on cases).  Then every role
# calls every route for real, with harmless arguments (unknown ids, empty
# bodies): an allowed role never gets 403 (nor 401 or 5xx), any other gets
# 403 "forbidden"; without a session every non-public route is 401
# "login_required", and the public ones answer.  Nothing is written.
# Each check prints one line; the first failure stops the test.

set -u
# shellcheck source=tests/cli/api_lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/api_lib.sh"
api_init 2025-12-31T17:00:00+08:00

# The expectation, one route a line: method, path, and who may call it:
# "public" (no login), "login" (the login itself), or one mark per role in
# the order of ROLES, x = allowed, - = refused.
ROLES="enforcer legal_reviewer head disclosure_officer auditor system_admin security_admin audit_admin"
cat >"$T/expected" <<'EOF'
#                                          enforcer
#                                          |legal_reviewer
#                                          ||head
#                                          |||disclosure_officer
#                                          ||||auditor
#                                          |||||system_admin
#                                          ||||||security_admin
#                                          |||||||audit_admin
GET    /                                   public
GET    /ui/{file}                          public
GET    /healthz                            public
GET    /readyz                             public
POST   /api/v1/login                       login
POST   /api/v1/logout                      xxxxxxxx
GET    /api/v1/me                          xxxxxxxx
POST   /api/v1/me/password                 xxxxxxxx
GET    /api/v1/openapi.json                xxxxxxxx
GET    /api/v1/orgs                        xxxxxxxx
GET    /api/v1/orgs/{id}                   xxxxxxxx
GET    /api/v1/org/settings                xxxxxxxx
PUT    /api/v1/org/settings/{key}          -----x--
GET    /api/v1/officers                    xxxxxx--
POST   /api/v1/officers                    -----x--
GET    /api/v1/officers/{id}               xxxxxx--
PATCH  /api/v1/officers/{id}               -----x--
GET    /api/v1/parties                     xxxxx---
POST   /api/v1/parties                     xxx-----
GET    /api/v1/parties/{id}                xxxxx---
POST   /api/v1/parties/{id}/erase          --x-----
GET    /api/v1/vehicles                    xxxxx---
POST   /api/v1/vehicles                    xxx-----
GET    /api/v1/devices                     xxxxxx--
POST   /api/v1/devices                     -----x--
GET    /api/v1/calendar                    xxxxxxxx
POST   /api/v1/calendar/due                xxxxxxxx
POST   /api/v1/calendar/years              -----x--
GET    /api/v1/deadlines                   xxxxx---
GET    /api/v1/users                       -----xx-
POST   /api/v1/users                       -----x--
PUT    /api/v1/users/{id}/roles            ------x-
POST   /api/v1/users/{id}/password         -----x--
POST   /api/v1/users/{id}/unlock           ------x-
POST   /api/v1/users/{id}/totp             ------x-
POST   /api/v1/users/{id}/disable          -----x--
GET    /api/v1/cases                       xxxxx---
POST   /api/v1/cases                       xxx-----
GET    /api/v1/cases/{id}                  xxxxx---
POST   /api/v1/cases/{id}/steps            xxx-----
POST   /api/v1/cases/{id}/extend           xxx-----
POST   /api/v1/cases/{id}/notes            xxx-----
GET    /api/v1/cases/{id}/evidence         xxxxx---
POST   /api/v1/cases/{id}/evidence         xxx-----
GET    /api/v1/evidence/{id}               xxxxx---
GET    /api/v1/evidence/{id}/content       xxxxx---
GET    /api/v1/clocks                      xxxxx---
GET    /api/v1/clocks/mine                 xxxxx---
POST   /api/v1/documents/{number}/void     --x-----
POST   /api/v1/stocks                      --x-----
GET    /api/v1/violations                  xxxxx---
POST   /api/v1/violations/imports          --x-----
GET    /api/v1/violations/{code}           xxxxx---
POST   /api/v1/discretion/proposals        xxxxx---
GET    /api/v1/weighings                   xxxxx---
POST   /api/v1/weighings                   x-x-----
GET    /api/v1/weighings/{id}              xxxxx---
POST   /api/v1/weighings/{id}/unload       x-x-----
POST   /api/v1/weighings/{id}/case         x-x-----
POST   /api/v1/weighings/{id}/link         x-x-----
POST   /api/v1/weighings/{id}/dismiss      x-x-----
GET    /api/v1/weigh-imports               xxxxx---
POST   /api/v1/weigh-imports               x-x-----
POST   /api/v1/weigh-checks                xxxxx---
GET    /api/v1/calibrations                xxxxx---
GET    /api/v1/scales/{device}/calibrations xxxxx---
POST   /api/v1/scales/{device}/calibrations --x-----
GET    /api/v1/overload/stats              xxxxx---
POST   /api/v1/overload/check              xxxxx---
GET    /api/v1/ledger/entries              ----x--x
GET    /api/v1/ledger/entries/{seq}        ----x--x
GET    /api/v1/ledger/verify               ----x--x
GET    /api/v1/ledger/head                 ----x--x
GET    /public/ledger/checkpoint           public
GET    /public/ledger/pubkey               public
GET    /public/ledger/proof                public
GET    /public/ledger/consistency          public
EOF
ok "the expectation table: $(grep -cv '^#' "$T/expected") routes × 8 roles"

expect_exit 0 "$ZHIFA" --db "$DB" init
expect_exit 0 "$ZHIFA" --db "$DB" demo
api_start
ok "setup: init, demo, zhifa serve on $BASE"

# one session per role, named by the role (administrators with TOTP codes)
set -- enforcer enforcer "" reviewer legal_reviewer "" head head "" \
	disclosure disclosure_officer "" auditor auditor "" \
	sysadmin system_admin "$TOTP_SYSADMIN" secadmin security_admin "$TOTP_SECADMIN" \
	auditadmin audit_admin "$TOTP_AUDITADMIN"
while [ $# -ge 3 ]; do
	api_login "$2" "$1" "$3"
	expect_status 200
	[ "$(jv 'd["roles"]')" = "$2" ] || fail "login $1: roles $(jv 'd["roles"]'), want $2"
	shift 3
done
ok "one login per role: $ROLES"

# ---- the route table (from the server's OpenAPI document) vs the expectation

req enforcer GET /api/v1/openapi.json
expect_status 200
cp "$OUT" "$T/openapi.json"
pycheck "$T/openapi.json" <<EOF >"$T/table" || fail "openapi.json: $(cat "$T/table")"
roles = "$ROLES".split()
for p, ops in d["paths"].items():
    for m, op in ops.items():
        flags = op["x-flags"]
        if "public" in flags:
            who = "public"
        elif "login" in flags:
            who = "login"
        else:
            unknown = set(op["x-roles"]) - set(roles)
            if unknown:
                print("%s %s: unknown roles %s" % (m, p, sorted(unknown)))
                raise SystemExit(1)
            who = "".join("x" if r in op["x-roles"] else "-" for r in roles)
        print("%s %s %s" % (m.upper(), p, who))
EOF
grep -v '^#' "$T/expected" | awk '{ print $1, $2, $3 }' | sort >"$T/want"
sort "$T/table" >"$T/got"
if ! diff "$T/want" "$T/got" >"$T/diff"; then
	echo "# < the expectation table, > the server's openapi.json (roles: $ROLES)"
	sed 's/^/# /' "$T/diff"
	fail "the route table's roles differ from the expectation table"
fi
ok "openapi.json x-roles: every route has exactly the expected roles ($(wc -l <"$T/got" | tr -d ' ') routes)"

# ---- every role × every route, called for real ------------------------------

# a harmless request: unknown ids, an empty body
path_of() {
	echo "$1" | sed 's/{id}/019b0000-0000-7000-8000-00000000dead/; s/{key}/no_such_setting/;
		s/{number}/NO-SUCH-NUMBER/; s/{code}/no_such_code/; s/{seq}/1/; s/{file}/no-such-file.css/;
		s/{device}/NO-SUCH-DEVICE/'
}
call() {	# call NAME METHOD PATH
	if [ "$2" = GET ]; then
		req "$1" GET "$(path_of "$3")"
	else
		req "$1" "$2" "$(path_of "$3")" '{}'
	fi
}

ledger_mark
n=0
while read -r m p who; do
	case $m in '#'*) continue ;; esac
	[ "$p" = /api/v1/logout ] && continue	# last: it ends the session
	i=0
	for role in $ROLES; do
		i=$((i + 1))
		call "$role" "$m" "$p"
		n=$((n + 1))
		case $who in
		public | login) mark=x ;;
		*) mark=$(echo "$who" | cut -c"$i") ;;
		esac
		if [ "$mark" = x ]; then
			case $CODE in
			401 | 403 | 5?? | 000) fail "$role: $m $p → $CODE, but the role may call it" ;;
			esac
		else
			[ "$CODE" = 403 ] || fail "$role: $m $p → $CODE, want 403"
			grep -q '^{"error":{"code":"forbidden",' "$OUT" ||
				fail "$role: $m $p → 403 without code forbidden"
		fi
	done
done <"$T/expected"
unchanged "$s0" "the role matrix"
ok "$n calls (8 roles × every route but logout): allowed → neither 401, 403 nor 5xx; refused → 403 forbidden; nothing written"

# ---- no session ---------------------------------------------------------------

n=0
while read -r m p who; do
	case $m in '#'*) continue ;; esac
	call - "$m" "$p"
	n=$((n + 1))
	case $who in
	public | login)
		case $CODE in
		401 | 403 | 5?? | 000) fail "no session: $m $p → $CODE, but it is public" ;;
		esac
		;;
	*)
		[ "$CODE" = 401 ] || fail "no session: $m $p → $CODE, want 401"
		grep -q '^{"error":{"code":"login_required",' "$OUT" ||
			fail "no session: $m $p → 401 without code login_required"
		;;
	esac
done <"$T/expected"
# a forged session cookie is no session either
req -c "zhifa_session=$(printf '%064d' 0)" - GET /api/v1/me
expect_error 401 login_required
req -c "zhifa_session=$(printf '%064d' 0)" -H "X-CSRF-Token: $(printf '%064d' 0)" - POST /api/v1/cases '{}'
expect_error 401 login_required
ok "no session ($n routes): every non-public route 401 login_required, the public ones answer; a forged cookie is 401"

# ---- logout, for every role, last ----------------------------------------------

for role in $ROLES; do
	req "$role" POST /api/v1/logout
	expect_status 200
	req "$role" GET /api/v1/me
	expect_error 401 login_required
done
lsize
[ "$LSIZE" -eq $((s0 + 8)) ] || fail "8 logouts wrote $((LSIZE - s0)) entries"
ok "POST /api/v1/logout: every role may log out (one user.logout entry each), then 401"

api_stop
ok "the server stops cleanly"
