/*
 * Tests for src/domain/violation.c: the violation catalogue shipped under
 * data/violations/ (law.md §3.4–3.5, §4.3), the strict loader, and the
 * discretion engine (行政处罚法 Arts. 5, 32, 33, 34, 37).  Rows are tables;
 * each cites the rule it checks, so a failing row leads back to the law.
 * The data files are the embedded copies the binary ships with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "embed.h"
#include "violation.h"

#define PREFIX "data/violations/"

/*
 * A small file in the documented format, used as the base the malformed
 * rows mutate, and for the rules no shipped violation exercises (a cap for
 * citizens, a range whose half is not whole yuan).
 */
static const char good_file[] =
	"{\"standard\": \"测试文件\", \"violations\": [{"
	"\"code\": \"test_good\", \"name\": \"测试违法行为\", \"category\": \"road\","
	"\"violated\": \"《测试条例》第一条\", \"art36_harm\": false,"
	"\"limitation_years\": 0, \"limitation_basis\": \"\","
	"\"minor_no_penalty\": true, \"first_offence\": false,"
	"\"publicity\": \"none\", \"confidence\": \"M\", \"versions\": ["
	"{\"from\": \"2011-07-01\", \"to\": \"2024-12-31\","
	" \"penalty_basis\": \"《测试条例》第九条\", \"kinds\": [\"fine\"],"
	" \"min_yuan\": 0, \"max_yuan\": 50000, \"standard\": \"测试基准（旧）\","
	" \"levels\": ["
	"  {\"code\": \"ordinary\", \"label\": \"一般\", \"circumstances\": \"一般情形\","
	"   \"kinds\": [\"fine\"], \"min_yuan\": 0, \"max_yuan\": 20000},"
	"  {\"code\": \"serious\", \"label\": \"较重\", \"circumstances\": \"较重情形\","
	"   \"kinds\": [\"fine\"], \"min_yuan\": 20000, \"max_yuan\": 50000}]},"
	"{\"from\": \"2025-01-01\", \"to\": null,"
	" \"penalty_basis\": \"《测试条例》第九条（修订）\", \"kinds\": [\"warning\", \"fine\"],"
	" \"min_yuan\": 0, \"max_yuan\": 60000, \"person_max_yuan\": 1000,"
	" \"standard\": \"测试基准（新）\", \"levels\": ["
	"  {\"code\": \"ordinary\", \"label\": \"一般\", \"circumstances\": \"一般情形\","
	"   \"kinds\": [\"fine\"], \"min_yuan\": 0, \"max_yuan\": 301},"
	"  {\"code\": \"serious\", \"label\": \"较重\", \"circumstances\": \"较重情形\","
	"   \"kinds\": [\"warning\", \"fine\"], \"min_yuan\": 301, \"max_yuan\": 60000}]}"
	"]}]}";

struct fixture {
	struct violation_catalogue cat;
	size_t nbuiltin;
};

static struct zf_date day(const char *s)
{
	struct zf_date d = {0, 0, 0};

	if (date_parse(s, &d, "test", NULL) != ZF_OK)
		fail_msg("bad date in test table: %s", s);
	return d;
}

static bool is_violation_file(const char *name)
{
	size_t n = strlen(name), p = strlen(PREFIX);

	return n > p + 5 && strncmp(name, PREFIX, p) == 0 &&
	       strcmp(name + n - 5, ".json") == 0;
}

static void load_builtin(struct violation_catalogue *c)
{
	size_t files = 0;

	for (const struct embed_file *f = embed_files; f->name; f++) {
		struct zf_error err;

		if (!is_violation_file(f->name))
			continue;
		zf_error_clear(&err);
		if (violation_catalogue_load_json(c, (const char *)f->data, f->len,
						  false, &err) != ZF_OK)
			fail_msg("%s: %s %s %s", f->name, err.code, err.field,
				 err.message);
		files++;
	}
	assert_int_equal(files, 3);
}

static int setup(void **state)
{
	static struct fixture fx;
	struct zf_error err;

	violation_catalogue_init(&fx.cat);
	load_builtin(&fx.cat);
	fx.nbuiltin = fx.cat.n;
	zf_error_clear(&err);
	if (violation_catalogue_load_json(&fx.cat, good_file, strlen(good_file),
					  false, &err) != ZF_OK)
		fail_msg("good_file: %s %s %s", err.code, err.field, err.message);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	violation_catalogue_release(&fx->cat);
	return 0;
}

/* ---- the shipped catalogue ---- */

static void test_builtin_catalogue(void **state)
{
	struct fixture *fx = *state;
	const struct zf_date probe = day("2025-06-01");

	/* issue 3: road administration (§4.3), over-limit (§3.4–3.5), road transport */
	assert_true(fx->nbuiltin >= 15);
	for (size_t i = 0; i < fx->nbuiltin; i++) {
		const struct violation *v = &fx->cat.items[i];

		if (!violation_version_at(v, probe))
			fail_msg("%s has no version in force on 2025-06-01", v->code);
		for (size_t j = 0; j < v->nversions; j++) {
			const struct violation_version *ver = &v->versions[j];

			/* each shipped version grades its range in 2-4 levels */
			if (ver->nlevels < 2 || ver->nlevels > 4)
				fail_msg("%s.versions[%zu] has %zu levels", v->code, j,
					 ver->nlevels);
			if (j > 0)
				assert_true(date_cmp(v->versions[j - 1].to, ver->from) < 0);
		}
	}
	/* at least one violation changes between versions, so Art. 37 is exercised */
	assert_int_equal(violation_find(&fx->cat, "transport_ride_hailing_no_vehicle_cert")
				 ->nversions, 2);
	assert_non_null(violation_find(&fx->cat, "road_unpermitted_works"));
	assert_non_null(violation_find(&fx->cat, "overload_mass"));
	assert_non_null(violation_find(&fx->cat, "transport_unlicensed_passenger"));
	assert_null(violation_find(&fx->cat, "no_such_violation"));
}

