/*
 * Tests for src/domain/calendar.c: the holiday files under data/calendar/
 * (law.md §9) and deadline arithmetic (law.md §0.1).  The rows are tables;
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

#include "calendar.h"
#include "embed.h"

static const char *const year_files[] = {
	/* Out of order on purpose: loading must keep the days sorted. */
	"data/calendar/2026.tsv",
	"data/calendar/2024.tsv",
	"data/calendar/2025.tsv",
};

static struct zf_date day(const char *s)
{
	struct zf_date d = {0, 0, 0};

	if (date_parse(s, &d, "test", NULL) != ZF_OK)
		fail_msg("bad date in test table: %s", s);
	return d;
}

static const struct embed_file *file(const char *name)
{
	const struct embed_file *f = embed_find(name);

	if (!f)
		fail_msg("%s is not embedded; re-run cmake", name);
	return f;
}

static int load(struct calendar *c, const char *name, struct zf_error *err)
{
	const struct embed_file *f = file(name);

	return calendar_load_tsv(c, (const char *)f->data, f->len, err);
}

static void load_all(struct calendar *c)
{
	struct zf_error err;

	for (size_t i = 0; i < ZF_ARRAY_LEN(year_files); i++) {
		zf_error_clear(&err);
		if (load(c, year_files[i], &err) != ZF_OK)
			fail_msg("%s: %s %s %s", year_files[i], err.code,
				 err.field, err.message);
	}
}

static int setup(void **state)
{
	static struct calendar cal;

	calendar_init(&cal);
	load_all(&cal);
	*state = &cal;
	return 0;
}

static int teardown(void **state)
{
	calendar_release(*state);
	return 0;
}

struct year_row {
	const char *rule;
	int year;
	const char *source;
	int holidays;		/* holiday lines in the file */
	int workdays;		/* workday lines in the file */
	int statutory;		/* days off the 放假办法 grants that year */
	int lost;
	const char *lost_list;	/* weekdays that are days off */
	const char *makeup_list;	/* weekend days that are working days */
};

static const struct year_row year_rows[] = {
	{
		.rule = "law.md §9.0 (2024 notice; count computed from its table)",
		.year = 2024,
		.source = "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号），2023-10-25",
		.holidays = 30,
		.workdays = 8,
		.statutory = 11,
		.lost = 19,
		.lost_list = "01-01 02-12 02-13 02-14 02-15 02-16 04-04 04-05 "
			     "05-01 05-02 05-03 06-10 09-16 09-17 10-01 10-02 "
			     "10-03 10-04 10-07",
		.makeup_list = "02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12",
	},
	{
		.rule = "law.md §9.1: weekdays lost in 2025 (18)",
		.year = 2025,
		.source = "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号），2024-11-12",
		.holidays = 28,
		.workdays = 5,
		.statutory = 13,
		.lost = 18,
		.lost_list = "01-01 01-28 01-29 01-30 01-31 02-03 02-04 04-04 "
			     "05-01 05-02 05-05 06-02 10-01 10-02 10-03 10-06 "
			     "10-07 10-08",
		.makeup_list = "01-26 02-08 04-27 09-28 10-11",
	},
	{
		.rule = "law.md §9.2: weekdays lost in 2026 (19)",
		.year = 2026,
		.source = "国务院办公厅关于2026年部分节假日安排的通知（文号未核实），2025-11-04",
		.holidays = 33,
		.workdays = 6,
		.statutory = 13,
		.lost = 19,
		.lost_list = "01-01 01-02 02-16 02-17 02-18 02-19 02-20 02-23 "
			     "04-06 05-01 05-04 05-05 06-19 09-25 10-01 10-02 "
			     "10-05 10-06 10-07",
		.makeup_list = "01-04 02-14 02-28 05-09 09-20 10-10",
	},
};

static void append_md(char *buf, size_t size, struct zf_date d)
{
	size_t used = strlen(buf);

	snprintf(buf + used, size - used, "%s%02d-%02d", used ? " " : "",
		 d.m, d.d);
}

