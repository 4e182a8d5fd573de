/*
 * date: legal dates (a local calendar day, YYYY-MM-DD) and instants (UTC
 * microseconds since the epoch).
 *
 * Legal dates are what the law counts in; China is UTC+8 all year, so the
 * local date of an instant is computed with a fixed offset and never from
 * the process's time zone.  Everything here is pure arithmetic.
 */
#ifndef ZF_DATE_H
#define ZF_DATE_H

#include "zf.h"

struct zf_date {
	int y, m, d;
};

#define DATE_STR_LEN 11		/* "YYYY-MM-DD" + NUL */
#define INSTANT_STR_LEN 32	/* "YYYY-MM-DDTHH:MM:SS.ffffffZ" + NUL */
#define ZF_LOCAL_OFFSET_S (8 * 3600)

bool date_is_valid(int y, int m, int d);
int date_days_in_month(int y, int m);
/*
 * Parse strict "YYYY-MM-DD" (a real date, years 1900-9999).  On failure fill
 * err with code "invalid_date" naming `field`.
 */
int date_parse(const char *s, struct zf_date *out, const char *field,
	       struct zf_error *err) ZF_WUR;
void date_format(struct zf_date d, char out[DATE_STR_LEN]);
/* Days since 1970-01-01 (negative before). */
int64_t date_to_days(struct zf_date d);
struct zf_date date_from_days(int64_t days);
/* ISO weekday: 1 Monday ... 7 Sunday. */
int date_weekday(struct zf_date d);
struct zf_date date_add_days(struct zf_date d, int64_t n);
/*
 * d plus n calendar months (n >= 0): the same day of the month n months on,
 * or that month's last day when it has no such day (2025-01-31 + 1 ->
 * 2025-02-28).  This is how 民法典 Art. 202 ends a period counted in months
 * or years; the caller applies Art. 201 (the start day is not counted, which
 * this already is) and Art. 203 (a last day that is a rest day moves on).
 */
struct zf_date date_add_months(struct zf_date d, int n);
int date_cmp(struct zf_date a, struct zf_date b);

/*
 * Parse an ISO 8601 instant: "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)",
 * or a bare "YYYY-MM-DD" meaning local (UTC+8) midnight.  Code
 * "invalid_instant" on failure.
 */
int instant_parse(const char *s, int64_t *out_us, const char *field,
		  struct zf_error *err) ZF_WUR;
/* UTC, microsecond precision: 2025-03-01T02:00:00.000000Z */
void instant_format(int64_t us, char out[INSTANT_STR_LEN]);
struct zf_date instant_local_date(int64_t us);
/* Local (UTC+8) midnight at the start of d, as UTC microseconds. */
int64_t instant_from_local_date(struct zf_date d);

#endif
