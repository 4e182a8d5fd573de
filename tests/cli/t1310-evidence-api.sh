#!/bin/sh
# t1310: the evidence API (issue 7) over real HTTP against `zhifa serve` on
# a fresh init + demo database, ZHIFA_NOW=2025-12-31T17:00:00+08:00.
#   - streamed upload (POST /api/v1/cases/{id}/evidence, the body being the
#     file) of a photo and a ~3 MB video by the enforcer, on a case of theirs;
#     the same bytes again: 409 evidence_exists with the item's id;
#   - the case's list, an item with its chain of custody;
#   - the file whole and with Range (206, exact bytes, Content-Range), 416;
#     each handing-out an evidence.download (or evidence.view) entry;
#   - a cut upload leaves no item and no stray blob or temporary file;
#   - 413 over evidence_max_size_mb (declared, and chunked without a length);
#   - 403 for a role without access and for a non-officer; 401 without login;
#   - the ledger verifies.
# Each check prints one line; the first failure stops the test.

set -u
# shellcheck source=tests/cli/api_lib.sh
. "${ZF_SRC:-$(dirname "$0")/../..}/tests/cli/api_lib.sh"
api_init 2025-12-31T17:00:00+08:00

expect_exit 0 "$ZHIFA" --db "$DB" init
expect_exit 0 "$ZHIFA" --db "$DB" demo
ok "setup: init and demo"
api_start
api_login enf enforcer
expect_status 200
api_login aud auditor
expect_status 200
api_login sys sysadmin "$TOTP_SYSADMIN"
expect_status 200
ok "zhifa serve on $BASE; enforcer, auditor and sysadmin logged in"

# a case of the enforcer's, and one not theirs
req enf GET "/api/v1/cases?officer=$E1&limit=5"
expect_status 200
CASE=$(jv 'd["items"][0]["id"]')
[ -n "$CASE" ] && [ "$CASE" != None ] || fail "no case of the enforcer's"
req enf GET "/api/v1/cases?limit=200"
expect_status 200
OTHER=$(jv "[c['id'] for c in d['items'] if '$E1' not in c.get('officers', [])][0]")
ok "the enforcer's case $CASE; another case $OTHER"

# files: a small photo, a ~3 MB "video"
python3 -c "
import os, sys
open(sys.argv[1], 'wb').write(b'\xff\xd8\xff\xe0' + os.urandom(2000) + b'\xff\xd9')
open(sys.argv[2], 'wb').write(os.urandom(3 * 1024 * 1024 + 123))
" "$T/photo.jpg" "$T/video.mp4" || fail "cannot make the test files"

EV="/api/v1/cases/$CASE/evidence"
Q="device=DSJ-01&captured_at=2025-12-31T08:00:00Z"
ledger_mark
req -f "$T/photo.jpg" -H 'Content-Type: image/jpeg' enf POST "$EV?kind=photo&$Q&name=photo.jpg"
expect_status 201
PHOTO=$(jv 'd["id"]')
[ "$(jv 'd["kind"]') $(jv 'd["size"]') $(jv 'd["device"]')" = "photo 2006 DSJ-01" ] ||
	fail "photo item: $(cat "$OUT")"
req -f "$T/video.mp4" -H 'Content-Type: video/mp4' enf POST "$EV?kind=video&$Q&name=%E6%89%A7%E6%B3%95.mp4"
expect_status 201
VIDEO=$(jv 'd["id"]')
[ "$(jv 'd["kind"]') $(jv 'd["size"]') $(jv 'd["original_name"]')" = "video 3145851 执法.mp4" ] ||
	fail "video item: $(cat "$OUT")"
lsize
[ "$LSIZE" -eq $((s0 + 2)) ] || fail "two uploads wrote $((LSIZE - s0)) entries"
[ "$(last_action)" = evidence.collect ] || fail "last action $(last_action)"
ok "POST $EV: a photo and a 3 MB video (streamed) → 201, one evidence.collect each"

# chunked (no Content-Length): the same video again is 409 with its id
req -f "$T/video.mp4" -H 'Transfer-Encoding: chunked' enf POST "$EV?kind=video&$Q&name=again.mp4"
expect_status 409
[ "$(jv 'd["error"]["code"]') $(jv 'd["id"]')" = "evidence_exists $VIDEO" ] ||
	fail "409 without evidence_exists and the item id"
unchanged $((s0 + 2)) "a duplicate upload"
ok "the same bytes again (chunked) → 409 evidence_exists naming $VIDEO; nothing written"

# ---- reads ---------------------------------------------------------------------
req aud GET "$EV"
expect_status 200
[ "$(jv 'sorted(i["id"] for i in d["items"]) == sorted(["'"$PHOTO"'", "'"$VIDEO"'"])')" = true ] ||
	fail "list: $(cat "$OUT")"
req aud GET "/api/v1/evidence/$VIDEO"
expect_status 200
[ "$(jv '[c["action"] for c in d["custody"]]')" = '["evidence.collect"]' ] ||
	fail "custody: $(cat "$OUT")"
req aud GET "/api/v1/evidence/019b0000-0000-7000-8000-00000000dead"
expect_error 404 '*'
ok "GET $EV (2 items), GET /api/v1/evidence/{id} with custody; unknown → 404"