struct data_row {
	const char *rule;
	const char *code;
	const char *on;
	int64_t min_fen, max_fen;
	unsigned kinds;
};

#define BIT(k) (1u << (k))

static const struct data_row data_rows[] = {
	{"公路法第七十五条：五万元以下", "road_unapproved_construction", "2025-06-01",
	 0, 5000000, BIT(PK_FINE)},
	{"公路法第七十七条：五千元以下", "road_obstacle_dumping", "2025-06-01", 0,
	 500000, BIT(PK_FINE)},
	{"条例第五十九条：2万元以上10万元以下", "road_bridge_dangerous_works",
	 "2025-06-01", 2000000, 10000000, BIT(PK_FINE)},
	{"条例第六十五条第三款：1000元以上5000元以下", "road_permit_lent",
	 "2025-06-01", 100000, 500000, BIT(PK_FINE)},
	{"条例第六十四条、62号令第四十三条：警告，罚款至30000元", "overload_mass",
	 "2025-06-01", 0, 3000000, BIT(PK_WARNING) | BIT(PK_FINE)},
	{"62号令第四十三条第一款第（一）项：三档合计至3000元", "overload_dimension",
	 "2025-06-01", 0, 300000, BIT(PK_FINE)},
	{"条例第六十六条：停业整顿或者吊销，无罚款", "overload_repeat_company",
	 "2025-06-01", 0, 0, BIT(PK_STOP_BUSINESS) | BIT(PK_REVOKE_LICENCE)},
	{"道路运输条例第六十三条第（二）项：1万元以上10万元以下",
	 "transport_unlicensed_passenger", "2025-06-01", 1000000, 10000000,
	 BIT(PK_CONFISCATE_GAINS) | BIT(PK_FINE)},
	{"网约车办法（2016）第三十四条：10000元以上30000元以下",
	 "transport_ride_hailing_no_vehicle_cert", "2022-06-01", 1000000, 3000000,
	 BIT(PK_WARNING) | BIT(PK_FINE)},
	{"网约车办法（2022修正）第三十四条第一款第（二）项：3000元以上10000元以下",
	 "transport_ride_hailing_no_vehicle_cert", "2022-11-30", 300000, 1000000,
	 BIT(PK_WARNING) | BIT(PK_FINE)},
	{"网约车办法（2022修正）第三十四条第一款第（三）项：200元以上2000元以下",
	 "transport_ride_hailing_no_driver_cert", "2025-06-01", 20000, 200000,
	 BIT(PK_WARNING) | BIT(PK_FINE)},
};

static void test_builtin_ranges(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < ZF_ARRAY_LEN(data_rows); i++) {
		const struct data_row *r = &data_rows[i];
		const struct violation *v = violation_find(&fx->cat, r->code);
		const struct violation_version *ver;

		if (!v)
			fail_msg("%s: %s missing", r->rule, r->code);
		ver = violation_version_at(v, day(r->on));
		if (!ver)
			fail_msg("%s: no version on %s", r->rule, r->on);
		if (ver->min_fen != r->min_fen || ver->max_fen != r->max_fen ||
		    ver->kinds != r->kinds)
			fail_msg("%s: got %lld-%lld kinds %x", r->rule,
				 (long long)ver->min_fen, (long long)ver->max_fen,
				 ver->kinds);
	}
}

/* ---- penalty kinds (Art. 9, Art. 63) ---- */

static void test_penalty_kinds(void **state)
{
	struct zf_error err;
	enum penalty_kind k = PK_NONE;

	(void)state;
	for (unsigned i = PK_WARNING; i <= PK_RESTRICT_PRACTICE; i++) {
		assert_int_equal(penalty_kind_parse(penalty_kind_code(i), &k, "kinds",
						    NULL), ZF_OK);
		assert_int_equal(k, i);
		assert_string_not_equal(penalty_kind_label(i), "无");
	}
	assert_string_equal(penalty_kind_code(PK_CONFISCATE_GAINS), "confiscate_gains");
	assert_string_equal(penalty_kind_label(PK_SUSPEND_LICENCE), "暂扣许可证件");
	zf_error_clear(&err);
	assert_int_equal(penalty_kind_parse("detention", &k, "kinds[0]", &err), ZF_EINVAL);
	assert_string_equal(err.code, "unknown_code");
	assert_string_equal(err.field, "kinds[0]");
	/* Art. 63 para 1 (3)(4): whatever the amount */
	assert_true(penalty_kind_hearing_right(PK_REVOKE_LICENCE));
	assert_true(penalty_kind_hearing_right(PK_DOWNGRADE));
	assert_true(penalty_kind_hearing_right(PK_STOP_BUSINESS));
	assert_true(penalty_kind_hearing_right(PK_CLOSE));
	assert_true(penalty_kind_hearing_right(PK_RESTRICT_PRACTICE));
	/* Art. 63 para 1 (1)(2): only a 较大数额, which the organisation sets */
	assert_false(penalty_kind_hearing_right(PK_FINE));
	assert_false(penalty_kind_hearing_right(PK_CONFISCATE_GAINS));
	assert_false(penalty_kind_hearing_right(PK_WARNING));
}

