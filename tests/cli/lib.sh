# tests/cli/lib.sh: helpers sourced by the tests/cli/tNNNN-*.sh scripts.
#
# Sourcing it checks $ZHIFA, clears the environment variables that would
# point zhifa at some other database, makes a scratch directory $T (removed
# on exit) and sets DB=$T/z.db.  Each test still sets ZHIFA_NOW itself.
#
#   fail MSG...                 print "not ok - MSG" and what the last
#                               command printed, then exit 1
#   ok MSG...                   print "ok - MSG"
#   expect_exit CODE CMD...     run CMD with stdout in $OUT and stderr in
#                               $ERR; fail unless it exits with CODE
#   expect_stderr_code CODE     $ERR holds one JSON error line with this code
#                               and a Chinese message (a usage error may add
#                               one "用法: zhifa ..." line after it)
#   expect_stderr_field FIELD   the error names this field
#   ledger_size                 print the ledger size of $DB's default org
#   setup_org                   init $DB with the city and county bureaus
#   db_sum                      print a checksum of $DB's whole content
#   jtop KEY / jall KEY         values of KEY in $OUT (--json output):
#                               top level only / at any depth
#   jstr KEY                    jtop without the quotes of a string
#   zf ARGS...                  zhifa --db $DB ARGS, which must succeed
#   refused CODE ARGS...        zhifa --db $DB ARGS must exit 1 with one JSON
#                               error line of that code (a test may define
#                               its own refused with another signature)
#   err_has TEXT                the error output holds TEXT
#
# POSIX sh only; no jq.

: "${ZHIFA:?set ZHIFA to the zhifa binary}"
# tests change directory: make a relative path absolute
case $ZHIFA in
/*) ;;
*/*) ZHIFA=$(pwd)/$ZHIFA ;;
esac
[ -x "$ZHIFA" ] || command -v "$ZHIFA" >/dev/null 2>&1 ||
	{ echo "not ok - ZHIFA=$ZHIFA is not an executable"; exit 1; }
command -v sqlite3 >/dev/null 2>&1 ||
	{ echo "not ok - sqlite3 command-line tool not installed (scripts/deps.sh)"; exit 1; }

unset ZHIFA_DB ZHIFA_ORG

T=$(mktemp -d "${TMPDIR:-/tmp}/zf-cli.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM

DB=$T/z.db
OUT=$T/out
ERR=$T/err
LAST=
: >"$OUT"
: >"$ERR"

# The first CJK ideograph byte range (U+4E00..U+9FFF lead bytes).
ZF_CJK=$(printf '[\344-\351]')

fail() {
	echo "not ok - $*"
	if [ -n "$LAST" ]; then
		echo "# last command: $LAST"
		if [ -s "$OUT" ]; then
			echo "# stdout:"
			sed 's/^/#   /' "$OUT"
		fi
		if [ -s "$ERR" ]; then
			echo "# stderr:"
			sed 's/^/#   /' "$ERR"
		fi
	fi
	exit 1
}

ok() { echo "ok - $*"; }

# Run a command, capturing its output; STATUS is its exit status.
run() {
	LAST=$*
	"$@" >"$OUT" 2>"$ERR"
	STATUS=$?
}

expect_exit() {
	want=$1
	shift
	[ -n "${ZHIFA_NOW:-}" ] || fail "test must set ZHIFA_NOW before running zhifa"
	run "$@"
	[ "$STATUS" -eq "$want" ] || fail "exit status $STATUS, want $want"
}

# The JSON error line: the first line of stderr.
err_line() { sed -n 1p "$ERR"; }

# Value of a string key in the error line ("" if absent).
err_key() {
	err_line | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"
}

expect_stderr_code() {
	[ -s "$ERR" ] || fail "stderr is empty, want error $1"
	n=$(wc -l <"$ERR" | tr -d ' ')
	if [ "$n" -gt 1 ]; then
		# only a usage error may add its usage line, and only one
		if [ "$n" -ne 2 ] || ! sed -n 2p "$ERR" | grep -q '^用法: zhifa '; then
			fail "stderr is not one JSON line ($n lines)"
		fi
	fi
	line=$(err_line)
	case $line in
	'{"error":{'*'}}') ;;
	*) fail "stderr is not a JSON error object" ;;
	esac
	got=$(err_key code)
	[ "$got" = "$1" ] || fail "error code '$got', want '$1'"
	printf '%s\n' "$line" | grep -q '"message":"[^"]' || fail "empty error message"
	printf '%s\n' "$line" | LC_ALL=C grep -q "\"message\":\"[^\"]*$ZF_CJK" ||
		fail "error message is not in Chinese"
}

expect_stderr_field() {
	got=$(err_key field)
	[ "$got" = "$1" ] || fail "error field '$got', want '$1'"
}

# Values of "KEY": in --json output (pretty-printed, two spaces per level),
# one per line, trailing comma removed; strings keep their quotes.
jtop() { sed -n "s/^  \"$1\": \\(.*\\)\$/\\1/p" "$OUT" | sed 's/,$//'; }
jall() { sed -n "s/^ *\"$1\": \\(.*\\)\$/\\1/p" "$OUT" | sed 's/,$//'; }
jstr() { jtop "$1" | sed 's/^"//; s/"$//'; }
zf() { expect_exit 0 "$ZHIFA" --db "$DB" "$@"; }
refused() {
	code=$1
	shift
	expect_exit 1 "$ZHIFA" --db "$DB" "$@"
	expect_stderr_code "$code"
}
err_has() { grep -q "$1" "$ERR" || fail "error message lacks '$1'"; }

# Prints the size; on failure says why on stderr and returns 1, so call it
# as: size=$(ledger_size) || fail "..."
ledger_size() {
	if ! "$ZHIFA" --db "$DB" --json org show >"$T/ls.out" 2>"$T/ls.err"; then
		echo "# zhifa --db $DB --json org show failed:" >&2
		sed 's/^/#   /' "$T/ls.err" >&2
		return 1
	fi
	sed -n 's/^  "ledger_size": \([0-9][0-9]*\).*/\1/p' "$T/ls.out" | grep . ||
		{ echo "# no ledger_size in org show" >&2; return 1; }
}

# The whole database as text, checksummed: unchanged sum, nothing written.
db_sum() { sqlite3 "$DB" .dump | cksum; }

setup_org() {
	expect_exit 0 "$ZHIFA" --db "$DB" init
	expect_exit 0 "$ZHIFA" --db "$DB" org add --name 巴彦淖尔市交通运输局 \
		--level city --division-code 150800 --doc-abbr 巴交
	expect_exit 0 "$ZHIFA" --db "$DB" org add --name 杭锦后旗交通运输局 \
		--level county --division-code 150826 --doc-abbr 杭交 --parent 150800
	ok "setup: init, city 150800 and county 150826 (parent 150800)"
}
