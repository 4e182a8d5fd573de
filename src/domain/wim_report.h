/*
 * wim_report: a weigh-in-motion file checked as a whole, nothing stored —
 * the report of `zhifa weigh check` (src/cli/cmd_overload.c) and of
 * POST /api/v1/weigh-checks (src/http/api_overload.c), one document for
 * both: counts, the refused rows by line/column/field/code/message and
 * the over-limit records, each list cut at WIM_REPORT_LIST_MAX.
 *
 *   wim_report_begin()   the builtin rules and the organisation's settings
 *   wim_report_feed()    successive chunks of the file (wim_scan_feed())
 *   wim_report_json()    the document; then wim_report_release()
 *
 * The report must stay where it was begun (the scan points into it).
 */
#ifndef ZF_WIM_REPORT_H
#define ZF_WIM_REPORT_H

#include <jansson.h>

#include "overload.h"
#include "wim.h"
#include "zf.h"

#define WIM_REPORT_LIST_MAX 100	/* refused and over-limit rows listed in full */

struct wim_report {
	json_t *errors;		/* the first WIM_REPORT_LIST_MAX refused rows */
	json_t *over;		/* the first WIM_REPORT_LIST_MAX over-limit records */
	bool oom;
	struct overload_rules rules;
	struct wim_classifier cls;
	bool have_cls;
	struct wim_scan sc;	/* sc.stats: the counts so far */
};

/* Ready to scan with settings (copied).  On failure r owns nothing (but
 * wim_report_release() is still safe). */
int wim_report_begin(struct wim_report *r, const struct overload_settings *settings,
		     struct zf_error *err) ZF_WUR;
/* As wim_scan_feed(): the complete lines of buf[0..len), *used consumed. */
int wim_report_feed(struct wim_report *r, const char *buf, size_t len, bool eof,
		    size_t *used, struct zf_error *err) ZF_WUR;
/*
 * {"file","rows","accepted","rejected","over_limit","strict","errors":[...],
 * "over_limit_records":[...]} into *out (new reference), or out_of_memory.
 */
int wim_report_json(const struct wim_report *r, const char *file, bool strict, json_t **out,
		    struct zf_error *err) ZF_WUR;
void wim_report_release(struct wim_report *r);
/* Append e to list as {"line","column","field","code","message"} unless
 * the list holds WIM_REPORT_LIST_MAX already: ZF_OK, or ZF_ENOMEM.  The
 * import keeps its refused rows the same way. */
int wim_report_note_error(json_t *list, const struct wim_error *e) ZF_WUR;

#endif
