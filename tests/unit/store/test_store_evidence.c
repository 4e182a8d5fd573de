/*
 * Tests for src/store/store_evidence.c through store.h: evidence items, the
 * blobs behind them and their chain of custody, against a fresh SQLite file
 * (and its <file>.evidence directory) per test.
 *
 * What is checked, with where it is required (evidence issue):
 *   - an upload streamed in pieces becomes one item and one entry
 *     evidence.collect whose state hash commits to the item, file hash
 *     included (docs/ledger-invariants.md rules 1 and 6);
 *   - "nothing half-stored": metadata refused before a byte is stored, and
 *     a failed insert removes the blob unless another item uses it;
 *   - "deduplicated": the same content is one blob for two items, and a
 *     re-sent file for the same case is "evidence_exists", nothing added;
 *   - custody: attach, view, hold, release, redact, delete, each one entry;
 *   - retention: nothing deleted before its period, none of a permanent
 *     kind, none while held; deletion keeps the row and removes the blob
 *     only when no other item uses it;
 *   - evidence verify reports a missing and an altered blob.
 * The commit hook of the test build (ledger-invariants rule 1) is on
 * throughout and must never have refused a commit.
 *
 * "Now" is 2025-06-01T09:00:00+08:00.
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

#include "store.h"
#include "store_int.h"
#include "testfs.h"

#define NOW "2025-06-01T09:00:00+08:00"
#define DAY_US (INT64_C(86400) * 1000000)

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct zf_ctx ctx;
	char case_id[REG_ID_LEN];
	char case2_id[REG_ID_LEN];
};

static void must(int rc, const struct zf_error *err, const char *what)
{
	if (rc != ZF_OK)
		fail_msg("%s: rc %d %s/%s: %s", what, rc, err->code, err->field, err->message);
}

static void expect_error(int rc, const struct zf_error *err, int want_rc, const char *code,
			 const char *field)
{
	if (rc != want_rc || strcmp(err->code, code) != 0 || strcmp(err->field, field) != 0)
		fail_msg("got rc %d (%s/%s: %s), want %d %s/%s", rc, err->code, err->field,
			 err->message, want_rc, code, field);
}

static char *sdup(const char *s)
{
	char *p = s ? zf_strdup(s) : NULL;
	if (s)
		assert_non_null(p);
	return p;
}

static int64_t ledger_size(struct fx *f)
{
	struct zf_error err;
	int64_t n = -1;
	must(store_ledger_size(f->st, f->ctx.org_id, &n, &err), &err, "ledger size");
	return n;
}

static json_t *last_entry(struct fx *f)
{
	struct zf_error err;
	json_t *arr = NULL, *e;
	must(store_ledger_list(f->st, f->ctx.org_id, ledger_size(f) - 1, 1, &arr, &err), &err,
	     "ledger list");
	e = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return e;
}

static void assert_last_action(struct fx *f, const char *action, const char *id)
{
	json_t *e = last_entry(f);
	assert_string_equal(json_string_value(json_object_get(e, "action")), action);
	assert_string_equal(json_string_value(json_object_get(e, "object_type")), "evidence");
	if (id)
		assert_string_equal(json_string_value(json_object_get(e, "object_id")), id);
	json_decref(e);
}

/* The last entry's state hash is the hash of the item as it is now. */
static void assert_state_committed(struct fx *f, const struct evidence_item *e)
{
	struct ledger_hasher *h = ledger_hasher_new(LEDGER_SM3);
	json_t *state = evidence_item_state_json(e), *entry = last_entry(f);
	uint8_t d[LEDGER_HASH_LEN];
	char hex[LEDGER_HEX_LEN];
	assert_non_null(h);
	assert_int_equal(ledger_state_hash(h, state, d), ZF_OK);
	ledger_hex(d, LEDGER_HASH_LEN, hex);
	assert_string_equal(json_string_value(json_object_get(entry, "state_hash")), hex);
	json_decref(state);
	json_decref(entry);
	ledger_hasher_free(h);
}

/* Raw SQL past the store, with the commit hook off (settings rows the
 * generic layer may not know yet; a trigger to make an insert fail). */
static void raw(struct fx *f, const char *sql)
{
	f->st->ops->maintenance(f->st, true);
	int rc = store__sqlite_exec_raw(f->st, sql);
	f->st->ops->maintenance(f->st, false);
	assert_int_equal(rc, ZF_OK);
}

