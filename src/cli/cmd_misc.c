/* id, calendar, deadline, ledger and serve commands. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "embed.h"
#include "http.h"
#include "openapi.h"
#include "ids.h"
#include "text.h"

static json_t *error_json(const struct zf_error *e)
{
	return json_pack("{ss ss ss}", "code", e->code, "message", e->message,
			 "field", e->field);
}

int cmd_id_check(struct cli *c, struct zf_error *err)
{
	struct ids_result res[3];
	const char *value = c->args[0];
	size_t n = ids_check_any(value, instant_local_date(c->ctx.now_us), res);
	const struct ids_result *pick = NULL;
	json_t *checked = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *one = json_pack("{ss sb}", "kind", ids_kind_code(res[i].kind),
					"valid", res[i].valid);
		if (res[i].valid)
			json_object_set_new(one, "normalised",
					    json_string(res[i].normalised));
		else
			json_object_set_new(one, "error", error_json(&res[i].err));
		json_array_append_new(checked, one);
		if (res[i].valid && (!pick || !pick->valid))
			pick = &res[i];
		else if (!pick)
			pick = &res[i];
	}
	json_t *doc = json_object();
	bool valid = pick && pick->valid;
	json_object_set_new(doc, "valid", json_boolean(valid));
	json_object_set_new(doc, "kind",
			    json_string(pick ? ids_kind_code(pick->kind) : "unknown"));
	if (valid) {
		json_object_set_new(doc, "normalised", json_string(pick->normalised));
	} else {
		struct zf_error e = {0};
		if (pick)
			e = pick->err;
		else
			zf_fail(&e, ZF_EINVAL, "unknown_identifier", "value",
				"“%s”不是身份证号、统一社会信用代码或机动车号牌", value);
		json_object_set_new(doc, "error", error_json(&e));
	}
	json_object_set_new(doc, "checked", checked);
	if (!c->json) {
		json_t *text = json_pack("{sb ss}", "valid", valid, "kind",
					 json_string_value(json_object_get(doc, "kind")));
		if (valid)
			json_object_set(text, "normalised", json_object_get(doc, "normalised"));
		else
			json_object_set(text, "error", json_object_get(
				json_object_get(doc, "error"), "message"));
		json_decref(doc);
		doc = text;
	}
	cli_print(c, doc, NULL);
	(void)err;
	return valid ? ZF_OK : CLI_QUIET_FAIL;
}

static int builtin_calendar(struct calendar *cal, struct zf_error *err)
{
	calendar_init(cal);
	for (const struct embed_file *f = embed_files; f->name; f++) {
		if (strncmp(f->name, "data/calendar/", 14) || !strstr(f->name, ".tsv"))
			continue;
		int rc = calendar_load_tsv(cal, (const char *)f->data, f->len, err);
		if (rc) {
			calendar_release(cal);
			return rc;
		}
	}
	return ZF_OK;
}

static const char *const basis_working_days =
	"期限以工作日计算，不含法定节假日（《行政处罚法》第八十五条；《行政许可法》"
	"第八十二条；《行政强制法》第六十九条）；开始之日不计算在内";
static const char *const basis_days =
	"期间开始之日不计算在内；期间届满的最后一日是法定休假日的，以休假日后的第一日"
	"为期间届满的日期（《民事诉讼法》第八十五条）";

int cmd_calendar_add(struct cli *c, struct zf_error *err)
{
	struct calendar cal;
	struct calendar_result res = {0};
	struct zf_date from;
	int64_t wd = 0, days = 0;
	bool has_wd, has_days;
	const char *v;
	int rc;
	if ((rc = cli_need(c, "from", &v, err)) ||
	    (rc = date_parse(v, &from, "from", err)) ||
	    (rc = cli_opt_int(c, "working-days", 0, 3660, &wd, &has_wd, err)) ||
	    (rc = cli_opt_int(c, "days", 0, 3660, &days, &has_days, err)))
		return rc;
	if (has_wd == has_days)
		return zf_fail(err, ZF_EUSAGE, "missing_option", "working_days",
			       "请给出 --working-days N 或 --days N 之一");
	/* the organisation's calendar when a database is named, else the built-in one */
	if (c->db_explicit) {
		if ((rc = cli_open_store(c, false, true, err)) ||
		    (rc = store_calendar_get(c->st, c->ctx.org_id, &cal, err)))
			return rc;
	} else if ((rc = builtin_calendar(&cal, err))) {
		return rc;
	}
	enum calendar_unit unit = has_wd ? CAL_UNIT_WORKING_DAYS : CAL_UNIT_DAYS;
	int n = (int)(has_wd ? wd : days);
	rc = calendar_add(&cal, from, unit, n, cli_flag(c, "provisional"), &res, err);
	if (rc) {
		calendar_release(&cal);
		return rc;
	}
	char due[DATE_STR_LEN];
	date_format(res.due, due);
	json_t *skipped = json_array();
	for (size_t i = 0; i < res.nskipped; i++) {
		char d[DATE_STR_LEN];
		date_format(res.skipped[i].date, d);
		json_array_append_new(skipped, json_pack("{ss ss}", "date", d, "name",
			res.skipped[i].name ? res.skipped[i].name : "周末"));
	}
	json_t *doc = json_pack("{ss ss si ss sb so ss}", "from", v, "unit",
				has_wd ? "working_days" : "days", "n", n, "due", due,
				"provisional", res.provisional, "skipped", skipped,
				"basis", has_wd ? basis_working_days : basis_days);
	if (res.moved) {
		char unmoved[DATE_STR_LEN];
		date_format(res.unmoved, unmoved);
		json_object_set_new(doc, "last_day_before_moving", json_string(unmoved));
	}
	calendar_result_release(&res);
	calendar_release(&cal);
	if (c->json)
		return cli_print(c, doc, NULL);
	if (cli_flag(c, "explain")) {
		printf("起算日: %s（不计入）\n单位: %s\n期间: %d\n", v,
		       has_wd ? "工作日" : "日", n);
		size_t i;
		json_t *s;
		json_array_foreach(skipped, i, s)
			printf("跳过: %s %s\n", json_string_value(json_object_get(s, "date")),
			       json_string_value(json_object_get(s, "name")));
		if (json_object_get(doc, "last_day_before_moving"))
			printf("末日 %s 为休息日，顺延\n", json_string_value(
				json_object_get(doc, "last_day_before_moving")));
		printf("依据: %s\n", has_wd ? basis_working_days : basis_days);
		if (json_is_true(json_object_get(doc, "provisional")))
			printf("注意: 涉及尚未公布节假日安排的年度，仅按周末计算，为临时结果\n");
		printf("届满日: %s\n", due);
	} else {
		printf("%s%s\n", due,
		       json_is_true(json_object_get(doc, "provisional")) ? " (provisional)" : "");
	}
	json_decref(doc);
	return ZF_OK;
}

