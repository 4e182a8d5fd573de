# tests/cli/api_lib.sh: helpers for the API tests (t1025, t12NN, t1310,
# t1410), sourced after lib.sh or instead of it (it then sources lib.sh
# itself).  They run `zhifa serve` on a loopback port, log users in and
# send requests with curl; python3 (standard library only) reads the JSON
# and computes TOTP codes.  Not a test itself (ctest runs t*.sh only).
# A test starts with
#
#   set -u
#   # shellcheck source=tests/cli/api_lib.sh
#   . "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/api_lib.sh"
#   api_init 2025-12-31T17:00:00+08:00
#
#   api_init [NOW]              check for curl and python3 (skip without
#                               them); start the python3 helper (one for the
#                               whole test, on fds 7 and 8: one process per
#                               check is too slow); on exit kill it and our
#                               servers, remove $T.  With NOW, set and
#                               export ZHIFA_NOW=NOW
#   py MODE ARGS...             one command of the helper (see zf_api.py
#                               below); no tabs or newlines in ARGS
#   api_start [ARGS...]         `zhifa serve --db $DB ARGS` on a free port
#                               (20000 + $$ % 20000, then the next ones);
#                               waits up to 10 s for /healthz; sets BASE
#   api_stop                    SIGTERM: exit 0, "zhifa: stopped", and no
#                               sanitizer report in the server's stderr
#   api_login NAME USER [TOTP_SECRET] [PASSWORD]
#                               POST /api/v1/login from a fresh loopback
#                               address (127.0.0.N: the per-address limit is
#                               10 logins a minute); on 200 the session is
#                               kept as NAME (a shell name: letters, digits,
#                               _): its cookie token and CSRF token, also in
#                               $T/s.NAME.tok and $T/s.NAME.csrf
#   req [-k KEY] [-t TOKEN|-T] [-f FILE] [-a ADDR] [-c COOKIE] [-H HDR]
#       NAME|- METHOD PATH [BODY]
#                               one request; CODE is the status, the body is
#                               in $OUT, the headers in $HDR.  NAME's session
#                               cookie goes with it ("-": none), and on every
#                               method but GET its CSRF token (-t another
#                               token, -T none).  -k Idempotency-Key, -f body
#                               from a file, -a source address, -c the whole
#                               Cookie header, -H one more header
#   expect_status CODE          fail unless the last request got CODE
#   expect_error STATUS CODE [FIELD]
#                               ... and its body is the error shape with this
#                               code (and field; "*" for any), a Chinese
#                               message
#   msg_has TEXT                the error message contains TEXT
#   jv EXPR                     evaluate the Python expression EXPR with d =
#                               the JSON in $OUT; strings print bare, other
#                               values as JSON (true, null, [..])
#   jfv FILE EXPR               the same for FILE
#   pycheck FILE <<EOF          run the Python code on stdin with d = FILE's
#                               JSON; prints why and returns 1 on a failure
#   jsame FILE1 EXPR1 FILE2 EXPR2
#                               the two values are equal JSON (prints the
#                               first difference otherwise, returns 1)
#   cli OUTFILE ARGS...         `zhifa --db $DB --json ARGS` into OUTFILE; it
#                               must succeed
#   same_as_cli EXPR ARGS...    the value EXPR of $OUT equals the CLI's --json
#                               document of ARGS
#   totp SECRET                 the RFC 6238 code at $ZHIFA_NOW
#   lsize                       LSIZE = the ledger size of the demo county
#                               150826 (its entries, counted with sqlite3)
#   last_action                 print the action of its newest entry
#   ledger_mark                 s0 = LSIZE = the ledger size now (the mark
#                               for unchanged "$s0" ... and the like)
#   unchanged SIZE WHAT         fail unless the ledger still has SIZE entries
#   ledger_verified [OPTS...]   `zhifa --db $DB OPTS --json ledger verify`
#                               must answer "ok": true; prints its ok line
#
# It also sets the demo county's officers' certificate numbers (src/cli/
# demo.c): E1 (login "enforcer"), E2 (login "enforcer2"), E3 (an enforcer
# without a login), H1 (the head, login "head"); and the administrators'
# TOTP secrets TOTP_SYSADMIN, TOTP_SECADMIN, TOTP_AUDITADMIN.
#
# POSIX sh; every check fails the test at once, printing the request, the
# answer and the end of the server's log.

