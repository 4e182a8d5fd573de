#!/bin/sh
# make bench: zhifa's figures as ratios to references measured in the same
# run (BENCHMARKS.md explains each).  Never part of make test.
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_N:-5000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "== ledger append and verify (N=$N, synchronous=FULL)"
build/bench_ledger "$dir" "$N"
echo "== reference: openssl speed -evp sm3 -bytes 256 -seconds 3"
openssl speed -evp sm3 -bytes 256 -seconds 3 2>/dev/null | tail -1
echo "== HTTP (bench/http.sh)"
sh bench/http.sh
echo "== evidence ingest and verify (bench/evidence.sh)"
sh bench/evidence.sh
echo "== weigh-in-motion parse + validate + classify (bench/wim.sh)"
sh bench/wim.sh
echo "== weigh-in-motion import into SQLite, re-import, ledger verify (bench/weigh.sh)"
sh bench/weigh.sh
