#!/bin/sh
# bench/wim.sh: weigh-in-motion parse + validate + classify without
# persistence (issue 8 "Performance" (a) and (c); BENCHMARKS.md).
#
# For each N it writes N synthetic records (build/bench_wim gen), reads the
# file once so it is in the page cache (this VM pages out idle cache within
# about a minute: ceilings.md "Caveats"), then alternates `wc -l FILE` and
# `bench_wim scan FILE` (mmap, then read) RUNS times.  It prints the medians
# and the ratio records/s ÷ `wc -l` lines/s, the figure ceilings.md §2
# states (a straightforward C parser: 0.12×; the goal: ≥ 0.08×), and each
# mode's peak resident size (VmHWM), which should not grow with N.
# `wc -l` is timed from outside, process start included (about 2 ms), and
# the scan from inside: the ratio means something from N = 10^6 up.
#
# Environment: BENCH_WIM_N (default "1000000 10000000"), BENCH_WIM_RUNS (3),
# BENCH_WIM_DIR (default a temporary directory, removed at the end),
# BENCH_WIM_BIN (build/bench_wim).  About 170 bytes of disk per record.
set -eu
cd "$(dirname "$0")/.."
bin=${BENCH_WIM_BIN:-build/bench_wim}
sizes=${BENCH_WIM_N:-"1000000 10000000"}
runs=${BENCH_WIM_RUNS:-3}
if [ -n "${BENCH_WIM_DIR:-}" ]; then
	dir=$BENCH_WIM_DIR
	mkdir -p "$dir"
else
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
fi
[ -x "$bin" ] || { echo "bench/wim.sh: $bin not built" >&2; exit 1; }

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"; }

for n in $sizes; do
	f="$dir/wim-$n.csv"
	need_kb=$((n * 200 / 1000))
	free_kb=$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')
	if [ "$free_kb" -lt "$need_kb" ]; then
		echo "== N=$n: skipped, $free_kb KB free in $dir, about $need_kb KB needed"
		continue
	fi
	[ -s "$f" ] || "$bin" gen "$f" "$n" 2>/dev/null
	bytes=$(wc -c < "$f")
	lines=$(wc -l < "$f")
	cat "$f" > /dev/null
	: > "$dir/wc.t"
	: > "$dir/mmap.json"
	: > "$dir/read.json"
	i=0
	while [ "$i" -lt "$runs" ]; do
		t0=$(now)
		wc -l "$f" > /dev/null
		t1=$(now)
		echo "$t0 $t1" | awk '{ printf "%.4f\n", $2 - $1 }' >> "$dir/wc.t"
		"$bin" scan "$f" mmap >> "$dir/mmap.json"
		"$bin" scan "$f" read >> "$dir/read.json"
		i=$((i + 1))
	done
	wc_s=$(median < "$dir/wc.t")
	mmap_s=$(field seconds < "$dir/mmap.json" | median)
	read_s=$(field seconds < "$dir/read.json" | median)
	echo "== N=$n: $bytes bytes, $lines lines, $runs runs each, medians (min / median / max in the JSON lines below)"
	awk -v l="$lines" -v w="$wc_s" -v m="$mmap_s" -v r="$read_s" 'BEGIN {
		printf "wc -l:               %.3f s  %6.2f M lines/s\n", w, l / w / 1e6
		printf "scan mmap:           %.3f s  %6.2f M records/s  ratio to wc -l %.3fx\n", m, (l - 1) / m / 1e6, (l - 1) / m / (l / w)
		printf "scan read (1 MiB):   %.3f s  %6.2f M records/s  ratio to wc -l %.3fx\n", r, (l - 1) / r / 1e6, (l - 1) / r / (l / w)
	}'
	echo "wc -l seconds: $(tr '\n' ' ' < "$dir/wc.t")"
	cat "$dir/mmap.json" "$dir/read.json"
	echo "peak RSS (VmHWM, KB): mmap $(field vmhwm_kb < "$dir/mmap.json" | sort -g | tail -1), read $(field vmhwm_kb < "$dir/read.json" | sort -g | tail -1)"
	[ -n "${BENCH_WIM_DIR:-}" ] || rm -f "$f"
done
