/*
 * Tests for the small pieces of src/lib every module leans on: legal dates
 * and instants (date.c), the size-limited buffer (buf.c), free-text and
 * number checks (text.c) and UUIDv7 identifiers (uuid.c).
 *
 * Dates are what the law counts in (law.md §0.1), and China is UTC+8 all
 * year (date.h), so the local date of an instant is checked on both sides of
 * 16:00Z.  Expected weekdays and day numbers were computed independently
 * (GNU date and Python's datetime), not with date.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "date.h"
#include "text.h"
#include "uuid.h"

static struct zf_date ymd(int y, int m, int d)
{
	struct zf_date r = {y, m, d};
	return r;
}

static void assert_date(struct zf_date got, int y, int m, int d)
{
	if (got.y != y || got.m != m || got.d != d)
		fail_msg("date %04d-%02d-%02d, want %04d-%02d-%02d", got.y, got.m,
			 got.d, y, m, d);
}

static int64_t instant(const char *s)
{
	int64_t us = 0;
	struct zf_error err;

	if (instant_parse(s, &us, "t", &err) != ZF_OK)
		fail_msg("instant_parse(\"%s\"): %s", s, err.message);
	return us;
}

static void expect_format(int64_t us, const char *want)
{
	char out[INSTANT_STR_LEN];

	instant_format(us, out);
	assert_string_equal(out, want);
}

/* ---- date_parse ---- */

static void test_date_parse_valid(void **state)
{
	static const struct {
		const char *s;
		int y, m, d;
	} rows[] = {
		{"2024-02-29", 2024, 2, 29},	/* leap year */
		{"2000-02-29", 2000, 2, 29},	/* divisible by 400 */
		{"2025-12-31", 2025, 12, 31},
		{"1900-01-01", 1900, 1, 1},	/* first year allowed */
		{"9999-12-31", 9999, 12, 31},	/* last year allowed */
		{"2025-04-30", 2025, 4, 30},
	};
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(rows); i++) {
		struct zf_date d = {0, 0, 0};
		struct zf_error err;
		char back[DATE_STR_LEN];

		if (date_parse(rows[i].s, &d, "date", &err) != ZF_OK)
			fail_msg("\"%s\" refused: %s", rows[i].s, err.message);
		assert_date(d, rows[i].y, rows[i].m, rows[i].d);
		date_format(d, back);
		assert_string_equal(back, rows[i].s);
	}
}

/* date.h: strict YYYY-MM-DD, a real date, 1900-9999; nothing else. */
static void test_date_parse_invalid(void **state)
{
	static const char *const rows[] = {
		"2025-02-29",	/* not a leap year */
		"2100-02-29",	/* divisible by 100, not by 400 */
		"2025-1-01",	/* month without leading zero */
		"2025-01-1",
		"25-01-01",
		"2025-01-01x",	/* trailing characters */
		"2025-01-01 ",
		"2025-01-01T00:00:00Z",
		" 2025-01-01",
		"2025/01/01",
		"20250101",
		"2025-13-01",
		"2025-00-10",
		"2025-04-31",
		"2025-01-00",
		"1899-12-31",	/* before 1900 */
		"+025-01-01",
		"２０２５-01-01",	/* full-width digits */
		"",
	};
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(rows); i++) {
		struct zf_date d = {1, 2, 3};
		struct zf_error err;

		zf_error_clear(&err);
		if (date_parse(rows[i], &d, "valid_from", &err) != ZF_EINVAL)
			fail_msg("\"%s\" accepted", rows[i]);
		assert_int_equal(err.rc, ZF_EINVAL);
		assert_string_equal(err.code, "invalid_date");
		assert_string_equal(err.field, "valid_from");
		/* a refused date writes nothing */
		assert_date(d, 1, 2, 3);
	}
	{
		struct zf_date d;
		struct zf_error err;

		assert_int_equal(date_parse(NULL, &d, "f", &err), ZF_EINVAL);
		assert_string_equal(err.code, "invalid_date");
		/* err may be NULL */
		assert_int_equal(date_parse("2025-02-30", &d, "f", NULL),
				 ZF_EINVAL);
	}
}