static void test_years(void **state)
{
	const struct calendar *c = *state;

	assert_int_equal(c->nyears, 3);
	for (size_t i = 0; i < ZF_ARRAY_LEN(year_rows); i++) {
		const struct year_row *r = &year_rows[i];
		const struct calendar_year *y = &c->years[i];
		char lost[512] = "", makeup[512] = "";
		int nlost = 0, nmakeup = 0, holidays = 0, workdays = 0;
		struct zf_date d = {r->year, 1, 1};

		/* years[] is kept in order of year. */
		assert_int_equal(y->year, r->year);
		assert_string_equal(y->source, r->source);
		assert_true(calendar_covers(c, r->year));
		for (; d.y == r->year; d = date_add_days(d, 1)) {
			bool weekend = date_weekday(d) >= 6;
			bool rest = calendar_is_rest_day(c, d);
			const struct calendar_day *e = calendar_find(c, d);

			if (!weekend && rest) {
				nlost++;
				append_md(lost, sizeof(lost), d);
			}
			if (weekend && !rest) {
				nmakeup++;
				append_md(makeup, sizeof(makeup), d);
			}
			holidays += e && e->kind == CAL_HOLIDAY;
			workdays += e && e->kind == CAL_WORKDAY;
		}
		if (nlost != r->lost || strcmp(lost, r->lost_list) != 0)
			fail_msg("%s: %d weekdays lost: %s", r->rule, nlost,
				 lost);
		if (strcmp(makeup, r->makeup_list) != 0)
			fail_msg("%s: make-up days: %s", r->rule, makeup);
		assert_int_equal(holidays, r->holidays);
		assert_int_equal(workdays, r->workdays);
		/*
		 * 放假办法 Arts. 2, 6, 7: a holiday on a weekend is given
		 * back on a weekday, and every extra bridging day off is
		 * paid for by a make-up day, so weekdays lost minus make-up
		 * days is the number of statutory days (11 before 2025, 13
		 * from 2025).
		 */
		if (nlost - nmakeup != r->statutory)
			fail_msg("%s: %d lost - %d make-up != %d statutory",
				 r->rule, nlost, nmakeup, r->statutory);
	}
	assert_false(calendar_covers(c, 2023));
	assert_false(calendar_covers(c, 2027));
}

static void test_days_sorted(void **state)
{
	const struct calendar *c = *state;

	assert_int_equal(c->ndays, 30 + 8 + 28 + 5 + 33 + 6);
	for (size_t i = 1; i < c->ndays; i++)
		assert_true(date_cmp(c->days[i - 1].date, c->days[i].date) < 0);
}

struct find_row {
	const char *rule;
	const char *date;
	enum calendar_day_kind kind;	/* 0: not listed */
	const char *name;
	bool rest;
};

static const struct find_row find_rows[] = {
	{"§9.1 国庆节、中秋节 merged period", "2025-10-01", CAL_HOLIDAY, "国庆节、中秋节", true},
	{"§9.1 weekend inside the period is listed", "2025-10-04", CAL_HOLIDAY, "国庆节、中秋节", true},
	{"§9.1 make-up Saturday", "2025-10-11", CAL_WORKDAY, "国庆节、中秋节调休", false},
	{"§9.1 make-up Sunday", "2025-01-26", CAL_WORKDAY, "春节调休", false},
	{"ordinary Sunday", "2025-10-12", 0, NULL, true},
	{"ordinary Monday", "2025-10-13", 0, NULL, false},
	{"§9.0 端午 with the weekend", "2024-06-08", CAL_HOLIDAY, "端午节", true},
	{"§9.2 春节 starts on a Sunday", "2026-02-15", CAL_HOLIDAY, "春节", true},
	{"§9.2 元旦 make-up Sunday", "2026-01-04", CAL_WORKDAY, "元旦调休", false},
	{"uncovered year: weekend only", "2027-01-01", 0, NULL, false},
	{"uncovered year: weekend only", "2023-12-31", 0, NULL, true},
};

static void test_find(void **state)
{
	const struct calendar *c = *state;

	for (size_t i = 0; i < ZF_ARRAY_LEN(find_rows); i++) {
		const struct find_row *r = &find_rows[i];
		const struct calendar_day *e = calendar_find(c, day(r->date));

		if (calendar_is_rest_day(c, day(r->date)) != r->rest)
			fail_msg("%s %s: rest day should be %d", r->rule,
				 r->date, r->rest);
		if (!r->kind) {
			if (e)
				fail_msg("%s %s: unexpectedly listed", r->rule,
					 r->date);
			continue;
		}
		if (!e || e->kind != r->kind || strcmp(e->name, r->name) != 0)
			fail_msg("%s %s: wrong entry", r->rule, r->date);
	}
}

