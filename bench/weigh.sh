#!/bin/sh
# bench/weigh.sh: the full weigh-in-motion import into SQLite with the real
# command (issue 8 "Performance" (b) and (c); BENCHMARKS.md "Weigh-in-motion
# import").
#
# For each N it writes N synthetic records (build/bench_wim gen: 2025 local
# times, about 170 bytes a record, 0.1% bad rows), then, RUNS times:
#   - zhifa: a fresh database (`zhifa init`, `zhifa org add` 杭锦后旗交通运输局),
#     the file read once so it is in the page cache, then timed from outside
#     (process start to exit, which includes the commit and the WAL
#     checkpoint at close):
#       `zhifa --db DB weigh import FILE`      (adds N - bad rows)
#       `zhifa --db DB weigh import FILE`      again (idempotent: adds 0)
#       `zhifa --db DB ledger verify`          (recomputes the rows digest)
#     with each one's peak resident size (VmHWM, from /usr/bin/time);
#   - references in the same run (build/bench_weigh, timed inside, the
#     parse excluded, the commit and the checkpoint included):
#       lines   zhifa's digest-line query over the imported rows, read only
#               and read + hashed (SM3 through EVP): verify's ceiling; and
#               the same digest from the columns, each line formatted in C;
#       key     the same rows into a table of the weighing table's columns
#               with only the unique index (org_id, station, weighed_at,
#               plate), one transaction: SQLite's own ceiling for rows of
#               this width with this key; then the same rows again (all
#               ignored): the re-import's ceiling;
#       schema  the same rows into zhifa's own weighing table (migration
#               0007: CHECKs, primary key, five indexes, foreign keys) with
#               zhifa's own statement: what the schema costs without zhifa.
# It prints every run's figures, then the medians: records/s and the ratios
# (reference seconds / zhifa seconds for the same rows).  The issue's
# target is >= 250,000 records/s, and VmHWM flat from 10^6 to 10^7.
#
# BENCH_WEIGH_PATCHED=1 also runs the import and the schema reference on a
# database whose `review` CHECK is rewritten from IN (...) to ORs through
# PRAGMA writable_schema (the same constraint; SQLite 3.40 builds an
# ephemeral table per row for an IN list of more than two values): what
# that change to migration 0007 would give.  Bench databases only.
#
# Needs /usr/bin/time and the sqlite3 CLI, which this script installs if
# missing.
#
# Environment: BENCH_WEIGH_N (default "1000000 10000000"), BENCH_WEIGH_RUNS
# (1), BENCH_WEIGH_DIR (default a temporary directory, removed at the end;
# a given one keeps the generated files), BENCH_WEIGH_NOW (ZHIFA_NOW for
# the runs, default 2026-06-30T12:00:00+08:00, after every generated
# record), BENCH_WEIGH_PATCHED, BENCH_WEIGH_ZHIFA (build/zhifa),
# BENCH_WEIGH_REF (build/bench_weigh), BENCH_WIM_BIN (build/bench_wim).
# The references' own knobs (BENCH_WEIGH_CACHE_KB, BENCH_WEIGH_TXN_ROWS, ...;
# bench/bench_weigh.c) pass through to them.  Disk: about 1.5 KB per record
# (file, database, a WAL as large as the database); a size that does not
# fit is skipped with a message.
set -eu
cd "$(dirname "$0")/.."
zhifa=${BENCH_WEIGH_ZHIFA:-build/zhifa}
gen=${BENCH_WIM_BIN:-build/bench_wim}
ref=${BENCH_WEIGH_REF:-build/bench_weigh}
sizes=${BENCH_WEIGH_N:-"1000000 10000000"}
runs=${BENCH_WEIGH_RUNS:-1}
patched=${BENCH_WEIGH_PATCHED:-0}
unset ZHIFA_DB ZHIFA_ORG
ZHIFA_NOW=${BENCH_WEIGH_NOW:-2026-06-30T12:00:00+08:00}
export ZHIFA_NOW
if [ -n "${BENCH_WEIGH_DIR:-}" ]; then
	dir=$BENCH_WEIGH_DIR
	mkdir -p "$dir"
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/zf-bench-weigh.XXXXXX")
	trap 'rm -rf "$dir"' EXIT