static void test_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2025, 2), 28);
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2000, 2), 29);
	assert_int_equal(date_days_in_month(2025, 4), 30);
	assert_int_equal(date_days_in_month(2025, 12), 31);
	assert_int_equal(date_days_in_month(2025, 0), 0);
	assert_int_equal(date_days_in_month(2025, 13), 0);
	assert_false(date_is_valid(2025, 2, 29));
	assert_true(date_is_valid(2024, 2, 29));
}

/* ---- day numbers ---- */

static void test_days_known(void **state)
{
	(void)state;
	assert_int_equal(date_to_days(ymd(1970, 1, 1)), 0);
	assert_int_equal(date_to_days(ymd(1969, 12, 31)), -1);
	assert_int_equal(date_to_days(ymd(2000, 3, 1)), 11017);
	assert_int_equal(date_to_days(ymd(1900, 1, 1)), -25567);
	assert_int_equal(date_to_days(ymd(2100, 12, 31)), 47846);
	assert_date(date_from_days(0), 1970, 1, 1);
	assert_date(date_from_days(-25567), 1900, 1, 1);
	assert_date(date_from_days(11017), 2000, 3, 1);
}

/* Every day from 1900 to 2100: the numbers are consecutive and round-trip. */
static void test_days_round_trip(void **state)
{
	struct zf_date d = ymd(1900, 1, 1);
	int64_t n = date_to_days(d);
	long count = 0;

	(void)state;
	while (d.y <= 2100) {
		struct zf_date back = date_from_days(n);

		if (date_to_days(d) != n || back.y != d.y || back.m != d.m ||
		    back.d != d.d)
			fail_msg("%04d-%02d-%02d: day %lld round-trips to "
				 "%04d-%02d-%02d", d.y, d.m, d.d, (long long)n,
				 back.y, back.m, back.d);
		assert_true(date_is_valid(d.y, d.m, d.d));
		assert_int_equal(date_cmp(d, date_add_days(d, 1)), -1);
		assert_int_equal(date_cmp(date_add_days(d, 1), d), 1);
		assert_int_equal(date_cmp(d, d), 0);
		/* the next calendar day, counted by hand */
		if (d.d < date_days_in_month(d.y, d.m)) {
			d.d++;
		} else if (d.m < 12) {
			d.m++;
			d.d = 1;
		} else {
			d.y++;
			d.m = 1;
			d.d = 1;
		}
		n++;
		count++;
	}
	/* 201 years, 49 of them leap (1900 and 2100 are not) */
	assert_int_equal(count, 201 * 365 + 49);
}

/* ISO weekday, 1 Monday ... 7 Sunday (date.h). */
static void test_weekday(void **state)
{
	static const struct {
		int y, m, d, wd;
	} rows[] = {
		{2025, 10, 1, 3},	/* 国庆节 2025: Wednesday */
		{2026, 2, 17, 2},	/* 春节 2026 (正月初一): Tuesday */
		{1970, 1, 1, 4},
		{2024, 2, 29, 4},
		{1900, 1, 1, 1},
		{2000, 1, 1, 6},
		{2100, 12, 31, 5},
		{2026, 12, 20, 7},
		{2027, 1, 15, 5},
	};
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(rows); i++) {
		int wd = date_weekday(ymd(rows[i].y, rows[i].m, rows[i].d));
		if (wd != rows[i].wd)
			fail_msg("%04d-%02d-%02d: weekday %d, want %d", rows[i].y,
				 rows[i].m, rows[i].d, wd, rows[i].wd);
	}
	/* seven consecutive days give each weekday once */
	for (int i = 0, seen = 0; i < 7; i++) {
		seen |= 1 << date_weekday(date_add_days(ymd(2025, 3, 1), i));
		if (i == 6)
			assert_int_equal(seen, 0xfe);
	}
}

static void test_add_days(void **state)
{
	(void)state;
	assert_date(date_add_days(ymd(2024, 2, 28), 1), 2024, 2, 29);
	assert_date(date_add_days(ymd(2025, 2, 28), 1), 2025, 3, 1);
	assert_date(date_add_days(ymd(2025, 12, 31), 1), 2026, 1, 1);
	assert_date(date_add_days(ymd(2026, 1, 1), -1), 2025, 12, 31);
	assert_date(date_add_days(ymd(2025, 3, 1), 90), 2025, 5, 30);
}

