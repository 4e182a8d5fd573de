/* overload check: the limits and penalty engine (law.md §3) from the command
 * line; weigh check: a weigh-in-motion file validated against it. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_evidence.h"
#include "overload.h"
#include "text.h"
#include "wim.h"

/* An optional length in metres (up to 3 decimals) as millimetres. */
static int opt_mm(struct cli *c, const char *name, const char *field,
		  bool *has, int64_t *mm, struct zf_error *err)
{
	const char *v = cli_opt(c, name);

	*has = v != NULL;
	return v ? overload_parse_mm(v, mm, field, err) : ZF_OK;
}

/*
 * The organisation's settings when a database is named, else the defaults
 * (whole tonnes of the total excess; tolerance 0).  A setting the database
 * does not know yet reads as its default.
 */
static int org_settings(struct cli *c, struct overload_settings *s,
			struct zf_error *err)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->part_tonne = OVERLOAD_WHOLE_TONNES;
	if (!c->db_explicit)
		return ZF_OK;
	if ((rc = cli_open_store(c, false, true, err)))
		return rc;
	return store_overload_settings(c->st, c->ctx.org_id, s, err);
}

static void print_text(const struct overload_result *res)
{
	for (size_t i = 0; i < res->nexplain; i++)
		printf("%zu. %s\n", i + 1, res->explain[i]);
	printf("限定标准: %lld 千克\n", (long long)res->limit_kg);
	if (res->has_mass)
		printf("超限: %lld 千克\n", (long long)res->over_kg);
	printf("处罚: %s", overload_penalty_kind_code(res->kind));
	if (res->kind == OVERLOAD_PENALTY_FINE)
		printf(" %lld-%lld 元", (long long)res->min_yuan, (long long)res->max_yuan);
	putchar('\n');
	for (size_t i = 0; i < res->nbasis; i++)
		printf("依据: %s\n", res->basis[i]);
}

int cmd_overload_check(struct cli *c, struct zf_error *err)
{
	struct overload_input in;
	struct overload_settings s;
	struct overload_rules rules;
	struct overload_result res;
	const char *v;
	/* wide ranges: the engine refuses what is out of range, naming the field */
	const int64_t wide = INT64_C(1) << 40, count = 1000000;
	int64_t axles = 0, tyres = 0;
	bool given;
	int rc;

	memset(&in, 0, sizeof(in));
	overload_rules_init(&rules);
	if ((rc = cli_need(c, "axles", &v, err)) ||
	    (rc = cli_opt_int(c, "axles", -count, count, &axles, NULL, err)) ||
	    (rc = cli_need(c, "config", &v, err)) ||
	    (rc = overload_config_parse(v, &in.config, "config", err)) ||
	    (rc = cli_opt_int(c, "single-tyre-axles", -count, count, &tyres, NULL, err)) ||
	    (rc = cli_opt_int(c, "mass-kg", -wide, wide, &in.mass_kg,
			      &in.has_mass, err)) ||
	    (rc = cli_opt_int(c, "licence-mass-kg", -wide, wide,
			      &in.licence_mass_kg, &in.has_licence_mass, err)) ||
	    (rc = opt_mm(c, "height-m", "height_m", &in.has_height, &in.height_mm, err)) ||
	    (rc = opt_mm(c, "width-m", "width_m", &in.has_width, &in.width_mm, err)) ||
	    (rc = opt_mm(c, "length-m", "length_m", &in.has_length, &in.length_mm, err)) ||
	    (rc = cli_opt_date(c, "date", &in.date, &given, err)))
		return rc;
	if (!given)
		in.date = instant_local_date(c->ctx.now_us);
	in.axles = (int)axles;
	in.single_tyre_axles = (int)tyres;
	in.single_drive_axle = cli_flag(c, "single-drive-axle");
	in.refrigerated = cli_flag(c, "refrigerated");
	in.air_suspension = cli_flag(c, "air-suspension");
	in.wim = cli_flag(c, "wim");
	if ((rc = org_settings(c, &s, err)) ||
	    (rc = overload_rules_load_builtin(&rules, err)))
		goto out;
	if ((rc = overload_check(&rules, &in, &s, &res, err)))
		goto out;
	if (c->json) {
		json_t *doc = overload_result_to_json(&res);

		rc = doc ? cli_print(c, doc, NULL) :
			   zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	} else {
		print_text(&res);
	}
	overload_result_release(&res);
out:
	overload_rules_release(&rules);
	return rc;
}

/* ---- weigh check: a weigh-in-motion file validated, nothing stored ------ */

#define WEIGH_LIST_MAX 100	/* refused and over-limit rows listed in full */

struct weigh_report {
	json_t *errors;		/* the first WEIGH_LIST_MAX refused rows */
	json_t *over;		/* the first WEIGH_LIST_MAX over-limit records */
	bool oom;
};

static int weigh_on_error(void *arg, const struct wim_error *e)
{
	struct weigh_report *r = arg;

	if (json_array_size(r->errors) >= WEIGH_LIST_MAX)
		return 0;
	if (json_array_append_new(r->errors,
				  json_pack("{s:I,s:i,s:s,s:s,s:s}", "line", (json_int_t)e->line,
					    "column", e->column, "field", e->err.field,
					    "code", e->err.code, "message", e->err.message)))
		r->oom = true;
	return 0;
}