fi
for b in "$zhifa" "$gen" "$ref"; do
	[ -x "$b" ] || { echo "bench/weigh.sh: $b not built (make build)" >&2; exit 1; }
done
need=""
[ -x /usr/bin/time ] || need="$need time"
command -v sqlite3 >/dev/null || need="$need sqlite3"
if [ -n "$need" ]; then
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

now() { date +%s.%N; }
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"; }
# top-level integer member of zhifa's pretty-printed --json output
member() { sed -n "s/^  \"$1\": \([0-9]*\),*$/\1/p" | head -1; }
db_fresh() {
	rm -f "$1" "$1-wal" "$1-shm"
	{ "$zhifa" --db "$1" init >/dev/null &&
	  "$zhifa" --db "$1" org add --name 杭锦后旗交通运输局 --level county \
		--division-code 150826 --doc-abbr 杭交 >/dev/null; } ||
		{ echo "bench/weigh.sh: $zhifa init / org add failed" >&2; exit 1; }
}
db_rm() { rm -f "$1" "$1-wal" "$1-shm"; }
# review CHECK as ORs (BENCH_WEIGH_PATCHED): same constraint, no ephemeral table
db_patch() {
	sqlite3 "$1" "PRAGMA writable_schema=ON; UPDATE sqlite_master SET sql = replace(sql,
	  'CHECK (review IN (''none'', ''pending'', ''confirmed'', ''dismissed''))',
	  'CHECK (review = ''none'' OR review = ''pending'' OR review = ''confirmed'' OR review = ''dismissed'')')
	  WHERE type = 'table' AND name = 'weighing'; PRAGMA writable_schema=OFF;"
	sqlite3 "$1" "SELECT sql FROM sqlite_master WHERE name = 'weighing'" |
		grep -q "review = 'dismissed'" || { echo "bench/weigh.sh: CHECK not patched" >&2; exit 1; }
}
# timed: $fig = "seconds VmHWM-KB user sys" of a command, its stdout in $dir/out
timed() {
	t0=$(now)
	/usr/bin/time -f '%M %U %S' -o "$dir/time" "$@" > "$dir/out" || {
		echo "bench/weigh.sh: failed: $*" >&2
		cat "$dir/out" "$dir/time" >&2
		exit 1
	}
	t1=$(now)
	fig=$(echo "$t0 $t1 $(cat "$dir/time")" | awk '{ printf "%.3f %d %.2f %.2f", $2 - $1, $3, $4, $5 }')
}
warm() { cat "$1" > /dev/null; }
# import FILE into DB: $fig = "seconds VmHWM-KB user sys rows added"
import_run() {
	timed "$zhifa" --db "$2" --json weigh import "$1"
	fig="$fig $(member rows < "$dir/out") $(member added < "$dir/out")"
}