/* ---- the strict loader ---- */

/* Walk "a.b[2].c" in doc; the last step is returned as parent and key/index. */
static json_t *walk(json_t *doc, const char *path, char *key, size_t keysize,
		    long *index)
{
	json_t *cur = doc;
	const char *p = path;

	for (;;) {
		size_t n = strcspn(p, ".[");
		json_t *next;

		if (n > 0) {
			snprintf(key, keysize, "%.*s", (int)n, p);
			*index = -1;
			if (p[n] == '\0')
				return cur;
			next = json_object_get(cur, key);
		} else {
			char *end;
			long i = strtol(p + 1, &end, 10);

			*index = i;
			key[0] = '\0';
			n = (size_t)(end - p) + 1;
			if (p[n] == '\0')
				return cur;
			next = json_array_get(cur, (size_t)i);
		}
		if (!next)
			fail_msg("bad test path %s", path);
		cur = next;
		p += n;
		if (*p == '.')
			p++;
	}
}

struct bad_row {
	const char *rule;
	const char *path;	/* member to change in good_file; NULL = use raw */
	const char *value;	/* JSON text of the new value; NULL = delete */
	const char *raw;	/* a whole file instead of a mutation */
	const char *field;
};

static const struct bad_row bad_rows[] = {
	{"README: unknown members are refused (top level)", "comment", "\"备注\"",
	 NULL, "comment"},
	{"README: unknown members are refused (before the code is known)",
	 "violations[0].colour", "\"red\"", NULL, "violations[0].colour"},
	{"README: code is lower-case ASCII", "violations[0].code", "\"Road-1\"", NULL,
	 "violations[0].code"},
	{"README: name is required", "violations[0].name", NULL, NULL, "test_good.name"},
	{"README: no control characters in texts", "violations[0].name",
	 "\"a\\u0001b\"", NULL, "test_good.name"},
	{"README: category road|overload|transport", "violations[0].category",
	 "\"sea\"", NULL, "test_good.category"},
	{"README: confidence as law.md §0", "violations[0].confidence", "\"X\"", NULL,
	 "test_good.confidence"},
	{"处罚法第三十六条: a longer period needs the statute cited",
	 "violations[0].limitation_years", "3", NULL, "test_good.limitation_basis"},
	{"README: from is a real date", "violations[0].versions[0].from",
	 "\"2025-02-30\"", NULL, "test_good.versions[0].from"},
	{"README: to is not before from", "violations[0].versions[0].to",
	 "\"2000-01-01\"", NULL, "test_good.versions[0].to"},
	{"处罚法第三十七条: versions may not overlap", "violations[0].versions[1].from",
	 "\"2024-06-01\"", NULL, "test_good.versions[1].from"},
	{"处罚法第九条: kinds are the Art. 9 codes", "violations[0].versions[0].kinds[0]",
	 "\"jail\"", NULL, "test_good.versions[0].kinds[0]"},
	{"README: money is whole yuan", "violations[0].versions[0].max_yuan",
	 "\"50000\"", NULL, "test_good.versions[0].max_yuan"},
	{"README: money is whole yuan (no fractions)",
	 "violations[0].versions[0].levels[0].min_yuan", "10.5", NULL,
	 "test_good.versions[0].levels[0].min_yuan"},
	{"README: min_yuan <= max_yuan", "violations[0].versions[0].min_yuan", "60000",
	 NULL, "test_good.versions[0].min_yuan"},
	{"README: a range without fine is 0-0", "violations[0].versions[0].kinds",
	 "[\"warning\"]", NULL, "test_good.versions[0].max_yuan"},
	{"README: person_max_yuan within the range",
	 "violations[0].versions[1].person_max_yuan", "70000", NULL,
	 "test_good.versions[1].person_max_yuan"},
	{"处罚法第三十四条: a level stays inside its statutory range",
	 "violations[0].versions[0].levels[1].max_yuan", "60000", NULL,
	 "test_good.versions[0].levels[1].max_yuan"},
	{"README: a level's kinds are among its version's",
	 "violations[0].versions[0].levels[0].kinds", "[\"warning\", \"fine\"]", NULL,
	 "test_good.versions[0].levels[0].kinds"},
	{"README: levels are listed lightest first", "violations[0].versions[0].levels[1]",
	 "{\"code\": \"serious\", \"label\": \"较重\", \"circumstances\": \"较重情形\","
	 " \"kinds\": [\"fine\"], \"min_yuan\": 0, \"max_yuan\": 10000}",
	 NULL, "test_good.versions[0].levels[1].max_yuan"},
	{"README: level codes are unique in a version",
	 "violations[0].versions[0].levels[1].code", "\"ordinary\"", NULL,
	 "test_good.versions[0].levels[1].code"},
	{"README: versions is a non-empty array", "violations[0].versions", "[]", NULL,
	 "test_good.versions"},
	{"README: the file is JSON", NULL, NULL, "{\"standard\": ", "line 1"},
	{"README: duplicate members are refused", NULL, NULL,
	 "{\"standard\": \"a\",\n\"standard\": \"b\", \"violations\": []}", "line 2"},
	{"README: the file is an object", NULL, NULL, "[]", "root"},
};