static void set_raw(struct fx *f, const char *key, const char *value)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "INSERT OR REPLACE INTO org_setting (org_id, key, value, updated_at) "
		 "VALUES ('%s', '%s', '%s', 0)", f->ctx.org_id, key, value);
	raw(f, sql);
}

static int dir_count(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;
	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return d ? n : -1;
}

static int tmp_count(struct fx *f)
{
	char p[200];
	snprintf(p, sizeof(p), "%s.evidence/tmp", f->path);
	return dir_count(p);
}

static bool blob_exists(struct fx *f, const char *hash)
{
	char p[300];
	snprintf(p, sizeof(p), "%s.evidence/sm3/%.2s/%s", f->path, hash, hash);
	return access(p, F_OK) == 0;
}

/* ---- fixture: an org, two officers, a party, DSJ-01 and two cases ---- */

static void add_case(struct fx *f, const char *party_id, const char *facts,
		     char id[REG_ID_LEN])
{
	struct zf_error err;
	json_t *params = json_pack("{ss ss ss ss}", "violation", "overload_mass", "act_date",
				   "2025-05-30", "facts", facts, "place", "G6 京藏高速 1234 公里");
	const char *officers[] = {"15080200001", "15080200002"};
	struct case_step_in in = {0};
	json_t *out = NULL;
	in.transition = "register";
	in.date = (struct zf_date){2025, 6, 1};
	in.officers = officers;
	in.nofficers = 2;
	in.params = params;
	in.party = party_id;
	must(store_case_step(f->st, &f->ctx, NULL, &in, &out, &err), &err, "case register");
	zf_strlcpy(id, json_string_value(json_object_get(out, "id")), REG_ID_LEN);
	json_decref(out);
	json_decref(params);
}

static int setup(void **state)
{
	struct fx *f = zf_calloc(1, sizeof(*f));
	struct store_opts opts = {.create = true};
	struct zf_error err;
	struct org o = {0};
	struct party p = {0};
	struct device d = {0};

	if (!f)
		return -1;
	zf_strlcpy(f->dir, "/tmp/zf-test-evidence-XXXXXX", sizeof(f->dir));
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/zhifa.db", f->dir);
	must(store_open(f->path, &opts, &f->st, &err), &err, "store_open");
	must(instant_parse(NOW, &f->ctx.now_us, "now", &err), &err, "now");
	zf_strlcpy(f->ctx.actor, "test", sizeof(f->ctx.actor));
	zf_strlcpy(f->ctx.role, "system_admin", sizeof(f->ctx.role));
	o.name = sdup("临河区交通运输局");
	o.level = sdup("county");
	o.division_code = sdup("150802");
	o.doc_abbr = sdup("临交");
	must(store_org_create(f->st, &f->ctx, &o, &err), &err, "org");
	zf_strlcpy(f->ctx.org_id, o.id, sizeof(f->ctx.org_id));
	org_release(&o);
	for (int i = 1; i <= 2; i++) {
		struct officer of = {0};
		const char *cert = i == 1 ? "15080200001" : "15080200002";
		of.name = sdup(i == 1 ? "张三" : "赵六");
		of.cert_no = sdup(cert);
		of.valid_from = (struct zf_date){2024, 1, 1};
		of.valid_to = (struct zf_date){2027, 12, 31};
		of.roles = sdup("enforcer");
		must(store_officer_add(f->st, &f->ctx, &of, &err), &err, "officer");
		officer_release(&of);
	}
	p.kind = sdup("org");
	p.name = sdup("巴彦淖尔市某运输有限公司");
	p.credit_code = sdup("91350100M000100Y43");
	must(store_party_add(f->st, &f->ctx, &p, &err), &err, "party");
	d.code = sdup("DSJ-01");
	d.kind = sdup("body_camera");
	must(store_device_add(f->st, &f->ctx, &d, &err), &err, "device");
	device_release(&d);
	add_case(f, p.id, "货车超限运输", f->case_id);
	add_case(f, p.id, "另一次超限运输", f->case2_id);
	party_release(&p);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	long refusals = store__sqlite_hook_refusals(f->st);
	store_close(f->st);
	testfs_rm_rf(f->dir);
	zf_free(f);
	/* rule 1: no act wrote rows without exactly one entry */
	return refusals == 0 ? 0 : -1;
}

/* ---- helpers ---- */

static struct evidence_meta meta(struct fx *f, const char *case_id, const char *name)
{
	struct evidence_meta m = {0};
	m.case_key = case_id;
	m.device = "DSJ-01";
	m.captured_at = f->ctx.now_us - DAY_US;
	m.original_name = name;
	return m;
}

