/*
 * Tests for src/store/ through its public door, store.h, against a fresh
 * SQLite file per test (a directory from mkdtemp under /tmp, removed after).
 * Only the two ZF_TEST_BUILD hooks of store_int.h are used from inside, to
 * show that the database itself refuses what the store never does.
 *
 * What is checked, with where it is required:
 *   - foundation issue, DESIGN principle 1, docs/ledger-invariants.md rule 1:
 *     every mutation writes exactly one ledger entry, and the ledger
 *     verifies afterwards;
 *   - DESIGN principle 5 and STYLE §11: bad input, and a failed allocation,
 *     return an error naming the field and write nothing;
 *   - ledger-invariants rules 7 and 8: personal data stays out of the
 *     ledger, erasure keeps it verifiable, entries are append-only;
 *   - law.md §9.0a: provisional deadlines move when their year's calendar
 *     is loaded, with a record of what moved.
 *
 * "Now" is fixed at 2025-03-01T10:00:00+08:00, so "today" is 2025-03-01.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "store_int.h"

#define NOW "2025-03-01T10:00:00+08:00"

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct zf_ctx ctx;
};

/*
 * A made-up 2027 calendar: TEST FIXTURE ONLY, not the State Council's 2027
 * notice (which did not exist when this was written, law.md §9.0a).  元旦 on
 * 2027-01-01 is the statutory day (全国年节及纪念日放假办法, law.md §9); the
 * two days of 2027-01-04 and 2027-01-05 are invented so that a recomputed
 * deadline moves by more than one day.
 */
static const char cal_2027[] =
	"# TEST FIXTURE ONLY: not the real 2027 calendar.\n"
	"year\t2027\n"
	"source\t测试用虚构日历（TEST FIXTURE），并非国务院办公厅2027年通知\n"
	"\n"
	"2027-01-01\tholiday\t元旦\n"
	"2027-01-04\tholiday\t测试假日（虚构）\n"
	"2027-01-05\tholiday\t测试假日（虚构）\n";

/* ---- helpers ---- */

static char *sdup(const char *s)
{
	char *p;

	if (!s)
		return NULL;
	p = zf_strdup(s);
	assert_non_null(p);
	return p;
}

static struct zf_date day(const char *s)
{
	struct zf_date d = {0, 0, 0};

	if (date_parse(s, &d, "date", NULL) != ZF_OK)
		fail_msg("bad test date %s", s);
	return d;
}

static void assert_day(struct zf_date got, const char *want)
{
	char s[DATE_STR_LEN];

	date_format(got, s);
	assert_string_equal(s, want);
}

static void must(int rc, const struct zf_error *err, const char *what)
{
	if (rc != ZF_OK)
		fail_msg("%s: rc %d %s/%s: %s", what, rc, err->code, err->field,
			 err->message);
}

