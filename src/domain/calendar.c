/*
 * calendar.c: the per-year holiday table and deadline arithmetic
 * (law.md §0.1, §9).  The file format is described in data/calendar/README.md.
 *
 * The days of all loaded years live in one array sorted by date, so a lookup
 * is a bisection.  A file is parsed into a separate table first and merged
 * only when every line is good and every allocation has succeeded: a
 * rejected file leaves the calendar as it was.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

/* Ten years of days: longer than any period in the laws we count for. */
#define MAX_PERIOD 3660
/* One more than a valid line has, so that extra fields are seen. */
#define MAX_FIELDS 4

struct field {
	const char *p;
	size_t len;
};

/* One file's contents, built aside until the whole file has been read. */
struct pending {
	int year;
	char *source;
	bool has_basis;
	struct calendar_day *days;
	size_t ndays;
	size_t cap;
};

static int line_error(struct zf_error *err, int rc, const char *code,
		      size_t line, const char *fmt, ...) ZF_PRINTF(5, 6);

static int line_error(struct zf_error *err, int rc, const char *code,
		      size_t line, const char *fmt, ...)
{
	char field[32];
	char msg[384];
	va_list ap;

	snprintf(field, sizeof(field), "line %zu", line);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return zf_fail(err, rc, code, field, "节假日安排文件第 %zu 行：%s",
		       line, msg);
}

static int no_memory(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "",
		       "内存不足，无法完成节假日安排的处理");
}

static int cmp_date(struct zf_date a, struct zf_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

static int cmp_day(const void *a, const void *b)
{
	const struct calendar_day *x = a, *y = b;

	return cmp_date(x->date, y->date);
}

static bool is_weekend(struct zf_date d)
{
	return date_weekday(d) >= 6;
}

void calendar_init(struct calendar *c)
{
	memset(c, 0, sizeof(*c));
}

void calendar_release(struct calendar *c)
{
	for (size_t i = 0; i < c->ndays; i++)
		zf_free(c->days[i].name);
	for (size_t i = 0; i < c->nyears; i++)
		zf_free(c->years[i].source);
	zf_free(c->days);
	zf_free(c->years);
	calendar_init(c);
}

bool calendar_covers(const struct calendar *c, int year)
{
	for (size_t i = 0; i < c->nyears; i++)
		if (c->years[i].year == year)
			return true;
	return false;
}

const struct calendar_day *calendar_find(const struct calendar *c,
					 struct zf_date d)
{
	size_t lo = 0, hi = c->ndays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = cmp_date(c->days[mid].date, d);

		if (r == 0)
			return &c->days[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Whether d is a rest day, and the holiday's name if it is a listed one. */
static bool rest_day(const struct calendar *c, struct zf_date d,
		     const char **name)
{
	const struct calendar_day *day = calendar_find(c, d);

	*name = NULL;
	if (!day)
		return is_weekend(d);
	if (day->kind != CAL_HOLIDAY)
		return false;
	*name = day->name;
	return true;
}

bool calendar_is_rest_day(const struct calendar *c, struct zf_date d)
{
	const char *name;

	return rest_day(c, d, &name);
}

static void pending_release(struct pending *pd)
{
	for (size_t i = 0; i < pd->ndays; i++)
		zf_free(pd->days[i].name);
	zf_free(pd->days);
	zf_free(pd->source);
	memset(pd, 0, sizeof(*pd));
}

/*
 * Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF)
 * without control characters other than tab: names and the source are
 * shown to the public and written into documents.
 */
static bool valid_line(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char b = p[i];
		uint32_t cp, min;
		size_t n;

		if (b == '\t') {
			i++;
			continue;
		}
		if (b < 0x20 || b == 0x7f)
			return false;
		if (b < 0x80) {
			i++;
			continue;
		}
		if ((b & 0xe0) == 0xc0) {
			n = 1;
			cp = b & 0x1f;
			min = 0x80;
		} else if ((b & 0xf0) == 0xe0) {
			n = 2;
			cp = b & 0x0f;
			min = 0x800;
		} else if ((b & 0xf8) == 0xf0) {
			n = 3;
			cp = b & 0x07;
			min = 0x10000;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/* Split at tabs; returns the field count, storing at most MAX_FIELDS. */
static size_t split(const char *s, size_t len, struct field f[MAX_FIELDS])
{
	size_t nf = 0, start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '\t')
			continue;
		if (nf < MAX_FIELDS) {
			f[nf].p = s + start;
			f[nf].len = i - start;
		}
		nf++;
		start = i + 1;
	}
	return nf;
}

static bool field_is(struct field f, const char *word)
{
	return f.len == strlen(word) && memcmp(f.p, word, f.len) == 0;
}

static int parse_year(const struct calendar *c, struct pending *pd,
		      struct field f, size_t line, struct zf_error *err)
{
	int y = 0;

	if (pd->year)
		return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
				  "year 行重复");
	if (f.len != 4)
		goto bad;
	for (size_t i = 0; i < 4; i++) {
		if (f.p[i] < '0' || f.p[i] > '9')
			goto bad;
		y = y * 10 + (f.p[i] - '0');
	}
	if (y < 1900)
		goto bad;
	if (calendar_covers(c, y))
		return line_error(err, ZF_ECONFLICT, "calendar_year_exists",
				  line, "%d年的节假日安排已经载入", y);
	pd->year = y;
	return ZF_OK;
bad:
	return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
			  "year 应为四位年份，如 2025");
}

static int parse_header(const struct calendar *c, struct pending *pd,
			const struct field *f, size_t nf, size_t line,
			struct zf_error *err)
{
	if (pd->ndays)
		return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
				  "表头行（year、source、basis）须写在日期行之前");
	if (nf != 2 || f[1].len == 0)
		return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
				  "表头行应为“键<TAB>值”两栏，值不能为空");
	if (field_is(f[0], "year"))
		return parse_year(c, pd, f[1], line, err);
	if (field_is(f[0], "source")) {
		if (pd->source)
			return line_error(err, ZF_EINVAL,
					  "invalid_calendar_file", line,
					  "source 行重复");
		pd->source = zf_strndup(f[1].p, f[1].len);
		return pd->source ? ZF_OK : no_memory(err);
	}
	/* The basis is for people reading the file; only the source is kept. */
	if (pd->has_basis)
		return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
				  "basis 行重复");
	pd->has_basis = true;
	return ZF_OK;
}