int cmd_calendar_load(struct cli *c, struct zf_error *err)
{
	struct buf b;
	size_t moved = 0;
	int rc = cli_read_file(c->args[0], (size_t)1 << 20, &b, "file", err);
	if (rc)
		return rc;
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_calendar_load(c->st, &c->ctx, buf_cstr(&b), b.len, &moved, err);
	buf_release(&b);
	if (rc)
		return rc;
	return cli_print(c, json_pack("{sb sI}", "loaded", 1, "deadlines_moved",
				      (json_int_t)moved), NULL);
}

int cmd_calendar_load_builtin(struct cli *c, struct zf_error *err)
{
	size_t loaded = 0;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_calendar_load_builtin(c->st, &c->ctx, &loaded, err)))
		return rc;
	return cli_print(c, json_pack("{sI}", "years_loaded", (json_int_t)loaded), NULL);
}

int cmd_deadline_recompute(struct cli *c, struct zf_error *err)
{
	size_t moved = 0;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_deadline_recompute(c->st, &c->ctx, &moved, err)))
		return rc;
	return cli_print(c, json_pack("{sI}", "deadlines_moved", (json_int_t)moved), NULL);
}

int cmd_calendar_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"year", "holidays", "workdays", "source", NULL};
	struct calendar cal;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_calendar_get(c->st, c->ctx.org_id, &cal, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < cal.nyears; i++) {
		int holidays = 0, workdays = 0;
		for (size_t j = 0; j < cal.ndays; j++) {
			if (cal.days[j].date.y != cal.years[i].year)
				continue;
			holidays += cal.days[j].kind == CAL_HOLIDAY;
			workdays += cal.days[j].kind == CAL_WORKDAY;
		}
		json_array_append_new(arr, json_pack("{si si si ss}", "year",
			cal.years[i].year, "holidays", holidays, "workdays", workdays,
			"source", cal.years[i].source));
	}
	calendar_release(&cal);
	return cli_print(c, arr, cols);
}

