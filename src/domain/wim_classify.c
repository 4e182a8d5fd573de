/*
 * wim_classify.c: a weigh-in-motion record's gross-mass limit, tolerance,
 * excess and verdict from the overload engine; see wim.h.
 *
 * overload_check() explains every step in Chinese and allocates the
 * explanation: right for a decision, far too slow for 10^7 records.  So
 * the classifier asks it once per configuration, axle count and period in
 * which the rules do not change, keeps the limits in a table, and repeats
 * only the tolerance arithmetic per record (as overload.c's weigh() does
 * it).  A record the table has no limit for goes to the engine itself,
 * whose refusal becomes the row's error.
 */
#include <stdlib.h>
#include <string.h>

#include "wim_int.h"

/* What a period's table cell holds instead of a limit. */
#define NO_LIMIT (-1)	/* no limit for this configuration and axle count */
#define NO_RULE (-2)	/* no rule in force in this period */

static int config_index(enum overload_config c)
{
	return c == OVERLOAD_TRAIN;
}

void wim_overload_input(const struct wim_record *rec, struct overload_input *in)
{
	memset(in, 0, sizeof(*in));
	in->config = rec->config;
	in->axles = rec->axles;
	in->has_mass = true;
	in->mass_kg = rec->gross_kg;
	in->wim = true;
	in->date = instant_local_date(rec->time_us);
}

static int cmp_date(const void *a, const void *b)
{
	return date_cmp(*(const struct zf_date *)a, *(const struct zf_date *)b);
}

/*
 * The engine's answer for one cell: a limit, NO_LIMIT, NO_RULE, or an
 * error (bad settings, no memory) to pass on.  Both a mass within and a
 * mass over every limit are tried, so the cell is good only when the
 * engine accepts every record that falls in it.
 */
static int tabulate(const struct wim_classifier *c, enum overload_config config,
		    int axles, struct zf_date day, int64_t *out, struct zf_error *err)
{
	static const int64_t masses[] = {WIM_GROSS_MIN_KG, WIM_GROSS_MAX_KG};
	struct overload_input in;
	struct overload_result res;
	struct zf_error e;
	int rc;

	*out = NO_LIMIT;
	for (size_t i = 0; i < ZF_ARRAY_LEN(masses); i++) {
		memset(&in, 0, sizeof(in));
		in.config = config;
		in.axles = axles;
		in.has_mass = true;
		in.mass_kg = masses[i];
		in.wim = true;
		in.date = day;
		zf_error_clear(&e);
		rc = overload_check(c->rules, &in, &c->settings, &res, &e);
		if (rc == ZF_OK) {
			*out = res.limit_kg;
			overload_result_release(&res);
			continue;
		}
		/* a period before 1900 is outside the engine's dates: no rule */
		if (strcmp(e.code, "no_rule_in_force") == 0 ||
		    strcmp(e.code, "invalid_date") == 0) {
			*out = NO_RULE;
			return ZF_OK;
		}
		if (strcmp(e.code, "unknown_code") == 0 &&
		    (strcmp(e.field, "axles") == 0 || strcmp(e.field, "config") == 0)) {
			*out = NO_LIMIT;
			return ZF_OK;
		}
		if (err)
			*err = e;
		return rc;
	}
	return ZF_OK;
}

int wim_classifier_init(struct wim_classifier *c, const struct overload_rules *rules,
			const struct overload_settings *settings, struct zf_error *err)
{
	struct zf_date *days = NULL;
	size_t nd = 0, cap = 2 * (rules->nlimits + rules->npenalties) + 1;
	int rc = ZF_OK;

	memset(c, 0, sizeof(*c));
	c->rules = rules;
	c->settings = *settings;
	days = zf_calloc(cap, sizeof(*days));
	if (!days)
		goto nomem;
	/* The rules change only on a row's first day or the day after its last. */
	for (size_t i = 0; i < rules->nlimits + rules->npenalties; i++) {
		struct zf_date from, to;

		if (i < rules->nlimits) {
			from = rules->limits[i].from;
			to = rules->limits[i].to;
		} else {
			from = rules->penalties[i - rules->nlimits].from;
			to = rules->penalties[i - rules->nlimits].to;
		}
		days[nd++] = from;
		if (to.y < 9999)
			days[nd++] = date_add_days(to, 1);
	}
	qsort(days, nd, sizeof(*days), cmp_date);
	{
		size_t u = 0;

		for (size_t i = 0; i < nd; i++)
			if (u == 0 || date_cmp(days[u - 1], days[i]) != 0)
				days[u++] = days[i];
		nd = u;
	}
	c->nperiods = nd + 1;
	c->start_us = zf_calloc(c->nperiods, sizeof(*c->start_us));
	c->limit_kg = zf_calloc(c->nperiods, sizeof(*c->limit_kg));
	if (!c->start_us || !c->limit_kg)
		goto nomem;
	for (size_t p = 0; p < c->nperiods; p++) {
		struct zf_date day;

		if (p == 0) {
			c->start_us[p] = INT64_MIN;
			day = nd ? date_add_days(days[0], -1) :
				   (struct zf_date){WIM_YEAR_MIN, 1, 1};
		} else {
			day = days[p - 1];
			c->start_us[p] = instant_from_local_date(day);
		}
		for (int k = 0; k < 2; k++)
			for (int a = 0; a <= WIM_AXLES_MAX; a++) {
				int64_t *cell = &c->limit_kg[p][k][a];

				*cell = NO_LIMIT;
				if (a >= WIM_AXLES_MIN &&
				    (rc = tabulate(c, k ? OVERLOAD_TRAIN : OVERLOAD_TRUCK, a,
						   day, cell, err)))
					goto out;
			}
	}
	goto out;
nomem:
	rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足，无法建立动态称重的限定标准表");
out:
	zf_free(days);
	if (rc)
		wim_classifier_release(c);
	return rc;
}