struct add_row {
	const char *id;
	const char *rule;
	struct zf_date start;
	enum calendar_unit unit;
	int n;
	bool allow;
	int rc;
	const char *code;
	const char *field;
	const char *msg;	/* a part of the error message */
	const char *due;
	bool provisional;
	bool moved;
	const char *unmoved;	/* calendar days only */
	const char *skipped;	/* "date:name" for each, "-" for a weekend */
};

#define WD CAL_UNIT_WORKING_DAYS
#define CD CAL_UNIT_DAYS

static const struct add_row add_rows[] = {
	{
		.id = "wd-guoqing-2025",
		.rule = "处罚法 Art. 85: 5 working days exclude 国庆/中秋 (§9.1) "
			"and count the 10-11 make-up Saturday",
		.start = {2025, 9, 30}, .unit = WD, .n = 5,
		.due = "2025-10-14",
		.skipped = "2025-10-01:国庆节、中秋节 2025-10-02:国庆节、中秋节 "
			   "2025-10-03:国庆节、中秋节 2025-10-04:国庆节、中秋节 "
			   "2025-10-05:国庆节、中秋节 2025-10-06:国庆节、中秋节 "
			   "2025-10-07:国庆节、中秋节 2025-10-08:国庆节、中秋节 "
			   "2025-10-12:-",
	},
	{
		.id = "wd-chunjie-2025",
		.rule = "处罚法 Art. 85: 3 working days across 春节 (§9.1); the "
			"01-26 make-up Sunday counts",
		.start = {2025, 1, 24}, .unit = WD, .n = 3,
		.due = "2025-02-05",
		.skipped = "2025-01-25:- 2025-01-28:春节 2025-01-29:春节 "
			   "2025-01-30:春节 2025-01-31:春节 2025-02-01:春节 "
			   "2025-02-02:春节 2025-02-03:春节 2025-02-04:春节",
	},
	{
		.id = "wd-zero",
		.rule = "law.md §0.1: the start day is not counted, so 0 working "
			"days end on the start day",
		.start = {2025, 10, 1}, .unit = WD, .n = 0,
		.due = "2025-10-01", .skipped = "",
	},
	{
		.id = "wd-weekend",
		.rule = "强制法 Art. 69: an ordinary weekend is not a working day",
		.start = {2025, 3, 7}, .unit = WD, .n = 1,
		.due = "2025-03-10", .skipped = "2025-03-08:- 2025-03-09:-",
	},
	{
		.id = "wd-makeup-sat-2026",
		.rule = "law.md §0.1 practice: the 2026-02-14 make-up Saturday "
			"(§9.2) is a working day",
		.start = {2026, 2, 13}, .unit = WD, .n = 1,
		.due = "2026-02-14", .skipped = "",
	},
	{
		.id = "wd-chunjie-2026",
		.rule = "处罚法 Art. 85: 7 working days across the 9-day 春节 "
			"(§9.2) and the 02-28 make-up Saturday",
		.start = {2026, 2, 13}, .unit = WD, .n = 7,
		.due = "2026-03-02",
		.skipped = "2026-02-15:春节 2026-02-16:春节 2026-02-17:春节 "
			   "2026-02-18:春节 2026-02-19:春节 2026-02-20:春节 "
			   "2026-02-21:春节 2026-02-22:春节 2026-02-23:春节 "
			   "2026-03-01:-",
	},
	{
		.id = "wd-new-year",
		.rule = "许可法 Art. 82: 元旦 2025 (§9.1) across the year boundary",
		.start = {2024, 12, 31}, .unit = WD, .n = 1,
		.due = "2025-01-02", .skipped = "2025-01-01:元旦",
	},
	{
		.id = "wd-20-2024",
		.rule = "许可法 Art. 82: 20 working days after 国庆 2024 (§9.0) "
			"with the 10-12 make-up Saturday",
		.start = {2024, 9, 30}, .unit = WD, .n = 20,
		.due = "2024-11-01",
		.skipped = "2024-10-01:国庆节 2024-10-02:国庆节 2024-10-03:国庆节 "
			   "2024-10-04:国庆节 2024-10-05:国庆节 2024-10-06:国庆节 "
			   "2024-10-07:国庆节 2024-10-13:- 2024-10-19:- "
			   "2024-10-20:- 2024-10-26:- 2024-10-27:-",
	},
	{
		.id = "cd-holiday",
		.rule = "民事诉讼法 Art. 85: last day 2025-10-05 is a holiday, the "
			"period ends on the next working day",
		.start = {2025, 9, 20}, .unit = CD, .n = 15,
		.due = "2025-10-09", .moved = true, .unmoved = "2025-10-05",
		.skipped = "2025-10-05:国庆节、中秋节 2025-10-06:国庆节、中秋节 "
			   "2025-10-07:国庆节、中秋节 2025-10-08:国庆节、中秋节",
	},
	{
		.id = "cd-saturday",
		.rule = "民事诉讼法 Art. 85: last day an ordinary Saturday moves "
			"to Monday",
		.start = {2025, 3, 5}, .unit = CD, .n = 10,
		.due = "2025-03-17", .moved = true, .unmoved = "2025-03-15",
		.skipped = "2025-03-15:- 2025-03-16:-",
	},
	{
		.id = "cd-makeup-sat",
		.rule = "民事诉讼法 Art. 85: the 2025-10-11 make-up Saturday is "
			"not a rest day, no move",
		.start = {2025, 10, 1}, .unit = CD, .n = 10,
		.due = "2025-10-11", .unmoved = "2025-10-11", .skipped = "",
	},
	{
		.id = "cd-makeup-sun-2024",
		.rule = "民事诉讼法 Art. 85: the 2024-02-18 make-up Sunday is not "
			"a rest day, no move",
		.start = {2024, 2, 8}, .unit = CD, .n = 10,
		.due = "2024-02-18", .unmoved = "2024-02-18", .skipped = "",
	},
	{
		.id = "cd-inside",
		.rule = "law.md §0.1: 处罚法's 15-day payment period is calendar "
			"days; holidays inside it do not extend it",
		.start = {2025, 9, 25}, .unit = CD, .n = 15,
		.due = "2025-10-10", .unmoved = "2025-10-10", .skipped = "",
	},
	{
		.id = "cd-zero-holiday",
		.rule = "民事诉讼法 Art. 85: a 0-day period ending on a holiday "
			"also moves",
		.start = {2025, 10, 1}, .unit = CD, .n = 0,
		.due = "2025-10-09", .moved = true, .unmoved = "2025-10-01",
		.skipped = "2025-10-01:国庆节、中秋节 2025-10-02:国庆节、中秋节 "
			   "2025-10-03:国庆节、中秋节 2025-10-04:国庆节、中秋节 "
			   "2025-10-05:国庆节、中秋节 2025-10-06:国庆节、中秋节 "
			   "2025-10-07:国庆节、中秋节 2025-10-08:国庆节、中秋节",
	},
	{
		.id = "prov-refused",
		.rule = "law.md §9.0a: 2027 is not loaded, no definitive answer",
		.start = {2026, 12, 20}, .unit = WD, .n = 20,
		.rc = ZF_EREFUSED, .code = "calendar_year_missing",
		.field = "date", .msg = "2027年的节假日安排尚未载入",
	},
	{
		.id = "prov-weekends",
		.rule = "law.md §9.0a: a provisional answer counts weekends only "
			"(2027-01-01 counts as a working day)",
		.start = {2026, 12, 20}, .unit = WD, .n = 20, .allow = true,
		.due = "2027-01-15", .provisional = true,
		.skipped = "2026-12-26:- 2026-12-27:- 2027-01-02:- 2027-01-03:- "
			   "2027-01-09:- 2027-01-10:-",
	},
	{
		.id = "prov-not-needed",
		.rule = "law.md §9.0a: a period inside covered years is not "
			"provisional",
		.start = {2026, 12, 20}, .unit = WD, .n = 5, .allow = true,
		.due = "2026-12-25", .skipped = "",
	},
	{
		.id = "prov-before",
		.rule = "law.md §9.0a: 2023 is not loaded either (its 元旦 days "
			"off 12-30, 12-31 are unknown here)",
		.start = {2023, 12, 29}, .unit = WD, .n = 1,
		.rc = ZF_EREFUSED, .code = "calendar_year_missing",
		.field = "date", .msg = "2023年的节假日安排尚未载入",
	},
	{
		.id = "prov-before-allowed",
		.rule = "law.md §9.0a: weekends only in 2023, 元旦 2024 known",
		.start = {2023, 12, 29}, .unit = WD, .n = 1, .allow = true,
		.due = "2024-01-02", .provisional = true,
		.skipped = "2023-12-30:- 2023-12-31:- 2024-01-01:元旦",
	},
	{
		.id = "prov-cd-refused",
		.rule = "law.md §9.0a: calendar days ending in 2027",
		.start = {2026, 12, 20}, .unit = CD, .n = 15,
		.rc = ZF_EREFUSED, .code = "calendar_year_missing",
		.field = "date", .msg = "2027年",
	},
	{
		.id = "prov-cd-moved",
		.rule = "law.md §9.0a with 民事诉讼法 Art. 85: a Saturday in 2027 "
			"moves to Monday, provisionally",
		.start = {2026, 12, 20}, .unit = CD, .n = 13, .allow = true,
		.due = "2027-01-04", .provisional = true, .moved = true,
		.unmoved = "2027-01-02", .skipped = "2027-01-02:- 2027-01-03:-",
	},
	{
		.id = "max-period",
		.rule = "calendar.h: n may be 3660",
		.start = {2025, 1, 1}, .unit = CD, .n = 3660, .allow = true,
		.due = "2035-01-09", .provisional = true,
		.unmoved = "2035-01-09", .skipped = "",
	},
	{
		.id = "bad-n-negative",
		.rule = "calendar.h: n >= 0",
		.start = {2025, 1, 1}, .unit = WD, .n = -1,
		.rc = ZF_EINVAL, .code = "invalid_period", .field = "n",
	},
	{
		.id = "bad-n-large",
		.rule = "calendar.h: n <= 3660",
		.start = {2025, 1, 1}, .unit = CD, .n = 3661, .allow = true,
		.rc = ZF_EINVAL, .code = "invalid_period", .field = "n",
	},
	{
		.id = "bad-unit",
		.rule = "calendar.h: unit is days or working days",
		.start = {2025, 1, 1}, .unit = (enum calendar_unit)0, .n = 1,
		.rc = ZF_EINVAL, .code = "invalid_period", .field = "unit",
	},
	{
		.id = "bad-start",
		.rule = "the start must be a real date",
		.start = {2025, 2, 29}, .unit = WD, .n = 1,
		.rc = ZF_EINVAL, .code = "invalid_date", .field = "start",
	},
};