/* 民法典 Art. 202: a period in months ends on the same day of the month,
 * or on the last day of a month that has no such day. */
static void test_add_months(void **state)
{
	(void)state;
	assert_date(date_add_months(ymd(2025, 3, 1), 3), 2025, 6, 1);
	assert_date(date_add_months(ymd(2025, 4, 15), 0), 2025, 4, 15);
	assert_date(date_add_months(ymd(2025, 11, 30), 3), 2026, 2, 28);
	assert_date(date_add_months(ymd(2023, 11, 30), 3), 2024, 2, 29);
	assert_date(date_add_months(ymd(2025, 5, 31), 1), 2025, 6, 30);
	assert_date(date_add_months(ymd(2025, 10, 15), 3), 2026, 1, 15);
	assert_date(date_add_months(ymd(2024, 2, 29), 12), 2025, 2, 28);
	assert_date(date_add_months(ymd(2025, 12, 31), 24), 2027, 12, 31);
	/* three months are 89 to 92 days, never a fixed 90 */
	assert_int_equal(date_to_days(date_add_months(ymd(2025, 7, 1), 3)) -
			 date_to_days(ymd(2025, 7, 1)), 92);
	assert_int_equal(date_to_days(date_add_months(ymd(2025, 12, 1), 3)) -
			 date_to_days(ymd(2025, 12, 1)), 90);
	assert_int_equal(date_to_days(date_add_months(ymd(2025, 11, 30), 3)) -
			 date_to_days(ymd(2025, 11, 30)), 90);
	assert_int_equal(date_to_days(date_add_months(ymd(2025, 11, 1), 3)) -
			 date_to_days(ymd(2025, 11, 1)), 92);
}

/* ---- instants ---- */