# lib.sh first, unless the test has sourced it already (it defines
# expect_exit)
if ! command -v expect_exit >/dev/null 2>&1; then
	# shellcheck source=tests/cli/lib.sh
	. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
fi

API_PY=$T/zf_api.py
API_NL='
'

HDR=$T/hdr
SRV_PIDS=
PY_PID=
SRV_PID=
SRV_LOG=
SRV_N=0
ADDR_N=10
CODE=

api_cleanup() {
	exec 7>&- 8<&-
	[ -n "$PY_PID" ] && { kill "$PY_PID" 2>/dev/null; wait "$PY_PID" 2>/dev/null; }
	for p in $SRV_PIDS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}

# lib.sh's fail, with the end of the server's log
fail() {
	echo "not ok - $*"
	if [ -n "$LAST" ]; then
		echo "# last command: $LAST"
		if [ -s "$OUT" ]; then
			echo "# stdout/body:"
			head -c 3000 "$OUT" | sed 's/^/#   /'
			echo
		fi
		if [ -s "$ERR" ]; then
			echo "# stderr:"
			head -c 3000 "$ERR" | sed 's/^/#   /'
		fi
	fi
	if [ -n "$SRV_LOG" ] && [ -s "$SRV_LOG" ]; then
		echo "# server log (last lines):"
		tail -n 15 "$SRV_LOG" | sed 's/^/#   /'
	fi
	exit 1
}

