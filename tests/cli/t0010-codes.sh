#!/bin/sh
# DESIGN "One vocabulary": every error, verify, action and object code the
# source uses is defined once in docs/codes.tsv, and vice versa every role,
# status and kind list in src/domain/vocab.c is there too.
set -eu
src=${ZF_SRC:?}
tsv="$src/docs/codes.tsv"
fail=0
check() {
	# a refusal (a rule saying no) is an error code too
	if ! awk -F'\t' -v k="$1" -v c="$2" '($1 == k || (k == "error" && $1 == "refusal")) && $2 == c { f = 1 } END { exit !f }' "$tsv"; then
		echo "FAIL: $1 code '$2' used in src/ but not in docs/codes.tsv"
		fail=1
	fi
}
# error codes: the third argument of zf_fail(...), conflict structs, not-found reports
codes=$(cat "$src"/src/*/*.c | tr '\n' ' ' |
	grep -oE 'zf_fail\([^,]*, *ZF_[A-Z]+, *"[a-z_]+"|(refuse|invalid)\(err, *"[a-z_]+"|\{"[a-z_]+(_exists|_conflict)", |"[a-z_]+_not_found", "' |
	grep -oE '"[a-z_]+"' | tr -d '"' | sort -u)
for c in $codes; do check error "$c"; done
for c in $(cat "$src"/src/store/*.c | tr '\n' ' ' |
	grep -oE 'problem\([a-z>.-]+, *"[a-z]+", *[^"]*"[a-z_]+"' | grep -oE '"[a-z_]+"$' | tr -d '"' | sort -u); do
	check verify "$c"
done
# actions and object types of struct mutation {org, "action", "type", ...}
for c in $(tr '\n' ' ' < "$src/src/store/store.c" | grep -oE 'struct mutation m = \{[^,]+, *"[a-z_.]+", *"[a-z_]+"' |
	grep -oE '"[a-z_.]+"' | tr -d '"' | sort -u); do
	case "$c" in *.*) check action "$c" ;; *) check object_type "$c" ;; esac
done
for list in org_levels:org_level roles:role officer_statuses:officer_status party_kinds:party_kind \
	vehicle_configs:vehicle_config device_kinds:device_kind; do
	name=${list%%:*} kind=${list#*:}
	for c in $(tr '\n' ' ' < "$src/src/domain/vocab.c" | grep -oE "vocab_$name\[\] = \{[^}]*\}" | grep -oE '"[a-z_]+"' | tr -d '"'); do
		check "$kind" "$c"
	done
done
# the procedure's states and transitions (src/domain/procedure.c)
for list in states:case_state transitions:transition; do
	name=${list%%:*} kind=${list#*:}
	for c in $(tr '\n' ' ' < "$src/src/domain/procedure.c" | grep -oE "proc_$name\[\] = \{[^}]*\}" | grep -oE '"[a-z_]+"' | tr -d '"'); do
		check "$kind" "$c"
	done
done
n=$(grep -vc '^#' "$tsv")
[ "$fail" -eq 0 ] || exit 1
echo "ok: every code used in src/ is defined in docs/codes.tsv ($n rows)"
