/* wim_report: a weigh-in-motion file checked, nothing stored (wim_report.h). */
#include <string.h>

#include "date.h"
#include "wim_report.h"

static int oom(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
}

int wim_report_note_error(json_t *list, const struct wim_error *e)
{
	if (json_array_size(list) >= WIM_REPORT_LIST_MAX)
		return ZF_OK;
	return json_array_append_new(list, json_pack("{s:I,s:i,s:s,s:s,s:s}", "line",
						     (json_int_t)e->line, "column", e->column,
						     "field", e->err.field, "code", e->err.code,
						     "message", e->err.message))
		       ? ZF_ENOMEM : ZF_OK;
}

static int on_error(void *arg, const struct wim_error *e)
{
	struct wim_report *r = arg;

	if (wim_report_note_error(r->errors, e))
		r->oom = true;
	return 0;
}

static int on_record(void *arg, size_t line, const struct wim_record *rec)
{
	struct wim_report *r = arg;
	char when[INSTANT_STR_LEN];

	if (!rec->over || json_array_size(r->over) >= WIM_REPORT_LIST_MAX)
		return 0;
	instant_format(rec->time_us, when);
	if (json_array_append_new(
		    r->over,
		    json_pack("{s:I,s:s,s:s,s:s,s:i,s:s,s:I,s:I,s:I,s:I}", "line",
			      (json_int_t)line, "station", rec->station, "time", when,
			      "plate", rec->plate, "axles", rec->axles, "config",
			      overload_config_code(rec->config), "gross_kg",
			      (json_int_t)rec->gross_kg, "tolerance_kg",
			      (json_int_t)rec->tolerance_kg, "limit_kg",
			      (json_int_t)rec->limit_kg, "over_kg", (json_int_t)rec->over_kg)))
		r->oom = true;
	return 0;
}

int wim_report_begin(struct wim_report *r, const struct overload_settings *settings,
		     struct zf_error *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	overload_rules_init(&r->rules);
	r->errors = json_array();
	r->over = json_array();
	if (!r->errors || !r->over)
		return oom(err);
	if ((rc = overload_rules_load_builtin(&r->rules, err)) ||
	    (rc = wim_classifier_init(&r->cls, &r->rules, settings, err)))
		return rc;
	r->have_cls = true;
	wim_scan_init(&r->sc, &r->cls, on_record, on_error, r);
	return ZF_OK;
}

int wim_report_feed(struct wim_report *r, const char *buf, size_t len, bool eof,
		    size_t *used, struct zf_error *err)
{
	return wim_scan_feed(&r->sc, buf, len, eof, used, err);
}

int wim_report_json(const struct wim_report *r, const char *file, bool strict, json_t **out,
		    struct zf_error *err)
{
	const struct wim_stats *s = &r->sc.stats;

	*out = NULL;
	if (r->oom)
		return oom(err);
	*out = json_pack("{s:s,s:I,s:I,s:I,s:I,s:b,s:O,s:O}", "file", file, "rows",
			 (json_int_t)s->rows, "accepted", (json_int_t)s->accepted,
			 "rejected", (json_int_t)s->rejected, "over_limit",
			 (json_int_t)s->over_limit, "strict", strict, "errors", r->errors,
			 "over_limit_records", r->over);
	return *out ? ZF_OK : oom(err);
}

void wim_report_release(struct wim_report *r)
{
	if (r->have_cls)
		wim_classifier_release(&r->cls);
	r->have_cls = false;
	overload_rules_release(&r->rules);
	json_decref(r->errors);
	json_decref(r->over);
	r->errors = r->over = NULL;
}