static void format_skipped(const struct calendar_result *res, char *buf,
			   size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < res->nskipped && used < size; i++) {
		char ds[DATE_STR_LEN];
		const char *name = res->skipped[i].name;

		date_format(res->skipped[i].date, ds);
		used += (size_t)snprintf(buf + used, size - used, "%s%s:%s",
					 i ? " " : "", ds, name ? name : "-");
	}
}

static void check_date(const struct add_row *r, const char *what,
		       struct zf_date got, const char *want)
{
	char ds[DATE_STR_LEN];

	date_format(got, ds);
	if (strcmp(ds, want) != 0)
		fail_msg("%s (%s): %s is %s, want %s", r->id, r->rule, what, ds,
			 want);
}

static void test_add(void **state)
{
	const struct calendar *c = *state;

	for (size_t i = 0; i < ZF_ARRAY_LEN(add_rows); i++) {
		const struct add_row *r = &add_rows[i];
		struct calendar_result res;
		struct zf_error err;
		char skipped[2048];
		int rc;

		zf_error_clear(&err);
		rc = calendar_add(c, r->start, r->unit, r->n, r->allow, &res,
				  &err);
		if (rc != r->rc)
			fail_msg("%s (%s): rc %d, want %d: %s %s", r->id,
				 r->rule, rc, r->rc, err.code, err.message);
		if (rc != ZF_OK) {
			if (strcmp(err.code, r->code) != 0 ||
			    strcmp(err.field, r->field) != 0)
				fail_msg("%s (%s): error %s/%s", r->id, r->rule,
					 err.code, err.field);
			if (r->msg && !strstr(err.message, r->msg))
				fail_msg("%s (%s): message %s", r->id, r->rule,
					 err.message);
			/* A failed call leaves nothing to release. */
			assert_null(res.skipped);
			assert_int_equal(res.nskipped, 0);
			continue;
		}
		check_date(r, "due", res.due, r->due);
		if (res.provisional != r->provisional || res.moved != r->moved)
			fail_msg("%s (%s): provisional %d moved %d", r->id,
				 r->rule, res.provisional, res.moved);
		if (r->unit == CD)
			check_date(r, "unmoved", res.unmoved, r->unmoved);
		else if (res.unmoved.y || res.unmoved.m || res.unmoved.d)
			fail_msg("%s: unmoved set for working days", r->id);
		format_skipped(&res, skipped, sizeof(skipped));
		if (strcmp(skipped, r->skipped) != 0)
			fail_msg("%s (%s): skipped\n  %s\nwant\n  %s", r->id,
				 r->rule, skipped, r->skipped);
		calendar_result_release(&res);
		assert_null(res.skipped);
	}
}

