/*
 * Tests for src/evidence/: the content-addressed blob store, its
 * incremental writer, and the pure helpers (sidecars, capture times, kinds).
 * Each test gets a fresh directory from mkdtemp under /tmp.
 *
 * What is checked, with where it is required (evidence issue):
 *   - "stored by hash (SM3 or SHA-256), written to a temporary file,
 *     fsynced and renamed": the blob's name is the known-answer digest of
 *     its bytes (GB/T 32905-2016 A.1 for SM3, FIPS 180-2 for SHA-256), and
 *     nothing is left in tmp/;
 *   - "streamed in bounded memory": a stream larger than the writer's
 *     chunk, written in odd pieces, hashes as the one-shot digest;
 *   - "deduplicated": the same bytes twice are one blob;
 *   - "nothing half-stored": abort, an empty or oversized stream, a file
 *     that shrinks while read, all leave no blob and no temporary file;
 *   - "altering a stored blob is caught": verify and copy report
 *     evidence_blob_altered / evidence_blob_missing;
 *   - "a sidecar with impossible times": refused with the field named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "date.h"
#include "evidence.h"
#include "testfs.h"

/* GB/T 32905-2016 Appendix A example 1 and FIPS 180-2 B.1: "abc". */
#define SM3_ABC "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

struct fx {
	char dir[64];
	char blobs_dir[96];
	struct evidence_blobs *b;
};

static int setup(void **state)
{
	struct fx *f = zf_calloc(1, sizeof(*f));
	struct zf_error err = {0};

	if (!f)
		return -1;
	zf_strlcpy(f->dir, "/tmp/zf-evidence-XXXXXX", sizeof(f->dir));
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->blobs_dir, sizeof(f->blobs_dir), "%s/store/ev", f->dir);
	if (evidence_blobs_open(f->blobs_dir, &f->b, &err) != ZF_OK) {
		fprintf(stderr, "%s\n", err.message);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	evidence_blobs_free(f->b);
	testfs_rm_rf(f->dir);
	zf_free(f);
	return 0;
}

/* Entries in <blobs>/tmp: a finished or failed write leaves none. */
static int tmp_count(const struct fx *f)
{
	char p[160];
	int n = 0;
	struct dirent *de;
	snprintf(p, sizeof(p), "%s/tmp", f->blobs_dir);
	DIR *d = opendir(p);
	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void blob_file(const struct fx *f, enum ledger_alg alg, const char *hash,
		      char *out, size_t size)
{
	struct buf p;
	buf_init(&p, 4096);
	assert_int_equal(evidence_blob_path(f->b, alg, hash, &p, NULL), ZF_OK);
	zf_strlcpy(out, buf_cstr(&p), size);
	buf_release(&p);
}

static void write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
}

static void put(struct fx *f, enum ledger_alg alg, const void *data, size_t n,
		struct evidence_blob *out)
{
	struct evidence_writer *w = NULL;
	struct zf_error err = {0};
	assert_int_equal(evidence_writer_open(f->b, alg, 0, &w, &err), ZF_OK);
	assert_int_equal(evidence_writer_write(w, data, n, &err), ZF_OK);
	assert_int_equal(evidence_writer_commit(w, out, &err), ZF_OK);
}

/* ---- the writer ---- */

static void test_writer_known_answers(void **state)
{
	struct fx *f = *state;
	struct evidence_blob b;
	struct stat sb;
	char path[256];

	put(f, LEDGER_SM3, "abc", 3, &b);
	assert_string_equal(b.hash, SM3_ABC);
	assert_int_equal(b.size, 3);
	assert_false(b.existed);
	blob_file(f, LEDGER_SM3, SM3_ABC, path, sizeof(path));
	assert_non_null(strstr(path, "/ev/sm3/66/" SM3_ABC));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 3);
	/* committed blobs are read-only */
	assert_int_equal(sb.st_mode & 0777, 0440);
	assert_true(evidence_blob_exists(f->b, LEDGER_SM3, SM3_ABC));

	put(f, LEDGER_SHA256, "abc", 3, &b);
	assert_string_equal(b.hash, SHA256_ABC);
	blob_file(f, LEDGER_SHA256, SHA256_ABC, path, sizeof(path));
	assert_non_null(strstr(path, "/ev/sha256/ba/" SHA256_ABC));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(tmp_count(f), 0);
}