echo "ZHIFA_NOW=$ZHIFA_NOW; $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 CLI /'); zhifa $(git describe --always --dirty 2>/dev/null || echo '?'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
	f="$dir/wim-$n.csv"
	db="$dir/weigh-$n.db"
	need_kb=$((n * 1500 / 1000))
	[ -s "$f" ] || need_kb=$((need_kb + n * 170 / 1000))
	free_kb=$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')
	if [ "$free_kb" -lt "$need_kb" ]; then
		echo "== N=$n: skipped, $free_kb KB free in $dir, about $need_kb KB needed"
		continue
	fi
	[ -s "$f" ] || "$gen" gen "$f" "$n" 2>/dev/null
	bytes=$(wc -c < "$f")
	echo "== N=$n: $bytes bytes, $runs run(s)"
	: > "$dir/runs"
	i=0
	while [ "$i" -lt "$runs" ]; do
		i=$((i + 1))
		db_fresh "$db"
		warm "$f"
		import_run "$f" "$db"
		set -- $fig
		imp_s=$1 imp_kb=$2 imp_u=$3 imp_sys=$4 rows=$5 added=$6
		db_mb=$(du -m "$db" | cut -f1)
		warm "$f"
		import_run "$f" "$db"
		set -- $fig
		re_s=$1 re_kb=$2 re_added=$6
		timed "$zhifa" --db "$db" --json ledger verify
		set -- $fig
		ver_s=$1 ver_kb=$2
		grep -q '"ok": true' "$dir/out" || { echo "bench/weigh.sh: ledger verify failed" >&2; cat "$dir/out" >&2; exit 1; }
		lines=$("$ref" lines "$db")
		db_rm "$db"
		warm "$f"
		key=$("$ref" ref "$f" "$db" key)
		db_rm "$db"
		db_fresh "$db"
		warm "$f"
		schema=$("$ref" ref "$f" "$db" schema)
		db_rm "$db"
		echo "run $i: import ${imp_s} s (user $imp_u, sys $imp_sys) rows $rows added $added, VmHWM $imp_kb KB, database $db_mb MB;" \
			"re-import ${re_s} s added $re_added, VmHWM $re_kb KB; ledger verify ${ver_s} s, VmHWM $ver_kb KB"
		echo "  lines:  $lines"
		echo "  key:    $key"
		echo "  schema: $schema"
		pimp_s=- pschema=-
		if [ "$patched" = 1 ]; then
			db_fresh "$db"
			db_patch "$db"
			warm "$f"
			import_run "$f" "$db"
			set -- $fig
			pimp_s=$1
			echo "  patched review CHECK: import $1 s, VmHWM $2 KB, rows $5 added $6"
			db_rm "$db"
			db_fresh "$db"
			db_patch "$db"
			warm "$f"
			pschema=$("$ref" ref "$f" "$db" schema)
			db_rm "$db"
			echo "  patched schema: $pschema"
		fi
		echo "$rows $added $imp_s $re_s $ver_s $(echo "$key" | field insert_s) $(echo "$key" | field reinsert_s)" \
			"$(echo "$schema" | field insert_s) $(echo "$schema" | field reinsert_s)" \
			"$(echo "$lines" | field scan_hash_s) $(echo "$lines" | field scan_s) $pimp_s" \
			"$(echo "$pschema" | field insert_s | grep . || echo -) $imp_kb $(echo "$lines" | field cols_hash_s)" >> "$dir/runs"
	done
	# medians over the runs; ratio = reference seconds / zhifa seconds, same rows
	awk -v runs="$runs" '
	function med(c,    i, j, t, k, m) {
		k = 0
		for (i = 1; i <= NR; i++) if (v[i, c] != "-") m[++k] = v[i, c] + 0
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (m[j] < m[i]) { t = m[i]; m[i] = m[j]; m[j] = t }
		return k ? ((k % 2) ? m[(k + 1) / 2] : (m[k / 2] + m[k / 2 + 1]) / 2) : "-"
	}
	{ for (c = 1; c <= NF; c++) v[NR, c] = $c }
	END {
		n = v[1, 1]; ad = v[1, 2]
		s = med(3); re = med(4); ve = med(5); ks = med(6); kr = med(7); ss = med(8); sr = med(9)
		ls = med(10); lo = med(11); ps = med(12); pss = med(13); lc = med(15)
		for (i = 1; i <= NR; i++) if (v[i, 14] + 0 > kb) kb = v[i, 14] + 0
		printf "medians of %d run(s):\n", runs
		printf "import:     %7.0f records/s (%.3f s)   key ref %.0f rows/s (%.3f s): ratio %.2fx   schema ref %.0f rows/s (%.3f s): ratio %.2fx   target 250000; VmHWM (max) %d KB\n",
			n / s, s, ad / ks, ks, ks / s, ad / ss, ss, ss / s, kb
		printf "re-import:  %7.0f records/s (%.3f s)   key ref %.0f rows/s (%.3f s): ratio %.2fx   schema ref %.0f rows/s (%.3f s): ratio %.2fx\n",
			n / re, re, ad / kr, kr, kr / re, ad / sr, sr, sr / re
		printf "verify:     %7.0f rows/s (%.3f s)      lines ref: read + hash %.3f s: ratio %.2fx (read only %.3f s; columns formatted in C + hash %.3f s)\n",
			ad / ve, ve, ls, ls / ve, lo, lc
		if (ps != "-")
			printf "patched:    %7.0f records/s (%.3f s)   patched schema ref %.0f rows/s (%.3f s): ratio %.2fx\n",
				n / ps, ps, ad / pss, pss, pss / ps
	}' "$dir/runs"
	[ -n "${BENCH_WEIGH_DIR:-}" ] || rm -f "$f"
done
