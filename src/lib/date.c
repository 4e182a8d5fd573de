#include <stdio.h>
#include <string.h>

#include "date.h"

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int date_days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool date_is_valid(int y, int m, int d)
{
	return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= date_days_in_month(y, m);
}

/* Read exactly n ASCII digits at s; false if any is not a digit. */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool parse_ymd(const char *s, struct zf_date *out)
{
	int y, m, d;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) ||
	    s[7] != '-' || !digits(s + 8, 2, &d))
		return false;
	if (!date_is_valid(y, m, d))
		return false;
	out->y = y;
	out->m = m;
	out->d = d;
	return true;
}

int date_parse(const char *s, struct zf_date *out, const char *field,
	       struct zf_error *err)
{
	if (!s || strlen(s) != 10 || !parse_ymd(s, out))
		return zf_fail(err, ZF_EINVAL, "invalid_date", field,
			       "日期“%s”无效，应为 YYYY-MM-DD 格式的真实日期",
			       s ? s : "");
	return ZF_OK;
}

void date_format(struct zf_date d, char out[DATE_STR_LEN])
{
	snprintf(out, DATE_STR_LEN, "%04u-%02u-%02u", (unsigned)d.y % 10000u,
		 (unsigned)d.m % 100u, (unsigned)d.d % 100u);
}

/* Howard Hinnant's days-from-civil algorithm (public domain arithmetic). */
int64_t date_to_days(struct zf_date dt)
{
	int64_t y = dt.y - (dt.m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (dt.m + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + dt.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct zf_date date_from_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	struct zf_date r = {(int)y, (int)m, (int)d};
	return r;
}

int date_weekday(struct zf_date d)
{
	int64_t days = date_to_days(d); /* 1970-01-01 was a Thursday (4) */
	int64_t w = (days % 7 + 7 + 3) % 7; /* 0 = Monday */
	return (int)w + 1;
}

struct zf_date date_add_days(struct zf_date d, int64_t n)
{
	return date_from_days(date_to_days(d) + n);
}

struct zf_date date_add_months(struct zf_date d, int n)
{
	int64_t m = (int64_t)d.y * 12 + (d.m - 1) + n;
	struct zf_date r = {(int)(m / 12), (int)(m % 12) + 1, d.d};
	int last = date_days_in_month(r.y, r.m);
	if (r.d > last)
		r.d = last;
	return r;
}

int date_cmp(struct zf_date a, struct zf_date b)
{
	int64_t x = date_to_days(a), y = date_to_days(b);
	return x < y ? -1 : x > y;
}

int instant_parse(const char *s, int64_t *out_us, const char *field,
		  struct zf_error *err)
{
	struct zf_date d;
	int hh = 0, mi = 0, ss = 0;
	int64_t frac_us = 0;
	int64_t offset_s = ZF_LOCAL_OFFSET_S;
	size_t n = s ? strlen(s) : 0;

	if (n < 10 || !parse_ymd(s, &d))
		goto bad;
	if (n == 10)
		goto done;
	if ((s[10] != 'T' && s[10] != ' ') || n < 19 || !digits(s + 11, 2, &hh) ||
	    s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &ss) || hh > 23 || mi > 59 || ss > 59)
		goto bad;
	const char *p = s + 19;
	if (*p == '.') {
		int64_t scale = 100000;
		p++;
		if (*p < '0' || *p > '9')
			goto bad;
		while (*p >= '0' && *p <= '9') {
			frac_us += (*p - '0') * scale;
			scale /= 10;
			p++;
		}
	}
	if (*p == 'Z' && p[1] == '\0') {
		offset_s = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		int oh, om;
		if (!digits(p + 1, 2, &oh) || !digits(p + 4, 2, &om) || oh > 14 ||
		    om > 59)
			goto bad;
		offset_s = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
	} else {
		goto bad;
	}
done:;
	int64_t secs = date_to_days(d) * 86400 + hh * 3600 + mi * 60 + ss - offset_s;
	*out_us = secs * 1000000 + frac_us;
	return ZF_OK;
bad:
	return zf_fail(err, ZF_EINVAL, "invalid_instant", field,
		       "时间“%s”无效，应为 ISO 8601 格式，如 2025-03-01T10:00:00+08:00",
		       s ? s : "");
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

void instant_format(int64_t us, char out[INSTANT_STR_LEN])
{
	int64_t secs = floor_div(us, 1000000);
	int64_t frac = us - secs * 1000000;
	int64_t days = floor_div(secs, 86400);
	int64_t rem = secs - days * 86400;
	struct zf_date d = date_from_days(days);
	snprintf(out, INSTANT_STR_LEN, "%04u-%02u-%02uT%02u:%02u:%02u.%06uZ",
		 (unsigned)d.y % 10000u, (unsigned)d.m % 100u, (unsigned)d.d % 100u,
		 (unsigned)(rem / 3600) % 100u, (unsigned)(rem / 60 % 60) % 100u,
		 (unsigned)(rem % 60) % 100u, (unsigned)frac % 1000000u);
}

struct zf_date instant_local_date(int64_t us)
{
	int64_t secs = floor_div(us, 1000000) + ZF_LOCAL_OFFSET_S;
	return date_from_days(floor_div(secs, 86400));
}

int64_t instant_from_local_date(struct zf_date d)
{
	return (date_to_days(d) * 86400 - ZF_LOCAL_OFFSET_S) * 1000000;
}
