#!/bin/sh
# t1400: `zhifa weigh check FILE.csv` (overload issue, 非现场执法): every row
# of a weigh-in-motion file validated and classified as the import will do
# it (docs/wim-csv.md), refused rows reported with their line numbers and
# reasons, the good rows counted, over-limit records listed with the
# 62号令 Art. 3 limit and the excess ("over" is strictly greater), the
# organisation's weigh-in-motion tolerance applied, and nothing written.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
export ZHIFA_NOW=2025-03-01T12:00:00+08:00

H=station,time,lane,plate,plate_colour,axles,config,gross_kg,speed_kmh,image_sha256,video_sha256
CSV=$T/wim.csv
{
	echo "$H"
	# 2: six-axle train at exactly 49 t: not over (Art. 3: over is > limit)
	echo "NM-G6-K0412,2025-03-01T10:00:00+08:00,2,蒙L12345,yellow,6,train,49000,62,,"
	# 3: two-axle truck 1 kg over 18 t
	echo "NM-G6-K0412,2025-03-01T10:00:07+08:00,1,蒙LD12345,green,2,truck,18001,58,,"
	# 4: the letter I in a plate (GA 36)
	echo "NM-G6-K0412,2025-03-01T10:01:00+08:00,1,蒙LI2345,yellow,2,truck,9000,58,,"
	# 5: a mass that is not a number
	echo "NM-G6-K0412,2025-03-01T10:02:00+08:00,1,蒙L22345,yellow,2,truck,abc,58,,"
	# 6: a five-axle truck: Art. 3 gives no limit
	echo "NM-G6-K0412,2025-03-01T10:03:00+08:00,1,蒙L32345,yellow,5,truck,30000,58,,"
	# 7: six-axle train at 55 t: 6,000 kg over
	echo "NM-G6-K0412,2025-03-01T10:04:00+08:00,1,蒙L42345,yellow,6,train,55000,58,,"
} >"$CSV"

expect_exit 0 "$ZHIFA" --json weigh check "$CSV"
[ "$(jtop rows)" = 6 ] || fail "rows $(jtop rows), want 6"
[ "$(jtop accepted)" = 3 ] || fail "accepted $(jtop accepted), want 3"
[ "$(jtop rejected)" = 3 ] || fail "rejected $(jtop rejected), want 3"
[ "$(jtop over_limit)" = 2 ] || fail "over_limit $(jtop over_limit), want 2"
ok "summary: 6 rows, 3 accepted, 3 refused, 2 over the limit"

lines=$(jall line | tr '\n' ' ')
[ "$lines" = "4 5 6 3 7 " ] || fail "lines listed '$lines', want refused 4 5 6 then over-limit 3 7"
[ "$(jall field | tr '\n' ' ')" = '"plate" "gross_kg" "axles" ' ] ||
	fail "refused fields $(jall field | tr '\n' ' ')"
[ "$(jall code | tr '\n' ' ')" = '"invalid_plate" "invalid_number" "unknown_code" ' ] ||
	fail "refused codes $(jall code | tr '\n' ' ')"
LC_ALL=C grep -q "\"message\": \"[^\"]*$ZF_CJK" "$OUT" || fail "row messages are not in Chinese"
ok "refused rows named by line, column name, code and a Chinese reason"

[ "$(jall limit_kg | tr '\n' ' ')" = "18000 49000 " ] || fail "limits $(jall limit_kg | tr '\n' ' ')"
[ "$(jall over_kg | tr '\n' ' ')" = "1 6000 " ] || fail "excess $(jall over_kg | tr '\n' ' ')"
ok "over-limit records: 18,001 kg on 2 axles is 1 kg over; 49,000 kg on 6 is not over (Art. 3, strictly greater)"

expect_exit 0 "$ZHIFA" weigh check "$CSV"
grep -q '^第 4 行 plate: ' "$OUT" || fail "text output does not name line 4 and its column"
grep -q '共 6 行，合格 3 行，不合格 3 行，超限 2 辆次' "$OUT" || fail "text summary missing"
ok "text output: one line per refused row and a Chinese summary"

expect_exit 1 "$ZHIFA" weigh check --strict "$CSV"
expect_stderr_code invalid_format
expect_stderr_field file
ok "--strict: any refused row refuses the file"

head -3 "$CSV" | sed 1d >"$T/noheader.csv"
expect_exit 1 "$ZHIFA" weigh check "$T/noheader.csv"
expect_stderr_code invalid_format
expect_stderr_field header
ok "a file without the header is refused as a whole, naming the header"

expect_exit 1 "$ZHIFA" weigh check "$T/missing.csv"
expect_stderr_code file_not_found
expect_stderr_field file
ok "a missing file: file_not_found naming file"

# The organisation's tolerance is deducted before comparing (settings).
setup_org
expect_exit 0 "$ZHIFA" --db "$DB" --org 150826 org set wim_tolerance_kg 1000
before=$(db_sum)
expect_exit 0 "$ZHIFA" --db "$DB" --org 150826 --json weigh check "$CSV"
[ "$(jtop over_limit)" = 1 ] || fail "with 1,000 kg tolerance over_limit $(jtop over_limit), want 1"
[ "$(jall tolerance_kg)" = 1000 ] || fail "tolerance shown $(jall tolerance_kg)"
[ "$(jall over_kg)" = 5000 ] || fail "excess after tolerance $(jall over_kg), want 5000"
[ "$(db_sum)" = "$before" ] || fail "weigh check wrote to the database"
ok "tolerance 1,000 kg: 18,001 kg no longer over, 55,000 kg over by 5,000; nothing written"

# A file longer than one read chunk: rows across chunk boundaries all count.
{
	echo "$H"
	i=0
	while [ $i -lt 30000 ]; do
		printf 'NM-G6-K0412,2025-03-01T10:00:00+08:00,1,蒙L%05d,yellow,2,truck,%d,58,,\n' \
			$i $((17990 + i % 20))
		i=$((i + 1))
	done
} >"$T/big.csv"
[ "$(wc -c <"$T/big.csv")" -gt 1048576 ] || fail "big.csv is not larger than one chunk"
expect_exit 0 "$ZHIFA" --json weigh check "$T/big.csv"
[ "$(jtop rows)" = 30000 ] || fail "big: rows $(jtop rows)"
[ "$(jtop accepted)" = 30000 ] || fail "big: accepted $(jtop accepted)"
[ "$(jtop over_limit)" = 13500 ] || fail "big: over_limit $(jtop over_limit), want 13500"
ok "a file over 1 MiB: every row across chunk boundaries counted"