static char *mutated(const struct bad_row *r)
{
	json_error_t jerr;
	json_t *doc = json_loads(good_file, 0, &jerr);
	json_t *parent;
	char key[64];
	long index;
	char *text;

	if (!doc)
		fail_msg("good_file does not parse: %s", jerr.text);
	parent = walk(doc, r->path, key, sizeof(key), &index);
	if (r->value) {
		json_t *v = json_loads(r->value, JSON_DECODE_ANY, &jerr);

		if (!v)
			fail_msg("%s: bad value %s", r->rule, r->value);
		if (index >= 0)
			json_array_set_new(parent, (size_t)index, v);
		else
			json_object_set_new(parent, key, v);
	} else if (index >= 0) {
		json_array_remove(parent, (size_t)index);
	} else {
		json_object_del(parent, key);
	}
	text = json_dumps(doc, 0);
	json_decref(doc);
	return text;
}

static void test_bad_files(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < ZF_ARRAY_LEN(bad_rows); i++) {
		const struct bad_row *r = &bad_rows[i];
		struct violation *items = fx->cat.items;
		size_t n = fx->cat.n;
		char *text = r->raw ? NULL : mutated(r);
		const char *t = r->raw ? r->raw : text;
		struct zf_error err;
		int rc;

		zf_error_clear(&err);
		/* replace=true, so only the defect can refuse the file */
		rc = violation_catalogue_load_json(&fx->cat, t, strlen(t), true, &err);
		free(text);
		if (rc != ZF_EINVAL || strcmp(err.code, "invalid_violation_file") != 0 ||
		    strcmp(err.field, r->field) != 0)
			fail_msg("%s: rc %d code %s field %s (want %s): %s", r->rule, rc,
				 err.code, err.field, r->field, err.message);
		assert_true(err.message[0] != '\0');
		/* nothing changed: same array, same count, the old test_good intact */
		assert_ptr_equal(fx->cat.items, items);
		assert_int_equal(fx->cat.n, n);
		assert_string_equal(violation_find(&fx->cat, "test_good")->name,
				    "测试违法行为");
	}
	assert_true(ZF_ARRAY_LEN(bad_rows) >= 10);
}

/* A good violation before a bad one in the same file is not kept either. */
static void test_bad_file_all_or_nothing(void **state)
{
	struct fixture *fx = *state;
	json_t *doc = json_loads(good_file, 0, NULL);
	json_t *arr = json_object_get(doc, "violations");
	json_t *second = json_deep_copy(json_array_get(arr, 0));
	struct zf_error err;
	size_t n = fx->cat.n;
	char *text;

	json_object_set_new(json_array_get(arr, 0), "code", json_string("test_first"));
	json_object_set_new(second, "code", json_string("test_second"));
	json_object_set_new(second, "publicity", json_string("maybe"));
	json_array_append_new(arr, second);
	text = json_dumps(doc, 0);
	json_decref(doc);
	zf_error_clear(&err);
	assert_int_equal(violation_catalogue_load_json(&fx->cat, text, strlen(text),
						       false, &err), ZF_EINVAL);
	free(text);
	assert_string_equal(err.field, "test_second.publicity");
	assert_int_equal(fx->cat.n, n);
	assert_null(violation_find(&fx->cat, "test_first"));
}

static void test_duplicate_codes(void **state)
{
	struct fixture *fx = *state;
	struct violation_catalogue c;
	const struct embed_file *f = embed_find(PREFIX "road.json");
	struct zf_error err;
	size_t n;

	assert_non_null(f);
	violation_catalogue_init(&c);
	assert_int_equal(violation_catalogue_load_json(&c, (const char *)f->data,
						       f->len, false, NULL), ZF_OK);
	n = c.n;
	assert_true(n >= 10);
	/* issue 3: an imported standard replaces; a built-in load must not */
	zf_error_clear(&err);
	assert_int_equal(violation_catalogue_load_json(&c, (const char *)f->data,
						       f->len, false, &err), ZF_ECONFLICT);
	assert_string_equal(err.code, "violation_exists");
	assert_string_equal(err.field, "road_unapproved_construction.code");
	assert_int_equal(c.n, n);
	assert_int_equal(violation_catalogue_load_json(&c, (const char *)f->data,
						       f->len, true, &err), ZF_OK);
	assert_int_equal(c.n, n);
	violation_catalogue_release(&c);

	/* a code twice in one file */
	{
		json_t *doc = json_loads(good_file, 0, NULL);
		json_t *arr = json_object_get(doc, "violations");
		char *text;

		json_array_append_new(arr, json_deep_copy(json_array_get(arr, 0)));
		text = json_dumps(doc, 0);
		json_decref(doc);
		zf_error_clear(&err);
		assert_int_equal(violation_catalogue_load_json(&fx->cat, text, strlen(text),
							       true, &err), ZF_EINVAL);
		free(text);
		assert_string_equal(err.code, "invalid_violation_file");
		assert_string_equal(err.field, "test_good.code");
	}
}

