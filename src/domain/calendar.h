/*
 * calendar: the working-day calendar and deadline arithmetic (law.md §0.1, §9).
 *
 * A calendar holds, per covered year, the official holidays (days off) and
 * the make-up working days (调休).  Weekends are rest days unless listed as
 * make-up days.  Periods:
 *   - working days (处罚法 Art. 85, 许可法 Art. 82, 强制法 Art. 69): the start
 *     day is not counted; the due date is the Nth working day after it.
 *   - calendar days (民事诉讼法 Art. 85): the start day is not counted; a
 *     period whose last day is a rest day ends on the next working day.
 * A date in a year the calendar does not cover is refused unless the caller
 * allows a provisional answer, which counts weekends only and is marked
 * provisional (law.md §9.0a), to be recomputed when that year is loaded.
 *
 * Pure: the calendar is built from file contents the caller passes in.
 */
#ifndef ZF_CALENDAR_H
#define ZF_CALENDAR_H

#include "date.h"
#include "zf.h"

enum calendar_day_kind {
	CAL_HOLIDAY = 1,	/* official day off */
	CAL_WORKDAY = 2,	/* make-up working day on a weekend (调休) */
};

struct calendar_day {
	struct zf_date date;
	enum calendar_day_kind kind;
	char *name;		/* e.g. 春节; owned by the calendar */
};

struct calendar_year {
	int year;
	char *source;		/* the notice it comes from; owned */
};

struct calendar {
	struct calendar_year *years;
	size_t nyears;
	struct calendar_day *days;	/* sorted by date */
	size_t ndays;
};

enum calendar_unit {
	CAL_UNIT_DAYS = 1,
	CAL_UNIT_WORKING_DAYS = 2,
};

struct calendar_skip {
	struct zf_date date;
	const char *name;	/* holiday name, borrowed from the calendar; NULL for a weekend */
};

struct calendar_result {
	struct zf_date due;
	bool provisional;	/* a year on the way was not covered */
	bool moved;		/* calendar days: last day was a rest day, moved on */
	struct zf_date unmoved;	/* calendar days: start + n before moving */
	struct calendar_skip *skipped;	/* holidays and weekends skipped; owned */
	size_t nskipped;
};

void calendar_init(struct calendar *c);
void calendar_release(struct calendar *c);

/*
 * Add one year from the text of a data/calendar/YYYY.tsv file (format in
 * data/calendar/README.md).  Refuses a year already present, a date outside
 * the declared year, a holiday on a date also listed as make-up day, a
 * make-up day that is not a weekend; errors name the line ("line 7").
 * On error the calendar is unchanged.
 */
int calendar_load_tsv(struct calendar *c, const char *text, size_t len,
		      struct zf_error *err) ZF_WUR;

/* A deep copy of src into dst (initialised here); ZF_ENOMEM on failure. */
int calendar_copy(struct calendar *dst, const struct calendar *src) ZF_WUR;
bool calendar_covers(const struct calendar *c, int year);
/* Rest day: a listed holiday, or a weekend day not listed as make-up day. */
bool calendar_is_rest_day(const struct calendar *c, struct zf_date d);
/* The holiday entry for d, or NULL. */
const struct calendar_day *calendar_find(const struct calendar *c,
					 struct zf_date d);

/*
 * start + n in the given unit (n >= 0, at most 3660; otherwise ZF_EINVAL,
 * code "invalid_period", field "n").  Working days: 0 gives start itself.
 * Calendar days: unmoved is start + n, and due is the first working day on
 * or after it.  res->skipped lists the rest days passed over in date order:
 * for working days every rest day after start up to due, for calendar days
 * the rest days moved over.
 *
 * The days examined are those whose kind decides the answer: start + 1 to
 * due for working days; unmoved to due for calendar days.  If one lies in a
 * year not covered: with allow_provisional, weekends alone decide and
 * res->provisional is set; without it, ZF_EREFUSED with code
 * "calendar_year_missing", field "date", naming the year.
 *
 * On success release res with calendar_result_release(); on failure res is
 * left empty and owns nothing.
 */
int calendar_add(const struct calendar *c, struct zf_date start,
		 enum calendar_unit unit, int n, bool allow_provisional,
		 struct calendar_result *res, struct zf_error *err) ZF_WUR;
void calendar_result_release(struct calendar_result *res);

#endif