/* The refusal must carry the code, the field, and a message for a person. */
static void expect_error(int rc, const struct zf_error *err, int want_rc,
			 const char *code, const char *field)
{
	if (rc != want_rc || err->rc != want_rc || strcmp(err->code, code) != 0 ||
	    strcmp(err->field, field) != 0)
		fail_msg("got rc %d (%d %s/%s: %s), want %d %s/%s", rc, err->rc,
			 err->code, err->field, err->message, want_rc, code,
			 field);
	assert_true(err->message[0] != '\0');
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Raw SQL on the writer, past the store (store_int.h, test build only). */
static int raw(struct fx *f, const char *sql)
{
	return store__sqlite_exec_raw(f->st, sql);
}

static int64_t ledger_size(struct fx *f)
{
	struct zf_error err;
	int64_t n = -1;

	must(store_ledger_size(f->st, f->ctx.org_id, &n, &err), &err,
	     "store_ledger_size");
	return n;
}

/* The last entry, decoded (owned by the caller). */
static json_t *last_entry(struct fx *f)
{
	struct zf_error err;
	json_t *arr = NULL, *e;
	int64_t n = ledger_size(f);

	must(store_ledger_list(f->st, f->ctx.org_id, n - 1, 1, &arr, &err), &err,
	     "store_ledger_list");
	assert_int_equal(json_array_size(arr), 1);
	e = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	assert_int_equal(json_integer_value(json_object_get(e, "seq")), n);
	return e;
}

static void assert_last_action(struct fx *f, const char *action)
{
	json_t *e = last_entry(f);
	const char *a = jstr(e, "action");

	if (!a || strcmp(a, action) != 0)
		fail_msg("last entry action %s, want %s", a ? a : "(none)", action);
	json_decref(e);
}

/* ledger-invariants rules 3, 4 and 6: the whole ledger re-reads clean. */
static void assert_verify_ok(struct fx *f)
{
	struct store_verify r;
	struct zf_error err;

	must(store_ledger_verify(f->st, f->ctx.org_id, &r, &err), &err,
	     "store_ledger_verify");
	assert_non_null(r.problems);
	if (json_array_size(r.problems) != 0) {
		char *dump = json_dumps(r.problems, JSON_COMPACT);

		fprintf(stderr, "verify problems: %s\n", dump ? dump : "?");
		free(dump);
		store_verify_release(&r);
		fail_msg("ledger verify found problems");
	}
	assert_int_equal(r.entries, ledger_size(f));
	store_verify_release(&r);
}

static size_t officer_count(struct fx *f)
{
	struct officer *list = NULL;
	size_t n = 0;
	struct zf_error err;

	must(store_officer_list(f->st, &f->ctx, NULL, &list, &n, &err), &err,
	     "store_officer_list");
	store_officer_list_free(list, n);
	return n;
}

static size_t party_count(struct fx *f)
{
	struct party *list = NULL;
	size_t n = 0;
	struct zf_error err;

	must(store_party_list(f->st, &f->ctx, NULL, &list, &n, &err), &err,
	     "store_party_list");
	store_party_list_free(list, n);
	return n;
}

static size_t vehicle_count(struct fx *f)
{
	struct vehicle *list = NULL;
	size_t n = 0;
	struct zf_error err;

	must(store_vehicle_list(f->st, &f->ctx, &list, &n, &err), &err,
	     "store_vehicle_list");
	store_vehicle_list_free(list, n);
	return n;
}

static size_t org_count(struct fx *f)
{
	struct org *list = NULL;
	size_t n = 0;
	struct zf_error err;

	must(store_org_list(f->st, &list, &n, &err), &err, "store_org_list");
	store_org_list_free(list, n);
	return n;
}

static void org_init(struct org *o, const char *name, const char *level,
		     const char *division, const char *abbr, const char *parent)
{
	memset(o, 0, sizeof(*o));
	o->name = sdup(name);
	o->level = sdup(level);
	o->division_code = sdup(division);
	o->doc_abbr = sdup(abbr);
	o->parent_id = sdup(parent);
}

static void officer_init(struct officer *o, const char *name, const char *cert,
			 const char *from, const char *to, const char *roles)
{
	memset(o, 0, sizeof(*o));
	o->name = sdup(name);
	o->id_number = sdup("150802199001010199");
	o->phone = sdup("0478-8123456");
	o->cert_no = sdup(cert);
	o->valid_from = day(from);
	o->valid_to = day(to);
	o->roles = sdup(roles);
}

static void person_init(struct party *p, const char *name, const char *id)
{
	memset(p, 0, sizeof(*p));
	p->kind = sdup("person");
	p->name = sdup(name);
	p->id_number = sdup(id);
	p->phone = sdup("13904781234");
	p->address = sdup("内蒙古自治区巴彦淖尔市临河区胜利路1号");
}

static void company_init(struct party *p, const char *name, const char *code)
{
	memset(p, 0, sizeof(*p));
	p->kind = sdup("org");
	p->name = sdup(name);
	p->credit_code = sdup(code);
	p->legal_rep = sdup("王五");
	p->phone = sdup("0478-8765432");
	p->address = sdup("巴彦淖尔市临河区物流园");
}

static void vehicle_init(struct vehicle *v, const char *plate,
			 const char *config, int axles)
{
	memset(v, 0, sizeof(*v));
	v->plate = sdup(plate);
	v->config = sdup(config);
	v->axles = axles;
}

static void deadline_init(struct deadline *d, const char *start, int unit,
			  int count)
{
	memset(d, 0, sizeof(*d));
	d->object_type = sdup("case");
	d->object_id = sdup("test-case-1");
	d->kind = sdup("decision_due");
	d->start = day(start);
	d->unit = unit;
	d->count = count;
	d->basis = sdup("行政处罚法第八十五条");
}

static void add_officer(struct fx *f, struct officer *o)
{
	struct zf_error err;

	must(store_officer_add(f->st, &f->ctx, o, &err), &err,
	     "store_officer_add");
}

static void add_party(struct fx *f, struct party *p)
{
	struct zf_error err;

	must(store_party_add(f->st, &f->ctx, p, &err), &err, "store_party_add");
}

/* ---- fixtures ---- */

static int setup_store(void **state)
{
	struct fx *f = zf_calloc(1, sizeof(*f));
	struct store_opts opts = {.create = true};
	struct zf_error err;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/zf-test-store-XXXXXX");
	if (!mkdtemp(f->dir)) {
		zf_free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/zhifa.db", f->dir);
	if (store_open(f->path, &opts, &f->st, &err) != ZF_OK) {
		fprintf(stderr, "store_open: %s\n", err.message);
		rmdir(f->dir);
		zf_free(f);
		return -1;
	}
	if (instant_parse(NOW, &f->ctx.now_us, "now", &err) != ZF_OK)
		return -1;
	zf_strlcpy(f->ctx.actor, "test", sizeof(f->ctx.actor));
	zf_strlcpy(f->ctx.role, "system_admin", sizeof(f->ctx.role));
	*state = f;
	return 0;
}

/* A store with one county bureau, the organisation the ctx acts for. */
static int setup(void **state)
{
	struct org o;
	struct zf_error err;
	struct fx *f;

	if (setup_store(state))
		return -1;
	f = *state;
	org_init(&o, "临河区交通运输局", "county", "150802", "临交", NULL);
	if (store_org_create(f->st, &f->ctx, &o, &err) != ZF_OK) {
		fprintf(stderr, "store_org_create: %s\n", err.message);
		org_release(&o);
		return -1;
	}
	zf_strlcpy(f->ctx.org_id, o.id, sizeof(f->ctx.org_id));
	org_release(&o);
	return 0;
}

static void remove_file(const char *dir, const char *name)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int rc;

	zf_alloc_fail_after(0);
	store_close(f->st);
	remove_file(f->dir, "zhifa.db");
	remove_file(f->dir, "zhifa.db-wal");
	remove_file(f->dir, "zhifa.db-shm");
	remove_file(f->dir, "zhifa.db-journal");
	rc = rmdir(f->dir);
	zf_free(f);
	return rc == 0 ? 0 : -1;
}

/* ---- a. one mutation, one entry ---- */

/*
 * Foundation issue: every mutation writes exactly one ledger entry
 * (ledger-invariants rule 1).  org create is one entry plus one per built-in
 * calendar year (2024, 2025, 2026: store.h).
 */
static void test_every_mutation_one_entry(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct officer o, upd;
	struct party person, company;
	struct vehicle v;
	struct device dev = {0};
	struct deadline d;
	struct officer_patch patch = {0};
	size_t moved = 99;
	json_t *all;
	int64_t n = 4;

	/* setup created the org: org.create, then calendar.load x3 */
	assert_int_equal(ledger_size(f), n);
	must(store_ledger_list(f->st, f->ctx.org_id, 0, 100, &all, &err), &err,
	     "list");
	assert_int_equal(json_array_size(all), 4);
	{
		static const char *const want[][2] = {
			{"org.create", NULL}, {"calendar.load", "2024"},
			{"calendar.load", "2025"}, {"calendar.load", "2026"},
		};
		for (size_t i = 0; i < 4; i++) {
			json_t *e = json_array_get(all, i);
			assert_string_equal(jstr(e, "action"), want[i][0]);
			if (want[i][1])
				assert_string_equal(jstr(e, "object_id"), want[i][1]);
			assert_int_equal(json_integer_value(json_object_get(e, "seq")),
					 (json_int_t)i + 1);
		}
	}
	json_decref(all);
	assert_verify_ok(f);

	must(store_org_setting_set(f->st, &f->ctx, "statement_window_working_days",
				   "5", &err), &err, "setting");
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "org.setting.set");

	officer_init(&o, "张三", "15080200001", "2024-01-01", "2027-12-31",
		     "enforcer");
	add_officer(f, &o);
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "officer.add");
	assert_int_equal(strlen(o.id), 36);
	assert_int_equal(o.id[14], '7');

	patch.roles = "enforcer,legal_reviewer";
	patch.reason = "取得法制审核资格";
	memset(&upd, 0, sizeof(upd));
	must(store_officer_update(f->st, &f->ctx, o.cert_no, &patch, &upd, &err),
	     &err, "officer update");
	assert_string_equal(upd.roles, "enforcer,legal_reviewer");
	officer_release(&upd);
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "officer.update");

	person_init(&person, "李四", "150203197508151235");
	add_party(f, &person);
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "party.add");

	company_init(&company, "巴彦淖尔市某运输有限公司", "91350100M000100Y43");
	add_party(f, &company);
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "party.add");

	must(store_party_erase(f->st, &f->ctx, person.id, "当事人申请删除（测试）", NULL,
			       &err), &err, "party erase");
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "party.erase");

	vehicle_init(&v, "蒙L12345", "truck", 3);
	v.owner_id = sdup(company.credit_code);
	must(store_vehicle_add(f->st, &f->ctx, &v, &err), &err, "vehicle add");
	/* the owner is stored by id, whatever key named it */
	assert_string_equal(v.owner_id, company.id);
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "vehicle.add");

	dev.code = sdup("DSJ-01");
	dev.kind = sdup("body_camera");
	dev.name = sdup("执法记录仪一号");
	must(store_device_add(f->st, &f->ctx, &dev, &err), &err, "device add");
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "device.add");

	/* 2025-03-03 (Mon) + 5 working days, within the 2025 calendar */
	deadline_init(&d, "2025-03-03", CAL_UNIT_WORKING_DAYS, 5);
	must(store_deadline_add(f->st, &f->ctx, &d, &err), &err, "deadline add");
	assert_day(d.due, "2025-03-10");
	assert_false(d.provisional);
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "deadline.add");

	/* a new year: one entry, and nothing provisional to move */
	must(store_calendar_load(f->st, &f->ctx, cal_2027, sizeof(cal_2027) - 1,
				 &moved, &err), &err, "calendar load");
	assert_int_equal(moved, 0);
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "calendar.load");

	assert_int_equal(n, 14);
	assert_verify_ok(f);
	{
		struct store_verify r;

		must(store_ledger_verify(f->st, f->ctx.org_id, &r, &err), &err,
		     "verify");
		/* org, 4 years, 1 setting, 1 officer, 2 parties, vehicle,
		 * device, deadline */
		assert_int_equal(r.objects, 12);
		store_verify_release(&r);
	}

	/*
	 * ledger-invariants rule 7: no personal field reaches an entry.  The
	 * officer's ID number and phone, the company's legal representative
	 * and phone are all absent from every entry's bytes.
	 */
	must(store_ledger_list(f->st, f->ctx.org_id, 0, 100, &all, &err), &err,
	     "list");
	{
		char *text = json_dumps(all, JSON_COMPACT);
		static const char *const personal[] = {
			"150802199001010199", "0478-8123456", "150203197508151235",
			"李四", "13904781234", "胜利路", "王五", "0478-8765432",
		};

		assert_non_null(text);
		for (size_t i = 0; i < ZF_ARRAY_LEN(personal); i++)
			if (strstr(text, personal[i]))
				fail_msg("personal field \"%s\" in the ledger",
					 personal[i]);
		/* an organisation's name is not personal and may appear */
		free(text);
	}
	json_decref(all);

	officer_release(&o);
	party_release(&person);
	party_release(&company);
	vehicle_release(&v);
	device_release(&dev);
	deadline_release(&d);
}