/* Upload bytes in three pieces; returns the commit's rc. */
static int upload(struct fx *f, const struct evidence_meta *m, const char *data,
		  struct evidence_item *out, struct zf_error *err)
{
	struct store_evidence_upload *u = NULL;
	size_t n = strlen(data), a = n / 3, b = n / 2;
	int rc = store_evidence_begin(f->st, &f->ctx, m, &u, err);
	if (rc)
		return rc;
	if ((rc = store_evidence_write(u, data, a, err)) ||
	    (rc = store_evidence_write(u, data + a, b - a, err)) ||
	    (rc = store_evidence_write(u, data + b, n - b, err))) {
		store_evidence_abort(u);
		return rc;
	}
	assert_int_equal(store_evidence_received(u), n);
	return store_evidence_commit(u, out, err);
}

/* ---- tests ---- */

static void test_upload_one_item_one_entry(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct evidence_item e = {0}, got = {0};
	struct evidence_meta m = meta(f, f->case_id, "/media/DSJ01/VID_0001.MP4");
	json_t *by = json_pack("[ss]", "15080200001", "15080200002");
	json_t *custody = NULL;
	int64_t before = ledger_size(f);

	m.captured_by = by;
	m.location = "G6 京藏高速 1234 公里";
	must(upload(f, &m, "abc", &e, &err), &err, "upload");
	assert_int_equal(ledger_size(f), before + 1);
	assert_last_action(f, "evidence.collect", e.id);
	assert_string_equal(e.hash, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
	assert_string_equal(e.hash_alg, "sm3");
	assert_int_equal(e.size, 3);
	assert_string_equal(e.kind, "video");
	assert_string_equal(e.original_name, "VID_0001.MP4");
	assert_string_equal(e.device, "DSJ-01");
	assert_string_equal(e.case_id, f->case_id);
	assert_string_equal(e.status, "stored");
	assert_int_equal(json_array_size(e.captured_by), 2);
	/* certificate numbers become officer ids */
	assert_int_equal(strlen(json_string_value(json_array_get(e.captured_by, 0))), 36);
	assert_state_committed(f, &e);
	assert_true(blob_exists(f, e.hash));
	assert_int_equal(tmp_count(f), 0);

	must(store_evidence_get(f->st, &f->ctx, e.id, &got, &err), &err, "get");
	assert_string_equal(got.location, "G6 京藏高速 1234 公里");
	must(store_evidence_custody(f->st, f->ctx.org_id, e.id, &custody, &err), &err,
	     "custody");
	assert_int_equal(json_array_size(custody), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(custody, 0),
							      "action")),
			    "evidence.collect");
	json_decref(custody);
	json_decref(by);
	evidence_item_release(&e);
	evidence_item_release(&got);
}

/* Metadata is refused before a byte is stored; nothing is written. */
static void test_begin_refuses_bad_metadata(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct store_evidence_upload *u = NULL;
	int64_t before = ledger_size(f);
	struct evidence_meta m;
	json_t *nobody = json_pack("[s]", "15089999999");

	m = meta(f, f->case_id, "a.jpg");
	m.kind = "hologram";
	expect_error(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, ZF_EINVAL,
		     "unknown_code", "kind");
	m = meta(f, f->case_id, "a.jpg");
	m.captured_at = 0;
	expect_error(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, ZF_EINVAL,
		     "evidence_captured_at_impossible", "captured_at");
	m.captured_at = f->ctx.now_us + DAY_US;
	expect_error(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, ZF_EINVAL,
		     "evidence_captured_at_impossible", "captured_at");
	m = meta(f, "no-such-case", "a.jpg");
	expect_error(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, ZF_ENOTFOUND,
		     "case_not_found", "case");
	m = meta(f, f->case_id, "a.jpg");
	m.step = 99;
	expect_error(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, ZF_ENOTFOUND,
		     "step_not_found", "step");
	m = meta(f, NULL, "a.jpg");
	m.step = 1;
	expect_error(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, ZF_EINVAL,
		     "case_required", "case");
	m = meta(f, f->case_id, "a.jpg");
	m.device = "DSJ-99";
	expect_error(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, ZF_ENOTFOUND,
		     "device_not_found", "device");
	m = meta(f, f->case_id, "a.jpg");
	m.captured_by = nobody;
	expect_error(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, ZF_ENOTFOUND,
		     "officer_not_found", "captured_by");
	m = meta(f, f->case_id, NULL);
	expect_error(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, ZF_EINVAL,
		     "required", "original_name");
	/* the organisation's size limit, checked against the declared size */
	set_raw(f, "evidence_max_size_mb", "1");
	m = meta(f, f->case_id, "big.mp4");
	m.declared_size = (INT64_C(1) << 20) + 1;
	expect_error(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, ZF_ETOOBIG,
		     "evidence_too_big", "size");
	/* and against the bytes when none was declared */
	m.declared_size = 0;
	must(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, "begin");
	char *mib = zf_calloc(1, (size_t)1 << 20);
	assert_non_null(mib);
	must(store_evidence_write(u, mib, (size_t)1 << 20, &err), &err, "1 MiB");
	expect_error(store_evidence_write(u, "x", 1, &err), &err, ZF_ETOOBIG,
		     "evidence_too_big", "size");
	store_evidence_abort(u);
	zf_free(mib);
	/* an empty upload */
	m = meta(f, f->case_id, "empty.jpg");
	must(store_evidence_begin(f->st, &f->ctx, &m, &u, &err), &err, "begin");
	expect_error(store_evidence_commit(u, NULL, &err), &err, ZF_EINVAL, "evidence_empty",
		     "size");

	assert_int_equal(ledger_size(f), before);
	assert_true(tmp_count(f) <= 0);
	json_decref(nobody);
}