void wim_classifier_release(struct wim_classifier *c)
{
	zf_free(c->start_us);
	zf_free(c->limit_kg);
	memset(c, 0, sizeof(*c));
}

/* The engine's own refusal of rec, as a row error. */
static WIM_COLD int classify_error(const struct wim_classifier *c, struct wim_record *rec,
			       struct wim_error *err)
{
	struct overload_input in;
	struct overload_result res;
	struct zf_error e;
	int rc;

	wim_overload_input(rec, &in);
	zf_error_clear(&e);
	rc = overload_check(c->rules, &in, &c->settings, &res, &e);
	if (rc == ZF_OK) {
		overload_result_release(&res);
		ZF_BUG("limit table and engine disagree on %d-axle %s",
		       rec->axles, overload_config_code(rec->config));
	}
	if (!err)
		return rc;
	memset(err, 0, sizeof(*err));
	err->err = e;
	if (strcmp(e.field, "axles") == 0)
		err->column = WIM_COL_AXLES;
	else if (strcmp(e.field, "config") == 0)
		err->column = WIM_COL_CONFIG;
	else if (strcmp(e.field, "date") == 0)
		err->column = WIM_COL_TIME;
	if (err->column)
		zf_strlcpy(err->err.field, wim_col_names[err->column], sizeof(err->err.field));
	return rc;
}

/* A record wim_parse_line() would not have produced. */
static WIM_COLD int not_parsed(const struct wim_record *rec, struct wim_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
	if (rec->config != OVERLOAD_TRUCK && rec->config != OVERLOAD_TRAIN)
		return wim_fail(err, WIM_COL_CONFIG, "unknown_code", "应为 truck（货车）或 train（汽车列车）");
	return wim_fail(err, WIM_COL_AXLES, "invalid_number", "应为 %d 至 %d 的整数，实际为 %d",
		    WIM_AXLES_MIN, WIM_AXLES_MAX, rec->axles);
}

int wim_classify(const struct wim_classifier *c, struct wim_record *rec,
		 struct wim_error *err)
{
	size_t p = c->nperiods - 1;
	int64_t limit, tol, mass;

	rec->limit_kg = rec->tolerance_kg = rec->over_kg = 0;
	rec->over = false;
	if (WIM_UNLIKELY(rec->axles < WIM_AXLES_MIN || rec->axles > WIM_AXLES_MAX ||
		     (rec->config != OVERLOAD_TRUCK && rec->config != OVERLOAD_TRAIN)))
		return not_parsed(rec, err);
	while (rec->time_us < c->start_us[p])
		p--;
	limit = c->limit_kg[p][config_index(rec->config)][rec->axles];
	if (WIM_UNLIKELY(limit < 0))
		return classify_error(c, rec, err);
	/* the tolerance exactly as overload.c's weigh() deducts it */
	tol = c->settings.wim_tolerance_permille ?
	      (rec->gross_kg * c->settings.wim_tolerance_permille + 999) / 1000 :
	      c->settings.wim_tolerance_kg;
	mass = rec->gross_kg > tol ? rec->gross_kg - tol : 0;
	rec->limit_kg = limit;
	rec->tolerance_kg = tol;
	rec->over = mass > limit;
	rec->over_kg = rec->over ? mass - limit : 0;
	return ZF_OK;
}