int cmd_deadline_add(struct cli *c, struct zf_error *err)
{
	struct deadline d = {0};
	int64_t wd = 0, days = 0;
	bool has_wd, has_days;
	const char *from;
	int rc;
	if ((rc = cli_need(c, "from", &from, err)) ||
	    (rc = date_parse(from, &d.start, "from", err)) ||
	    (rc = cli_opt_int(c, "working-days", 0, 3660, &wd, &has_wd, err)) ||
	    (rc = cli_opt_int(c, "days", 0, 3660, &days, &has_days, err)))
		return rc;
	if (has_wd == has_days)
		return zf_fail(err, ZF_EUSAGE, "missing_option", "working_days",
			       "请给出 --working-days N 或 --days N 之一");
	d.unit = has_wd ? CAL_UNIT_WORKING_DAYS : CAL_UNIT_DAYS;
	d.count = (int)(has_wd ? wd : days);
	if (!zf_set_str(&d.object_type, cli_opt(c, "object-type")) ||
	    !zf_set_str(&d.object_id, cli_opt(c, "object-id")) ||
	    !zf_set_str(&d.kind, cli_opt(c, "kind")) ||
	    !zf_set_str(&d.basis, cli_opt(c, "basis")))
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_deadline_add(c->st, &c->ctx, &d, err);
	if (!rc)
		rc = cli_print(c, deadline_to_json(&d), NULL);
	deadline_release(&d);
	return rc;
}

int cmd_deadline_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"due", "provisional", "kind", "object_type",
					   "object_id", "basis", NULL};
	struct deadline *list = NULL;
	size_t n = 0;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_deadline_list(c->st, &c->ctx, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, deadline_to_json(&list[i]));
	store_deadline_list_free(list, n);
	return cli_print(c, arr, cols);
}

int cmd_ledger_verify(struct cli *c, struct zf_error *err)
{
	struct store_verify r;
	struct buf note, pem;
	const char *cp = cli_opt(c, "checkpoint"), *pk = cli_opt(c, "pubkey");
	int rc;
	buf_init(&note, 1);
	buf_init(&pem, 1);
	if (!cp != !pk)
		return zf_fail(err, ZF_EUSAGE, "missing_option", cp ? "pubkey" : "checkpoint",
			       "--checkpoint 和 --pubkey 须同时给出");
	if (cp && (rc = cli_read_file(cp, 128 << 10, &note, "checkpoint", err)))
		return rc;
	if (pk && (rc = cli_read_file(pk, 64 << 10, &pem, "pubkey", err))) {
		buf_release(&note);
		return rc;
	}
	if (!(rc = cli_open_store(c, false, true, err)))
		rc = store_ledger_verify_against(c->st, c->ctx.org_id, cp ? buf_cstr(&note) : NULL,
						 note.len, buf_cstr(&pem), pem.len, &r, err);
	buf_release(&note);
	buf_release(&pem);
	if (rc)
		return rc;
	size_t bad = json_array_size(r.problems);
	json_t *doc = json_pack("{sb sI sI sO}", "ok", bad == 0, "entries",
				(json_int_t)r.entries, "objects", (json_int_t)r.objects,
				"problems", r.problems);
	store_verify_release(&r);
	cli_print(c, doc, NULL);
	if (bad)
		return zf_fail(err, ZF_EREFUSED, "ledger_verify_failed", "",
			       "账本核验发现 %zu 处问题", bad);
	return ZF_OK;
}

int cmd_ledger_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"seq", "action", "object_type", "object_id",
					   "leaf_hash", NULL};
	int64_t after = 0, limit = 100;
	json_t *arr = NULL;
	int rc;
	if ((rc = cli_opt_int(c, "after", 0, INT64_MAX / 2, &after, NULL, err)) ||
	    (rc = cli_opt_int(c, "limit", 1, 100000, &limit, NULL, err)) ||
	    (rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_ledger_list(c->st, c->ctx.org_id, after, limit, &arr, err)))
		return rc;
	return cli_print(c, arr, cols);
}

int cmd_serve(struct cli *c, struct zf_error *err)
{
	struct http_config cfg = {0};
	int64_t threads = 0, idle = 0;
	int rc = cli_opt_int(c, "threads", 1, HTTP_THREADS_MAX, &threads, NULL, err);
	if (!rc)
		rc = cli_opt_int(c, "session-idle", 1, 86400, &idle, NULL, err);
	if (rc)
		return rc;
	cfg.session_idle_s = (unsigned)idle;
	cfg.secure_cookie = cli_flag(c, "secure-cookie");
	cfg.listen = cli_opt(c, "listen");
	if (!cfg.listen)
		cfg.listen = HTTP_LISTEN_DEFAULT;
	cfg.db_path = c->db_path;
	cfg.threads = (unsigned)threads;
	/* refuse a missing or too-new database before listening */
	if ((rc = cli_open_store(c, false, false, err)))
		return rc;
	store_close(c->st);
	c->st = NULL;
	return http_serve(&cfg, err);
}

/* The OpenAPI document the server serves, made from its route table. */
int cmd_openapi(struct cli *c, struct zf_error *err)
{
	json_t *doc = http_openapi();
	if (!doc)
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	c->json = true;
	return cli_print(c, doc, NULL);
}