static void test_same_content(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct evidence_item a = {0}, b = {0}, c = {0};
	struct evidence_meta m = meta(f, f->case_id, "IMG_1.JPG");
	int64_t refs = 0, before;

	must(upload(f, &m, "same bytes", &a, &err), &err, "first");
	before = ledger_size(f);
	/* the same file again for the same case: the import's skip */
	m.original_name = "IMG_1 (copy).JPG";
	expect_error(upload(f, &m, "same bytes", &b, &err), &err, ZF_ECONFLICT,
		     "evidence_exists", "hash");
	assert_string_equal(b.id, a.id);
	assert_int_equal(ledger_size(f), before);
	assert_int_equal(tmp_count(f), 0);
	evidence_item_release(&b);
	/* for another case it is another item sharing the blob */
	m = meta(f, f->case2_id, "IMG_1.JPG");
	must(upload(f, &m, "same bytes", &c, &err), &err, "other case");
	assert_string_not_equal(c.id, a.id);
	assert_string_equal(c.hash, a.hash);
	must(f->st->ops->evidence_refs(f->st, a.hash, "sm3", &refs, &err), &err, "refs");
	assert_int_equal(refs, 2);
	evidence_item_release(&a);
	evidence_item_release(&c);
}

/* The blob is stored before the row; when the row fails, the blob goes
 * unless another item uses it. */
static void test_failed_insert_leaves_nothing(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct evidence_item a = {0}, b = {0};
	struct evidence_meta m = meta(f, f->case_id, "doc.pdf");
	int64_t before;

	must(upload(f, &m, "kept content", &a, &err), &err, "first");
	raw(f, "CREATE TRIGGER evidence_fail BEFORE INSERT ON evidence "
	       "BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END");
	before = ledger_size(f);
	m = meta(f, f->case_id, "new.pdf");
	expect_error(upload(f, &m, "new content", &b, &err), &err, ZF_ESTORE, "store_failed",
		     "");
	assert_int_equal(ledger_size(f), before);
	assert_int_equal(tmp_count(f), 0);
	{
		struct ledger_hasher *h = ledger_hasher_new(LEDGER_SM3);
		uint8_t d[LEDGER_HASH_LEN];
		char hex[LEDGER_HEX_LEN];
		assert_int_equal(ledger_hash2(h, "new content", 11, NULL, 0, d), ZF_OK);
		ledger_hex(d, LEDGER_HASH_LEN, hex);
		assert_false(blob_exists(f, hex));
		ledger_hasher_free(h);
	}
	/* the same content as a stored item, for the other case: its blob stays */
	m = meta(f, f->case2_id, "doc.pdf");
	expect_error(upload(f, &m, "kept content", &b, &err), &err, ZF_ESTORE, "store_failed",
		     "");
	assert_true(blob_exists(f, a.hash));
	raw(f, "DROP TRIGGER evidence_fail");
	evidence_item_release(&a);
}