/* The skipped names are the calendar's own strings, not copies. */
static void test_skip_names_borrowed(void **state)
{
	const struct calendar *c = *state;
	struct calendar_result res;

	assert_int_equal(calendar_add(c, day("2025-09-30"),
				      CAL_UNIT_WORKING_DAYS, 5, false, &res,
				      NULL),
			 ZF_OK);
	assert_ptr_equal(res.skipped[0].name,
			 calendar_find(c, day("2025-10-01"))->name);
	calendar_result_release(&res);
}

/*
 * Calendar days: only the last day and the days it moves over decide the
 * answer, so an uncovered year in the middle does not make it provisional.
 */
static void test_gap_year_calendar_days(void **state)
{
	struct calendar c;
	struct calendar_result res;
	struct zf_error err;
	char ds[DATE_STR_LEN];

	(void)state;
	calendar_init(&c);
	assert_int_equal(load(&c, "data/calendar/2024.tsv", NULL), ZF_OK);
	assert_int_equal(load(&c, "data/calendar/2026.tsv", NULL), ZF_OK);
	assert_int_equal(calendar_add(&c, day("2024-06-01"), CAL_UNIT_DAYS,
				      600, false, &res, &err),
			 ZF_OK);
	date_format(res.due, ds);
	assert_string_equal(ds, "2026-01-22");
	assert_false(res.provisional);
	calendar_result_release(&res);
	/* Working days pass through 2025 and cannot be counted without it. */
	assert_int_equal(calendar_add(&c, day("2024-12-31"),
				      CAL_UNIT_WORKING_DAYS, 300, false, &res,
				      &err),
			 ZF_EREFUSED);
	assert_string_equal(err.code, "calendar_year_missing");
	calendar_release(&c);
}