/* The streaming hasher agrees with the one-shot one over 3.5 chunks
 * written in odd pieces. */
static void test_writer_streams_in_pieces(void **state)
{
	struct fx *f = *state;
	size_t n = EVIDENCE_CHUNK * 3 + EVIDENCE_CHUNK / 2 + 17;
	unsigned char *data = zf_malloc(n);
	struct evidence_writer *w = NULL;
	struct evidence_blob b, peek;
	struct ledger_hasher *h = ledger_hasher_new(LEDGER_SM3);
	uint8_t want[LEDGER_HASH_LEN];
	char hex[LEDGER_HEX_LEN];

	assert_non_null(data);
	assert_non_null(h);
	for (size_t i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 2654435761u >> 13);
	assert_int_equal(ledger_hash2(h, data, n, NULL, 0, want), ZF_OK);
	ledger_hex(want, LEDGER_HASH_LEN, hex);

	assert_int_equal(evidence_writer_open(f->b, LEDGER_SM3, 0, &w, NULL), ZF_OK);
	static const size_t pieces[] = {1, 4095, 0, 65539, EVIDENCE_CHUNK + 11, 7};
	for (size_t off = 0, k = 0; off < n; k = (k + 1) % ZF_ARRAY_LEN(pieces)) {
		size_t piece = pieces[k] < n - off ? pieces[k] : n - off;
		assert_int_equal(evidence_writer_write(w, data + off, piece, NULL), ZF_OK);
		off += piece;
	}
	assert_int_equal(evidence_writer_size(w), n);
	/* finish gives the hash before the blob is named: the caller may
	 * still decide not to keep it */
	assert_int_equal(evidence_writer_finish(w, &peek, NULL), ZF_OK);
	assert_string_equal(peek.hash, hex);
	assert_false(evidence_blob_exists(f->b, LEDGER_SM3, hex));
	assert_int_equal(tmp_count(f), 1);
	assert_int_equal(evidence_writer_commit(w, &b, NULL), ZF_OK);
	assert_string_equal(b.hash, hex);
	assert_int_equal(b.size, n);
	assert_int_equal(evidence_blob_verify(f->b, LEDGER_SM3, hex, n, NULL, NULL, NULL, NULL),
			 ZF_OK);
	assert_int_equal(tmp_count(f), 0);
	ledger_hasher_free(h);
	zf_free(data);
}

static void test_writer_dedup(void **state)
{
	struct fx *f = *state;
	struct evidence_blob a, b;
	struct stat s1, s2;
	char path[256];

	put(f, LEDGER_SM3, "abc", 3, &a);
	blob_file(f, LEDGER_SM3, SM3_ABC, path, sizeof(path));
	assert_int_equal(stat(path, &s1), 0);
	put(f, LEDGER_SM3, "abc", 3, &b);
	assert_true(b.existed);
	assert_string_equal(a.hash, b.hash);
	assert_int_equal(stat(path, &s2), 0);
	/* the stored file was not replaced */
	assert_int_equal(s1.st_ino, s2.st_ino);
	assert_int_equal(tmp_count(f), 0);
}

/* A blob damaged to another size is replaced by an intact copy. */
static void test_writer_replaces_damaged(void **state)
{
	struct fx *f = *state;
	struct evidence_blob b;
	char path[256];

	put(f, LEDGER_SM3, "abc", 3, &b);
	blob_file(f, LEDGER_SM3, SM3_ABC, path, sizeof(path));
	chmod(path, 0640);
	write_file(path, "abcd", 4);
	assert_int_equal(evidence_blob_verify(f->b, LEDGER_SM3, SM3_ABC, 3, NULL, NULL, NULL,
					      NULL), ZF_EIO);
	put(f, LEDGER_SM3, "abc", 3, &b);
	assert_false(b.existed);
	assert_int_equal(evidence_blob_verify(f->b, LEDGER_SM3, SM3_ABC, 3, NULL, NULL, NULL,
					      NULL), ZF_OK);
}