/* replace=true swaps in the new text of a code without moving the others. */
static void test_replace(void **state)
{
	struct fixture *fx = *state;
	json_t *doc = json_loads(good_file, 0, NULL);
	json_t *v = json_array_get(json_object_get(doc, "violations"), 0);
	size_t n = fx->cat.n;
	char *text;

	json_object_set_new(v, "name", json_string("替换后的名称"));
	text = json_dumps(doc, 0);
	json_decref(doc);
	assert_int_equal(violation_catalogue_load_json(&fx->cat, text, strlen(text), true,
						       NULL), ZF_OK);
	assert_int_equal(fx->cat.n, n);
	assert_string_equal(violation_find(&fx->cat, "test_good")->name, "替换后的名称");
	assert_int_equal(violation_catalogue_load_json(&fx->cat, good_file,
						       strlen(good_file), true, NULL),
			 ZF_OK);
	free(text);
	assert_string_equal(violation_find(&fx->cat, "test_good")->name, "测试违法行为");
}

/* STYLE §11: every allocation failure leaves the catalogue as it was. */
static void test_load_alloc_failure(void **state)
{
	const struct embed_file *f = embed_find(PREFIX "transport.json");
	long k;

	(void)state;
	assert_non_null(f);
	for (k = 1;; k++) {
		struct violation_catalogue c;
		struct zf_error err;
		int rc;

		violation_catalogue_init(&c);
		zf_alloc_fail_after(k);
		rc = violation_catalogue_load_json(&c, (const char *)f->data, f->len,
						   false, &err);
		zf_alloc_fail_after(0);
		if (rc == ZF_OK) {
			assert_true(c.n >= 4);
			violation_catalogue_release(&c);
			break;
		}
		assert_int_equal(rc, ZF_ENOMEM);
		assert_string_equal(err.code, "out_of_memory");
		assert_int_equal(c.n, 0);
		assert_null(c.items);
	}
	assert_true(k > 10);
}

/* ---- the discretion engine ---- */

enum {
	ORG = 0,
	PERSON = 1,
};

struct propose_row {
	const char *rule;
	const char *violation;
	const char *level;
	const char *act, *decision;
	int party;
	bool minor_corrected, first_offence, no_fault;
	unsigned art32;
	int64_t amount_yuan;	/* -1: none */
	/* expected */
	const char *code;	/* error code, or NULL */
	const char *field;
	enum discretion_outcome outcome;
	int64_t min_fen, max_fen, suggested_fen;
	bool later_law;
	const char *basis;
	const char *reason;	/* a reason must contain this */
};

#define NO_AMOUNT (-1)