struct bad_row {
	const char *id;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	int rc;
	const char *code;
	const char *field;
};

#define HEAD "year\t2027\nsource\t测试通知\n"
#define GOOD "2027-01-01\tholiday\t元旦\n"
#define BAD(id_, text_, field_) \
	{id_, text_, 0, ZF_EINVAL, "invalid_calendar_file", field_}

static const struct bad_row bad_rows[] = {
	BAD("unknown-kind", HEAD "2027-01-01\tvacation\t元旦\n", "line 3"),
	BAD("kind-case", HEAD "2027-01-01\tHoliday\t元旦\n", "line 3"),
	BAD("no-such-date", HEAD "2027-02-29\tholiday\t春节\n", "line 3"),
	BAD("short-date", HEAD "2027-1-01\tholiday\t元旦\n", "line 3"),
	BAD("date-spaces", HEAD "2027-01-01 \tholiday\t元旦\n", "line 3"),
	BAD("outside-year", HEAD GOOD "2028-01-01\tholiday\t元旦\n", "line 4"),
	BAD("outside-year-before", HEAD "2026-12-31\tholiday\t元旦\n", "line 3"),
	BAD("duplicate", HEAD GOOD "2027-01-02\tholiday\t元旦\n" GOOD, "line 5"),
	BAD("holiday-and-workday",
	    HEAD "2027-01-02\tholiday\t元旦\n2027-01-02\tworkday\t元旦调休\n",
	    "line 4"),
	/* 2027-01-04 is a Monday. */
	BAD("workday-weekday", HEAD GOOD "2027-01-04\tworkday\t元旦调休\n",
	    "line 4"),
	BAD("missing-year", "source\t测试通知\n", "year"),
	BAD("day-before-year", "source\t测试通知\n" GOOD "year\t2027\n",
	    "line 2"),
	BAD("missing-source", "year\t2027\n" GOOD, "source"),
	BAD("header-after-days", "year\t2027\n" GOOD "source\t测试通知\n",
	    "line 3"),
	BAD("repeated-year", "year\t2027\nyear\t2027\nsource\tx\n" GOOD,
	    "line 2"),
	BAD("repeated-source", HEAD "source\tx\n" GOOD, "line 3"),
	BAD("bad-year", "year\t27\nsource\tx\n" GOOD, "line 1"),
	BAD("year-too-early", "year\t1899\nsource\tx\n" GOOD, "line 1"),
	BAD("empty-source", "year\t2027\nsource\t\n" GOOD, "line 2"),
	BAD("unknown-header", "yaer\t2027\n" HEAD GOOD, "line 1"),
	BAD("empty-name", HEAD "2027-01-01\tholiday\t\n", "line 3"),
	BAD("two-fields", HEAD "2027-01-01\tholiday\n", "line 3"),
	BAD("extra-field", HEAD "2027-01-01\tholiday\t元旦\t#\n", "line 3"),
	BAD("bad-utf8", HEAD "2027-01-01\tholiday\t\xe5\x85\n", "line 3"),
	BAD("overlong-utf8", HEAD "2027-01-01\tholiday\t\xc0\xaf\n", "line 3"),
	BAD("control-char", HEAD "2027-01-01\tholiday\t元\x01旦\n", "line 3"),
	BAD("bare-cr", HEAD "2027-01-01\tholiday\t元旦\r2027-01-02\n",
	    "line 3"),
	{"nul-byte", HEAD "2027-01-01\tholiday\t元\0旦\n",
	 sizeof(HEAD "2027-01-01\tholiday\t元\0旦\n") - 1, ZF_EINVAL,
	 "invalid_calendar_file", "line 3"},
	BAD("no-days", HEAD "# nothing yet\n", "days"),
	BAD("empty", "", "year"),
	{"year-exists", "year\t2025\nsource\tx\n2025-01-01\tholiday\t元旦\n", 0,
	 ZF_ECONFLICT, "calendar_year_exists", "line 1"},
};