/* ---- b. bad input writes nothing ---- */

/*
 * DESIGN principle 5: bad input gets an error naming the field and writes
 * nothing.  Each refusal is checked for code and field, and the ledger and
 * the tables are compared before and after.
 */
static void test_bad_input_writes_nothing(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct officer o;
	struct party p;
	struct vehicle v;
	int64_t n = ledger_size(f);
	int rc;

	/* law.md §8.1: check character of 11010519491231002X is X, not 1 */
	officer_init(&o, "张三", "15080200001", "2024-01-01", "2027-12-31",
		     "enforcer");
	zf_freep(&o.id_number);
	o.id_number = sdup("110105194912310021");
	rc = store_officer_add(f->st, &f->ctx, &o, &err);
	expect_error(rc, &err, ZF_EINVAL, "invalid_resident_id", "id_number");
	officer_release(&o);
	assert_int_equal(ledger_size(f), n);

	person_init(&p, "李四", "110105194912310021");
	rc = store_party_add(f->st, &f->ctx, &p, &err);
	expect_error(rc, &err, ZF_EINVAL, "invalid_resident_id", "id_number");
	party_release(&p);
	assert_int_equal(ledger_size(f), n);

	/* law.md §8.2: the standard's example ends in 3, not 4 */
	company_init(&p, "某公司", "91350100M000100Y44");
	rc = store_party_add(f->st, &f->ctx, &p, &err);
	expect_error(rc, &err, ZF_EINVAL, "invalid_credit_code", "credit_code");
	party_release(&p);
	assert_int_equal(ledger_size(f), n);

	/* vocab_roles has no "judge" */
	officer_init(&o, "张三", "15080200001", "2024-01-01", "2027-12-31",
		     "enforcer,judge");
	rc = store_officer_add(f->st, &f->ctx, &o, &err);
	expect_error(rc, &err, ZF_EINVAL, "unknown_code", "roles");
	officer_release(&o);
	assert_int_equal(ledger_size(f), n);

	/* a certificate cannot end before it starts */
	officer_init(&o, "张三", "15080200001", "2025-01-01", "2024-12-31",
		     "enforcer");
	rc = store_officer_add(f->st, &f->ctx, &o, &err);
	expect_error(rc, &err, ZF_EINVAL, "invalid_period", "valid_to");
	officer_release(&o);
	assert_int_equal(ledger_size(f), n);

	/* law.md §8.3: plates never use the letter I */
	vehicle_init(&v, "蒙L1I345", "truck", 3);
	rc = store_vehicle_add(f->st, &f->ctx, &v, &err);
	expect_error(rc, &err, ZF_EINVAL, "invalid_plate", "plate");
	vehicle_release(&v);
	assert_int_equal(ledger_size(f), n);

	/* law.md §8.3: a 挂 plate belongs to a trailer */
	vehicle_init(&v, "蒙L1234挂", "truck", 3);
	rc = store_vehicle_add(f->st, &f->ctx, &v, &err);
	expect_error(rc, &err, ZF_EINVAL, "plate_config_mismatch", "config");
	vehicle_release(&v);
	assert_int_equal(ledger_size(f), n);

	/* an owner that does not exist */
	vehicle_init(&v, "蒙L12345", "truck", 3);
	v.owner_id = sdup("91350100M000100Y43");
	rc = store_vehicle_add(f->st, &f->ctx, &v, &err);
	expect_error(rc, &err, ZF_ENOTFOUND, "party_not_found", "owner.party");
	vehicle_release(&v);
	assert_int_equal(ledger_size(f), n);
	assert_int_equal(vehicle_count(f), 0);

	rc = store_org_setting_set(f->st, &f->ctx, "no_such_setting", "1", &err);
	expect_error(rc, &err, ZF_EINVAL, "unknown_setting", "key");
	assert_int_equal(ledger_size(f), n);

	/* statement_window_working_days is 1..30 */
	rc = store_org_setting_set(f->st, &f->ctx, "statement_window_working_days",
				   "31", &err);
	expect_error(rc, &err, ZF_EINVAL, "invalid_number", "value");
	rc = store_org_setting_set(f->st, &f->ctx, "statement_window_working_days",
				   "3天", &err);
	expect_error(rc, &err, ZF_EINVAL, "invalid_number", "value");
	assert_int_equal(ledger_size(f), n);

	/* an unreadable calendar file, and a deadline with no unit */
	rc = store_calendar_load(f->st, &f->ctx, "year\t2027\n", 10, NULL, &err);
	assert_int_equal(rc, ZF_EINVAL);
	assert_string_equal(err.code, "invalid_calendar_file");
	{
		struct deadline d;

		deadline_init(&d, "2025-03-03", 0, 5);
		rc = store_deadline_add(f->st, &f->ctx, &d, &err);
		expect_error(rc, &err, ZF_EINVAL, "unknown_code", "unit");
		deadline_release(&d);
	}
	assert_int_equal(ledger_size(f), n);

	/* the unique certificate number: the second add is a conflict */
	officer_init(&o, "张三", "15080200001", "2024-01-01", "2027-12-31",
		     "enforcer");
	add_officer(f, &o);
	officer_release(&o);
	assert_int_equal(ledger_size(f), ++n);
	officer_init(&o, "赵六", "15080200001", "2024-01-01", "2027-12-31",
		     "enforcer");
	zf_freep(&o.id_number);
	rc = store_officer_add(f->st, &f->ctx, &o, &err);
	expect_error(rc, &err, ZF_ECONFLICT, "officer_exists", "cert_no");
	officer_release(&o);
	assert_int_equal(ledger_size(f), n);
	assert_int_equal(officer_count(f), 1);

	/* one party per ID number; a lower-case x is the same number */
	person_init(&p, "李四", "11010519491231002X");
	add_party(f, &p);
	party_release(&p);
	assert_int_equal(ledger_size(f), ++n);
	person_init(&p, "李四", "11010519491231002x");
	rc = store_party_add(f->st, &f->ctx, &p, &err);
	expect_error(rc, &err, ZF_ECONFLICT, "party_exists", "id_number");
	party_release(&p);
	assert_int_equal(ledger_size(f), n);
	assert_int_equal(party_count(f), 1);

	/* one party per credit code too */
	company_init(&p, "某公司", "91350100M000100Y43");
	add_party(f, &p);
	party_release(&p);
	assert_int_equal(ledger_size(f), ++n);
	company_init(&p, "另一家公司", "91350100m000100y43");
	rc = store_party_add(f->st, &f->ctx, &p, &err);
	expect_error(rc, &err, ZF_ECONFLICT, "party_exists", "credit_code");
	party_release(&p);
	assert_int_equal(ledger_size(f), n);
	assert_int_equal(party_count(f), 2);

	/* no organisation chosen */
	{
		struct zf_ctx none = f->ctx;

		none.org_id[0] = '\0';
		officer_init(&o, "张三", "15080200002", "2024-01-01", "2027-12-31",
			     "enforcer");
		rc = store_officer_add(f->st, &none, &o, &err);
		expect_error(rc, &err, ZF_EINVAL, "org_required", "org");
		officer_release(&o);
	}
	assert_int_equal(ledger_size(f), n);
	assert_verify_ok(f);
}