static void test_instant_parse(void **state)
{
	int64_t base = instant("2025-03-01T02:00:00Z");

	(void)state;
	/* 2025-03-01T02:00:00Z is 1740794400 s after the epoch */
	assert_int_equal(base, 1740794400LL * 1000000);
	assert_int_equal(instant("2025-03-01T10:00:00+08:00"), base);
	assert_int_equal(instant("2025-02-28T21:00:00-05:00"), base);
	assert_int_equal(instant("2025-03-01T02:00:00+00:00"), base);
	assert_int_equal(instant("2025-03-01T02:00:00.5Z"), base + 500000);
	assert_int_equal(instant("2025-03-01T02:00:00.000001Z"), base + 1);
	assert_int_equal(instant("2025-03-01T10:00:00.123456+08:00"),
			 base + 123456);
	/* date.h: a bare date is local (UTC+8) midnight, the previous day 16:00Z */
	assert_int_equal(instant("2025-03-01"), instant("2025-02-28T16:00:00Z"));
	assert_int_equal(instant("2025-03-01"),
			 instant_from_local_date(ymd(2025, 3, 1)));
	assert_int_equal(instant("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(instant("1970-01-01"), -8LL * 3600 * 1000000);
}

static void test_instant_parse_invalid(void **state)
{
	static const char *const rows[] = {
		"2025-03-01T10:00:00",		/* no zone */
		"2025-03-01T10:00Z",		/* no seconds */
		"2025-03-01T24:00:00Z",
		"2025-03-01T10:60:00Z",
		"2025-03-01T10:00:60Z",
		"2025-03-01T10:00:00+0800",
		"2025-03-01T10:00:00+08",
		"2025-03-01T10:00:00+15:00",
		"2025-03-01T10:00:00.Z",
		"2025-03-01T10:00:00Zx",
		"2025-03-01T10:00:00Z ",
		"2025-02-29T10:00:00Z",
		"2025-03-01x",
		"2025-3-01",
		"",
	};
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(rows); i++) {
		int64_t us = 7;
		struct zf_error err;

		zf_error_clear(&err);
		if (instant_parse(rows[i], &us, "ZHIFA_NOW", &err) != ZF_EINVAL)
			fail_msg("\"%s\" accepted", rows[i]);
		assert_string_equal(err.code, "invalid_instant");
		assert_string_equal(err.field, "ZHIFA_NOW");
		assert_int_equal(us, 7);
	}
	{
		int64_t us;
		assert_int_equal(instant_parse(NULL, &us, "t", NULL), ZF_EINVAL);
	}
}

/* date.h: UTC, microsecond precision. */
static void test_instant_format(void **state)
{
	(void)state;
	expect_format(0, "1970-01-01T00:00:00.000000Z");
	expect_format(-1, "1969-12-31T23:59:59.999999Z");
	expect_format(instant("2025-03-01T10:00:00+08:00"),
		      "2025-03-01T02:00:00.000000Z");
	expect_format(instant("2025-03-01T10:00:00.000042+08:00"),
		      "2025-03-01T02:00:00.000042Z");
	expect_format(instant("2025-03-01"), "2025-02-28T16:00:00.000000Z");
	expect_format(instant("2024-12-31T23:59:59.999999Z"),
		      "2024-12-31T23:59:59.999999Z");
}

/* date.h: the local date is UTC+8, whatever the process's time zone. */
static void test_instant_local_date(void **state)
{
	(void)state;
	assert_date(instant_local_date(instant("2025-03-01T15:59:59.999999Z")),
		    2025, 3, 1);
	assert_date(instant_local_date(instant("2025-03-01T16:00:00Z")),
		    2025, 3, 2);
	assert_date(instant_local_date(instant("2025-03-01T00:00:00+08:00")),
		    2025, 3, 1);
	assert_date(instant_local_date(instant("2025-02-28T23:59:59.999999+08:00")),
		    2025, 2, 28);
	assert_date(instant_local_date(instant("2024-12-31T16:00:00Z")),
		    2025, 1, 1);
	assert_date(instant_local_date(0), 1970, 1, 1);
	assert_date(instant_local_date(-8LL * 3600 * 1000000 - 1), 1969, 12, 31);
	/* the local midnight of d is d */
	for (int i = 0; i < 400; i++) {
		struct zf_date d = date_add_days(ymd(2024, 1, 1), i);
		int64_t us = instant_from_local_date(d);
		struct zf_date got = instant_local_date(us);
		struct zf_date before = instant_local_date(us - 1);

		assert_date(got, d.y, d.m, d.d);
		assert_int_equal(date_to_days(before), date_to_days(d) - 1);
	}
}

/* ---- buf ---- */

/* buf.h: past the maximum, ZF_ETOOBIG and the buffer as it was. */
static void test_buf_limit(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "abcd"), ZF_OK);
	assert_int_equal(buf_append(&b, "56789", 5), ZF_ETOOBIG);
	assert_int_equal(b.len, 4);
	assert_string_equal(buf_cstr(&b), "abcd");
	assert_int_equal(buf_printf(&b, "%d", 12345), ZF_ETOOBIG);
	assert_int_equal(b.len, 4);
	assert_string_equal(buf_cstr(&b), "abcd");
	/* a length that would overflow len + n is refused too */
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), ZF_ETOOBIG);
	assert_string_equal(buf_cstr(&b), "abcd");
	/* exactly the maximum fits */
	assert_int_equal(buf_printf(&b, "%s", "5678"), ZF_OK);
	assert_int_equal(b.len, 8);
	assert_string_equal(buf_cstr(&b), "abcd5678");
	assert_int_equal(buf_putc(&b, '9'), ZF_ETOOBIG);
	assert_int_equal(buf_append(&b, "", 0), ZF_OK);
	assert_int_equal(b.len, 8);
	assert_string_equal(buf_cstr(&b), "abcd5678");
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "处罚"), ZF_OK);
	{
		size_t len = 0;
		char *p = buf_detach(&b, &len);

		assert_int_equal(len, 6);
		assert_string_equal(p, "处罚");
		zf_free(p);
	}
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 8);
	buf_release(&b);
}

/* STYLE §11: a failed allocation leaves the buffer as it was. */
static void test_buf_alloc_failure(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_puts(&b, "abc"), ZF_OK);
	zf_alloc_fail_after(1);
	assert_int_equal(buf_append(&b, "0123456789012345678901234567890123456789"
				    "0123456789012345678901234567890123456789",
				    80), ZF_ENOMEM);
	zf_alloc_fail_after(0);
	assert_int_equal(b.len, 3);
	assert_string_equal(buf_cstr(&b), "abc");
	buf_release(&b);
}