static void test_custody_acts(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct evidence_item e = {0}, r = {0}, x = {0};
	struct evidence_meta m = meta(f, NULL, "photo.jpg");
	struct store_evidence_upload *u = NULL;
	json_t *custody = NULL;
	int64_t seq = 0;
	char *path = NULL;

	must(upload(f, &m, "loose photo", &e, &err), &err, "upload without a case");
	assert_null(e.case_id);
	must(store_evidence_attach(f->st, &f->ctx, e.id, f->case_id, 1, &x, &err), &err,
	     "attach");
	assert_last_action(f, "evidence.attach", e.id);
	assert_string_equal(x.case_id, f->case_id);
	assert_int_equal(x.step, 1);
	assert_state_committed(f, &x);
	evidence_item_release(&x);
	expect_error(store_evidence_attach(f->st, &f->ctx, e.id, f->case2_id, 0, &x, &err), &err,
		     ZF_ECONFLICT, "evidence_already_attached", "case");
	must(store_evidence_log(f->st, &f->ctx, e.id, "evidence.view", NULL, &seq, &err), &err,
	     "view");
	assert_int_equal(seq, ledger_size(f));
	assert_last_action(f, "evidence.view", e.id);
	must(store_evidence_path(f->st, &f->ctx, e.id, &path, NULL, &err), &err, "path");
	assert_int_equal(access(path, R_OK), 0);
	zf_free(path);

	/* a redacted copy: a new item naming its source */
	must(store_evidence_redact_begin(f->st, &f->ctx, e.id, "车牌号", "公开前遮蔽", NULL, &u,
					 &err), &err, "redact begin");
	must(store_evidence_write(u, "masked photo", 12, &err), &err, "redact write");
	must(store_evidence_commit(u, &r, &err), &err, "redact commit");
	assert_last_action(f, "evidence.redact", r.id);
	assert_string_equal(r.source_id, e.id);
	assert_string_equal(r.case_id, f->case_id);
	assert_string_equal(json_string_value(json_object_get(r.redaction, "source_hash")),
			    e.hash);
	assert_state_committed(f, &r);

	must(store_evidence_custody(f->st, f->ctx.org_id, e.id, &custody, &err), &err,
	     "custody");
	assert_int_equal(json_array_size(custody), 3);
	json_decref(custody);
	evidence_item_release(&e);
	evidence_item_release(&r);
}

static void test_retention_hold_delete(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct evidence_item a = {0}, b = {0}, x = {0};
	struct evidence_meta m = meta(f, f->case_id, "VID_1.MP4");
	bool removed = true;
	int64_t before;
	char *path = NULL;

	must(upload(f, &m, "video bytes", &a, &err), &err, "a");
	m = meta(f, f->case2_id, "VID_1.MP4");
	must(upload(f, &m, "video bytes", &b, &err), &err, "b (same blob)");
	before = ledger_size(f);
	/* default: permanent (law.md: key enforcement recordings) */
	expect_error(store_evidence_delete(f->st, &f->ctx, a.id, "到期", NULL, &removed, &err),
		     &err, ZF_EREFUSED, "evidence_retention_permanent", "id");
	set_raw(f, "evidence_retention_days_video", "30");
	expect_error(store_evidence_delete(f->st, &f->ctx, a.id, "到期", NULL, &removed, &err),
		     &err, ZF_EREFUSED, "evidence_retention_not_over", "id");
	expect_error(store_evidence_delete(f->st, &f->ctx, a.id, "", NULL, &removed, &err), &err,
		     ZF_EINVAL, "required", "reason");
	assert_int_equal(ledger_size(f), before);

	f->ctx.now_us += 31 * DAY_US;
	must(store_evidence_hold(f->st, &f->ctx, a.id, true, "当事人申请行政复议", &x, &err), &err,
	     "hold");
	assert_last_action(f, "evidence.hold", a.id);
	assert_true(x.hold);
	evidence_item_release(&x);
	expect_error(store_evidence_hold(f->st, &f->ctx, a.id, true, "again", NULL, &err), &err,
		     ZF_EINVAL, "nothing_to_change", "");
	expect_error(store_evidence_delete(f->st, &f->ctx, a.id, "到期", NULL, &removed, &err),
		     &err, ZF_EREFUSED, "evidence_on_hold", "id");
	must(store_evidence_hold(f->st, &f->ctx, a.id, false, "复议决定维持", NULL, &err), &err,
	     "release");
	assert_last_action(f, "evidence.release", a.id);

	/* b still uses the blob: the row is deleted, the blob stays */
	must(store_evidence_delete(f->st, &f->ctx, a.id, "保存期满", &x, &removed, &err), &err,
	     "delete a");
	assert_last_action(f, "evidence.delete", a.id);
	assert_false(removed);
	assert_string_equal(x.status, "deleted");
	assert_int_equal(x.deleted_at, f->ctx.now_us);
	assert_state_committed(f, &x);
	assert_true(blob_exists(f, a.hash));
	evidence_item_release(&x);
	expect_error(store_evidence_delete(f->st, &f->ctx, a.id, "again", NULL, &removed, &err),
		     &err, ZF_ECONFLICT, "evidence_deleted", "id");
	expect_error(store_evidence_path(f->st, &f->ctx, a.id, &path, NULL, &err), &err,
		     ZF_ECONFLICT, "evidence_deleted", "id");
	/* the last user goes: so does the blob; the row stays */
	must(store_evidence_delete(f->st, &f->ctx, b.id, "保存期满", NULL, &removed, &err), &err,
	     "delete b");
	assert_true(removed);
	assert_false(blob_exists(f, a.hash));
	must(store_evidence_get(f->st, &f->ctx, a.id, &x, &err), &err, "row stays");
	assert_string_equal(x.hash, a.hash);
	evidence_item_release(&x);
	evidence_item_release(&a);
	evidence_item_release(&b);
}