/* ---- c. the database refuses what the store never does ---- */

/*
 * ledger-invariants rule 1: in the test build a commit hook refuses a
 * change without its ledger entry; rule 8: triggers refuse any UPDATE or
 * DELETE of an entry.
 */
static void test_commit_hook_and_triggers(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct officer o, got = {0};
	int64_t n;
	long refusals;

	officer_init(&o, "张三", "15080200001", "2024-01-01", "2027-12-31",
		     "enforcer");
	add_officer(f, &o);
	n = ledger_size(f);
	refusals = store__sqlite_hook_refusals(f->st);

	/* a change without a ledger entry */
	assert_int_not_equal(raw(f, "UPDATE officer SET name = 'x'"), ZF_OK);
	assert_int_equal(store__sqlite_hook_refusals(f->st), refusals + 1);
	/* the same inside an explicit transaction */
	assert_int_not_equal(raw(f, "BEGIN; UPDATE officer SET phone = NULL; "
				 "COMMIT;"), ZF_OK);
	assert_int_equal(store__sqlite_hook_refusals(f->st), refusals + 2);
	/* two entries for one change are refused too (rule 1: exactly one) */
	assert_int_not_equal(raw(f, "INSERT INTO ledger_entry SELECT org_id, "
				 "seq + 100, recorded_at, action, object_type, "
				 "object_id, entry, leaf_hash FROM ledger_entry "
				 "WHERE seq IN (1, 2)"), ZF_OK);
	assert_int_equal(store__sqlite_hook_refusals(f->st), refusals + 3);

	must(store_officer_get(f->st, &f->ctx, o.id, &got, &err), &err,
	     "officer get");
	assert_string_equal(got.name, "张三");
	assert_non_null(got.phone);
	assert_string_equal(got.phone, "0478-8123456");
	officer_release(&got);
	assert_int_equal(ledger_size(f), n);

	/* the triggers stop these before the hook sees any change */
	assert_int_not_equal(raw(f, "DELETE FROM ledger_entry"), ZF_OK);
	assert_int_not_equal(raw(f, "UPDATE ledger_entry SET action = 'x' "
				 "WHERE seq = 1"), ZF_OK);
	assert_int_equal(store__sqlite_hook_refusals(f->st), refusals + 3);
	assert_int_equal(ledger_size(f), n);
	assert_last_action(f, "officer.add");
	assert_verify_ok(f);

	/* the store's own mutations still commit afterwards */
	{
		struct officer_patch patch = {.status = "suspended",
					      .reason = "停职（测试）"};

		must(store_officer_update(f->st, &f->ctx, o.id, &patch, NULL, &err),
		     &err, "officer update");
	}
	assert_int_equal(ledger_size(f), n + 1);
	assert_int_equal(store__sqlite_hook_refusals(f->st), refusals + 3);
	assert_verify_ok(f);
	officer_release(&o);
}

/* ---- d. deadlines and the provisional calendar ---- */

/*
 * Regression: deadline_recompute once formatted new_due only when the
 * provisional flag did not change, leaving stack garbage in the entry.
 *
 * law.md §9.0a: a deadline reaching a year without a calendar is counted
 * with weekends only and marked provisional; loading that year moves it,
 * with one "deadline.recompute" entry recording old and new due dates.
 *
 * 2026-12-20 is a Sunday; 20 working days (start not counted, 处罚法
 * Art. 85 style): 9 in 2026 (12-21..12-31), then 2027-01-01 and on, weekends
 * only: 2027-01-15.  With the fixture's holidays 01-01, 01-04 and 01-05
 * skipped: 2027-01-20.
 */
