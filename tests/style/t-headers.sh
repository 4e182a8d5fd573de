#!/bin/sh
# STYLE §13: every public header compiles on its own (it includes what it
# uses), and no source file calls a banned function behind banned.h's back.
set -eu
src=${ZF_SRC:?}
cc=${CC:-cc}
inc=""
for d in lib domain ledger evidence store http cli; do inc="$inc -I$src/src/$d"; done
fail=0
for h in "$src"/src/*/*.h; do
	case "$h" in */banned.h) continue ;; esac
	# shellcheck disable=SC2086
	if ! printf '#include "%s"\n' "$h" | $cc -std=c11 -D_POSIX_C_SOURCE=200809L \
		-D_DEFAULT_SOURCE $inc $(pkg-config --cflags jansson) -Wall -Werror \
		-fsyntax-only -x c - 2>/tmp/hdr.$$; then
		echo "FAIL: ${h#$src/} does not compile alone:"; cat /tmp/hdr.$$
		fail=1
	fi
done
rm -f /tmp/hdr.$$
# every .c file must include zf.h (directly or through a module header) so
# banned.h applies; catch direct uses of unbounded calls anyway
if grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|gmtime|localtime|atoi|gets)\(' \
	"$src"/src/*/*.c | grep -v 'banned'; then
	echo "FAIL: banned call in src/"
	fail=1
fi
[ "$fail" -eq 0 ] && echo "ok: headers self-contained, no banned calls"
exit "$fail"