static int parse_day(struct pending *pd, const struct field *f, size_t nf,
		     size_t line, struct zf_error *err)
{
	char ds[DATE_STR_LEN];
	struct calendar_day day;

	if (!pd->year)
		return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
				  "日期行之前缺少 year 行");
	if (nf != 3)
		return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
				  "日期行应为“日期<TAB>类型<TAB>名称”三栏");
	if (f[0].len != DATE_STR_LEN - 1)
		goto bad_date;
	memcpy(ds, f[0].p, f[0].len);
	ds[f[0].len] = '\0';
	if (date_parse(ds, &day.date, "date", NULL) != ZF_OK)
		goto bad_date;
	if (day.date.y != pd->year)
		return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
				  "日期 %s 不在本文件声明的%d年内", ds,
				  pd->year);
	if (field_is(f[1], "holiday"))
		day.kind = CAL_HOLIDAY;
	else if (field_is(f[1], "workday"))
		day.kind = CAL_WORKDAY;
	else
		return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
				  "类型应为 holiday（放假）或 workday（调休上班）");
	if (f[2].len == 0)
		return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
				  "节日名称不能为空");
	/* A make-up day means something only on a day otherwise off. */
	if (day.kind == CAL_WORKDAY && !is_weekend(day.date))
		return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
				  "调休上班日 %s 不是周六或周日", ds);
	/* A file holds at most 366 days, so a linear search is cheap enough. */
	for (size_t i = 0; i < pd->ndays; i++)
		if (cmp_date(pd->days[i].date, day.date) == 0)
			return line_error(err, ZF_EINVAL,
					  "invalid_calendar_file", line,
					  "日期 %s 重复列出", ds);
	if (pd->ndays == pd->cap) {
		size_t cap = pd->cap ? pd->cap * 2 : 32;
		struct calendar_day *days =
			zf_realloc(pd->days, cap * sizeof(*days));

		if (!days)
			return no_memory(err);
		pd->days = days;
		pd->cap = cap;
	}
	day.name = zf_strndup(f[2].p, f[2].len);
	if (!day.name)
		return no_memory(err);
	pd->days[pd->ndays++] = day;
	return ZF_OK;
bad_date:
	return line_error(err, ZF_EINVAL, "invalid_calendar_file", line,
			  "日期无效，应为 YYYY-MM-DD 格式的真实日期");
}