static int weigh_on_record(void *arg, size_t line, const struct wim_record *rec)
{
	struct weigh_report *r = arg;
	char when[INSTANT_STR_LEN];

	if (!rec->over || json_array_size(r->over) >= WEIGH_LIST_MAX)
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

/*
 * Feed fd to fn in chunks of CLI_CHUNK bytes, carrying an incomplete last
 * line over to the next call: memory stays flat however long the file is.
 * bar (may be NULL) is redrawn with the bytes consumed.
 */
int cli_feed_fd(int fd, const char *path, cli_chunk_fn *fn, void *arg, struct cli_bar *bar,
		struct zf_error *err)
{
	size_t have = 0, used;
	uint64_t done = 0;
	bool eof = false;
	char *buf = malloc(CLI_CHUNK);
	int rc = buf ? ZF_OK : zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");

	while (!rc) {
		ssize_t n = eof ? 0 : read(fd, buf + have, CLI_CHUNK - have);

		if (n < 0) {
			rc = zf_fail(err, ZF_EIO, "file_not_found", "file", "读取文件失败：%s", path);
			break;
		}
		eof = n == 0;
		have += (size_t)n;
		if ((rc = fn(arg, buf, have, eof, &used, err)))
			break;
		done += used;
		if (bar)
			cli_bar_draw(bar, done);
		memmove(buf, buf + used, have - used);
		have -= used;
		if (eof)
			break;
	}
	free(buf);
	return rc;
}

static int scan_chunk(void *arg, const char *buf, size_t len, bool eof, size_t *used,
		      struct zf_error *err)
{
	return wim_scan_feed(arg, buf, len, eof, used, err);
}

static int weigh_scan_file(const char *path, const struct wim_classifier *cls,
			   struct weigh_report *r, struct wim_stats *stats,
			   struct zf_error *err)
{
	struct wim_scan sc;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return zf_fail(err, ZF_ENOTFOUND, "file_not_found", "file",
			       "文件不存在或无法读取：%s", path);
	wim_scan_init(&sc, cls, weigh_on_record, weigh_on_error, r);
	rc = cli_feed_fd(fd, path, scan_chunk, &sc, NULL, err);
	*stats = sc.stats;
	close(fd);
	return rc;
}

static void weigh_print_text(const char *path, const struct wim_stats *s,
			     const struct weigh_report *r)
{
	size_t i;
	json_t *e;

	json_array_foreach(r->errors, i, e)
		printf("第 %lld 行 %s: %s（%s）\n",
		       (long long)json_integer_value(json_object_get(e, "line")),
		       json_string_value(json_object_get(e, "field")),
		       json_string_value(json_object_get(e, "message")),
		       json_string_value(json_object_get(e, "code")));
	if (s->rejected > json_array_size(r->errors))
		printf("（另有 %llu 行不合格未列出）\n",
		       (unsigned long long)(s->rejected - json_array_size(r->errors)));
	printf("%s: 共 %llu 行，合格 %llu 行，不合格 %llu 行，超限 %llu 辆次\n", path,
	       (unsigned long long)s->rows, (unsigned long long)s->accepted,
	       (unsigned long long)s->rejected, (unsigned long long)s->over_limit);
}

/*
 * Validate and classify a weigh-in-motion file as `weigh import` will
 * (docs/wim-csv.md), with the organisation's tolerance when a database is
 * named, and store nothing: the operator sees every refused row by line
 * before anything enters the record.  --strict makes any refused row an
 * error, as it will refuse the whole file on import.
 */
int cmd_weigh_check(struct cli *c, struct zf_error *err)
{
	struct overload_settings s;
	struct overload_rules rules;
	struct wim_classifier cls;
	struct weigh_report r = {json_array(), json_array(), false};
	struct wim_stats stats = {0};
	const char *path = c->args[0];
	bool have_cls = false;
	int rc;

	overload_rules_init(&rules);
	if (!r.errors || !r.over) {
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
		goto out;
	}
	if ((rc = org_settings(c, &s, err)) ||
	    (rc = overload_rules_load_builtin(&rules, err)) ||
	    (rc = wim_classifier_init(&cls, &rules, &s, err)))
		goto out;
	have_cls = true;
	if ((rc = weigh_scan_file(path, &cls, &r, &stats, err)))
		goto out;
	if (r.oom) {
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
		goto out;
	}
	if (c->json) {
		json_t *doc = json_pack(
			"{s:s,s:I,s:I,s:I,s:I,s:b,s:O,s:O}", "file", path, "rows",
			(json_int_t)stats.rows, "accepted", (json_int_t)stats.accepted,
			"rejected", (json_int_t)stats.rejected, "over_limit",
			(json_int_t)stats.over_limit, "strict", cli_flag(c, "strict"),
			"errors", r.errors, "over_limit_records", r.over);

		if (!doc) {
			rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
			goto out;
		}
		rc = cli_print(c, doc, NULL);
	} else {
		weigh_print_text(path, &stats, &r);
	}
	if (!rc && stats.rejected > 0 && cli_flag(c, "strict"))
		rc = zf_fail(err, ZF_EINVAL, "invalid_format", "file",
			     "文件有 %llu 行不合格，--strict 要求整个文件合格",
			     (unsigned long long)stats.rejected);
out:
	if (have_cls)
		wim_classifier_release(&cls);
	overload_rules_release(&rules);
	json_decref(r.errors);
	json_decref(r.over);
	return rc;
}