static void test_verify_finds_missing_and_altered(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct evidence_item a = {0}, b = {0}, c = {0};
	struct evidence_meta m = meta(f, f->case_id, "1.jpg");
	json_t *r = NULL;
	char p[300];

	must(upload(f, &m, "first photo", &a, &err), &err, "a");
	m.original_name = "2.jpg";
	must(upload(f, &m, "second photo", &b, &err), &err, "b");
	m = meta(f, f->case2_id, "3.jpg");
	must(upload(f, &m, "first photo", &c, &err), &err, "c (a's blob)");
	must(store_evidence_verify(f->st, &f->ctx, NULL, NULL, &r, &err), &err, "verify");
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_int_equal(json_integer_value(json_object_get(r, "items")), 3);
	assert_int_equal(json_integer_value(json_object_get(r, "blobs")), 2);
	json_decref(r);

	snprintf(p, sizeof(p), "%s.evidence/sm3/%.2s/%s", f->path, a.hash, a.hash);
	chmod(p, 0640);
	int fd = open(p, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "F", 1, 0), 1);
	close(fd);
	snprintf(p, sizeof(p), "%s.evidence/sm3/%.2s/%s", f->path, b.hash, b.hash);
	assert_int_equal(unlink(p), 0);
	must(store_evidence_verify(f->st, &f->ctx, NULL, NULL, &r, &err), &err, "verify");
	assert_true(json_is_false(json_object_get(r, "ok")));
	json_t *probs = json_object_get(r, "problems");
	assert_int_equal(json_array_size(probs), 3);	/* a and c share the altered blob */
	size_t i;
	json_t *x;
	int altered = 0, missing = 0;
	json_array_foreach(probs, i, x) {
		const char *code = json_string_value(json_object_get(x, "code"));
		const char *id = json_string_value(json_object_get(x, "id"));
		if (!strcmp(code, "evidence_blob_altered"))
			altered++, assert_true(!strcmp(id, a.id) || !strcmp(id, c.id));
		else if (!strcmp(code, "evidence_blob_missing"))
			missing++, assert_string_equal(id, b.id);
	}
	assert_int_equal(altered, 2);
	assert_int_equal(missing, 1);
	json_decref(r);
	evidence_item_release(&a);
	evidence_item_release(&b);
	evidence_item_release(&c);
}

/* evidence_dir: absolute, or relative to the database's directory. */
static void test_evidence_dir(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	char *dir = NULL, want[200];

	must(store_evidence_dir(f->st, f->ctx.org_id, &dir, &err), &err, "default");
	snprintf(want, sizeof(want), "%s.evidence", f->path);
	assert_string_equal(dir, want);
	zf_free(dir);
	set_raw(f, "evidence_dir", "ev");
	must(store_evidence_dir(f->st, f->ctx.org_id, &dir, &err), &err, "relative");
	snprintf(want, sizeof(want), "%s/ev", f->dir);
	assert_string_equal(dir, want);
	zf_free(dir);
	set_raw(f, "evidence_dir", "/srv/zhifa/evidence");
	must(store_evidence_dir(f->st, f->ctx.org_id, &dir, &err), &err, "absolute");
	assert_string_equal(dir, "/srv/zhifa/evidence");
	zf_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_upload_one_item_one_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_begin_refuses_bad_metadata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_insert_leaves_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_custody_acts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retention_hold_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_finds_missing_and_altered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_evidence_dir, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