static void test_writer_abort(void **state)
{
	struct fx *f = *state;
	struct evidence_writer *w = NULL;

	assert_int_equal(evidence_writer_open(f->b, LEDGER_SM3, 0, &w, NULL), ZF_OK);
	assert_int_equal(evidence_writer_write(w, "abc", 3, NULL), ZF_OK);
	assert_int_equal(tmp_count(f), 1);
	evidence_writer_abort(w);
	assert_int_equal(tmp_count(f), 0);
	assert_false(evidence_blob_exists(f->b, LEDGER_SM3, SM3_ABC));

	/* finished, then dropped: the "already an item" path */
	assert_int_equal(evidence_writer_open(f->b, LEDGER_SM3, 0, &w, NULL), ZF_OK);
	assert_int_equal(evidence_writer_write(w, "abc", 3, NULL), ZF_OK);
	assert_int_equal(evidence_writer_finish(w, NULL, NULL), ZF_OK);
	evidence_writer_abort(w);
	assert_int_equal(tmp_count(f), 0);
	assert_false(evidence_blob_exists(f->b, LEDGER_SM3, SM3_ABC));
	evidence_writer_abort(NULL);
}

static void test_writer_refuses_empty_and_oversized(void **state)
{
	struct fx *f = *state;
	struct evidence_writer *w = NULL;
	struct evidence_blob b;
	struct zf_error err = {0};

	assert_int_equal(evidence_writer_open(f->b, LEDGER_SM3, 0, &w, NULL), ZF_OK);
	assert_int_equal(evidence_writer_commit(w, &b, &err), ZF_EINVAL);
	assert_string_equal(err.code, "evidence_empty");
	assert_int_equal(tmp_count(f), 0);

	assert_int_equal(evidence_writer_open(f->b, LEDGER_SM3, 5, &w, NULL), ZF_OK);
	assert_int_equal(evidence_writer_write(w, "abc", 3, NULL), ZF_OK);
	assert_int_equal(evidence_writer_write(w, "abc", 3, &err), ZF_ETOOBIG);
	assert_string_equal(err.code, "evidence_too_big");
	/* after an error the writer only fails */
	assert_int_equal(evidence_writer_write(w, "a", 1, &err), ZF_EIO);
	assert_int_equal(evidence_writer_commit(w, &b, &err), ZF_EIO);
	assert_int_equal(tmp_count(f), 0);
	assert_false(evidence_blob_exists(f->b, LEDGER_SM3, SM3_ABC));
}

/* ---- whole files ---- */