static void test_deadline_provisional(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct deadline d, *list = NULL;
	size_t moved = 99, nlist = 0;
	int64_t n = ledger_size(f);
	json_t *e;

	deadline_init(&d, "2026-12-20", CAL_UNIT_WORKING_DAYS, 20);
	must(store_deadline_add(f->st, &f->ctx, &d, &err), &err, "deadline add");
	assert_true(d.provisional);
	assert_day(d.due, "2027-01-15");
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "deadline.add");

	must(store_calendar_load(f->st, &f->ctx, cal_2027, sizeof(cal_2027) - 1,
				 &moved, &err), &err, "calendar load 2027");
	assert_int_equal(moved, 1);
	/* calendar.load, then one deadline.recompute */
	n += 2;
	assert_int_equal(ledger_size(f), n);

	e = last_entry(f);
	assert_string_equal(jstr(e, "action"), "deadline.recompute");
	assert_string_equal(jstr(e, "object_type"), "deadline");
	assert_string_equal(jstr(e, "object_id"), d.id);
	{
		json_t *detail = json_object_get(e, "detail");

		assert_non_null(detail);
		assert_string_equal(jstr(detail, "old_due"), "2027-01-15");
		assert_string_equal(jstr(detail, "new_due"), "2027-01-20");
		assert_true(json_is_false(json_object_get(detail, "provisional")));
	}
	json_decref(e);

	must(store_deadline_list(f->st, &f->ctx, &list, &nlist, &err), &err,
	     "deadline list");
	assert_int_equal(nlist, 1);
	assert_string_equal(list[0].id, d.id);
	assert_false(list[0].provisional);
	assert_day(list[0].due, "2027-01-20");
	assert_day(list[0].start, "2026-12-20");
	store_deadline_list_free(list, nlist);
	assert_verify_ok(f);

	/* the same year again: refused, nothing written, nothing moved */
	moved = 99;
	expect_error(store_calendar_load(f->st, &f->ctx, cal_2027,
					 sizeof(cal_2027) - 1, &moved, &err),
		     &err, ZF_ECONFLICT, "calendar_year_exists", "line 2");
	assert_int_equal(ledger_size(f), n);
	assert_verify_ok(f);

	/* the organisation's calendar now covers 2027 */
	{
		struct calendar cal;

		must(store_calendar_get(f->st, f->ctx.org_id, &cal, &err), &err,
		     "calendar get");
		assert_int_equal(cal.nyears, 4);
		assert_true(calendar_covers(&cal, 2027));
		calendar_release(&cal);
	}
	deadline_release(&d);
}

/*
 * law.md §0.1 (民事诉讼法 Art. 85): a calendar-day period whose last day is
 * a rest day ends on the next working day.  2026-12-20 + 12 days is
 * 2027-01-01, a Friday: provisionally the due date.  Once the (fixture)
 * 2027 calendar makes it 元旦, the period runs on past the fixture's
 * holidays of 01-04 and 01-05 and the weekend between to 2027-01-06.
 * A deadline wholly inside covered years is not touched.
 */
static void test_deadline_provisional_calendar_days(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct deadline a, b, *list = NULL;
	size_t moved = 99, nlist = 0;
	int64_t n = ledger_size(f);

	deadline_init(&a, "2026-12-20", CAL_UNIT_DAYS, 12);
	must(store_deadline_add(f->st, &f->ctx, &a, &err), &err, "deadline a");
	assert_true(a.provisional);
	assert_day(a.due, "2027-01-01");
	/* 90 days from 立案 (处罚法 Art. 60), all within 2025 */
	deadline_init(&b, "2025-03-01", CAL_UNIT_DAYS, 90);
	must(store_deadline_add(f->st, &f->ctx, &b, &err), &err, "deadline b");
	assert_false(b.provisional);
	assert_day(b.due, "2025-05-30");
	n += 2;
	assert_int_equal(ledger_size(f), n);

	must(store_calendar_load(f->st, &f->ctx, cal_2027, sizeof(cal_2027) - 1,
				 &moved, &err), &err, "calendar load 2027");
	assert_int_equal(moved, 1);
	n += 2;
	assert_int_equal(ledger_size(f), n);
	{
		json_t *e = last_entry(f);
		json_t *detail = json_object_get(e, "detail");

		assert_string_equal(jstr(e, "action"), "deadline.recompute");
		assert_string_equal(jstr(e, "object_id"), a.id);
		assert_string_equal(jstr(detail, "old_due"), "2027-01-01");
		assert_string_equal(jstr(detail, "new_due"), "2027-01-06");
		json_decref(e);
	}

	must(store_deadline_list(f->st, &f->ctx, &list, &nlist, &err), &err,
	     "deadline list");
	assert_int_equal(nlist, 2);
	for (size_t i = 0; i < nlist; i++) {
		assert_false(list[i].provisional);
		if (strcmp(list[i].id, a.id) == 0)
			assert_day(list[i].due, "2027-01-06");
		else
			assert_day(list[i].due, "2025-05-30");
	}
	store_deadline_list_free(list, nlist);
	assert_verify_ok(f);
	deadline_release(&a);
	deadline_release(&b);
}

/* ---- e. erasure ---- */

/*
 * ledger-invariants rule 7: erasing a person deletes the personal fields
 * and the salt, keeps the digest, and the ledger still verifies.
 */
static void test_party_erase(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct party p, got = {0}, c, gotc = {0};
	char *digest;
	int64_t n;

	person_init(&p, "李四", "150203197508151235");
	add_party(f, &p);
	company_init(&c, "巴彦淖尔市某运输有限公司", "91350100M000100Y43");
	add_party(f, &c);
	n = ledger_size(f);
	digest = sdup(p.pii_digest);
	assert_int_equal(strlen(digest), 64);

	/* a reason is required */
	expect_error(store_party_erase(f->st, &f->ctx, p.id, "", NULL, &err), &err,
		     ZF_EINVAL, "required", "reason");
	expect_error(store_party_erase(f->st, &f->ctx, "150802199001010199",
				       "测试", NULL, &err), &err, ZF_ENOTFOUND,
		     "party_not_found", "party");
	assert_int_equal(ledger_size(f), n);

	/* by ID number, as a clerk would type it */
	must(store_party_erase(f->st, &f->ctx, "150203197508151235",
			       "当事人申请删除（测试）", NULL, &err), &err, "erase");
	assert_int_equal(ledger_size(f), ++n);
	assert_last_action(f, "party.erase");

	must(store_party_get(f->st, &f->ctx, p.id, &got, &err), &err, "get");
	assert_true(got.erased);
	assert_null(got.name);
	assert_null(got.id_number);
	assert_null(got.phone);
	assert_null(got.address);
	assert_false(got.has_salt);
	assert_non_null(got.pii_digest);
	assert_string_equal(got.pii_digest, digest);
	assert_string_equal(got.kind, "person");
	party_release(&got);
	assert_verify_ok(f);

	/* twice: refused, nothing written */
	expect_error(store_party_erase(f->st, &f->ctx, p.id, "再次删除", NULL, &err),
		     &err, ZF_ECONFLICT, "already_erased", "party");
	assert_int_equal(ledger_size(f), n);

	/* a company keeps its name and address; its legal_rep and phone go */
	must(store_party_erase(f->st, &f->ctx, c.id, "测试", NULL, &err), &err,
	     "erase company");
	assert_int_equal(ledger_size(f), ++n);
	must(store_party_get(f->st, &f->ctx, c.id, &gotc, &err), &err, "get");
	assert_true(gotc.erased);
	assert_string_equal(gotc.name, "巴彦淖尔市某运输有限公司");
	assert_string_equal(gotc.credit_code, "91350100M000100Y43");
	assert_string_equal(gotc.address, "巴彦淖尔市临河区物流园");
	assert_null(gotc.legal_rep);
	assert_null(gotc.phone);
	assert_string_equal(gotc.pii_digest, c.pii_digest);
	party_release(&gotc);
	assert_verify_ok(f);

	zf_free(digest);
	party_release(&p);
	party_release(&c);
}