static const struct propose_row propose_rows[] = {
	{.rule = "处罚法第三十三条第二款: no fault, no penalty",
	 .violation = "road_spill_load", .act = "2025-03-01", .decision = "2025-05-01",
	 .no_fault = true, .amount_yuan = NO_AMOUNT, .outcome = DISC_NO_PENALTY,
	 .basis = "《中华人民共和国行政处罚法》第三十三条第二款",
	 .reason = "第三十三条第二款"},
	{.rule = "处罚法第三十三条第一款: minor and corrected on a listed violation",
	 .violation = "road_spill_load", .act = "2025-03-01", .decision = "2025-05-01",
	 .minor_corrected = true, .amount_yuan = NO_AMOUNT,
	 .outcome = DISC_NO_PENALTY,
	 .basis = "《中华人民共和国行政处罚法》第三十三条第一款",
	 .reason = "不予行政处罚"},
	{.rule = "处罚法第三十三条第一款: not listed, so the range applies",
	 .violation = "road_unpermitted_works", .act = "2025-03-01",
	 .decision = "2025-05-01", .minor_corrected = true, .amount_yuan = NO_AMOUNT,
	 .outcome = DISC_PENALTY, .min_fen = 0, .max_fen = 1000000,
	 .suggested_fen = 500000, .basis = "《公路安全保护条例》第六十二条",
	 .reason = "未列入本裁量基准的轻微违法不予处罚事项"},
	{.rule = "处罚法第三十三条第一款: 首违不罚 may exempt; the lowest level still computed",
	 .violation = "road_spill_load", .act = "2025-03-01", .decision = "2025-05-01",
	 .first_offence = true, .amount_yuan = NO_AMOUNT, .outcome = DISC_MAY_EXEMPT,
	 .min_fen = 0, .max_fen = 50000, .suggested_fen = 25000,
	 .basis = "《公路安全保护条例》第六十九条", .reason = "可以不予行政处罚"},
	{.rule = "处罚法第三十三条第一款: 首违 claimed on an unlisted violation",
	 .violation = "road_unpermitted_works", .level = "serious", .act = "2025-03-01",
	 .decision = "2025-05-01", .first_offence = true, .amount_yuan = NO_AMOUNT,
	 .outcome = DISC_PENALTY, .min_fen = 1000000, .max_fen = 2000000,
	 .suggested_fen = 1500000, .basis = "《公路安全保护条例》第六十二条",
	 .reason = "未列入本裁量基准的首违不罚事项"},
	{.rule = "处罚法第三十二条第（一）项: the upper bound halves (从轻)",
	 .violation = "road_obstacle_dumping", .level = "ordinary",
	 .act = "2025-03-01", .decision = "2025-05-01",
	 .art32 = ART32_ELIMINATED_HARM, .amount_yuan = NO_AMOUNT,
	 .outcome = DISC_PENALTY, .min_fen = 50000, .max_fen = 125000,
	 .suggested_fen = 87500, .basis = "《中华人民共和国公路法》第七十七条",
	 .reason = "第三十二条第（一）项"},
	{.rule = "处罚法第三十二条: half of an odd range is exact to the fen",
	 .violation = "test_good", .level = "ordinary", .act = "2025-03-01",
	 .decision = "2025-05-01", .art32 = ART32_CONFESSED | ART32_MERITORIOUS,
	 .amount_yuan = NO_AMOUNT, .outcome = DISC_PENALTY, .min_fen = 0,
	 .max_fen = 15050, .suggested_fen = 7500,
	 .basis = "《测试条例》第九条（修订）", .reason = "第三十二条第（三）项、第（四）项"},
	{.rule = "处罚法第三十二条: no fine to lower on a warning-only level",
	 .violation = "overload_mass", .act = "2025-03-01", .decision = "2025-05-01",
	 .art32 = ART32_COERCED, .amount_yuan = NO_AMOUNT, .outcome = DISC_PENALTY,
	 .min_fen = 0, .max_fen = 0, .suggested_fen = 0,
	 .basis = "《公路安全保护条例》第六十四条；《超限运输车辆行驶公路管理规定》第四十三条第一款第（二）项",
	 .reason = "罚款幅度无从下调"},
	{.rule = "处罚法第三十七条: act before the 2022 revision, decision after: lighter new rule",
	 .violation = "transport_ride_hailing_no_vehicle_cert", .level = "ordinary",
	 .act = "2022-10-01", .decision = "2023-01-10", .amount_yuan = NO_AMOUNT,
	 .outcome = DISC_PENALTY, .min_fen = 300000, .max_fen = 600000,
	 .suggested_fen = 450000, .later_law = true,
	 .basis = "《网络预约出租汽车经营服务管理暂行办法》第三十四条第一款第（二）项",
	 .reason = "新规定处罚较轻，适用新规定"},
	{.rule = "处罚法第三十七条: same level code in both versions (serious)",
	 .violation = "transport_ride_hailing_no_driver_cert", .level = "serious",
	 .act = "2022-10-01", .decision = "2023-01-10", .party = PERSON,
	 .amount_yuan = NO_AMOUNT, .outcome = DISC_PENALTY, .min_fen = 100000,
	 .max_fen = 200000, .suggested_fen = 150000, .later_law = true,
	 .basis = "《网络预约出租汽车经营服务管理暂行办法》第三十四条第一款第（三）项",
	 .reason = "新规定处罚较轻，适用新规定"},
	{.rule = "处罚法第三十七条: act and decision both before the revision",
	 .violation = "transport_ride_hailing_no_vehicle_cert", .level = "ordinary",
	 .act = "2022-06-01", .decision = "2022-11-29", .amount_yuan = NO_AMOUNT,
	 .outcome = DISC_PENALTY, .min_fen = 1000000, .max_fen = 2000000,
	 .suggested_fen = 1500000, .later_law = false,
	 .basis = "《网络预约出租汽车经营服务管理暂行办法》（2016年）第三十四条",
	 .reason = "适用违法行为发生时的规定"},
	{.rule = "处罚法第三十七条: Art. 32 applies to both versions before comparing",
	 .violation = "transport_ride_hailing_no_vehicle_cert", .level = "serious",
	 .act = "2022-10-01", .decision = "2023-01-10", .art32 = ART32_ELIMINATED_HARM,
	 .amount_yuan = NO_AMOUNT, .outcome = DISC_PENALTY, .min_fen = 600000,
	 .max_fen = 800000, .suggested_fen = 700000, .later_law = true,
	 .basis = "《网络预约出租汽车经营服务管理暂行办法》第三十四条第一款第（二）项",
	 .reason = "新规定处罚较轻，适用新规定"},
	{.rule = "处罚法第三十七条: a heavier new version is not applied",
	 .violation = "test_good", .level = "serious", .act = "2024-06-01",
	 .decision = "2025-03-01", .amount_yuan = NO_AMOUNT, .outcome = DISC_PENALTY,
	 .min_fen = 2000000, .max_fen = 5000000, .suggested_fen = 3500000,
	 .later_law = false, .basis = "《测试条例》第九条",
	 .reason = "新规定处罚不轻于旧规定"},
	{.rule = "处罚法第三十七条: the revised standard's level is lighter",
	 .violation = "test_good", .level = "ordinary", .act = "2024-06-01",
	 .decision = "2025-03-01", .amount_yuan = NO_AMOUNT, .outcome = DISC_PENALTY,
	 .min_fen = 0, .max_fen = 30100, .suggested_fen = 15000, .later_law = true,
	 .basis = "《测试条例》第九条（修订）", .reason = "新规定处罚较轻，适用新规定"},
	{.rule = "person_max_yuan: a citizen's fine is capped",
	 .violation = "test_good", .level = "serious", .act = "2025-03-01",
	 .decision = "2025-05-01", .party = PERSON, .amount_yuan = NO_AMOUNT,
	 .outcome = DISC_PENALTY, .min_fen = 30100, .max_fen = 100000,
	 .suggested_fen = 65000, .basis = "《测试条例》第九条（修订）",
	 .reason = "对公民的罚款不超过1000元"},
	{.rule = "person_max_yuan: an organisation is not capped",
	 .violation = "test_good", .level = "serious", .act = "2025-03-01",
	 .decision = "2025-05-01", .party = ORG, .amount_yuan = NO_AMOUNT,
	 .outcome = DISC_PENALTY, .min_fen = 30100, .max_fen = 6000000,
	 .suggested_fen = 3015000, .basis = "《测试条例》第九条（修订）",
	 .reason = "较重"},
	{.rule = "处罚法第五条: an amount inside the range is accepted",
	 .violation = "road_spill_load", .level = "ordinary", .act = "2025-03-01",
	 .decision = "2025-05-01", .amount_yuan = 2000, .outcome = DISC_PENALTY,
	 .min_fen = 50000, .max_fen = 200000, .suggested_fen = 125000,
	 .basis = "《公路安全保护条例》第六十九条", .reason = "建议罚款1250元"},
	{.rule = "处罚法第三十四条: an amount outside the level's range is refused",
	 .violation = "road_spill_load", .level = "ordinary", .act = "2025-03-01",
	 .decision = "2025-05-01", .amount_yuan = 3000, .code = "amount_out_of_range",
	 .field = "amount"},
	{.rule = "处罚法第三十三条: no fine where no penalty is due",
	 .violation = "road_spill_load", .act = "2025-03-01", .decision = "2025-05-01",
	 .no_fault = true, .amount_yuan = 100, .code = "amount_out_of_range",
	 .field = "amount"},
	{.rule = "catalogue: unknown violation code", .violation = "road_teleporting",
	 .act = "2025-03-01", .decision = "2025-05-01", .amount_yuan = NO_AMOUNT,
	 .code = "unknown_code", .field = "violation"},
	{.rule = "catalogue: unknown level code", .violation = "road_spill_load",
	 .level = "apocalyptic", .act = "2025-03-01", .decision = "2025-05-01",
	 .amount_yuan = NO_AMOUNT, .code = "unknown_code", .field = "level"},
	{.rule = "issue 3 bad input: a decision before the act",
	 .violation = "road_spill_load", .act = "2025-05-01", .decision = "2025-03-01",
	 .amount_yuan = NO_AMOUNT, .code = "invalid_period", .field = "decision_date"},
	{.rule = "处罚法第四条: no rule in force when the act was done",
	 .violation = "road_spill_load", .act = "1990-05-01", .decision = "2025-03-01",
	 .amount_yuan = NO_AMOUNT, .code = "no_rule_in_force", .field = "act_date"},
	{.rule = "处罚法第四条: the 2022 freight rule did not exist in 2021",
	 .violation = "transport_unlicensed_freight", .act = "2021-05-01",
	 .decision = "2022-06-01", .amount_yuan = NO_AMOUNT, .code = "no_rule_in_force",
	 .field = "act_date"},
};