static void test_put_file(void **state)
{
	struct fx *f = *state;
	struct evidence_blob b;
	struct zf_error err = {0};
	char path[160], sub[160];

	snprintf(path, sizeof(path), "%s/abc.jpg", f->dir);
	write_file(path, "abc", 3);
	assert_int_equal(evidence_put_file(f->b, LEDGER_SM3, path, 0, "file", &b, &err), ZF_OK);
	assert_string_equal(b.hash, SM3_ABC);

	snprintf(path, sizeof(path), "%s/empty.jpg", f->dir);
	write_file(path, "", 0);
	assert_int_equal(evidence_put_file(f->b, LEDGER_SM3, path, 0, "file", &b, &err),
			 ZF_EINVAL);
	assert_string_equal(err.code, "evidence_empty");
	assert_string_equal(err.field, "file");

	snprintf(path, sizeof(path), "%s/missing.jpg", f->dir);
	assert_int_equal(evidence_put_file(f->b, LEDGER_SM3, path, 0, "file", &b, &err),
			 ZF_EIO);
	assert_string_equal(err.code, "evidence_unreadable");

	snprintf(sub, sizeof(sub), "%s/adir", f->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(evidence_put_file(f->b, LEDGER_SM3, sub, 0, "file", &b, &err),
			 ZF_EINVAL);
	assert_string_equal(err.code, "evidence_not_regular");

	snprintf(path, sizeof(path), "%s/big.mp4", f->dir);
	write_file(path, "0123456789", 10);
	assert_int_equal(evidence_put_file(f->b, LEDGER_SM3, path, 9, "file", &b, &err),
			 ZF_ETOOBIG);
	assert_string_equal(err.code, "evidence_too_big");
	assert_int_equal(evidence_put_file(f->b, LEDGER_SM3, path, 10, "file", &b, &err),
			 ZF_OK);
	assert_int_equal(tmp_count(f), 0);
}

/* A file read short of the size it had when opened (still being written
 * by the camera, or cut) is refused, and nothing is stored. */
static void test_truncated_stream(void **state)
{
	struct fx *f = *state;
	struct evidence_writer *w = NULL;
	struct zf_error err = {0};
	char path[160];

	snprintf(path, sizeof(path), "%s/cut.mp4", f->dir);
	write_file(path, "abc", 3);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(evidence_writer_open(f->b, LEDGER_SM3, 0, &w, NULL), ZF_OK);
	assert_int_equal(evidence_writer_write_fd(w, fd, 4, NULL, NULL, "file", &err), ZF_EIO);
	assert_string_equal(err.code, "evidence_truncated");
	close(fd);
	evidence_writer_abort(w);
	assert_int_equal(tmp_count(f), 0);
	assert_false(evidence_blob_exists(f->b, LEDGER_SM3, SM3_ABC));
}

/* ---- verify, copy, delete ---- */

static void test_verify_detects_altered_and_missing(void **state)
{
	struct fx *f = *state;
	struct evidence_blob b;
	struct zf_error err = {0};
	uint64_t bytes = 0;
	char path[256];

	put(f, LEDGER_SM3, "abc", 3, &b);
	assert_int_equal(evidence_blob_verify(f->b, LEDGER_SM3, SM3_ABC, 3, NULL, NULL, &bytes,
					      &err), ZF_OK);
	assert_int_equal(bytes, 3);

	/* one byte changed in place, same size */
	blob_file(f, LEDGER_SM3, SM3_ABC, path, sizeof(path));
	chmod(path, 0640);
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "X", 1, 1), 1);
	close(fd);
	assert_int_equal(evidence_blob_verify(f->b, LEDGER_SM3, SM3_ABC, 3, NULL, NULL, NULL,
					      &err), ZF_EIO);
	assert_string_equal(err.code, "evidence_blob_altered");

	/* an altered blob is not copied out */
	char dest[160];
	snprintf(dest, sizeof(dest), "%s/out.bin", f->dir);
	assert_int_equal(evidence_blob_copy(f->b, LEDGER_SM3, SM3_ABC, 3, dest, NULL, NULL,
					    &err), ZF_EIO);
	assert_string_equal(err.code, "evidence_blob_altered");
	assert_int_not_equal(access(dest, F_OK), 0);

	assert_int_equal(evidence_blob_delete(f->b, LEDGER_SM3, SM3_ABC, &err), ZF_OK);
	assert_int_equal(evidence_blob_verify(f->b, LEDGER_SM3, SM3_ABC, 3, NULL, NULL, NULL,
					      &err), ZF_ENOTFOUND);
	assert_string_equal(err.code, "evidence_blob_missing");
	/* deleting what is gone is fine */
	assert_int_equal(evidence_blob_delete(f->b, LEDGER_SM3, SM3_ABC, &err), ZF_OK);
}