/* ---- text ---- */

static void expect_text_error(const char *s, long max, bool required,
			      const char *code)
{
	struct zf_error err;

	zf_error_clear(&err);
	if (text_check(s, "address", max, required, &err) != ZF_EINVAL)
		fail_msg("text_check accepted \"%s\"", s ? s : "(null)");
	assert_string_equal(err.code, code);
	assert_string_equal(err.field, "address");
}

static void test_text_check(void **state)
{
	struct zf_error err;

	(void)state;
	assert_int_equal(text_check("临河区胜利路1号", "address", 200, true, &err),
			 ZF_OK);
	assert_int_equal(text_check(NULL, "address", 200, false, &err), ZF_OK);
	assert_int_equal(text_check("", "address", 200, false, &err), ZF_OK);
	expect_text_error(NULL, 200, true, "required");
	expect_text_error("", 200, true, "required");
	/* control characters, including tab, newline and DEL */
	expect_text_error("a\tb", 200, true, "invalid_text");
	expect_text_error("a\nb", 200, true, "invalid_text");
	expect_text_error("\x1f", 200, true, "invalid_text");
	expect_text_error("a\x7f", 200, true, "invalid_text");
	/* invalid UTF-8: overlong '/', surrogate, past U+10FFFF, truncated,
	 * stray continuation byte, 0xff */
	expect_text_error("\xc0\xaf", 200, true, "invalid_text");
	expect_text_error("\xe0\x80\xaf", 200, true, "invalid_text");
	expect_text_error("\xed\xa0\x80", 200, true, "invalid_text");
	expect_text_error("\xf4\x90\x80\x80", 200, true, "invalid_text");
	expect_text_error("\xe5\xa4", 200, true, "invalid_text");
	expect_text_error("a\x80", 200, true, "invalid_text");
	expect_text_error("\xff", 200, true, "invalid_text");
	/* the limit counts characters, not bytes */
	assert_int_equal(text_check("处罚法", "address", 3, true, &err), ZF_OK);
	expect_text_error("处罚法第", 3, true, "invalid_text");
	assert_int_equal(text_check("\xf0\x9f\x98\x80", "address", 1, true, &err),
			 ZF_OK);
	assert_int_equal(text_utf8_len("处罚a"), 3);
	assert_int_equal(text_utf8_len("\xc0\xaf"), -1);
}

static void test_text_parse_int(void **state)
{
	static const struct {
		const char *s;
		int64_t min, max, want;
		bool ok;
	} rows[] = {
		{"0", -10, 10, 0, true},
		{"10", -10, 10, 10, true},		/* bounds are inclusive */
		{"-10", -10, 10, -10, true},
		{"11", -10, 10, 0, false},
		{"-11", -10, 10, 0, false},
		{"30", 1, 30, 30, true},
		{"31", 1, 30, 0, false},
		{"0", 1, 30, 0, false},
		{"999999999999999999", 0, INT64_MAX, 999999999999999999LL, true},
		{"1234567890123456789", 0, INT64_MAX, 0, false},	/* 19 digits */
		{"", 0, 10, 0, false},
		{"-", 0, 10, 0, false},
		{"abc", 0, 10, 0, false},
		{"1a", 0, 10, 0, false},
		{" 1", 0, 10, 0, false},
		{"1 ", 0, 10, 0, false},
		{"+1", 0, 10, 0, false},
		{"1.0", 0, 10, 0, false},
		{"0x1", 0, 10, 0, false},
		{"--1", -10, 10, 0, false},
		{"１", 0, 10, 0, false},	/* full-width digit */
	};
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(rows); i++) {
		int64_t v = -777;
		struct zf_error err;
		int rc;

		zf_error_clear(&err);
		rc = text_parse_int(rows[i].s, rows[i].min, rows[i].max, &v,
				    "value", &err);
		if (rows[i].ok) {
			if (rc != ZF_OK)
				fail_msg("\"%s\" refused: %s", rows[i].s,
					 err.message);
			assert_int_equal(v, rows[i].want);
		} else {
			if (rc != ZF_EINVAL)
				fail_msg("\"%s\" accepted as %lld", rows[i].s,
					 (long long)v);
			assert_string_equal(err.code, "invalid_number");
			assert_string_equal(err.field, "value");
			assert_int_equal(v, -777);
		}
	}
	{
		int64_t v = -777;
		assert_int_equal(text_parse_int(NULL, 0, 10, &v, "value", NULL),
				 ZF_EINVAL);
		assert_int_equal(v, -777);
	}
}