static int parse_file(const struct calendar *c, const char *text, size_t len,
		      struct pending *pd, struct zf_error *err)
{
	size_t pos = 0, line = 0;

	/* Editors on Windows write a byte-order mark; it carries no meaning. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		struct field f[MAX_FIELDS];
		size_t nf;
		int rc;

		pos += n + (nl ? 1 : 0);
		line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (!valid_line(s, n))
			return line_error(err, ZF_EINVAL,
					  "invalid_calendar_file", line,
					  "含有控制字符或无效的 UTF-8 编码");
		if (n == 0 || s[0] == '#')
			continue;
		nf = split(s, n, f);
		if (field_is(f[0], "year") || field_is(f[0], "source") ||
		    field_is(f[0], "basis"))
			rc = parse_header(c, pd, f, nf, line, err);
		else if (f[0].len > 0 && f[0].p[0] >= '0' && f[0].p[0] <= '9')
			rc = parse_day(pd, f, nf, line, err);
		else
			rc = line_error(err, ZF_EINVAL, "invalid_calendar_file",
					line,
					"无法识别的行，应为 year、source、basis 或日期行");
		if (rc != ZF_OK)
			return rc;
	}
	if (!pd->year)
		return zf_fail(err, ZF_EINVAL, "invalid_calendar_file", "year",
			       "节假日安排文件缺少 year 行");
	if (!pd->source)
		return zf_fail(err, ZF_EINVAL, "invalid_calendar_file",
			       "source", "节假日安排文件缺少 source 行（所依据的通知）");
	/* An empty year would silently count every holiday as a working day. */
	if (!pd->ndays)
		return zf_fail(err, ZF_EINVAL, "invalid_calendar_file", "days",
			       "节假日安排文件没有任何放假或调休日期");
	return ZF_OK;
}

/* Takes over pd's names and source; cannot fail once it has allocated. */
static int merge(struct calendar *c, struct pending *pd, struct zf_error *err)
{
	struct calendar_day *days;
	struct calendar_year *years;
	size_t i = 0, j = 0, k = 0, at;

	qsort(pd->days, pd->ndays, sizeof(*pd->days), cmp_day);
	days = zf_calloc(c->ndays + pd->ndays, sizeof(*days));
	if (!days)
		return no_memory(err);
	years = zf_realloc(c->years, (c->nyears + 1) * sizeof(*years));
	if (!years) {
		zf_free(days);
		return no_memory(err);
	}
	c->years = years;

	/* Years never overlap, so no two entries compare equal. */
	while (i < c->ndays || j < pd->ndays) {
		if (j == pd->ndays ||
		    (i < c->ndays && cmp_day(&c->days[i], &pd->days[j]) < 0))
			days[k++] = c->days[i++];
		else
			days[k++] = pd->days[j++];
	}
	zf_free(c->days);
	c->days = days;
	c->ndays = k;

	for (at = 0; at < c->nyears && c->years[at].year < pd->year; at++)
		;
	memmove(&c->years[at + 1], &c->years[at],
		(c->nyears - at) * sizeof(*c->years));
	c->years[at].year = pd->year;
	c->years[at].source = pd->source;
	c->nyears++;

	zf_free(pd->days);
	memset(pd, 0, sizeof(*pd));
	return ZF_OK;
}

int calendar_load_tsv(struct calendar *c, const char *text, size_t len,
		      struct zf_error *err)
{
	struct pending pd;
	int rc;

	memset(&pd, 0, sizeof(pd));
	rc = parse_file(c, text, len, &pd, err);
	if (rc == ZF_OK)
		rc = merge(c, &pd, err);
	pending_release(&pd);
	return rc;
}

struct walk {
	const struct calendar *c;
	bool allow_provisional;
	struct calendar_result *res;
	size_t cap;
	struct zf_error *err;
};

/*
 * Called for every day whose kind decides the answer.  An uncovered year's
 * holidays are unknown, so the answer is either refused or marked to be
 * recomputed once the year is loaded (law.md §9.0a).
 */
static int examine(struct walk *w, struct zf_date d)
{
	if (calendar_covers(w->c, d.y))
		return ZF_OK;
	if (!w->allow_provisional)
		return zf_fail(w->err, ZF_EREFUSED, "calendar_year_missing",
			       "date",
			       "%d年的节假日安排尚未载入，无法确定期限届满日；"
			       "请先载入该年的放假通知，或按仅扣除周末的临时结果计算",
			       d.y);
	w->res->provisional = true;
	return ZF_OK;
}