static void check_row(const struct fixture *fx, const struct propose_row *r)
{
	struct discretion_input in = {
		.violation = r->violation,
		.level = r->level,
		.act_date = day(r->act),
		.decision_date = day(r->decision),
		.party_is_org = r->party == ORG,
		.minor_corrected = r->minor_corrected,
		.first_offence = r->first_offence,
		.no_fault = r->no_fault,
		.art32 = r->art32,
		.has_amount = r->amount_yuan != NO_AMOUNT,
		.amount_fen = r->amount_yuan * 100,
	};
	struct discretion_proposal p;
	struct zf_error err;
	bool found = false;
	int rc;

	zf_error_clear(&err);
	rc = discretion_propose(&fx->cat, &in, &p, &err);
	if (r->code) {
		if (rc == ZF_OK || strcmp(err.code, r->code) != 0 ||
		    strcmp(err.field, r->field) != 0)
			fail_msg("%s: rc %d code %s field %s", r->rule, rc, err.code,
				 err.field);
		assert_int_equal(p.nreasons, 0);
		assert_null(p.reasons);
		return;
	}
	if (rc != ZF_OK)
		fail_msg("%s: %s %s %s", r->rule, err.code, err.field, err.message);
	if (p.outcome != r->outcome || p.min_fen != r->min_fen ||
	    p.max_fen != r->max_fen || p.suggested_fen != r->suggested_fen ||
	    p.later_law_applied != r->later_law)
		fail_msg("%s: outcome %d range %lld-%lld suggested %lld later %d",
			 r->rule, p.outcome, (long long)p.min_fen,
			 (long long)p.max_fen, (long long)p.suggested_fen,
			 p.later_law_applied);
	if (strcmp(p.basis, r->basis) != 0)
		fail_msg("%s: basis %s", r->rule, p.basis);
	assert_non_null(p.at_act);
	assert_non_null(p.at_decision);
	assert_true(p.nreasons > 0);
	for (size_t i = 0; i < p.nreasons; i++) {
		/* every reason is a sentence naming its article */
		assert_non_null(strstr(p.reasons[i], "第"));
		assert_non_null(strstr(p.reasons[i], "条"));
		assert_non_null(strstr(p.reasons[i], "。"));
		if (strstr(p.reasons[i], r->reason))
			found = true;
	}
	if (!found)
		fail_msg("%s: no reason contains %s (first: %s)", r->rule, r->reason,
			 p.reasons[0]);
	/* Art. 37 is cited whenever a penalty is proposed */
	if (p.outcome != DISC_NO_PENALTY) {
		found = false;
		for (size_t i = 0; i < p.nreasons; i++)
			if (strstr(p.reasons[i], "第三十七条"))
				found = true;
		assert_true(found);
	}
	discretion_proposal_release(&p);
	assert_int_equal(p.nreasons, 0);
}