api_init() {
	command -v curl >/dev/null 2>&1 || { echo "skip: curl not installed"; exit 0; }
	command -v python3 >/dev/null 2>&1 || { echo "skip: python3 not installed"; exit 0; }
	trap api_cleanup EXIT
	if [ $# -gt 0 ]; then
		ZHIFA_NOW=$1
		export ZHIFA_NOW
	fi
	cat >"$API_PY" <<'EOF'
import base64, datetime, hashlib, hmac, json, struct, sys

def load(path):
    with open(path, 'rb') as f:
        return json.loads(f.read().decode('utf-8'))

def show(v):
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False, sort_keys=True)

def short(v):
    return json.dumps(v, ensure_ascii=False, sort_keys=True)[:300]

def diff(a, b, path='$'):
    if type(a) is not type(b):
        return '%s: %s != %s' % (path, short(a), short(b))
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                return '%s.%s: only on the right (%s)' % (path, k, short(b[k]))
            if k not in b:
                return '%s.%s: only on the left (%s)' % (path, k, short(a[k]))
            r = diff(a[k], b[k], '%s.%s' % (path, k))
            if r:
                return r
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return '%s: %d items != %d items' % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            r = diff(x, y, '%s[%d]' % (path, i))
            if r:
                return r
        return None
    return None if a == b else '%s: %s != %s' % (path, short(a), short(b))

def run(argv):
    """One command; returns (exit status, text)."""
    mode = argv[0]
    if mode == 'get':
        return 0, show(eval(argv[2], {'d': load(argv[1]), 'json': json}))
    if mode == 'same':
        a = eval(argv[2], {'d': load(argv[1]), 'json': json})
        b = eval(argv[4], {'d': load(argv[3]), 'json': json})
        r = diff(a, b)
        return (1, r) if r else (0, '')
    if mode == 'err':
        # err FILE CODE [FIELD]: the error shape, this code, a Chinese message
        d = load(argv[1])
        e = d.get('error') if isinstance(d, dict) else None
        if not isinstance(e, dict) or set(d) != {'error'} or \
           set(e) != {'code', 'message', 'field'}:
            return 1, 'not the error shape {"error":{"code","message","field"}}'
        if argv[2] != '*' and e['code'] != argv[2]:
            return 1, 'error code %r, want %r' % (e['code'], argv[2])
        if len(argv) > 3 and argv[3] != '*' and e['field'] != argv[3]:
            return 1, 'error field %r, want %r' % (e['field'], argv[3])
        if not any('\u4e00' <= c <= '\u9fff' for c in e['message']):
            return 1, 'error message is not in Chinese: %r' % e['message']
        return 0, ''
    if mode == 'totp':
        secret, now = argv[1], argv[2]
        t = int(datetime.datetime.fromisoformat(now).timestamp())
        key = base64.b32decode(secret + '=' * (-len(secret) % 8))
        h = hmac.new(key, struct.pack('>Q', t // 30), hashlib.sha1).digest()
        o = h[-1] & 15
        return 0, '%06d' % ((struct.unpack('>I', h[o:o + 4])[0] & 0x7fffffff) % 1000000)
    if mode == 'login':
        # login USER PASSWORD [TOTP]: the request body
        b = {'username': argv[1], 'password': argv[2]}
        if len(argv) > 3:
            b['totp'] = argv[3]
        return 0, json.dumps(b, ensure_ascii=False)
    if mode in ('exec', 'execf'):
        # exec FILE CODE / execf FILE CODEFILE: run Python code with d =
        # FILE's JSON; it prints its answer and raises SystemExit(1) on a
        # failed check
        import io, contextlib
        buf = io.StringIO()
        code = argv[2]
        if mode == 'execf':
            with open(code, encoding='utf-8') as f:
                code = f.read()
        try:
            with contextlib.redirect_stdout(buf):
                exec(code, {'d': load(argv[1]), 'json': json})
        except SystemExit as e:
            return (e.code if isinstance(e.code, int) else 1), buf.getvalue().rstrip('\n')
        return 0, buf.getvalue().rstrip('\n')
    return 2, 'zf_api.py: unknown mode ' + mode

# Serve commands from stdin, one a line, arguments separated by tabs;
# each answer is "STATUS NLINES" and NLINES lines.
for line in sys.stdin:
    try:
        st, text = run(line.rstrip('\n').split('\t'))
    except Exception as e:
        st, text = 2, 'python: %s: %s' % (type(e).__name__, e)
    lines = text.split('\n') if text != '' else []
    sys.stdout.write('%d %d\n' % (st, len(lines)))
    for l in lines:
        sys.stdout.write(l + '\n')
    sys.stdout.flush()
EOF
	# one python3 for the whole test: starting one per check is too slow
	mkfifo "$T/py.in" "$T/py.out" || fail "mkfifo"
	python3 "$API_PY" <"$T/py.in" >"$T/py.out" &
	PY_PID=$!
	exec 7>"$T/py.in" 8<"$T/py.out"
}

# py MODE ARGS...: one command of zf_api.py (no tabs or newlines in ARGS);
# prints its answer, returns its status
py() {
	_line=$1
	shift
	for _a in "$@"; do
		case $_a in
		*"$API_NL"* | *"	"*) echo "py: a newline or tab in an argument"; return 2 ;;
		esac
		_line="$_line	$_a"
	done
	printf '%s\n' "$_line" >&7 || { echo "python helper gone"; return 2; }
	read -r _st _n <&8 || { echo "python helper gone"; return 2; }
	while [ "$_n" -gt 0 ]; do
		IFS= read -r _l <&8
		printf '%s\n' "$_l"
		_n=$((_n - 1))
	done
	return "$_st"
}

api_start() {
	SRV_N=$((SRV_N + 1))
	port=$((20000 + $$ % 20000))
	tries=0
	while :; do
		SRV_LOG=$T/srv$SRV_N.err
		"$ZHIFA" serve --db "$DB" --listen "127.0.0.1:$port" "$@" 7>&- 8<&- \
			>"$T/srv$SRV_N.out" 2>"$SRV_LOG" &
		SRV_PID=$!
		SRV_PIDS="$SRV_PIDS $SRV_PID"
		# wait for the startup line (our server, not another on the port)
		i=0
		while ! grep -q '^zhifa serving ' "$T/srv$SRV_N.out" 2>/dev/null; do
			if ! kill -0 "$SRV_PID" 2>/dev/null; then
				wait "$SRV_PID" 2>/dev/null
				break
			fi
			i=$((i + 1))
			[ "$i" -lt 100 ] || fail "zhifa serve did not start within 10 s"
			sleep 0.1
		done
		grep -q '^zhifa serving ' "$T/srv$SRV_N.out" 2>/dev/null && break
		tries=$((tries + 1))
		grep -q 'listen_failed' "$SRV_LOG" && [ "$tries" -lt 20 ] ||
			fail "zhifa serve exited: $(cat "$SRV_LOG")"
		port=$((20000 + (port - 20000 + 7) % 20000))
	done
	BASE="http://127.0.0.1:$port"
	i=0
	until curl -s -o /dev/null --max-time 2 "$BASE/healthz"; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || fail "no answer on $BASE/healthz within 10 s"
		sleep 0.1
	done
}

api_stop() {
	kill -TERM "$SRV_PID"
	wait "$SRV_PID"
	st=$?
	SRV_PIDS=$(echo "$SRV_PIDS" | sed "s/ $SRV_PID\$//; s/ $SRV_PID / /")
	[ "$st" -eq 0 ] || fail "server exit status $st after SIGTERM"
	grep -q '^zhifa: stopped$' "$SRV_LOG" || fail "no 'zhifa: stopped' in the server's stderr"
	if grep -E 'runtime error|AddressSanitizer|LeakSanitizer' "$SRV_LOG" >/dev/null; then
		fail "sanitizer report in the server's stderr"
	fi
}

totp() { py totp "$1" "$ZHIFA_NOW"; }

req() {
	_k='' _tok='' _notok='' _file='' _addr=127.0.0.1 _cookie='' _hdr=''
	while :; do
		case $1 in
		-k) _k=$2; shift 2 ;;
		-t) _tok=$2; shift 2 ;;
		-T) _notok=1; shift ;;
		-f) _file=$2; shift 2 ;;
		-a) _addr=$2; shift 2 ;;
		-c) _cookie=$2; shift 2 ;;
		-H) _hdr=$2; shift 2 ;;
		*) break ;;
		esac
	done
	_who=$1 _m=$2 _p=$3
	_hasbody=
	if [ $# -ge 4 ]; then
		_hasbody=1
		_body=$4
	fi
	LAST="$_who: $_m $_p"
	[ -n "$_hasbody" ] && LAST="$LAST $(printf '%s' "$_body" | head -c 400)"
	[ -n "$_file" ] && LAST="$LAST (body: $_file)"
	set -- -sS --max-time 20 --path-as-is -o "$OUT" -D "$HDR" -w '%{http_code}' \
		--interface "$_addr" -X "$_m" -H 'Content-Type: application/json'
	if [ "$_who" != - ]; then
		_scsrf=
		eval "_stok=\${TOK_$_who-} _scsrf=\${CSRF_$_who-}"
		[ -n "$_stok" ] || fail "no session $_who"
		set -- "$@" -H "Cookie: zhifa_session=$_stok"
		if [ "$_m" != GET ] && [ -z "$_notok" ] && [ -z "$_tok" ]; then
			set -- "$@" -H "X-CSRF-Token: $_scsrf"
		fi
	fi
	[ -n "$_cookie" ] && set -- "$@" -H "Cookie: $_cookie"
	[ -n "$_tok" ] && set -- "$@" -H "X-CSRF-Token: $_tok"
	[ -n "$_k" ] && set -- "$@" -H "Idempotency-Key: $_k"
	[ -n "$_hdr" ] && set -- "$@" -H "$_hdr"
	[ -n "$_hasbody" ] && set -- "$@" --data-binary "$_body"
	[ -n "$_file" ] && set -- "$@" --data-binary "@$_file"
	: >"$OUT"
	CODE=$(curl "$@" "$BASE$_p" 2>"$ERR")
}