static void test_copy(void **state)
{
	struct fx *f = *state;
	struct evidence_blob b;
	struct zf_error err = {0};
	char dest[160], got[8] = {0};

	put(f, LEDGER_SHA256, "abc", 3, &b);
	snprintf(dest, sizeof(dest), "%s/copy.bin", f->dir);
	assert_int_equal(evidence_blob_copy(f->b, LEDGER_SHA256, SHA256_ABC, 3, dest, NULL,
					    NULL, &err), ZF_OK);
	int fd = open(dest, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, got, sizeof(got)), 3);
	close(fd);
	assert_string_equal(got, "abc");
	assert_int_equal(evidence_blob_copy(f->b, LEDGER_SHA256, SHA256_ABC, 3, dest, NULL,
					    NULL, &err), ZF_ECONFLICT);
	assert_string_equal(err.code, "file_exists");
}

/* A hash names a file: nothing but 64 lowercase hex digits may. */
static void test_hash_names_only_blobs(void **state)
{
	struct fx *f = *state;
	struct buf p;
	struct zf_error err = {0};

	buf_init(&p, 4096);
	assert_int_equal(evidence_blob_path(f->b, LEDGER_SM3, "../../etc/passwd", &p, &err),
			 ZF_EINVAL);
	assert_string_equal(err.code, "invalid_hash");
	assert_int_equal(evidence_blob_path(f->b, LEDGER_SM3,
					    "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0",
					    &p, &err), ZF_EINVAL);
	assert_int_equal(evidence_blob_path(f->b, LEDGER_SM3, SM3_ABC "0", &p, &err), ZF_EINVAL);
	assert_false(evidence_hash_valid(NULL));
	assert_true(evidence_hash_valid(SM3_ABC));
	buf_release(&p);
}

static void test_blobs_dir_unusable(void **state)
{
	struct fx *f = *state;
	struct evidence_blobs *b = NULL;
	struct zf_error err = {0};
	char path[160];

	snprintf(path, sizeof(path), "%s/afile", f->dir);
	write_file(path, "x", 1);
	snprintf(path, sizeof(path), "%s/afile/ev", f->dir);
	assert_int_equal(evidence_blobs_open(path, &b, &err), ZF_EIO);
	assert_string_equal(err.code, "evidence_dir_unavailable");
	assert_string_equal(err.field, "evidence_dir");
	assert_int_equal(evidence_blobs_open("", &b, &err), ZF_EINVAL);
}

/* ---- pure helpers ---- */

static void test_sidecar(void **state)
{
	struct evidence_sidecar sc;
	struct zf_error err = {0};
	static const char good[] =
		"{\"captured_at\":\"2025-05-06T09:30:00+08:00\",\"location\":\"G6 1234 公里\","
		"\"officers\":[\"150826200001\",\"150826200002\"],\"camera_fw\":\"1.2\"}";
	(void)state;

	assert_int_equal(evidence_sidecar_parse(good, strlen(good), &sc, &err), ZF_OK);
	assert_true(sc.has_captured_at);
	assert_int_equal(sc.captured_at, INT64_C(1746495000000000));
	assert_string_equal(sc.location, "G6 1234 公里");
	assert_int_equal(json_array_size(sc.officers), 2);
	evidence_sidecar_release(&sc);

	assert_int_equal(evidence_sidecar_parse("{}", 2, &sc, &err), ZF_OK);
	assert_false(sc.has_captured_at);
	assert_null(sc.officers);
	evidence_sidecar_release(&sc);

	static const struct {
		const char *text, *code, *field;
	} bad[] = {
		{"not json", "evidence_sidecar_invalid", "sidecar"},
		{"[1]", "evidence_sidecar_invalid", "sidecar"},
		{"{\"captured_at\":\"2025-13-40T00:00:00Z\"}", "invalid_instant",
		 "sidecar.captured_at"},
		{"{\"captured_at\":1746495000}", "invalid_instant", "sidecar.captured_at"},
		{"{\"officers\":\"150826200001\"}", "evidence_sidecar_invalid",
		 "sidecar.officers"},
		{"{\"officers\":[1]}", "evidence_sidecar_invalid", "sidecar.officers"},
		{"{\"location\":7}", "invalid_text", "sidecar.location"},
		{"{\"a\":1,\"a\":2}", "evidence_sidecar_invalid", "sidecar"},
	};
	for (size_t i = 0; i < ZF_ARRAY_LEN(bad); i++) {
		zf_error_clear(&err);
		assert_int_not_equal(evidence_sidecar_parse(bad[i].text, strlen(bad[i].text),
							    &sc, &err), ZF_OK);
		assert_string_equal(err.code, bad[i].code);
		assert_string_equal(err.field, bad[i].field);
		assert_null(sc.location);
		assert_null(sc.officers);
	}
}