static void test_propose(void **state)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(propose_rows); i++)
		check_row(*state, &propose_rows[i]);
}

static void test_proposal_json(void **state)
{
	struct fixture *fx = *state;
	struct discretion_input in = {
		.violation = "transport_ride_hailing_no_vehicle_cert",
		.level = "ordinary",
		.act_date = day("2022-10-01"),
		.decision_date = day("2023-01-10"),
		.party_is_org = false,
	};
	struct discretion_proposal p;
	json_t *doc, *v;

	assert_int_equal(discretion_propose(&fx->cat, &in, &p, NULL), ZF_OK);
	doc = discretion_proposal_to_json(&p);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "outcome")), "penalty");
	assert_int_equal(json_integer_value(json_object_get(doc, "min_fen")), 300000);
	assert_int_equal(json_integer_value(json_object_get(doc, "max_fen")), 600000);
	assert_int_equal(json_integer_value(json_object_get(doc, "suggested_fen")), 450000);
	assert_true(json_is_true(json_object_get(doc, "later_law_applied")));
	v = json_object_get(doc, "kinds");
	assert_int_equal(json_array_size(v), 2);
	assert_string_equal(json_string_value(json_array_get(v, 0)), "warning");
	assert_string_equal(json_string_value(json_array_get(v, 1)), "fine");
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(doc, "version_at_act"), "from")), "2016-11-01");
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(doc, "version_at_decision"), "from")), "2022-11-30");
	assert_int_equal(json_array_size(json_object_get(doc, "reasons")), p.nreasons);
	json_decref(doc);
	discretion_proposal_release(&p);

	in.violation = "road_spill_load";
	in.level = NULL;
	in.no_fault = true;
	assert_int_equal(discretion_propose(&fx->cat, &in, &p, NULL), ZF_OK);
	doc = discretion_proposal_to_json(&p);
	assert_string_equal(json_string_value(json_object_get(doc, "outcome")),
			    "no_penalty");
	assert_int_equal(json_array_size(json_object_get(doc, "kinds")), 0);
	json_decref(doc);
	discretion_proposal_release(&p);
}

static void test_violation_json(void **state)
{
	struct fixture *fx = *state;
	json_t *doc = violation_to_json(violation_find(&fx->cat, "test_good"));
	json_t *v0, *v1, *lv;

	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "code")), "test_good");
	assert_true(json_is_null(json_object_get(doc, "limitation_basis")));
	assert_true(json_is_true(json_object_get(doc, "minor_no_penalty")));
	v0 = json_array_get(json_object_get(doc, "versions"), 0);
	v1 = json_array_get(json_object_get(doc, "versions"), 1);
	assert_string_equal(json_string_value(json_object_get(v0, "to")), "2024-12-31");
	assert_true(json_is_null(json_object_get(v1, "to")));
	assert_int_equal(json_integer_value(json_object_get(v0, "max_fen")), 5000000);
	assert_true(json_is_null(json_object_get(v0, "person_max_fen")));
	assert_int_equal(json_integer_value(json_object_get(v1, "person_max_fen")), 100000);
	lv = json_array_get(json_object_get(v1, "levels"), 1);
	assert_int_equal(json_integer_value(json_object_get(lv, "min_fen")), 30100);
	assert_string_equal(json_string_value(json_array_get(json_object_get(lv, "kinds"),
								    0)), "warning");
	json_decref(doc);
}

/* STYLE §11: a proposal that runs out of memory returns nothing owned. */
static void test_propose_alloc_failure(void **state)
{
	struct fixture *fx = *state;
	struct discretion_input in = {
		.violation = "road_obstacle_dumping",
		.level = "ordinary",
		.act_date = day("2025-03-01"),
		.decision_date = day("2025-05-01"),
		.art32 = ART32_ELIMINATED_HARM,
	};
	long k;

	for (k = 1;; k++) {
		struct discretion_proposal p;
		struct zf_error err;
		int rc;

		zf_alloc_fail_after(k);
		rc = discretion_propose(&fx->cat, &in, &p, &err);
		zf_alloc_fail_after(0);
		if (rc == ZF_OK) {
			discretion_proposal_release(&p);
			break;
		}
		assert_int_equal(rc, ZF_ENOMEM);
		assert_null(p.reasons);
	}
	assert_true(k > 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_catalogue),
		cmocka_unit_test(test_builtin_ranges),
		cmocka_unit_test(test_penalty_kinds),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_file_all_or_nothing),
		cmocka_unit_test(test_duplicate_codes),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_load_alloc_failure),
		cmocka_unit_test(test_propose),
		cmocka_unit_test(test_proposal_json),
		cmocka_unit_test(test_violation_json),
		cmocka_unit_test(test_propose_alloc_failure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