expect_status() {
	[ "$CODE" = "$1" ] || fail "status $CODE, want $1"
}

expect_error() {
	expect_status "$1"
	shift
	why=$(py err "$OUT" "$@" 2>&1) || fail "$why"
}

msg_has() {
	m=$(jv 'd["error"]["message"]')
	case $m in
	*"$1"*) ;;
	*) fail "error message lacks '$1': $m" ;;
	esac
}

jv() { py get "$OUT" "$1"; }
# pycheck FILE: run the Python code on stdin with d = FILE's JSON (a failed
# check prints why and raises SystemExit(1))
pycheck() {
	cat >"$T/check.py"
	py execf "$1" "$T/check.py"
}
jfv() { py get "$1" "$2"; }
jsame() { py same "$1" "$2" "$3" "$4"; }

cli() {
	_o=$1
	shift
	LAST="zhifa --db \$DB --json $*"
	"$ZHIFA" --db "$DB" --json "$@" >"$_o" 2>"$ERR" ||
		fail "zhifa $* failed: $(cat "$ERR")"
}

same_as_cli() {
	_e=$1
	shift
	cp "$OUT" "$T/api.json"
	cli "$T/cli.json" "$@"
	why=$(jsame "$T/api.json" "$_e" "$T/cli.json" d) ||
		{ cp "$T/api.json" "$OUT"; fail "API and 'zhifa --json $*' differ: $why"; }
	cp "$T/api.json" "$OUT"
}