static void test_bad_files(void **state)
{
	struct calendar *c = *state;
	size_t nyears = c->nyears, ndays = c->ndays;

	for (size_t i = 0; i < ZF_ARRAY_LEN(bad_rows); i++) {
		const struct bad_row *r = &bad_rows[i];
		size_t len = r->len ? r->len : strlen(r->text);
		struct zf_error err;
		int rc;

		zf_error_clear(&err);
		rc = calendar_load_tsv(c, r->text, len, &err);
		if (rc != r->rc || strcmp(err.code, r->code) != 0 ||
		    strcmp(err.field, r->field) != 0)
			fail_msg("%s: rc %d %s/%s, want %d %s/%s (%s)", r->id,
				 rc, err.code, err.field, r->rc, r->code,
				 r->field, err.message);
		assert_true(err.message[0] != '\0');
		if (c->nyears != nyears || c->ndays != ndays ||
		    calendar_covers(c, 2027))
			fail_msg("%s: calendar changed", r->id);
	}
}

/* The rows above differ from this file by one defect each. */
static void test_good_minimal(void **state)
{
	static const char text[] =
		"\xef\xbb\xbf# a comment\r\n"
		"year\t2027\r\n"
		"basis\t全国年节及纪念日放假办法\n"
		"source\t测试通知\n"
		"\n"
		"2027-01-02\tholiday\t元旦\n"
		"2027-01-01\tholiday\t元旦\n"
		"2027-01-09\tworkday\t元旦调休";
	struct calendar copy;
	struct zf_error err;

	(void)state;
	calendar_init(&copy);
	zf_error_clear(&err);
	if (calendar_load_tsv(&copy, text, sizeof(text) - 1, &err) != ZF_OK)
		fail_msg("%s %s %s", err.code, err.field, err.message);
	assert_int_equal(copy.nyears, 1);
	assert_string_equal(copy.years[0].source, "测试通知");
	assert_int_equal(copy.ndays, 3);
	assert_int_equal(copy.days[0].date.d, 1);
	assert_int_equal(copy.days[2].kind, CAL_WORKDAY);
	assert_false(calendar_is_rest_day(&copy, day("2027-01-09")));
	calendar_release(&copy);
}