static int skip(struct walk *w, struct zf_date d, const char *name)
{
	struct calendar_result *res = w->res;

	if (res->nskipped == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct calendar_skip *s =
			zf_realloc(res->skipped, cap * sizeof(*s));

		if (!s)
			return no_memory(w->err);
		res->skipped = s;
		w->cap = cap;
	}
	res->skipped[res->nskipped].date = d;
	res->skipped[res->nskipped].name = name;
	res->nskipped++;
	return ZF_OK;
}

/*
 * 处罚法 Art. 85, 许可法 Art. 82, 强制法 Art. 69: the start day is not
 * counted, and rest days are not counted either.
 */
static int add_working_days(struct walk *w, struct zf_date start, int n)
{
	struct zf_date d = start;
	int counted = 0;

	while (counted < n) {
		const char *name;
		int rc;

		d = date_add_days(d, 1);
		rc = examine(w, d);
		if (rc != ZF_OK)
			return rc;
		if (!rest_day(w->c, d, &name))
			counted++;
		else if ((rc = skip(w, d, name)) != ZF_OK)
			return rc;
	}
	w->res->due = d;
	return ZF_OK;
}

/*
 * 民事诉讼法 Art. 85: the start day is not counted, and a last day that is
 * a rest day gives way to the next working day.  The days in between do not
 * change the answer, so only the last day and the days it moves over are
 * examined: a year missing in the middle of a long period does not make the
 * result provisional.
 */
static int add_calendar_days(struct walk *w, struct zf_date start, int n)
{
	struct zf_date d = date_add_days(start, n);
	const char *name;
	int rc;

	w->res->unmoved = d;
	for (;;) {
		rc = examine(w, d);
		if (rc != ZF_OK)
			return rc;
		if (!rest_day(w->c, d, &name))
			break;
		rc = skip(w, d, name);
		if (rc != ZF_OK)
			return rc;
		d = date_add_days(d, 1);
	}
	w->res->due = d;
	w->res->moved = cmp_date(d, w->res->unmoved) != 0;
	return ZF_OK;
}

int calendar_add(const struct calendar *c, struct zf_date start,
		 enum calendar_unit unit, int n, bool allow_provisional,
		 struct calendar_result *res, struct zf_error *err)
{
	struct walk w = {
		.c = c,
		.allow_provisional = allow_provisional,
		.res = res,
		.err = err,
	};
	int rc;

	memset(res, 0, sizeof(*res));
	if (n < 0 || n > MAX_PERIOD)
		return zf_fail(err, ZF_EINVAL, "invalid_period", "n",
			       "期限应为 0 至 %d 天，实为 %d", MAX_PERIOD, n);
	if (!date_is_valid(start.y, start.m, start.d))
		return zf_fail(err, ZF_EINVAL, "invalid_date", "start",
			       "期限的起算日期无效");
	if (unit == CAL_UNIT_WORKING_DAYS)
		rc = add_working_days(&w, start, n);
	else if (unit == CAL_UNIT_DAYS)
		rc = add_calendar_days(&w, start, n);
	else
		rc = zf_fail(err, ZF_EINVAL, "invalid_period", "unit",
			     "期限单位应为日或工作日");
	if (rc != ZF_OK)
		calendar_result_release(res);
	return rc;
}

void calendar_result_release(struct calendar_result *res)
{
	zf_free(res->skipped);
	memset(res, 0, sizeof(*res));
}

int calendar_copy(struct calendar *dst, const struct calendar *src)
{
	calendar_init(dst);
	if (src->nyears && !(dst->years = zf_calloc(src->nyears, sizeof(*dst->years))))
		goto oom;
	for (size_t i = 0; i < src->nyears; i++, dst->nyears++) {
		dst->years[i].year = src->years[i].year;
		if (!(dst->years[i].source = zf_strdup(src->years[i].source)))
			goto oom;
	}
	if (src->ndays && !(dst->days = zf_calloc(src->ndays, sizeof(*dst->days))))
		goto oom;
	for (size_t i = 0; i < src->ndays; i++, dst->ndays++) {
		dst->days[i] = src->days[i];
		if (!(dst->days[i].name = zf_strdup(src->days[i].name)))
			goto oom;
	}
	return ZF_OK;
oom:
	calendar_release(dst);
	return ZF_ENOMEM;
}