# ---- the file ------------------------------------------------------------------
ledger_mark
req enf GET "/api/v1/evidence/$VIDEO/content"
expect_status 200
cmp -s "$OUT" "$T/video.mp4" || fail "downloaded video differs"
grep -qi '^content-type: video/mp4' "$HDR" || fail "no Content-Type video/mp4"
grep -qi '^accept-ranges: bytes' "$HDR" || fail "no Accept-Ranges"
[ "$(last_action)" = evidence.download ] || fail "last action $(last_action)"
req -H 'Range: bytes=1000-1999' enf GET "/api/v1/evidence/$VIDEO/content"
expect_status 206
dd if="$T/video.mp4" bs=1000 skip=1 count=1 2>/dev/null >"$T/part"
cmp -s "$OUT" "$T/part" || fail "range 1000-1999 differs"
grep -qi '^content-range: bytes 1000-1999/3145851' "$HDR" || fail "Content-Range: $(grep -i content-range "$HDR")"
req -H 'Range: bytes=-100' enf GET "/api/v1/evidence/$VIDEO/content"
expect_status 206
tail -c 100 "$T/video.mp4" >"$T/part"
cmp -s "$OUT" "$T/part" || fail "suffix range differs"
req -H 'Range: bytes=3145851-' enf GET "/api/v1/evidence/$VIDEO/content"
expect_error 416 range_not_satisfiable
grep -qi '^content-range: bytes \*/3145851' "$HDR" || fail "416 without Content-Range"
req aud GET "/api/v1/evidence/$PHOTO/content?inline=1"
expect_status 200
cmp -s "$OUT" "$T/photo.jpg" || fail "photo differs"
grep -qi '^content-type: image/jpeg' "$HDR" || fail "no Content-Type image/jpeg"
[ "$(last_action)" = evidence.view ] || fail "last action $(last_action)"
lsize
[ "$LSIZE" -eq $((s0 + 4)) ] || fail "4 handings-out wrote $((LSIZE - s0)) entries"
n=$(sqlite3 "$DB" "SELECT count(*) FROM ledger_entry WHERE action = 'evidence.download'")
[ "$n" -eq 3 ] || fail "$n evidence.download entries, want 3"
req aud GET "/api/v1/evidence/$VIDEO"
[ "$(jv '[c["action"] for c in d["custody"]]')" = '["evidence.collect", "evidence.download", "evidence.download", "evidence.download"]' ] ||
	fail "custody after downloads: $(jv '[c["action"] for c in d["custody"]]')"
ok "content: whole (200), Range a-b and -n (206, exact bytes, Content-Range), 416; evidence.download / evidence.view in the custody"

# ---- refusals ------------------------------------------------------------------
ledger_mark
req -f "$T/photo.jpg" sys POST "$EV?kind=photo&name=x.jpg"
expect_error 403 forbidden
req sys GET "/api/v1/evidence/$VIDEO/content"
expect_error 403 forbidden
req -f "$T/photo.jpg" aud POST "$EV?kind=photo&name=x.jpg"
expect_error 403 forbidden
req -f "$T/photo.jpg" enf POST "/api/v1/cases/$OTHER/evidence?kind=photo&name=x.jpg"
expect_error 403 not_assigned
req -T -f "$T/photo.jpg" enf POST "$EV?kind=photo&name=x.jpg"
expect_error 403 '*'
req -f "$T/photo.jpg" - POST "$EV?kind=photo&name=x.jpg"
expect_error 401 login_required
req -f "$T/photo.jpg" enf POST "$EV?kind=painting&name=x.jpg"
expect_error 400 '*' kind
req -f "$T/photo.jpg" enf POST "$EV?kind=photo"
expect_error 400 '*' name
req -f "$T/photo.jpg" enf POST "$EV?kind=photo&name=x.jpg&captured_at=1999-01-01"
expect_error 400 '*' captured_at
unchanged "$s0" "refused uploads"
ok "403 for sysadmin (upload, download), auditor (upload), a case not theirs, no CSRF token; 401 without login; 400 bad kind, no name, impossible time; nothing written"

# ---- a cut upload and the size limit -----------------------------------------
blobs() { find "$DB.evidence" -type f | wc -l | tr -d ' '; }
b0=$(blobs)
python3 - "$BASE" "$EV?kind=video&name=cut.mp4" "$TOK_enf" "$CSRF_enf" <<'PY' || fail "cut upload script"
import socket, sys, time, urllib.parse
base, path, tok, csrf = sys.argv[1:5]
host, port = urllib.parse.urlparse(base).netloc.split(':')
s = socket.create_connection((host, int(port)))
s.sendall(('POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n'
           'Cookie: zhifa_session=%s\r\nX-CSRF-Token: %s\r\n\r\n' % (path, tok, csrf)).encode())
s.sendall(b'\x01' * 500000)
time.sleep(0.5)
s.close()
time.sleep(0.5)
PY
unchanged "$s0" "a cut upload"
[ "$(blobs)" = "$b0" ] || fail "a cut upload left $(($(blobs) - b0)) files in the evidence directory"
req aud GET "$EV"
[ "$(jv 'len(d["items"])')" = 2 ] || fail "a cut upload left an item"
ok "an upload cut after 500 kB of 2 MB: no item, no entry, no stray blob or temporary file"

expect_exit 0 "$ZHIFA" --db "$DB" --org 150826 org set evidence_max_size_mb 1
ledger_mark	# (the setting is an entry)
head -c 1100000 "$T/video.mp4" >"$T/big.mp4"
req -f "$T/big.mp4" enf POST "$EV?kind=video&name=big.mp4"
expect_error 413 '*'
req -f "$T/big.mp4" -H 'Transfer-Encoding: chunked' enf POST "$EV?kind=video&name=big.mp4"
expect_error 413 '*'
unchanged "$s0" "uploads over the limit"
[ "$(blobs)" = "$b0" ] || fail "a refused upload left a file in the evidence directory"
ok "evidence_max_size_mb 1: 1.1 MB declared → 413 before the body; chunked → 413 at the end; nothing stored"

api_stop
ok "the server stops cleanly"
ledger_verified