api_login() {
	_name=$1 _user=$2 _secret=${3:-} _pw=${4:-Demo-Zhifa-2025}
	ADDR_N=$((ADDR_N + 1))
	if [ -n "$_secret" ]; then
		_b=$(py login "$_user" "$_pw" "$(totp "$_secret")")
	else
		_b=$(py login "$_user" "$_pw")
	fi
	req -a "127.0.0.$ADDR_N" - POST /api/v1/login "$_b"
	LAST="login $_user from 127.0.0.$ADDR_N"
	[ "$CODE" = 200 ] || return 0
	tok=$(sed -n 's/^[Ss]et-[Cc]ookie: zhifa_session=\([0-9a-f]*\);.*/\1/p' "$HDR")
	[ -n "$tok" ] || fail "login $_user: no zhifa_session cookie"
	printf '%s' "$tok" >"$T/s.$_name.tok"
	jv 'd["csrf_token"]' >"$T/s.$_name.csrf"
	[ "$(wc -c <"$T/s.$_name.csrf")" -eq 65 ] || fail "login $_user: no 64-character csrf_token"
	eval "TOK_$_name=\$tok CSRF_$_name=\$(cat \"\$T/s.\$_name.csrf\")"
}

# (sqlite3 rather than `zhifa org show`: this runs hundreds of times)
API_ORG_SQL="(SELECT id FROM org WHERE division_code = '150826')"
lsize() {
	LSIZE=$(sqlite3 "$DB" "SELECT count(*) FROM ledger_entry WHERE org_id = $API_ORG_SQL") ||
		fail "cannot read the ledger size"
}

# the action of the newest entry of the county's ledger
last_action() {
	sqlite3 "$DB" "SELECT action FROM ledger_entry WHERE org_id = $API_ORG_SQL ORDER BY seq DESC LIMIT 1"
}

# s0 is the tests' name for the ledger size before a step
# shellcheck disable=SC2034
ledger_mark() {
	lsize
	s0=$LSIZE
}

unchanged() {
	lsize
	[ "$LSIZE" = "$1" ] || fail "$2: the ledger went from $1 to $LSIZE entries"
}

ledger_verified() {
	expect_exit 0 "$ZHIFA" --db "$DB" "$@" --json ledger verify
	py get "$OUT" 'd["ok"]' | grep -qx true || fail "ledger verify: $(head -c 800 "$OUT")"
	ok "ledger verify ok"
}

# The demo county's officers (src/cli/demo.c; certificates 15082620NNNN).
# shellcheck disable=SC2034
E1=150826200006		# login "enforcer"
# shellcheck disable=SC2034
E2=150826200007		# login "enforcer2"
# shellcheck disable=SC2034
E3=150826200008		# an enforcer without a login
# shellcheck disable=SC2034
H1=150826200001		# login "head"

# The demo's administrators' TOTP secrets (src/cli/demo.c; demo only).
# shellcheck disable=SC2034
TOTP_SYSADMIN=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
# shellcheck disable=SC2034
TOTP_SECADMIN=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U
# shellcheck disable=SC2034
TOTP_AUDITADMIN=KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF
