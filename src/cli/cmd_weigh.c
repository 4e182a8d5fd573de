/*
 * Weigh-station work and off-site enforcement from the command line
 * (issue 8): scales' calibration, weighings, unloading, review of machine
 * records, the case opened from a weighing, imports and statistics.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_evidence.h"
#include "overload.h"
#include "text.h"

#define WEIGH_OFFICERS_MAX 12

static const char *const weigh_columns[] = {"id", "time", "station", "plate", "axles",
					    "gross_kg", "limit_kg", "over_kg", "review",
					    "case_id", NULL};

static int opt_instant(struct cli *c, const char *name, const char *field, int64_t *us,
		       struct zf_error *err)
{
	const char *v = cli_opt(c, name);
	*us = c->ctx.now_us;
	return v ? instant_parse(v, us, field, err) : ZF_OK;
}

int cmd_scale_calibrate(struct cli *c, struct zf_error *err)
{
	struct zf_date from, until;
	const char *cert;
	bool has;
	json_t *out = NULL;
	int rc;
	if ((rc = cli_need(c, "cert-no", &cert, err)) ||
	    (rc = cli_opt_date(c, "valid-from", &from, &has, err)))
		return rc;
	if (!has)
		return zf_fail(err, ZF_EINVAL, "required", "valid_from", "缺少检定有效期起始日期 --valid-from");
	if ((rc = cli_opt_date(c, "valid-until", &until, &has, err)))
		return rc;
	if (!has)
		return zf_fail(err, ZF_EINVAL, "required", "valid_until", "缺少检定有效期截止日期 --valid-until");
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_calibration_add(c->st, &c->ctx, c->args[0], cert, from, until, &out, err)))
		return rc;
	return cli_print(c, out, NULL);
}

int cmd_scale_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"device_id", "cert_no", "valid_from", "valid_until",
					   "id", NULL};
	json_t *out = NULL;
	int rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_calibration_list(c->st, &c->ctx, c->nargs ? c->args[0] : NULL, &out, err);
	return rc ? rc : cli_print(c, out, cols);
}

int cmd_weigh_record(struct cli *c, struct zf_error *err)
{
	struct weigh_in in = {0};
	const char *officers[WEIGH_OFFICERS_MAX];
	char *copy = NULL;
	int64_t axles = 0, tyres = 0;
	bool has;
	json_t *out = NULL;
	const int64_t wide = INT64_C(1) << 40;
	int rc;
	in.station = cli_opt(c, "station");
	in.plate = cli_opt(c, "plate");
	in.trailer_plate = cli_opt(c, "trailer-plate");
	in.config = cli_opt(c, "config");
	in.device = cli_opt(c, "device");
	in.client_id = cli_opt(c, "id");
	in.single_drive_axle = cli_flag(c, "single-drive-axle");
	const char *v;
	if ((rc = cli_need(c, "axles", &v, err)) ||
	    (rc = cli_opt_int(c, "axles", 2, 8, &axles, NULL, err)) ||
	    (rc = cli_opt_int(c, "single-tyre-axles", 0, 8, &tyres, NULL, err)) ||
	    (rc = cli_opt_int(c, "gross-kg", -wide, wide, &in.gross_kg, &has, err)) ||
	    (rc = opt_instant(c, "at", "weighed_at", &in.weighed_at, err)))
		return rc;
	if (!has)
		return zf_fail(err, ZF_EINVAL, "required", "gross_kg", "缺少车货总质量 --gross-kg");
	static const struct {
		const char *opt, *field;
	} dims[] = {{"height-m", "height_m"}, {"width-m", "width_m"}, {"length-m", "length_m"}};
	int64_t *mm[] = {&in.height_mm, &in.width_mm, &in.length_mm};
	for (size_t i = 0; i < 3; i++) {
		const char *d = cli_opt(c, dims[i].opt);
		if (d && (rc = overload_parse_mm(d, mm[i], dims[i].field, err)))
			return rc;
	}
	in.axles = (int)axles;
	in.single_tyre_axles = (int)tyres;
	in.nofficers = cli_split_list(cli_opt(c, "officers"), &copy, officers, WEIGH_OFFICERS_MAX);
	in.officers = officers;
	if (!(rc = cli_open_store(c, false, true, err)))
		rc = store_weigh_record(c->st, &c->ctx, &in, &out, err);
	zf_free(copy);
	return rc ? rc : cli_print(c, out, NULL);
}

int cmd_weigh_show(struct cli *c, struct zf_error *err)
{
	json_t *out = NULL;
	int rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_weigh_get(c->st, &c->ctx, c->args[0], &out, err);
	return rc ? rc : cli_print(c, out, NULL);
}

int cmd_weigh_list(struct cli *c, struct zf_error *err)
{
	struct weigh_filter f = {0};
	int64_t year = 0;
	json_t *out = NULL;
	int rc;
	f.review = cli_opt(c, "review");
	f.over_only = cli_flag(c, "over");
	f.station = cli_opt(c, "station");
	f.plate = cli_opt(c, "plate");
	f.after = cli_opt(c, "after");
	if ((rc = cli_opt_int(c, "year", 2000, 2099, &year, NULL, err)) ||
	    (rc = cli_opt_int(c, "limit", 1, 1000, &f.limit, NULL, err)))
		return rc;
	f.year = (int)year;
	if (!(rc = cli_open_store(c, false, true, err)))
		rc = store_weigh_list(c->st, &c->ctx, &f, &out, err);
	return rc ? rc : cli_print(c, out, weigh_columns);
}

/* zhifa weigh review: the machine records waiting for a person (Art. 41). */
int cmd_weigh_review(struct cli *c, struct zf_error *err)
{
	struct weigh_filter f = {.review = "pending", .over_only = true};
	json_t *out = NULL;
	int rc = cli_opt_int(c, "limit", 1, 1000, &f.limit, NULL, err);
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_weigh_list(c->st, &c->ctx, &f, &out, err);
	return rc ? rc : cli_print(c, out, weigh_columns);
}

int cmd_weigh_unload(struct cli *c, struct zf_error *err)
{
	struct unload_in in = {0};
	const int64_t wide = INT64_C(1) << 40;
	bool has_kg, has_re;
	json_t *out = NULL;
	int rc;
	in.goods = cli_opt(c, "goods");
	in.place = cli_opt(c, "place");
	if ((rc = cli_opt_int(c, "unloaded-kg", -wide, wide, &in.unloaded_kg, &has_kg, err)) ||
	    (rc = cli_opt_int(c, "reweigh-kg", -wide, wide, &in.reweigh_kg, &has_re, err)) ||
	    (rc = opt_instant(c, "at", "unloaded_at", &in.at, err)))
		return rc;
	if (!has_kg)
		return zf_fail(err, ZF_EINVAL, "required", "unloaded_kg", "缺少卸载质量 --unloaded-kg");
	if (!has_re)
		return zf_fail(err, ZF_EINVAL, "required", "reweigh_kg", "缺少复磅质量 --reweigh-kg");
	if (!(rc = cli_open_store(c, false, true, err)))
		rc = store_weigh_unload(c->st, &c->ctx, c->args[0], &in, &out, err);
	return rc ? rc : cli_print(c, out, NULL);
}

/* weigh case (station record) and weigh confirm (reviewed machine record). */
int cmd_weigh_case(struct cli *c, struct zf_error *err)
{
	struct case_step_in in = {0};
	const char *officers[WEIGH_OFFICERS_MAX];
	char *copy = NULL;
	bool has;
	json_t *params = json_object(), *out = NULL;
	int rc = params ? ZF_OK : zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	in.date = instant_local_date(c->ctx.now_us);
	if (!rc)
		rc = cli_opt_date(c, "date", &in.date, &has, err);
	if (!rc && cli_opt(c, "level"))
		json_object_set_new(params, "level", json_string(cli_opt(c, "level")));
	in.party = cli_opt(c, "party");
	in.vehicle = cli_opt(c, "vehicle");
	in.nofficers = cli_split_list(cli_opt(c, "officers"), &copy, officers, WEIGH_OFFICERS_MAX);
	in.officers = officers;
	in.params = params;
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_weigh_open_case(c->st, &c->ctx, c->args[0], &in, &out, err);
	zf_free(copy);
	json_decref(params);
	return rc ? rc : cli_print(c, out, NULL);
}

int cmd_weigh_link(struct cli *c, struct zf_error *err)
{
	const char *kase;
	json_t *out = NULL;
	int rc = cli_need(c, "case", &kase, err);
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_weigh_link(c->st, &c->ctx, c->args[0], kase, cli_opt(c, "reviewer"),
				      &out, err);
	return rc ? rc : cli_print(c, out, NULL);
}

int cmd_weigh_dismiss(struct cli *c, struct zf_error *err)
{
	const char *reviewer, *reason;
	json_t *out = NULL;
	int rc;
	if ((rc = cli_need(c, "reviewer", &reviewer, err)) ||
	    (rc = cli_need(c, "reason", &reason, err)) ||
	    (rc = cli_open_store(c, false, true, err)))
		return rc;
	rc = store_weigh_dismiss(c->st, &c->ctx, c->args[0], reviewer, reason, &out, err);
	return rc ? rc : cli_print(c, out, NULL);
}

static void import_print_errors(const json_t *r)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(r, "errors"), i, e)
		printf("第 %lld 行 %s: %s（%s）\n",
		       (long long)json_integer_value(json_object_get(e, "line")),
		       json_string_value(json_object_get(e, "field")),
		       json_string_value(json_object_get(e, "message")),
		       json_string_value(json_object_get(e, "code")));
	long long rejected = json_integer_value(json_object_get(r, "rejected"));
	size_t listed = json_array_size(json_object_get(r, "errors"));
	if (rejected > (long long)listed)
		printf("（另有 %lld 行不合格未列出）\n", rejected - (long long)listed);
}