static void test_load_twice(void **state)
{
	struct calendar *c = *state;
	size_t nyears = c->nyears, ndays = c->ndays;
	struct zf_error err;

	zf_error_clear(&err);
	assert_int_equal(load(c, "data/calendar/2025.tsv", &err), ZF_ECONFLICT);
	assert_string_equal(err.code, "calendar_year_exists");
	assert_int_equal(c->nyears, nyears);
	assert_int_equal(c->ndays, ndays);
}

/* len is honoured: no NUL is needed and bytes past len are not read. */
static void test_not_terminated(void **state)
{
	const struct embed_file *f = file("data/calendar/2026.tsv");
	static const char tail[] = HEAD GOOD "garbage";
	struct calendar c;
	char *copy;

	(void)state;
	copy = zf_malloc(f->len);
	assert_non_null(copy);
	memcpy(copy, f->data, f->len);
	calendar_init(&c);
	assert_int_equal(calendar_load_tsv(&c, copy, f->len, NULL), ZF_OK);
	assert_int_equal(c.ndays, 33 + 6);
	assert_int_equal(calendar_load_tsv(&c, tail, strlen(HEAD GOOD), NULL),
			 ZF_OK);
	assert_true(calendar_covers(&c, 2027));
	zf_free(copy);
	calendar_release(&c);
}

/* STYLE §11: every allocation failure returns ZF_ENOMEM and changes nothing. */
static void test_load_alloc_failure(void **state)
{
	long k;

	(void)state;
	for (k = 1; k < 1000; k++) {
		struct calendar c;
		struct zf_error err;
		int rc;

		calendar_init(&c);
		assert_int_equal(load(&c, "data/calendar/2025.tsv", NULL),
				 ZF_OK);
		zf_error_clear(&err);
		zf_alloc_fail_after(k);
		rc = load(&c, "data/calendar/2026.tsv", &err);
		zf_alloc_fail_after(0);
		if (rc == ZF_OK) {
			assert_int_equal(c.nyears, 2);
			assert_int_equal(c.ndays, 28 + 5 + 33 + 6);
			calendar_release(&c);
			break;
		}
		assert_int_equal(rc, ZF_ENOMEM);
		assert_string_equal(err.code, "out_of_memory");
		assert_int_equal(c.nyears, 1);
		assert_int_equal(c.ndays, 28 + 5);
		assert_false(calendar_covers(&c, 2026));
		calendar_release(&c);
	}
	/* Each of the 39 names and the source is an allocation. */
	assert_true(k > 40);
}

static void test_add_alloc_failure(void **state)
{
	const struct calendar *c = *state;
	long k;

	for (k = 1; k < 100; k++) {
		struct calendar_result res;
		struct zf_error err;
		int rc;

		zf_alloc_fail_after(k);
		rc = calendar_add(c, day("2025-01-01"), CAL_UNIT_WORKING_DAYS,
				  200, false, &res, &err);
		zf_alloc_fail_after(0);
		if (rc == ZF_OK) {
			assert_true(res.nskipped > 16);
			calendar_result_release(&res);
			break;
		}
		assert_int_equal(rc, ZF_ENOMEM);
		assert_null(res.skipped);
		assert_int_equal(res.nskipped, 0);
	}
	assert_true(k > 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_days_sorted),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_skip_names_borrowed),
		cmocka_unit_test(test_gap_year_calendar_days),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_good_minimal),
		cmocka_unit_test(test_load_twice),
		cmocka_unit_test(test_not_terminated),
		cmocka_unit_test(test_load_alloc_failure),
		cmocka_unit_test(test_add_alloc_failure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