/* Does the verify report hold a problem with this code? */
static bool has_problem(const json_t *problems, const char *code)
{
	size_t i;
	json_t *p;

	json_array_foreach(problems, i, p) {
		const char *c = jstr(p, "code");
		if (c && strcmp(c, code) == 0)
			return true;
	}
	return false;
}

/*
 * The hook only counts (rule 1); verify checks what was written (rules 3, 4,
 * 6 and 7).  A raw change smuggled past the hook with a replayed entry (one
 * change, one entry) is caught by verify: the replayed entry breaks the
 * sequence and the chain, and the party's phone no longer matches its
 * salted digest.
 */
static void test_verify_detects_bypass(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct store_verify r;
	struct party p;
	long refusals = store__sqlite_hook_refusals(f->st);
	int64_t n;

	person_init(&p, "李四", "150203197508151235");
	add_party(f, &p);
	n = ledger_size(f);
	assert_verify_ok(f);

	assert_int_equal(raw(f,
		"BEGIN;"
		"UPDATE party SET phone = '110';"
		"INSERT INTO ledger_entry SELECT org_id, seq + 1, recorded_at, "
		"action, object_type, object_id, entry, leaf_hash "
		"FROM ledger_entry WHERE seq = (SELECT max(seq) FROM ledger_entry);"
		"COMMIT;"), ZF_OK);
	assert_int_equal(store__sqlite_hook_refusals(f->st), refusals);
	assert_int_equal(ledger_size(f), n + 1);

	must(store_ledger_verify(f->st, f->ctx.org_id, &r, &err), &err, "verify");
	assert_true(has_problem(r.problems, "ledger_seq_mismatch"));
	assert_true(has_problem(r.problems, "ledger_chain_broken"));
	assert_true(has_problem(r.problems, "pii_digest_mismatch"));
	assert_false(has_problem(r.problems, "ledger_hash_mismatch"));
	store_verify_release(&r);
	party_release(&p);
}

/* ---- f. the default organisation ---- */

/* store.h: the default is the only organisation without subordinates. */
static void test_org_default(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct org city, county, other, got = {0}, bad;

	expect_error(store_org_default(f->st, &got, &err), &err, ZF_EINVAL,
		     "org_required", "org");

	org_init(&city, "巴彦淖尔市交通运输局", "city", "150800", "巴交", NULL);
	must(store_org_create(f->st, &f->ctx, &city, &err), &err, "city");
	/* a single organisation is its own default */
	must(store_org_default(f->st, &got, &err), &err, "default");
	assert_string_equal(got.id, city.id);
	org_release(&got);

	/* the parent named by its division code */
	org_init(&county, "临河区交通运输局", "county", "150802", "临交", "150800");
	must(store_org_create(f->st, &f->ctx, &county, &err), &err, "county");
	assert_string_equal(county.parent_id, city.id);
	must(store_org_default(f->st, &got, &err), &err, "default");
	assert_string_equal(got.id, county.id);
	assert_string_equal(got.name, "临河区交通运输局");
	org_release(&got);

	/* each organisation has its own ledger (rule 2) */
	zf_strlcpy(f->ctx.org_id, county.id, sizeof(f->ctx.org_id));
	assert_int_equal(ledger_size(f), 4);
	assert_verify_ok(f);
	zf_strlcpy(f->ctx.org_id, city.id, sizeof(f->ctx.org_id));
	assert_int_equal(ledger_size(f), 4);
	assert_verify_ok(f);

	/* an unknown parent is refused and writes nothing */
	org_init(&bad, "乌拉特前旗交通运输局", "county", "150823", "前交",
		 "no such org");
	expect_error(store_org_create(f->st, &f->ctx, &bad, &err), &err,
		     ZF_ENOTFOUND, "org_not_found", "parent.org");
	org_release(&bad);
	assert_int_equal(org_count(f), 2);

	/* a second leaf: ambiguous */
	org_init(&other, "五原县交通运输局", "county", "150821", "五交", NULL);
	must(store_org_create(f->st, &f->ctx, &other, &err), &err, "other");
	expect_error(store_org_default(f->st, &got, &err), &err, ZF_EINVAL,
		     "org_required", "org");
	assert_int_equal(org_count(f), 3);

	org_release(&city);
	org_release(&county);
	org_release(&other);
}

/* ---- g. who may act ---- */

static void expect_officers(struct fx *f, const struct officer_filter *flt,
			    const char *want)
{
	struct officer *list = NULL;
	size_t n = 0;
	struct zf_error err;
	char got[256] = "";

	must(store_officer_list(f->st, &f->ctx, flt, &list, &n, &err), &err,
	     "officer list");
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(got);
		snprintf(got + len, sizeof(got) - len, "%s%s", i ? "," : "",
			 list[i].cert_no);
	}
	store_officer_list_free(list, n);
	assert_string_equal(got, want);
}

/*
 * 处罚法 Art. 42 (law.md §1.3): only qualified officers act.  The list by
 * date gives those who may act on it (active, within the certificate's
 * validity); a suspended officer may not.  Today is 2025-03-01.
 */