static void import_print(const json_t *r)
{
	long long rejected = json_integer_value(json_object_get(r, "rejected"));
	import_print_errors(r);
	printf("导入 %s: 共 %lld 行，合格 %lld 行（新增 %lld，已存在 %lld），不合格 %lld 行，"
	       "超限 %lld 辆次待审核\n",
	       json_string_value(json_object_get(r, "name")),
	       (long long)json_integer_value(json_object_get(r, "rows")),
	       (long long)json_integer_value(json_object_get(r, "accepted")),
	       (long long)json_integer_value(json_object_get(r, "added")),
	       (long long)json_integer_value(json_object_get(r, "duplicates")), rejected,
	       (long long)json_integer_value(json_object_get(r, "over_limit")));
	printf("导入编号 %s，文件 SHA-256 %s\n", json_string_value(json_object_get(r, "id")),
	       json_string_value(json_object_get(r, "file_sha256")));
}

/*
 * zhifa weigh import FILE.csv: the file read in 1 MiB chunks (memory stays
 * flat whatever its size), one transaction, a progress bar on a terminal.
 */
static int import_chunk(void *arg, const char *buf, size_t len, bool eof, size_t *used,
			struct zf_error *err)
{
	return store_weigh_import_feed(arg, buf, len, eof, used, err);
}

int cmd_weigh_import(struct cli *c, struct zf_error *err)
{
	const char *path = c->args[0];
	struct store_weigh_import *imp = NULL;
	struct cli_bar bar;
	struct stat sb;
	json_t *out = NULL;
	int rc, fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return zf_fail(err, ZF_ENOTFOUND, "file_not_found", "file",
			       "文件不存在或无法读取：%s", path);
	}
	const char *name = cli_opt(c, "name");
	if (!name) {
		const char *slash = strrchr(path, '/');
		name = slash ? slash + 1 : path;
	}
	if (!(rc = cli_open_store(c, false, true, err)))
		rc = store_weigh_import_begin(c->st, &c->ctx, name, cli_opt(c, "device"),
					      cli_flag(c, "strict"), &imp, err);
	cli_bar_init(&bar, (uint64_t)sb.st_size, 1);
	bar.name = "导入称重数据";
	if (!rc)
		rc = cli_feed_fd(fd, path, import_chunk, imp, &bar, err);
	cli_bar_clear(&bar);
	close(fd);
	if (rc) {
		store_weigh_import_abort(imp);
		return rc;
	}
	if ((rc = store_weigh_import_commit(imp, &out, err))) {
		/* a strict refusal: which rows, then the error */
		if (out && c->json) {
			int printed = cli_print(c, out, NULL);
			(void)printed;
		} else if (out) {
			import_print_errors(out);
			json_decref(out);
		}
		return rc;
	}
	if (c->json)
		return cli_print(c, out, NULL);
	import_print(out);
	json_decref(out);
	return ZF_OK;
}

int cmd_weigh_imports(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"id", "name", "rows", "added", "rejected",
					   "over_limit", "file_sha256", NULL};
	json_t *out = NULL;
	int rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_weigh_import_list(c->st, &c->ctx, &out, err);
	return rc ? rc : cli_print(c, out, cols);
}

static void stats_line(const char *label, const json_t *g)
{
	printf("%s\t检测 %lld 辆次\t超限 %lld 辆次\t超限率 %s\t卸载 %s 吨\t立案 %lld\n", label,
	       (long long)json_integer_value(json_object_get(g, "checked")),
	       (long long)json_integer_value(json_object_get(g, "over_limit")),
	       json_string_value(json_object_get(g, "over_limit_rate_text")),
	       json_string_value(json_object_get(g, "unloaded_t_text")),
	       (long long)json_integer_value(json_object_get(g, "cases")));
}

int cmd_overload_stats(struct cli *c, struct zf_error *err)
{
	int64_t year = instant_local_date(c->ctx.now_us).y;
	json_t *out = NULL;
	size_t i;
	json_t *g;
	int rc = cli_opt_int(c, "year", 2000, 2099, &year, NULL, err);
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_overload_stats(c->st, &c->ctx, (int)year, &out, err);
	if (rc || c->json)
		return rc ? rc : cli_print(c, out, NULL);
	char label[16];
	snprintf(label, sizeof(label), "%lld 年", (long long)year);
	stats_line(label, out);
	json_array_foreach(json_object_get(out, "by_station"), i, g)
		stats_line(json_string_value(json_object_get(g, "station")), g);
	json_array_foreach(json_object_get(out, "by_month"), i, g)
		stats_line(json_string_value(json_object_get(g, "month")), g);
	json_decref(out);
	return ZF_OK;
}