/* ---- uuid ---- */

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c - 'a' + 10;
}

/* RFC 9562 §5.7: 48-bit ms timestamp, version 7, variant 10. */
static void test_uuid_v7_format(void **state)
{
	int64_t now = instant("2025-03-01T10:00:00+08:00");
	char u[UUID_STR_LEN];
	uint64_t ms = 0;

	(void)state;
	assert_int_equal(uuid_v7(now, u), ZF_OK);
	assert_int_equal(strlen(u), 36);
	assert_true(uuid_is_valid(u));
	assert_int_equal(u[8], '-');
	assert_int_equal(u[13], '-');
	assert_int_equal(u[18], '-');
	assert_int_equal(u[23], '-');
	assert_int_equal(u[14], '7');
	assert_non_null(strchr("89ab", u[19]));
	for (int i = 0; i < 13; i++)
		if (i != 8)
			ms = ms * 16 + (uint64_t)hexval(u[i]);
	assert_int_equal(ms, (uint64_t)(now / 1000));
	/* 2025-03-01T02:00:00Z = 0x01954f6e8d00 ms */
	assert_memory_equal(u, "01954f6e-8d00-7", 15);
}

/* Rows sort by creation: a later millisecond gives a larger id. */
static void test_uuid_v7_order(void **state)
{
	int64_t now = instant("2025-03-01T10:00:00+08:00");
	char prev[UUID_STR_LEN], cur[UUID_STR_LEN];

	(void)state;
	assert_int_equal(uuid_v7(now, prev), ZF_OK);
	for (int i = 1; i <= 2000; i++) {
		/* steps from 1 ms to about 2^20 ms, so every digit rolls over */
		int64_t step = (int64_t)1000 * (i < 1000 ? 1 : (i - 999) * 1024);

		now += step;
		assert_int_equal(uuid_v7(now, cur), ZF_OK);
		if (strcmp(prev, cur) >= 0)
			fail_msg("%s is not after %s", cur, prev);
		memcpy(prev, cur, sizeof(prev));
	}
	/* two ids in one millisecond still differ (74 random bits) */
	assert_int_equal(uuid_v7(now, cur), ZF_OK);
	assert_int_equal(uuid_v7(now, prev), ZF_OK);
	assert_string_not_equal(cur, prev);
}

static void test_uuid_is_valid(void **state)
{
	(void)state;
	assert_true(uuid_is_valid("01954f6e-8d00-7abc-8def-0123456789ab"));
	assert_false(uuid_is_valid("01954F6E-8D00-7ABC-8DEF-0123456789AB"));
	assert_false(uuid_is_valid("01954f6e8d007abc8def0123456789ab"));
	assert_false(uuid_is_valid("01954f6e-8d00-7abc-8def-0123456789a"));
	assert_false(uuid_is_valid("01954f6e-8d00-7abc-8def-0123456789abc"));
	assert_false(uuid_is_valid("01954f6e-8d007-abc-8def-0123456789ab"));
	assert_false(uuid_is_valid("01954f6g-8d00-7abc-8def-0123456789ab"));
	assert_false(uuid_is_valid(""));
	assert_false(uuid_is_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_parse_valid),
		cmocka_unit_test(test_date_parse_invalid),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_days_known),
		cmocka_unit_test(test_days_round_trip),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_instant_parse),
		cmocka_unit_test(test_instant_parse_invalid),
		cmocka_unit_test(test_instant_format),
		cmocka_unit_test(test_instant_local_date),
		cmocka_unit_test(test_buf_limit),
		cmocka_unit_test(test_buf_alloc_failure),
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_text_parse_int),
		cmocka_unit_test(test_uuid_v7_format),
		cmocka_unit_test(test_uuid_v7_order),
		cmocka_unit_test(test_uuid_is_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