static void test_officer_filters(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct officer a, b, c, d, got = {0};
	struct officer_filter flt;
	struct officer_patch suspend = {.status = "suspended",
					.reason = "停止执法（测试）"};

	officer_init(&a, "甲", "A-001", "2024-01-01", "2026-12-31", "enforcer");
	officer_init(&b, "乙", "B-002", "2024-01-01", "2026-06-30", "enforcer");
	officer_init(&c, "丙", "C-003", "2025-01-01", "2025-03-20", "enforcer");
	officer_init(&d, "丁", "D-004", "2023-01-01", "2025-02-01", "enforcer");
	add_officer(f, &a);
	add_officer(f, &b);
	add_officer(f, &c);
	add_officer(f, &d);
	must(store_officer_update(f->st, &f->ctx, "B-002", &suspend, &got, &err),
	     &err, "suspend");
	assert_string_equal(got.status, "suspended");
	assert_false(officer_may_act_on(&got, day("2025-03-10")));
	officer_release(&got);

	expect_officers(f, NULL, "A-001,B-002,C-003,D-004");

	memset(&flt, 0, sizeof(flt));
	flt.by_date = true;
	flt.date = day("2025-03-10");
	expect_officers(f, &flt, "A-001,C-003");
	flt.date = day("2025-03-20");	/* C's last valid day */
	expect_officers(f, &flt, "A-001,C-003");
	flt.date = day("2025-03-21");
	expect_officers(f, &flt, "A-001");
	flt.date = day("2023-06-01");	/* before A's and C's validity */
	expect_officers(f, &flt, "D-004");
	flt.date = day("2022-12-31");
	expect_officers(f, &flt, "");
	flt.date = day("2027-01-01");
	expect_officers(f, &flt, "");

	/* certificates expiring within N days of today, not those expired */
	memset(&flt, 0, sizeof(flt));
	flt.expiring_within_days = 30;
	expect_officers(f, &flt, "C-003");
	flt.expiring_within_days = 19;	/* 2025-03-20 is today + 19 */
	expect_officers(f, &flt, "C-003");
	flt.expiring_within_days = 18;
	expect_officers(f, &flt, "");
	flt.expiring_within_days = 700;
	expect_officers(f, &flt, "A-001,B-002,C-003");

	memset(&flt, 0, sizeof(flt));
	flt.status = "suspended";
	expect_officers(f, &flt, "B-002");
	flt.status = "active";
	expect_officers(f, &flt, "A-001,C-003,D-004");

	/* filters combine */
	flt.by_date = true;
	flt.date = day("2025-03-10");
	flt.expiring_within_days = 30;
	expect_officers(f, &flt, "C-003");

	/* reinstating B lets B act again */
	suspend.status = "active";
	suspend.reason = "恢复执法（测试）";
	must(store_officer_update(f->st, &f->ctx, "B-002", &suspend, NULL, &err),
	     &err, "reinstate");
	memset(&flt, 0, sizeof(flt));
	flt.by_date = true;
	flt.date = day("2025-03-10");
	expect_officers(f, &flt, "A-001,B-002,C-003");
	assert_verify_ok(f);

	officer_release(&a);
	officer_release(&b);
	officer_release(&c);
	officer_release(&d);
}

/* ---- h. a database from a newer zhifa ---- */

static void test_database_too_new(void **state)
{
	struct fx *f = *state;
	struct store_opts opts = {.create = false};
	struct store *st = NULL;
	struct zf_error err;

	assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
	assert_string_equal(store_backend_name(f->st), "sqlite");
	/* a header write, no row change: the hook lets it through */
	assert_int_equal(raw(f, "PRAGMA user_version=999"), ZF_OK);
	assert_int_equal(store__sqlite_hook_refusals(f->st), 0);
	store_close(f->st);
	f->st = NULL;

	expect_error(store_open(f->path, &opts, &st, &err), &err, ZF_ESTORE,
		     "database_too_new", "db");
	assert_null(st);
	assert_non_null(strstr(err.message, "999"));

	/* a missing file without create is not made */
	{
		char missing[160];

		snprintf(missing, sizeof(missing), "%s/missing.db", f->dir);
		expect_error(store_open(missing, &opts, &st, &err), &err,
			     ZF_ENOTFOUND, "database_not_found", "db");
		assert_int_equal(access(missing, F_OK), -1);
	}
}

/* ---- i. allocation failures ---- */

/*
 * STYLE §11 and DESIGN principle 5: fail the k-th allocation for k = 1, 2,
 * ... until the operation succeeds; each failure must write nothing.
 * (SQLite and jansson allocate through their own allocators, so this
 * reaches zhifa's own allocations only.)
 */
static void test_officer_add_alloc_failure(void **state)
{
	struct fx *f = *state;
	int64_t n = ledger_size(f);
	size_t count = officer_count(f);
	long k;

	for (k = 1; k < 200; k++) {
		struct officer o;
		struct zf_error err;
		int rc;

		officer_init(&o, "张三", "15080200001", "2024-01-01", "2027-12-31",
			     "enforcer");
		zf_error_clear(&err);
		zf_alloc_fail_after(k);
		rc = store_officer_add(f->st, &f->ctx, &o, &err);
		zf_alloc_fail_after(0);
		officer_release(&o);
		if (rc == ZF_OK) {
			assert_int_equal(ledger_size(f), n + 1);
			assert_int_equal(officer_count(f), count + 1);
			break;
		}
		if (err.code[0] == '\0')
			fail_msg("k=%ld: rc %d with no error code", k, rc);
		if (ledger_size(f) != n || officer_count(f) != count)
			fail_msg("k=%ld: failed (%s) but wrote something", k,
				 err.code);
	}
	assert_true(k > 1);
	assert_true(k < 200);
	assert_verify_ok(f);
}

/*
 * The same for the other mutations with zhifa-side allocations.  Each op
 * builds its input first, then arms the k-th allocation to fail, so only
 * the store's own allocations are failed.
 */
struct alloc_op {
	const char *name;
	int (*run)(struct fx *f, long k, struct zf_error *err);
};

static int op_party_add(struct fx *f, long k, struct zf_error *err)
{
	struct party p;
	int rc;

	person_init(&p, "李四", "150203197508151235");
	zf_alloc_fail_after(k);
	rc = store_party_add(f->st, &f->ctx, &p, err);
	zf_alloc_fail_after(0);
	party_release(&p);
	return rc;
}

static int op_vehicle_add(struct fx *f, long k, struct zf_error *err)
{
	struct vehicle v;
	int rc;

	vehicle_init(&v, "蒙l12345", "truck", 3);
	zf_alloc_fail_after(k);
	rc = store_vehicle_add(f->st, &f->ctx, &v, err);
	zf_alloc_fail_after(0);
	vehicle_release(&v);
	return rc;
}

static int op_deadline_add(struct fx *f, long k, struct zf_error *err)
{
	struct deadline d;
	int rc;

	deadline_init(&d, "2026-12-20", CAL_UNIT_WORKING_DAYS, 20);
	zf_alloc_fail_after(k);
	rc = store_deadline_add(f->st, &f->ctx, &d, err);
	zf_alloc_fail_after(0);
	deadline_release(&d);
	return rc;
}

static int op_setting_set(struct fx *f, long k, struct zf_error *err)
{
	int rc;

	zf_alloc_fail_after(k);
	rc = store_org_setting_set(f->st, &f->ctx,
				   "statement_window_working_days", "5", err);
	zf_alloc_fail_after(0);
	return rc;
}

