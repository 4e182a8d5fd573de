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
#include "wim_report.h"

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

/* The report itself (the counts, the rows listed) is src/domain/wim_report.c,
 * shared with POST /api/v1/weigh-checks. */

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
	return wim_report_feed(arg, buf, len, eof, used, err);
}

static int weigh_scan_file(const char *path, struct wim_report *r, struct zf_error *err)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return zf_fail(err, ZF_ENOTFOUND, "file_not_found", "file",
			       "文件不存在或无法读取：%s", path);
	rc = cli_feed_fd(fd, path, scan_chunk, r, NULL, err);
	close(fd);
	return rc;
}

static void weigh_print_text(const char *path, const struct wim_stats *s,
			     const struct wim_report *r)
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
	struct wim_report r;
	const char *path = c->args[0];
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = org_settings(c, &s, err)) ||
	    (rc = wim_report_begin(&r, &s, err)) ||
	    (rc = weigh_scan_file(path, &r, err)))
		goto out;
	if (c->json) {
		json_t *doc = NULL;

		if ((rc = wim_report_json(&r, path, cli_flag(c, "strict"), &doc, err)))
			goto out;
		rc = cli_print(c, doc, NULL);
	} else if (r.oom) {
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
		goto out;
	} else {
		weigh_print_text(path, &r.sc.stats, &r);
	}
	if (!rc && r.sc.stats.rejected > 0 && cli_flag(c, "strict"))
		rc = zf_fail(err, ZF_EINVAL, "invalid_format", "file",
			     "文件有 %llu 行不合格，--strict 要求整个文件合格",
			     (unsigned long long)r.sc.stats.rejected);
out:
	wim_report_release(&r);
	return rc;
}
