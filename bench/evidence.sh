#!/bin/sh
# bench/evidence.sh: evidence ingest and verify against `openssl dgst -sm3`
# on the same file in the same run (BENCHMARKS.md, "Evidence").
#
#   - ingest: `zhifa evidence add` of a BENCH_EVIDENCE_MB file (default
#     1024): read, SM3 while writing a temporary file, fsync, rename, one
#     ledgered row; reference `openssl dgst -sm3` of the same (cached) file;
#   - peak memory (max RSS) of the ingest at 10 MB and at the full size, and
#     at 4 GB with BENCH_EVIDENCE_4G=1: it should stay flat;
#   - verify: `zhifa evidence verify` re-hashing every stored blob, against
#     openssl over the same bytes.
# Uses $ZHIFA or build/zhifa (the release build).  Needs about 3x the file
# size free in $TMPDIR.
set -eu
cd "$(dirname "$0")/.."
ZHIFA=${ZHIFA:-$(pwd)/build/zhifa}
MB=${BENCH_EVIDENCE_MB:-1024}
dir=$(mktemp -d "${TMPDIR:-/tmp}/zf-bench-evidence.XXXXXX")
trap 'rm -rf "$dir"' EXIT
unset ZHIFA_NOW ZHIFA_DB ZHIFA_ORG

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
# max RSS in kB of a command
rss() { /usr/bin/time -f '%M' -o "$dir/rss" "$@" >/dev/null && cat "$dir/rss"; }
mbps() { echo "scale=1; $1 / $2" | bc -l; }

ROUNDS=${BENCH_EVIDENCE_ROUNDS:-3}
# one database per round, so that no round finds the blob stored (dedup)
for r in $(seq "$ROUNDS"); do
	"$ZHIFA" --db "$dir/r$r.db" init >/dev/null
	"$ZHIFA" --db "$dir/r$r.db" demo >/dev/null
done
# the first demo case of a database
case_of() {
	"$ZHIFA" --db "$1" --json case list --limit 1 |
		sed -n 's/^    "id": "\(.*\)",$/\1/p' | sed -n 1p
}
db=$dir/r1.db
case_id=$(case_of "$db")
[ -n "$case_id" ] || { echo "no demo case" >&2; exit 1; }

echo "== evidence ingest: ${MB} MB (random bytes), $ROUNDS rounds"
head -c $((MB * 1048576)) /dev/urandom >"$dir/big.mp4"
head -c $((10 * 1048576)) /dev/urandom >"$dir/small.mp4"
sync	# no writeback of the test files during the rounds
cat "$dir/big.mp4" >/dev/null	# in the page cache for both sides

ratios=""
for r in $(seq "$ROUNDS"); do
	t0=$(now)
	openssl dgst -sm3 "$dir/big.mp4" >/dev/null
	t1=$(now)
	ref=$(secs "$t0" "$t1")
	c=$(case_of "$dir/r$r.db")
	t0=$(now)
	"$ZHIFA" --db "$dir/r$r.db" evidence add --case "$c" "$dir/big.mp4" >/dev/null
	t1=$(now)
	ing=$(secs "$t0" "$t1")
	ratio=$(echo "scale=2; $ref / $ing" | bc -l)
	ratios="$ratios $ratio"
	echo "round $r: openssl dgst -sm3 $(mbps "$MB" "$ref") MB/s, zhifa evidence add $(mbps "$MB" "$ing") MB/s: ${ratio}x"
	sync
done
echo "ratio (zhifa / openssl throughput), median of $ROUNDS: $(printf '%s\n' $ratios | sort -n | sed -n "$(((ROUNDS + 1) / 2))p")x"

echo "== peak memory of an ingest (max RSS)"
echo "10 MB:     $(rss "$ZHIFA" --db "$db" evidence add --case "$case_id" "$dir/small.mp4") kB"
head -c 4096 /dev/urandom >>"$dir/big.mp4"	# new content, same size class
echo "${MB} MB: $(rss "$ZHIFA" --db "$db" evidence add --case "$case_id" "$dir/big.mp4") kB"
if [ "${BENCH_EVIDENCE_4G:-0}" = 1 ]; then
	head -c $((4096 * 1048576)) /dev/urandom >"$dir/huge.mp4"
	echo "4096 MB:   $(rss "$ZHIFA" --db "$db" evidence add --case "$case_id" "$dir/huge.mp4") kB"
	rm -f "$dir/huge.mp4"
fi

echo "== evidence verify (every stored blob re-hashed)"
bytes=$(du -sb "$db.evidence" | cut -f1)
# both sides read from the page cache (ingest drops what it wrote)
find "$db.evidence" -type f -path '*/sm3/*' -exec cat {} + >/dev/null
t0=$(now)
"$ZHIFA" --db "$db" evidence verify >/dev/null
t1=$(now)
ver=$(secs "$t0" "$t1")
t0=$(now)
find "$db.evidence" -type f -path '*/sm3/*' -exec openssl dgst -sm3 {} + >/dev/null
t1=$(now)
vref=$(secs "$t0" "$t1")
vmb=$(echo "$bytes / 1048576" | bc -l)
echo "openssl dgst -sm3 over the blobs: $(mbps "$vmb" "$vref") MB/s"
echo "zhifa evidence verify:            $(mbps "$vmb" "$ver") MB/s"
echo "ratio: $(echo "scale=2; $vref / $ver" | bc -l)x"
