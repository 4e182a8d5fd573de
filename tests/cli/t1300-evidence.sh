#!/bin/sh
# t1300: evidence (issue 7) through the real binary: a body camera's folder
# imported into a case, re-run without duplicates (also after an import
# killed half-way), bad files reported and skipped, the chain of custody in
# the ledger, retention holds, tampering caught by `evidence verify`, and an
# evidence bundle checked offline with `zhifa ledger check-proof` (and the
# file hashes with `openssl dgst -sm3` where openssl is installed), as a
# court clerk would.
#
# The database is the demo (an SM3 organisation) with a signing key.

set -u
# shellcheck source=tests/cli/lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/lib.sh"
export ZHIFA_NOW=2026-01-10T10:00:00+08:00

EV=$DB.evidence

# refused CODE FIELD CMD...: exit 1 with that error, nothing on stdout
refused() {
	rc_code=$1
	rc_field=$2
	shift 2
	expect_exit 1 "$@"
	expect_stderr_code "$rc_code"
	expect_stderr_field "$rc_field"
	[ -s "$OUT" ] && fail "refused, but wrote to stdout"
	return 0
}

# count ACTION: ledger entries with this action
count() { sqlite3 "$DB" "SELECT count(*) FROM ledger_entry WHERE action = '$1'"; }
items() { sqlite3 "$DB" "SELECT count(*) FROM evidence WHERE case_id = '$CASE'"; }
# the path of a stored blob
blob() { printf '%s/sm3/%s/%s\n' "$EV" "$(printf %s "$1" | cut -c1-2)" "$1"; }
# the value of "KEY" in the error line of stderr that names FILE
file_err() { grep "\"file\":\"[^\"]*$1\"" "$ERR" | sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p"; }

HAVE_OPENSSL=false
command -v openssl >/dev/null 2>&1 && openssl dgst -sm3 </dev/null >/dev/null 2>&1 &&
	HAVE_OPENSSL=true

# ---- setup: demo, key, a case, an officer ----
zf init
zf demo
zf ledger keygen --out "$T/county.key"
zf --json case list --limit 1
CASE=$(jall id | sed -n 1p | tr -d '"')
[ -n "$CASE" ] || fail "no case in the demo"
zf --json officer list
CERT=$(jall cert_no | sed -n 1p | tr -d '"')
[ -n "$CERT" ] || fail "no officer in the demo"
ok "setup: demo, ledger key, case $CASE, officer $CERT"

# ---- a fake body-camera offload ----
CAM=$T/DSJ-01
mkdir -p "$CAM/SUB" || fail "mkdir"
head -c 300000 /dev/urandom >"$CAM/20251201_093000_0001.MP4"
printf '{"captured_at":"2025-12-01T09:30:00+08:00","location":"G6 京藏高速 1234 公里","officers":["%s"]}' \
	"$CERT" >"$CAM/20251201_093000_0001.MP4.json"
head -c 200000 /dev/urandom >"$CAM/20251201_093500_0002.MP4"
head -c 50000 /dev/urandom >"$CAM/IMG_0003.JPG"
head -c 80000 /dev/urandom >"$CAM/REC_0004.WAV"
touch -d '2025-12-01 01:35:00Z' "$CAM/20251201_093500_0002.MP4" "$CAM/IMG_0003.JPG" \
	"$CAM/REC_0004.WAV"
# bad ones: empty, a sidecar with an impossible time, a clock in the future
: >"$CAM/EMPTY_0005.MP4"
head -c 1000 /dev/urandom >"$CAM/OLD_0006.MP4"
printf '{"captured_at":"1999-01-01T00:00:00+08:00"}' >"$CAM/OLD_0006.MP4.json"
head -c 1000 /dev/urandom >"$CAM/FUTURE_0007.MP4"
touch -d '2030-01-01' "$CAM/FUTURE_0007.MP4"
# not imported: hidden files and subdirectories
printf x >"$CAM/.DS_Store"
printf x >"$CAM/SUB/other.MP4"

# ---- import ----
before=$(ledger_size) || fail "ledger size"
expect_exit 1 "$ZHIFA" --db "$DB" --json evidence import --device DSJ-01 --case "$CASE" "$CAM"
[ "$(jtop files)" = 7 ] || fail "import: files $(jtop files), want 7"
[ "$(jtop imported)" = 4 ] || fail "import: imported $(jtop imported), want 4"
[ "$(jtop skipped)" = 0 ] || fail "import: skipped $(jtop skipped), want 0"
[ "$(jtop failed)" = 3 ] || fail "import: failed $(jtop failed), want 3"
[ "$(file_err EMPTY_0005.MP4 code)" = evidence_empty ] || fail "empty file not reported"
[ "$(file_err OLD_0006.MP4 code)" = evidence_captured_at_impossible ] ||
	fail "sidecar time before 2000 not reported"
[ "$(file_err OLD_0006.MP4 field)" = sidecar.captured_at ] || fail "sidecar time: wrong field"
[ "$(file_err FUTURE_0007.MP4 code)" = evidence_captured_at_impossible ] ||
	fail "future mtime not reported"
[ "$(file_err FUTURE_0007.MP4 field)" = mtime ] || fail "future mtime: wrong field"
tail -n 1 "$ERR" | grep -q '"code":"evidence_import_incomplete"' ||
	fail "no evidence_import_incomplete at the end"
grep -q 'SUB\|DS_Store' "$OUT" && fail "a hidden file or a subdirectory was imported"
[ "$(ledger_size)" = $((before + 4)) ] || fail "import: ledger grew by $(($(ledger_size) - before)), want 4"
[ "$(items)" = 4 ] || fail "import: $(items) items, want 4"
ok "import: 7 files, 4 imported (one entry each), 3 bad ones reported by file and skipped"

zf --json evidence list --case "$CASE"
grep -q '"location": "G6 京藏高速 1234 公里"' "$OUT" || fail "sidecar location not kept"
grep -q '"captured_at_iso": "2025-12-01T01:30:00.000000Z"' "$OUT" || fail "sidecar time not kept"
grep -q '"captured_at_iso": "2025-12-01T01:35:00.000000Z"' "$OUT" || fail "mtime not used"
grep -q '"device": "DSJ-01"' "$OUT" || fail "device not kept"
[ "$(jall kind | sort | uniq -c | tr -s ' ' | tr '\n' ';')" = ' 1 "audio"; 1 "photo"; 2 "video";' ] ||
	fail "kinds from extensions: $(jall kind | tr '\n' ' ')"
[ "$(jall size | sort -n | tr '\n' ' ')" = "50000 80000 200000 300000 " ] || fail "sizes"
ok "list: capture time from the sidecar or the mtime, location, device, kinds"

# ---- re-run: nothing twice ----
before=$(ledger_size)
expect_exit 1 "$ZHIFA" --db "$DB" --json evidence import --device DSJ-01 --case "$CASE" "$CAM"
[ "$(jtop imported)" = 0 ] && [ "$(jtop skipped)" = 4 ] && [ "$(jtop failed)" = 3 ] ||
	fail "re-run: imported $(jtop imported) skipped $(jtop skipped) failed $(jtop failed)"
[ "$(ledger_size)" = "$before" ] || fail "re-run wrote to the ledger"
rm -f "$CAM/EMPTY_0005.MP4" "$CAM/OLD_0006.MP4" "$CAM/OLD_0006.MP4.json" "$CAM/FUTURE_0007.MP4"
zf evidence import --device DSJ-01 --case "$CASE" "$CAM"
grep -q '导入 0，跳过 4' "$OUT" || fail "re-run after fixing: $(tail -n 1 "$OUT")"
[ "$(items)" = 4 ] || fail "re-run: $(items) items"
ok "re-run: the 4 imported skipped, nothing added; with the bad files gone: exit 0"

before=$(ledger_size)
refused device_not_found device "$ZHIFA" --db "$DB" evidence import --device DSJ-99 --case "$CASE" "$CAM"
refused case_not_found case "$ZHIFA" --db "$DB" evidence import --device DSJ-01 --case 蒙交罚0000 "$CAM"
refused file_not_found dir "$ZHIFA" --db "$DB" evidence import --device DSJ-01 --case "$CASE" "$T/none"
[ "$(ledger_size)" = "$before" ] || fail "a refused import wrote to the ledger"
ok "import refused as a whole: unknown device, unknown case, no such directory; nothing written"

# ---- an import killed half-way, then re-run ----
CAM2=$T/DSJ-02
mkdir "$CAM2" || fail "mkdir"
head -c 1000 /dev/urandom >"$CAM2/A_0001.JPG"
head -c 60000000 /dev/urandom >"$CAM2/B_0002.MP4"
touch -d '2025-12-02 10:00' "$CAM2/A_0001.JPG" "$CAM2/B_0002.MP4"
n0=$(items)
"$ZHIFA" --db "$DB" evidence import --device DSJ-02 --case "$CASE" "$CAM2" >/dev/null 2>&1 &
pid=$!
i=0
while [ "$(items)" = "$n0" ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
n1=$(items)
[ "$n1" -ge $((n0 + 1)) ] || fail "the interrupted import stored nothing"
zf --json evidence import --device DSJ-02 --case "$CASE" "$CAM2"
[ "$(($(jtop imported) + $(jtop skipped)))" = 2 ] || fail "resume: $(jtop imported) + $(jtop skipped)"
[ "$(items)" = $((n0 + 2)) ] || fail "resume: $(items) items, want $((n0 + 2))"
zf --json evidence verify
[ "$(jtop ok)" = true ] || fail "verify after a killed import"
ok "import killed (kill -9) after $((n1 - n0)) file(s): re-run finishes, nothing twice, blobs intact"

# ---- add ----
head -c 7000 /dev/urandom >"$T/scene.jpg"
touch -d '2025-12-03 11:00' "$T/scene.jpg"
zf --json evidence add --case "$CASE" --officers "$CERT" --location 现场 "$T/scene.jpg"
[ "$(jtop imported)" = 1 ] || fail "add: imported $(jtop imported)"
PHOTO=$(jall id | sed -n 1p | tr -d '"')
cp -p "$T/scene.jpg" "$T/scene-copy.jpg"
zf --json evidence add --case "$CASE" "$T/scene-copy.jpg"
[ "$(jtop skipped)" = 1 ] || fail "the same content under another name was not skipped"
expect_exit 2 "$ZHIFA" --db "$DB" evidence add "$T/scene.jpg"
expect_stderr_code missing_option
expect_stderr_field case
expect_exit 1 "$ZHIFA" --db "$DB" evidence add --case "$CASE" "$T/none.jpg"
[ "$(file_err none.jpg code)" = evidence_unreadable ] || fail "a missing file is not reported"
ok "add: one file with officers and location; the same content again skipped"

# ---- custody: view, download ----
zf --json evidence show "$PHOTO"
grep -q '"action": "evidence.view"' "$OUT" || fail "show is not recorded as a view"
grep -q '"action": "evidence.collect"' "$OUT" || fail "custody lacks the collect"
zf evidence get "$PHOTO" --out "$T/out.jpg"
cmp -s "$T/out.jpg" "$T/scene.jpg" || fail "get: not the same bytes"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM ledger_entry WHERE action = 'evidence.download' AND object_id = '$PHOTO'")" = 1 ] ||
	fail "get is not recorded as a download"
refused file_exists out "$ZHIFA" --db "$DB" evidence get "$PHOTO" --out "$T/out.jpg"
ok "show records a view, get a download (same bytes); get never overwrites"

# ---- attach to a step, a redacted copy ----
zf --json evidence attach "$PHOTO" --case "$CASE" --step 1
[ "$(jtop step)" = 1 ] || fail "attach --step 1: step $(jtop step)"
refused step_not_found step "$ZHIFA" --db "$DB" evidence attach "$PHOTO" --case "$CASE" --step 99
head -c 7000 /dev/urandom >"$T/scene-masked.jpg"
zf --json evidence redact "$PHOTO" "$T/scene-masked.jpg" --removed 车牌号和当事人面部 \
	--reason 向社会公开前遮蔽个人信息
MASKED=$(jtop id | tr -d '"')
[ "$(jtop source_id | tr -d '"')" = "$PHOTO" ] || fail "redacted copy does not name its source"
grep -q "\"source_hash\": \"$(sqlite3 "$DB" "SELECT hash FROM evidence WHERE id = '$PHOTO'")\"" \
	"$OUT" || fail "redaction lacks the source hash"
[ "$(count evidence.attach)" = 1 ] && [ "$(count evidence.redact)" = 1 ] ||
	fail "attach / redact entries"
ok "attach to step 1 (step 99 refused); redacted copy $MASKED linked to its source by id and hash"

# ---- verify ----
zf evidence verify
grep -q '全部完好' "$OUT" || fail "verify: $(cat "$OUT")"
ok "evidence verify: all blobs intact"

# ---- the evidence bundle ----
BUNDLE=$T/bundle
n_items=$(items)
exports0=$(count evidence.export)
zf --json evidence export --case "$CASE" --out "$BUNDLE"
[ "$(jtop items)" = "$n_items" ] || fail "export: items $(jtop items), want $n_items"
[ "$(count evidence.export)" = $((exports0 + n_items)) ] || fail "export: not one entry per item"
cps=$(jtop checkpoint_size)
[ "$cps" = "$(ledger_size)" ] || fail "export: checkpoint at $cps, ledger at $(ledger_size)"
for f in manifest.json checkpoint.txt pubkey.pem README.txt; do
	[ -s "$BUNDLE/$f" ] || fail "bundle lacks $f"
done
grep -q 'zhifa ledger check-proof --proof proofs/N.json --checkpoint checkpoint.txt' \
	"$BUNDLE/README.txt" || fail "README does not say how to check an entry"
LC_ALL=C grep -q "$ZF_CJK" "$BUNDLE/README.txt" || fail "README is not in Chinese"
grep -q 'openssl dgst -sm3' "$BUNDLE/README.txt" || fail "README does not say how to hash a file"
[ "$(ls "$BUNDLE/files" | wc -l)" = "$n_items" ] || fail "bundle files: $(ls "$BUNDLE/files" | wc -l)"
[ "$(ls "$BUNDLE/entries" | wc -l)" = "$n_items" ] || fail "bundle entries"
ls "$T" | grep -q partial && fail "a staging directory was left"
ok "export: $n_items files, entries, proofs, manifest, checkpoint (size $cps, after the export entries), key, README"

# checked offline: no database, in the bundle directory, as a clerk would
checked=0
for e in "$BUNDLE"/entries/*.json; do
	n=$(basename "$e" .json)
	(cd "$BUNDLE" && "$ZHIFA" --json ledger check-proof --proof "proofs/$n.json" \
		--checkpoint checkpoint.txt --pubkey pubkey.pem --entry "entries/$n.json" \
		>"$OUT" 2>"$ERR") || fail "check-proof of entry $n"
	[ "$(jtop valid)" = true ] || fail "check-proof $n: valid $(jtop valid)"
	grep -q '"action":"evidence.export"' "$e" || fail "entry $n is not the export entry"
	checked=$((checked + 1))
done
[ "$checked" = "$n_items" ] || fail "checked $checked entries"
# a tampered entry or proof is refused
cp -r "$BUNDLE" "$T/bad"
chmod -R u+w "$T/bad"
first=$(ls "$T/bad/entries" | sed -n 1p)
sed 's/evidence.export/evidence.exporT/' "$T/bad/entries/$first" >"$T/bad/e" &&
	mv "$T/bad/e" "$T/bad/entries/$first"
(cd "$T/bad" && expect_exit 1 "$ZHIFA" ledger check-proof --proof "proofs/$first" \
	--checkpoint checkpoint.txt --pubkey pubkey.pem --entry "entries/$first") ||
	fail "a tampered entry passed check-proof"
ok "bundle: every entry passes check-proof offline (no database); a tampered entry fails"

if $HAVE_OPENSSL; then
	for f in "$BUNDLE"/files/*; do
		name=$(basename "$f")
		h=$(openssl dgst -sm3 "$f" | sed 's/.*= //')
		[ "$h" = "${name%%.*}" ] || fail "openssl SM3 of $name is $h"
		grep -q "\"hash\": \"$h\"" "$BUNDLE/manifest.json" || fail "$h not in the manifest"
	done
	ok "bundle: openssl dgst -sm3 of each file = its name = its manifest hash"
else
	ok "# skip openssl SM3 check: no openssl with SM3"
fi

# refusals: an existing non-empty directory, no key
before=$(ledger_size)
refused export_dir_not_empty out "$ZHIFA" --db "$DB" evidence export --case "$CASE" --out "$BUNDLE"
[ "$(ledger_size)" = "$before" ] || fail "a refused export wrote to the ledger"
DB2=$T/nokey.db
(DB=$DB2 && zf init && zf demo) || fail "second demo"
mkdir "$T/cam3" && head -c 500 /dev/urandom >"$T/cam3/a.jpg" && touch -d 2025-12-01 "$T/cam3/a.jpg"
expect_exit 0 "$ZHIFA" --db "$DB2" --json case list --limit 1
c2=$(jall id | sed -n 1p | tr -d '"')
expect_exit 0 "$ZHIFA" --db "$DB2" evidence add --case "$c2" "$T/cam3/a.jpg"
refused ledger_key_missing key "$ZHIFA" --db "$DB2" evidence export --case "$c2" --out "$T/b2"
[ -e "$T/b2" ] && fail "export without a key made a directory"
[ "$(sqlite3 "$DB2" "SELECT count(*) FROM ledger_entry WHERE action = 'evidence.export'")" = 0 ] ||
	fail "export without a key wrote export entries"
ok "export refused: non-empty --out (export_dir_not_empty), no ledger key (ledger_key_missing); nothing written"

# ---- hold, retention, delete ----
refused evidence_retention_permanent id "$ZHIFA" --db "$DB" evidence delete "$PHOTO" --reason 到期
zf org set evidence_retention_days_photo 30
zf evidence hold "$PHOTO" --reason 当事人申请行政复议
refused evidence_on_hold id "$ZHIFA" --db "$DB" evidence delete "$PHOTO" --reason 到期
zf evidence hold "$PHOTO" --reason 复议决定维持原处罚 --release
h=$(sqlite3 "$DB" "SELECT hash FROM evidence WHERE id = '$PHOTO'")
[ -f "$(blob "$h")" ] || fail "photo blob not at $(blob "$h")"
zf --json evidence delete "$PHOTO" --reason 保存期满
[ "$(jtop status)" = '"deleted"' ] && [ "$(jtop blob_removed)" = true ] || fail "delete: $(cat "$OUT")"
[ -f "$(blob "$h")" ] && fail "deleted photo's blob still there"
zf --json evidence list --case "$CASE" --status deleted
[ "$(jall id | tr -d '"')" = "$PHOTO" ] || fail "deleted item not listed with its metadata"
refused evidence_deleted id "$ZHIFA" --db "$DB" evidence get "$PHOTO" --out "$T/x.jpg"
[ "$(count evidence.hold)" = 1 ] && [ "$(count evidence.release)" = 1 ] &&
	[ "$(count evidence.delete)" = 1 ] || fail "hold / release / delete entries"
ok "delete: permanent by default, refused while held, done after release: blob gone, row and entries kept"

# ---- tampering ----
zf --json evidence list --case "$CASE" --status stored
VICTIM=$(jall id | sed -n 1p | tr -d '"')
vh=$(sqlite3 "$DB" "SELECT hash FROM evidence WHERE id = '$VICTIM'")
vname=$(sqlite3 "$DB" "SELECT original_name FROM evidence WHERE id = '$VICTIM'")
chmod u+w "$(blob "$vh")"
printf 'X' | dd of="$(blob "$vh")" bs=1 seek=10 conv=notrunc 2>/dev/null
expect_exit 1 "$ZHIFA" --db "$DB" --json evidence verify
expect_stderr_code evidence_verify_failed
[ "$(jtop ok)" = false ] || fail "verify ok after tampering"
grep -q "\"id\": \"$VICTIM\"" "$OUT" || fail "verify does not name the altered item"
grep -q "\"original_name\": \"$vname\"" "$OUT" || fail "verify does not name the file"
grep -q '"code": "evidence_blob_altered"' "$OUT" || fail "not reported as altered"
expect_exit 1 "$ZHIFA" --db "$DB" evidence verify
grep -q "^evidence_blob_altered	$VICTIM	$vname	" "$OUT" || fail "text verify: $(cat "$OUT")"
before=$(ledger_size)
refused evidence_blob_altered evidence "$ZHIFA" --db "$DB" evidence export --case "$CASE" --out "$T/b3"
[ -e "$T/b3" ] && fail "export of an altered blob made a bundle"
[ "$(ledger_size)" = "$before" ] || fail "a refused export wrote to the ledger"
other=$(sqlite3 "$DB" "SELECT hash FROM evidence WHERE status = 'stored' AND id <> '$VICTIM' LIMIT 1")
rm -f "$(blob "$other")"
expect_exit 1 "$ZHIFA" --db "$DB" --json evidence verify
grep -q '"code": "evidence_blob_missing"' "$OUT" || fail "a removed blob is not reported missing"
ok "a blob altered on disk: verify exit 1 naming $vname; export refused; a removed blob: missing"

# ---- the ledger holds it all ----
expect_exit 0 "$ZHIFA" --db "$DB" --json ledger verify
[ "$(jtop ok)" = true ] || fail "ledger verify: $(cat "$OUT")"
expect_exit 0 "$ZHIFA" --db "$DB" --json ledger verify --checkpoint "$BUNDLE/checkpoint.txt" \
	--pubkey "$BUNDLE/pubkey.pem"
[ "$(jtop ok)" = true ] || fail "ledger verify against the bundle's checkpoint"
ok "ledger verify: ok, also against the bundle's checkpoint"