static int op_officer_update(struct fx *f, long k, struct zf_error *err)
{
	struct officer_patch patch = {.roles = "enforcer,legal_reviewer",
				      .reason = "测试"};
	struct officer out = {0};
	int rc;

	zf_alloc_fail_after(k);
	rc = store_officer_update(f->st, &f->ctx, "15080200009", &patch, &out,
				  err);
	zf_alloc_fail_after(0);
	officer_release(&out);
	return rc;
}

static int op_party_erase(struct fx *f, long k, struct zf_error *err)
{
	int rc;

	zf_alloc_fail_after(k);
	rc = store_party_erase(f->st, &f->ctx, "150203197508151235", "测试", NULL, err);
	zf_alloc_fail_after(0);
	return rc;
}

/* In this order: the erase needs the party, the update its officer. */
static const struct alloc_op alloc_ops[] = {
	{"party add", op_party_add},
	{"vehicle add", op_vehicle_add},
	{"deadline add", op_deadline_add},
	{"setting set", op_setting_set},
	{"officer update", op_officer_update},
	{"party erase", op_party_erase},
};

static void test_other_adds_alloc_failure(void **state)
{
	struct fx *f = *state;
	struct officer o;

	officer_init(&o, "张三", "15080200009", "2024-01-01", "2027-12-31",
		     "enforcer");
	add_officer(f, &o);
	officer_release(&o);
	for (size_t i = 0; i < ZF_ARRAY_LEN(alloc_ops); i++) {
		int64_t n = ledger_size(f);
		long k;

		for (k = 1; k < 2000; k++) {
			struct zf_error err;
			int rc;

			zf_error_clear(&err);
			rc = alloc_ops[i].run(f, k, &err);
			if (rc == ZF_OK) {
				assert_int_equal(ledger_size(f), n + 1);
				break;
			}
			if (ledger_size(f) != n)
				fail_msg("%s, k=%ld: failed (%s) but wrote an entry",
					 alloc_ops[i].name, k, err.code);
		}
		if (k >= 2000)
			fail_msg("%s never succeeded", alloc_ops[i].name);
	}
	assert_int_equal(party_count(f), 1);
	assert_int_equal(vehicle_count(f), 1);
	assert_verify_ok(f);
}

/*
 * law.md §9.0a with allocation failures: a failed recompute must leave the
 * deadline provisional and write no recompute entry, while the year itself,
 * committed in its own transaction, stays loaded.
 */
static void test_calendar_load_alloc_failure(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct deadline d;
	int64_t n;
	long k;

	deadline_init(&d, "2026-12-20", CAL_UNIT_WORKING_DAYS, 20);
	must(store_deadline_add(f->st, &f->ctx, &d, &err), &err, "deadline add");
	deadline_release(&d);
	n = ledger_size(f);

	for (k = 1; k < 5000; k++) {
		struct calendar cal;
		struct deadline *list = NULL;
		size_t moved = 99, nlist = 0;
		int rc;
		bool loaded;

		zf_error_clear(&err);
		zf_alloc_fail_after(k);
		rc = store_calendar_load(f->st, &f->ctx, cal_2027,
					 sizeof(cal_2027) - 1, &moved, &err);
		zf_alloc_fail_after(0);
		if (rc == ZF_OK) {
			assert_int_equal(moved, 1);
			assert_int_equal(ledger_size(f), n + 2);
			break;
		}
		must(store_calendar_get(f->st, f->ctx.org_id, &cal, &err), &err,
		     "calendar get");
		loaded = calendar_covers(&cal, 2027);
		calendar_release(&cal);
		must(store_deadline_list(f->st, &f->ctx, &list, &nlist, &err), &err,
		     "deadline list");
		assert_int_equal(nlist, 1);
		if (!loaded) {
			/* nothing at all was written */
			assert_int_equal(ledger_size(f), n);
			assert_true(list[0].provisional);
			store_deadline_list_free(list, nlist);
			continue;
		}
		/*
		 * The year committed in its own transaction but a recompute
		 * failed: the year's entry only, and the deadline still
		 * provisional with its old due, nothing half-written.
		 */
		assert_int_equal(ledger_size(f), n + 1);
		assert_true(list[0].provisional);
		assert_day(list[0].due, "2027-01-15");
		store_deadline_list_free(list, nlist);
		assert_verify_ok(f);
		/*
		 * The caller was told (recompute_incomplete); loading the year
		 * again is refused as a duplicate, and store_deadline_recompute
		 * (zhifa deadline recompute) finishes the job: law.md §9.0a.
		 */
		expect_error(store_calendar_load(f->st, &f->ctx, cal_2027,
						 sizeof(cal_2027) - 1, &moved, &err),
			     &err, ZF_ECONFLICT, "calendar_year_exists", "line 2");
		must(store_deadline_recompute(f->st, &f->ctx, &moved, &err), &err,
		     "deadline recompute");
		assert_int_equal(moved, 1);
		must(store_deadline_list(f->st, &f->ctx, &list, &nlist, &err), &err,
		     "deadline list");
		assert_false(list[0].provisional);
		store_deadline_list_free(list, nlist);
		break;
	}
	assert_true(k > 1);
	assert_verify_ok(f);
}

/*
 * A failed allocation while opening (the reader connection, the hashers,
 * the tree backfill's reads) is an error, not a crash: fail the kth
 * allocation of store_open for k = 1, 2, ... until it opens.
 */
static void test_reader_alloc_failure(void **state)
{
	struct fx *f = *state;
	struct store_opts opts = {.create = false};
	struct org *list = NULL;
	size_t n = 0;
	struct zf_error err;
	int k, rc = ZF_ENOMEM;

	store_close(f->st);
	f->st = NULL;
	for (k = 1; k < 200 && rc != ZF_OK; k++) {
		struct store *st = NULL;
		zf_error_clear(&err);
		zf_alloc_fail_after(k);
		rc = store_open(f->path, &opts, &st, &err);
		zf_alloc_fail_after(0);
		if (rc) {
			assert_null(st);
			assert_true(err.code[0] != '\0');
		} else {
			f->st = st;
		}
	}
	assert_int_equal(rc, ZF_OK);
	assert_true(k > 2);
	must(store_org_list(f->st, &list, &n, &err), &err, "org list");
	assert_int_equal(n, 0);
	store_org_list_free(list, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_mutation_one_entry,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input_writes_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_hook_and_triggers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline_provisional, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_deadline_provisional_calendar_days, setup, teardown),
		cmocka_unit_test_setup_teardown(test_party_erase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_detects_bypass, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_org_default, setup_store,
						teardown),
		cmocka_unit_test_setup_teardown(test_officer_filters, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_database_too_new, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_officer_add_alloc_failure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_adds_alloc_failure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_calendar_load_alloc_failure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_alloc_failure,
						setup_store, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