static void test_captured_at(void **state)
{
	int64_t now = 0, t = 0;
	struct zf_error err = {0};
	(void)state;

	assert_int_equal(instant_parse("2025-06-01T09:00:00+08:00", &now, "", NULL), ZF_OK);
	assert_int_equal(evidence_captured_at_check(now, now, "captured_at", &err), ZF_OK);
	/* a camera clock a little ahead is accepted */
	assert_int_equal(evidence_captured_at_check(now + EVIDENCE_CLOCK_SKEW_US, now, "x", &err),
			 ZF_OK);
	assert_int_equal(evidence_captured_at_check(now + EVIDENCE_CLOCK_SKEW_US + 1, now,
						    "captured_at", &err), ZF_EINVAL);
	assert_string_equal(err.code, "evidence_captured_at_impossible");
	assert_string_equal(err.field, "captured_at");
	assert_int_equal(instant_parse("1999-12-31T23:59:59+08:00", &t, "", NULL), ZF_OK);
	assert_int_equal(evidence_captured_at_check(t, now, "captured_at", &err), ZF_EINVAL);
	assert_int_equal(instant_parse("2000-01-01T00:00:00+08:00", &t, "", NULL), ZF_OK);
	assert_int_equal(t, EVIDENCE_EARLIEST_US);
	assert_int_equal(evidence_captured_at_check(t, now, "captured_at", &err), ZF_OK);
	/* a camera that lost its clock says 1970 */
	assert_int_equal(evidence_captured_at_check(0, now, "captured_at", &err), ZF_EINVAL);
}

static void test_kinds_and_names(void **state)
{
	char ext[16];
	(void)state;

	assert_string_equal(evidence_kind_of_name("DSJ01/20250506_093000.MP4"), "video");
	assert_string_equal(evidence_kind_of_name("IMG_0001.JPG"), "photo");
	assert_string_equal(evidence_kind_of_name("REC0001.wav"), "audio");
	assert_string_equal(evidence_kind_of_name("询问笔录.pdf"), "scan");
	assert_string_equal(evidence_kind_of_name("notes.txt"), "document");
	assert_string_equal(evidence_kind_of_name("noext"), "document");
	evidence_file_ext("a/b/Clip.MP4", ext);
	assert_string_equal(ext, "mp4");
	evidence_file_ext("noext", ext);
	assert_string_equal(ext, "bin");
	evidence_file_ext(".hidden", ext);
	assert_string_equal(ext, "bin");
	evidence_file_ext("x.tar/gz", ext);
	assert_string_equal(ext, "bin");
	evidence_file_ext("x.abcdefghijk", ext);
	assert_string_equal(ext, "bin");
	evidence_file_ext("x.m$v", ext);
	assert_string_equal(ext, "bin");
	assert_string_equal(evidence_basename("/a/b/c.jpg"), "c.jpg");
	assert_string_equal(evidence_basename("c.jpg"), "c.jpg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_writer_known_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_streams_in_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_dedup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_replaces_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_refuses_empty_and_oversized, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_put_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_detects_altered_and_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_names_only_blobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blobs_dir_unusable, setup, teardown),
		cmocka_unit_test(test_sidecar),
		cmocka_unit_test(test_captured_at),
		cmocka_unit_test(test_kinds_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
