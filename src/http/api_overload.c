/*
 * The overload API (issue 8): weighings at a station, unloading, the case
 * opened from an over-limit weighing, the review of weigh-in-motion records
 * (行政处罚法 Art. 41), imports of weigh-in-motion files, scales'
 * certificates, statistics and the limits engine.  The bodies are the
 * CLI's --json documents (src/cli/cmd_weigh.c, cmd_overload.c), made by
 * the same store and domain functions; a list that pages is
 * {"items": [...], "next": id or null} like the case list.
 *
 * Officers act as themselves, as on cases (api_case.c): a weighing, a case
 * opened from one, and a review name the logged-in user's officer among
 * their officers (or as the reviewer); linking to a case needs the user to
 * be one of its officers or a head.
 *
 * An import (POST /api/v1/weigh-imports?name=&device=&strict=1, the CSV as
 * the body) is spooled to an unlinked temporary file while it arrives
 * (bounded memory; at most API_WEIGH_IMPORT_MAX bytes, else 413
 * file_too_big) and loaded when the last byte is in: the store's import
 * holds the database's write lock from begin to commit, which must never
 * wait on a slow client.  A cut upload leaves nothing behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_routes.h"
#include "date.h"
#include "overload.h"
#include "text.h"
#include "uuid.h"

#define KEY_MAX 64
#define MAX_OFFICERS 12		/* as store_case_step() */
#define LIST_LIMIT_DEFAULT 100
#define LIST_LIMIT_MAX 500	/* + 1 to see a next page stays within the store's 1000 */
#define IMPORT_NAME_MAX 200
#define IMPORT_CHUNK ((size_t)1 << 20)	/* as `zhifa weigh import` */
/* A month of one station's weigh-in-motion records is tens of megabytes. */
#define API_WEIGH_IMPORT_MAX ((uint64_t)256 << 20)
/* Plausibility bounds of the engine's input: it refuses what is out of
 * range itself, naming the field, as `zhifa overload check` does. */
#define WIDE_KG (INT64_C(1) << 40)
#define WIDE_COUNT 1000000

static int oom(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "服务器内存不足");
}

static const char *js(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ---- request helpers ---------------------------------------------------- */

static int path_key(const struct http_req *req, const char *name, const char **out,
		    struct zf_error *err)
{
	*out = http_param(req, name);
	if (!*out)
		return zf_fail(err, ZF_EINVAL, "invalid_text", name,
			       "路径参数“%s”不是有效的 UTF-8 文本", name);
	return text_check(*out, name, KEY_MAX, true, err);
}

/* "1"/"true" or "0"/"false" in the query; absent is false. */
static int query_flag(const struct http_req *req, const char *name, bool *out,
		      struct zf_error *err)
{
	const char *s = http_query(req, name);
	*out = false;
	if (!s || !strcmp(s, "0") || !strcmp(s, "false"))
		return ZF_OK;
	if (!strcmp(s, "1") || !strcmp(s, "true")) {
		*out = true;
		return ZF_OK;
	}
	return zf_fail(err, ZF_EINVAL, "invalid_type", name, "“%s”应为 1 或 0", name);
}

static int get_bool(const json_t *body, const char *key, bool *out, struct zf_error *err)
{
	json_t *v = json_object_get(body, key);
	*out = false;
	if (!v || json_is_null(v))
		return ZF_OK;
	if (!json_is_boolean(v))
		return zf_fail(err, ZF_EINVAL, "invalid_type", key, "“%s”应为 true 或 false", key);
	*out = json_is_true(v);
	return ZF_OK;
}

static int get_date(const json_t *body, const char *key, bool required, struct zf_date def,
		    struct zf_date *out, struct zf_error *err)
{
	const char *s;
	int rc = http_str(body, key, required, DATE_STR_LEN, &s, err);
	*out = def;
	if (rc || !s)
		return rc;
	return date_parse(s, out, key, err);
}

/* An optional ISO 8601 instant; `def` when absent. */
static int get_instant(const json_t *body, const char *key, int64_t def, int64_t *out,
		       struct zf_error *err)
{
	const char *s;
	int rc = http_str(body, key, false, 64, &s, err);
	*out = def;
	if (rc || !s)
		return rc;
	return instant_parse(s, out, key, err);
}

/*
 * Metres as the CLI takes them ("4.2", at most 3 decimals), given as a
 * string or a number; millimetres out.  A number goes through text with
 * 10 significant digits, so 4.3 is "4.3" and a fourth decimal is refused
 * by the same parser, naming the field.
 */
static int get_metres(const json_t *body, const char *key, int64_t *mm, bool *has,
		      struct zf_error *err)
{
	json_t *v = json_object_get(body, key);
	char num[40];
	const char *s;
	*has = false;
	*mm = 0;
	if (!v || json_is_null(v))
		return ZF_OK;
	if (json_is_string(v)) {
		s = json_string_value(v);
		int rc = text_check(s, key, 16, true, err);
		if (rc)
			return rc;
	} else if (json_is_number(v)) {
		snprintf(num, sizeof(num), "%.10g", json_number_value(v));
		s = num;
	} else {
		return zf_fail(err, ZF_EINVAL, "invalid_type", key, "“%s”应为以米为单位的数，如 4.2",
			       key);
	}
	*has = true;
	return overload_parse_mm(s, mm, key, err);
}

/* "officers": 1..12 ids or certificate numbers (pointers into body). */
static int get_officers(const json_t *body, bool required, const char **out, size_t *n,
			struct zf_error *err)
{
	json_t *a = json_object_get(body, "officers"), *v;
	size_t i;
	*n = 0;
	if (!a || json_is_null(a)) {
		if (required)
			return zf_fail(err, ZF_EINVAL, "required", "officers",
				       "“officers”为必填项（执法人员 id 或执法证号）");
		return ZF_OK;
	}
	if (!json_is_array(a))
		return zf_fail(err, ZF_EINVAL, "invalid_type", "officers",
			       "“officers”应为执法人员 id 或执法证号的数组");
	if (json_array_size(a) > MAX_OFFICERS)
		return zf_fail(err, ZF_EINVAL, "too_many_officers", "officers",
			       "最多列 %d 名执法人员", MAX_OFFICERS);
	if (required && !json_array_size(a))
		return zf_fail(err, ZF_EINVAL, "required", "officers", "“officers”不能为空");
	json_array_foreach(a, i, v) {
		int rc;
		if (!json_is_string(v))
			return zf_fail(err, ZF_EINVAL, "invalid_type", "officers",
				       "“officers”的每一项应为字符串");
		if ((rc = text_check(json_string_value(v), "officers", KEY_MAX, true, err)))
			return rc;
		out[(*n)++] = json_string_value(v);
	}
	return ZF_OK;
}

static int not_assigned(struct zf_error *err, const char *field, const char *why)
{
	return zf_fail(err, ZF_EFORBIDDEN, "not_assigned", field,
		       "%s（称重、立案和审核只能由执法人员本人登录办理）", why);
}

/* The user's own officer, or 403: weighing and review are acts of a person. */
static int my_officer(const struct http_req *req, const char **me, struct zf_error *err)
{
	*me = req->user.officer_id;
	if (!*me || !**me)
		return not_assigned(err, "", "当前用户未关联执法人员");
	return ZF_OK;
}

/* Does `key` (id or certificate number) name the user's own officer?  An
 * unknown officer is bad input naming `field`. */
static int is_me(struct http_req *req, struct store *st, const char *key, const char *field,
		 bool *yes, struct zf_error *err)
{
	struct officer o = {0};
	int rc = store_officer_get(st, &req->ctx, key, &o, err);
	if (rc == ZF_ENOTFOUND)
		rc = zf_fail(err, ZF_EINVAL, "officer_not_found", field, "找不到执法人员“%s”", key);
	*yes = !rc && req->user.officer_id && !strcmp(o.id, req->user.officer_id);
	officer_release(&o);
	return rc;
}

/* The user's officer must be one of those named (as api_case.c's
 * step_assigned for a step that names officers). */
static int me_among(struct http_req *req, struct store *st, const char *const *keys, size_t n,
		    struct zf_error *err)
{
	const char *me;
	bool yes = false;
	int rc = my_officer(req, &me, err);
	for (size_t i = 0; !rc && !yes && i < n; i++)
		rc = is_me(req, st, keys[i], "officers", &yes, err);
	if (!rc && !yes)
		rc = not_assigned(err, "officers", "当前用户不在所列执法人员之中");
	return rc;
}

/* ---- weighings ------------------------------------------------------------ */

static const char *const list_query[] = {"org", "review", "over", "station", "plate",
					 "year", "limit", "after", NULL};

int api_weigh_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct weigh_filter f = {0};
	struct zf_ctx ctx;
	int64_t year = 0, limit = LIST_LIMIT_DEFAULT;
	json_t *items = NULL, *next;
	const char *s;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, list_query, err)) ||
	    (rc = api_scope_org(req, st, &ctx, err)) ||
	    (rc = query_flag(req, "over", &f.over_only, err)))
		return rc;
	if ((s = http_query(req, "year")) &&
	    (rc = text_parse_int(s, 2000, 2099, &year, "year", err)))
		return rc;
	if ((s = http_query(req, "limit")) &&
	    (rc = text_parse_int(s, 1, LIST_LIMIT_MAX, &limit, "limit", err)))
		return rc;
	f.after = http_query(req, "after");
	if (f.after && !uuid_is_valid(f.after))
		return zf_fail(err, ZF_EINVAL, "invalid_id", "after",
			       "“after”应为上一页最后一条称重记录的 id");
	f.review = http_query(req, "review");
	f.station = http_query(req, "station");
	f.plate = http_query(req, "plate");
	f.year = (int)year;
	f.limit = limit + 1;	/* one more tells whether there is a next page */
	if ((rc = store_weigh_list(st, &ctx, &f, &items, err)))
		return rc;
	next = json_null();
	if ((int64_t)json_array_size(items) > limit) {
		json_array_remove(items, (size_t)limit);
		next = json_deep_copy(json_object_get(json_array_get(items, (size_t)limit - 1), "id"));
	}
	return http_reply(resp, 200, json_pack("{so so}", "items", items, "next", next), err);
}

static const char *const org_query[] = {"org", NULL};

int api_weigh_get(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct zf_ctx ctx;
	const char *key;
	json_t *doc = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, org_query, err)) || (rc = path_key(req, "id", &key, err)) ||
	    (rc = api_scope_org(req, st, &ctx, err)) ||
	    (rc = store_weigh_get(st, &ctx, key, &doc, err)))
		return rc;
	return http_reply(resp, 200, doc, err);
}

static const char *const record_fields[] = {
	"id", "station", "weighed_at", "plate", "trailer_plate", "axles", "config",
	"single_drive_axle", "single_tyre_axles", "gross_kg", "height_m", "width_m",
	"length_m", "device", "officers", NULL,
};

int api_weigh_record(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct weigh_in in = {0};
	const char *officers[MAX_OFFICERS];
	int64_t axles = 0, tyres = 0;
	json_t *body = NULL, *doc = NULL;
	bool has;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, NULL, err)) ||
	    (rc = http_body(req, record_fields, &body, err)) ||
	    (rc = http_str(body, "id", false, KEY_MAX, &in.client_id, err)) ||
	    (rc = http_str(body, "station", true, 100, &in.station, err)) ||
	    (rc = get_instant(body, "weighed_at", req->ctx.now_us, &in.weighed_at, err)) ||
	    (rc = http_str(body, "plate", true, 32, &in.plate, err)) ||
	    (rc = http_str(body, "trailer_plate", false, 32, &in.trailer_plate, err)) ||
	    (rc = http_int(body, "axles", true, 2, 8, &axles, err)) ||
	    (rc = http_str(body, "config", true, 16, &in.config, err)) ||
	    (rc = get_bool(body, "single_drive_axle", &in.single_drive_axle, err)) ||
	    (rc = http_int(body, "single_tyre_axles", false, 0, 8, &tyres, err)) ||
	    (rc = http_int(body, "gross_kg", true, -WIDE_KG, WIDE_KG, &in.gross_kg, err)) ||
	    (rc = get_metres(body, "height_m", &in.height_mm, &has, err)) ||
	    (rc = get_metres(body, "width_m", &in.width_mm, &has, err)) ||
	    (rc = get_metres(body, "length_m", &in.length_mm, &has, err)) ||
	    (rc = http_str(body, "device", true, KEY_MAX, &in.device, err)) ||
	    (rc = get_officers(body, true, officers, &in.nofficers, err)))
		goto out;
	if (in.client_id && !uuid_is_valid(in.client_id)) {
		rc = zf_fail(err, ZF_EINVAL, "invalid_id", "id", "“id”应为小写 UUID");
		goto out;
	}
	in.axles = (int)axles;
	in.single_tyre_axles = (int)tyres;
	in.officers = officers;
	/* a resent creation (the offline terminal) gets the weighing it made */
	if (in.client_id && store_weigh_get(st, &req->ctx, in.client_id, &doc, NULL) == ZF_OK) {
		rc = http_reply(resp, 200, doc, err);
		doc = NULL;
		goto out;
	}
	if ((rc = me_among(req, st, officers, in.nofficers, err)) ||
	    (rc = store_weigh_record(st, &req->ctx, &in, &doc, err)))
		goto out;
	rc = http_reply(resp, 201, doc, err);
	doc = NULL;
out:
	json_decref(doc);
	json_decref(body);
	return rc;
}

static const char *const unload_fields[] = {"goods", "unloaded_kg", "place", "reweigh_kg",
					    "unloaded_at", NULL};

int api_weigh_unload(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct unload_in in = {0};
	const char *key;
	json_t *body = NULL, *doc = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, NULL, err)) || (rc = path_key(req, "id", &key, err)) ||
	    (rc = http_body(req, unload_fields, &body, err)) ||
	    (rc = http_str(body, "goods", true, 100, &in.goods, err)) ||
	    (rc = http_int(body, "unloaded_kg", true, -WIDE_KG, WIDE_KG, &in.unloaded_kg, err)) ||
	    (rc = http_str(body, "place", true, 200, &in.place, err)) ||
	    (rc = http_int(body, "reweigh_kg", true, -WIDE_KG, WIDE_KG, &in.reweigh_kg, err)) ||
	    (rc = get_instant(body, "unloaded_at", req->ctx.now_us, &in.at, err)) ||
	    (rc = store_weigh_unload(st, &req->ctx, key, &in, &doc, err)))
		goto out;
	rc = http_reply(resp, 200, doc, err);
	doc = NULL;
out:
	json_decref(doc);
	json_decref(body);
	return rc;
}

static const char *const flag_names[] = {"major", "complex", "serious", "harm", NULL};

/* "flags": {"major": true, ...}, booleans of the known names only. */
static int check_flags(const json_t *v, struct zf_error *err)
{
	const char *k;
	json_t *b;
	if (!json_is_object(v))
		return zf_fail(err, ZF_EINVAL, "invalid_type", "flags",
			       "“flags”应为对象，如 {\"major\": true}");
	json_object_foreach((json_t *)v, k, b) {
		if (!text_in(k, flag_names))
			return zf_fail(err, ZF_EINVAL, "unknown_field", "flags",
				       "未知的案件标记“%.40s”（major、complex、serious、harm）", k);
		if (!json_is_boolean(b))
			return zf_fail(err, ZF_EINVAL, "invalid_type", "flags",
				       "案件标记“%s”应为 true 或 false", k);
	}
	return ZF_OK;
}

/* A resent opening (client id) whose case is this weighing's: answered as
 * it stands. */
static int case_already_opened(struct http_req *req, struct store *st, const char *key,
			       const char *id, struct http_resp *resp, bool *done,
			       struct zf_error *err)
{
	json_t *w = NULL, *doc = NULL;
	*done = false;
	if (store_weigh_get(st, &req->ctx, key, &w, NULL) == ZF_OK && js(w, "case_id") &&
	    !strcmp(js(w, "case_id"), id) && store_case_get(st, &req->ctx, id, &doc, NULL) == ZF_OK)
		*done = true;
	json_decref(w);
	return *done ? http_reply(resp, 200, doc, err) : ZF_OK;
}

static const char *const case_fields[] = {"id", "party", "vehicle", "officers", "date",
					  "level", "flags", "place", NULL};

int api_weigh_case(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct case_step_in in = {0};
	const char *officers[MAX_OFFICERS], *key, *level, *place;
	json_t *body = NULL, *params = NULL, *doc = NULL, *flags;
	bool done = false;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, NULL, err)) || (rc = path_key(req, "id", &key, err)) ||
	    (rc = http_body(req, case_fields, &body, err)) ||
	    (rc = http_str(body, "id", false, KEY_MAX, &in.client_id, err)) ||
	    (rc = http_str(body, "party", false, KEY_MAX, &in.party, err)) ||
	    (rc = http_str(body, "vehicle", false, KEY_MAX, &in.vehicle, err)) ||
	    (rc = get_officers(body, true, officers, &in.nofficers, err)) ||
	    (rc = get_date(body, "date", false, instant_local_date(req->ctx.now_us), &in.date,
			   err)) ||
	    (rc = http_str(body, "level", false, 32, &level, err)) ||
	    (rc = http_str(body, "place", false, 200, &place, err)))
		goto out;
	flags = json_object_get(body, "flags");
	if (flags && json_is_null(flags))
		flags = NULL;
	if (flags && (rc = check_flags(flags, err)))
		goto out;
	if (in.client_id && !uuid_is_valid(in.client_id)) {
		rc = zf_fail(err, ZF_EINVAL, "invalid_id", "id", "“id”应为小写 UUID");
		goto out;
	}
	if (in.client_id &&
	    ((rc = case_already_opened(req, st, key, in.client_id, resp, &done, err)) || done))
		goto out;
	if (!(params = json_object()) ||
	    (level && json_object_set_new(params, "level", json_string(level))) ||
	    (place && json_object_set_new(params, "place", json_string(place))) ||
	    (flags && json_object_set(params, "flags", flags))) {
		rc = oom(err);
		goto out;
	}
	in.officers = officers;
	in.params = params;
	/* as a register step: the user is one of the officers who open it */
	if ((rc = me_among(req, st, officers, in.nofficers, err)) ||
	    (rc = store_weigh_open_case(st, &req->ctx, key, &in, &doc, err)))
		goto out;
	rc = http_reply(resp, 201, doc, err);
	doc = NULL;
out:
	json_decref(doc);
	json_decref(params);
	json_decref(body);
	return rc;
}

static bool is_case_officer(const json_t *doc, const char *officer_id)
{
	size_t i;
	json_t *v;
	if (!officer_id || !*officer_id)
		return false;
	json_array_foreach(json_object_get(doc, "officers"), i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), officer_id))
			return true;
	return false;
}

static const char *const link_fields[] = {"case", NULL};

int api_weigh_link(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	const char *key, *kase;
	json_t *body = NULL, *cdoc = NULL, *doc = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, NULL, err)) || (rc = path_key(req, "id", &key, err)) ||
	    (rc = http_body(req, link_fields, &body, err)) ||
	    (rc = http_str(body, "case", true, KEY_MAX, &kase, err)))
		goto out;
	/* like a note on the case: one of its officers, or a head */
	if ((rc = store_case_get(st, &req->ctx, kase, &cdoc, err))) {
		zf_strlcpy(err->field, "case", sizeof(err->field));
		goto out;
	}
	if (!is_case_officer(cdoc, req->user.officer_id) && !(req->user.roles & ROLE_HEAD)) {
		rc = not_assigned(err, "case", "当前用户不是该案的承办执法人员，也不是负责人");
		goto out;
	}
	/* a machine record is reviewed by the user's own officer (Art. 41) */
	if ((rc = store_weigh_link(st, &req->ctx, key, kase, req->user.officer_id, &doc, err)))
		goto out;
	rc = http_reply(resp, 200, doc, err);
	doc = NULL;
out:
	json_decref(doc);
	json_decref(cdoc);
	json_decref(body);
	return rc;
}

static const char *const dismiss_fields[] = {"reviewer", "reason", NULL};

int api_weigh_dismiss(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	const char *key, *reviewer, *reason, *me;
	json_t *body = NULL, *doc = NULL;
	bool yes = false;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, NULL, err)) || (rc = path_key(req, "id", &key, err)) ||
	    (rc = http_body(req, dismiss_fields, &body, err)) ||
	    (rc = http_str(body, "reviewer", false, KEY_MAX, &reviewer, err)) ||
	    (rc = http_str(body, "reason", true, 500, &reason, err)) ||
	    (rc = my_officer(req, &me, err)))
		goto out;
	/* the reviewer is the user, by default and always */
	if (!reviewer)
		reviewer = me;
	else if ((rc = is_me(req, st, reviewer, "reviewer", &yes, err)))
		goto out;
	else if (!yes) {
		rc = not_assigned(err, "reviewer", "审核人须是当前登录的执法人员本人，不得代他人审核");
		goto out;
	}
	if ((rc = store_weigh_dismiss(st, &req->ctx, key, reviewer, reason, &doc, err)))
		goto out;
	rc = http_reply(resp, 200, doc, err);
	doc = NULL;
out:
	json_decref(doc);
	json_decref(body);
	return rc;
}

/* ---- weigh-in-motion imports -------------------------------------------- */

int api_weigh_imports(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct zf_ctx ctx;
	json_t *doc = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, org_query, err)) ||
	    (rc = api_scope_org(req, st, &ctx, err)) ||
	    (rc = store_weigh_import_list(st, &ctx, &doc, err)))
		return rc;
	return http_reply(resp, 200, doc, err);
}

struct api_spool {
	FILE *f;		/* unlinked on creation: nothing outlives the request */
	uint64_t len;
};

void api_spool_free(struct api_spool *sp)
{
	if (!sp)
		return;
	if (sp->f)
		fclose(sp->f);
	zf_free(sp);
}

static const char *const import_query[] = {"name", "device", "strict", NULL};

/* The import's query: name (required), device (a scale, may be absent), strict. */
static int import_args(const struct http_req *req, const char **name, const char **device,
		       bool *strict, struct zf_error *err)
{
	int rc;
	if ((rc = api_query_allow(req, import_query, err)) ||
	    (rc = query_flag(req, "strict", strict, err)))
		return rc;
	*name = http_query(req, "name");
	*device = http_query(req, "device");
	if (*device && !**device)
		*device = NULL;
	if ((rc = text_check(*name, "name", IMPORT_NAME_MAX, true, err)))
		return rc;
	return *device ? text_check(*device, "device", KEY_MAX, true, err) : ZF_OK;
}

static int too_big(struct zf_error *err)
{
	return zf_fail(err, ZF_ETOOBIG, "file_too_big", "file",
		       "称重数据文件超过 %llu MB 的上限，请按月或按站点分成几个文件导入",
		       (unsigned long long)(API_WEIGH_IMPORT_MAX >> 20));
}

/*
 * Before the first body byte: the query, the scale (exists, is a scale),
 * the declared size; then the spool.  What the rows say is checked when
 * they are loaded.
 */
int api_weigh_import_begin(struct http_req *req, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	const char *name, *device;
	json_t *certs = NULL;
	bool strict;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = import_args(req, &name, &device, &strict, err)))
		return rc;
	if (device && (rc = store_calibration_list(st, &req->ctx, device, &certs, err)))
		return rc;
	json_decref(certs);
	if (req->content_length > 0 && (uint64_t)req->content_length > API_WEIGH_IMPORT_MAX)
		return too_big(err);
	if (!(req->spool = zf_calloc(1, sizeof(*req->spool))))
		return oom(err);
	if (!(req->spool->f = tmpfile()))
		return zf_fail(err, ZF_EIO, "upload_failed", "",
			       "服务器无法创建临时文件来接收上传的称重数据");
	return ZF_OK;
}

void api_weigh_import_write(struct http_req *req, const void *p, size_t n)
{
	struct api_spool *sp = req->spool;
	if (req->upload_rc || !sp)
		return;
	if (sp->len + n > API_WEIGH_IMPORT_MAX)
		req->upload_rc = too_big(&req->upload_err);
	else if (fwrite(p, 1, n, sp->f) != n)
		req->upload_rc = zf_fail(&req->upload_err, ZF_EIO, "upload_failed", "",
					 "服务器写入临时文件失败（磁盘空间不足？）");
	sp->len += n;
	if (req->upload_rc) {
		/* give the disk back now; the rest is read and dropped */
		api_spool_free(sp);
		req->spool = NULL;
	}
}

/* Feed the spooled file to the import in chunks, as `zhifa weigh import` does. */
static int import_feed(struct store_weigh_import *imp, FILE *f, char *buf,
		       struct zf_error *err)
{
	size_t have = 0, used;
	bool eof = false;
	int rc = ZF_OK;
	while (!rc) {
		size_t n = eof ? 0 : fread(buf + have, 1, IMPORT_CHUNK - have, f);
		if (!n && !eof && ferror(f))
			return zf_fail(err, ZF_EIO, "upload_failed", "",
				       "服务器读取临时文件失败");
		eof = n == 0;
		have += n;
		if ((rc = store_weigh_import_feed(imp, buf, have, eof, &used, err)))
			break;
		memmove(buf, buf + used, have - used);
		have -= used;
		if (eof)
			break;
	}
	return rc;
}

int api_weigh_import(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct store_weigh_import *imp = NULL;
	const char *name, *device;
	json_t *doc = NULL;
	char *buf = NULL;
	bool strict;
	int rc;
	if (!st)
		return ZF_EIO;
	if (req->upload_rc) {
		*err = req->upload_err;
		return req->upload_rc;
	}
	if (!req->spool)	/* not begun: server.c always begins first */
		return zf_fail(err, ZF_EINVAL, "upload_not_started", "", "上传未开始");
	if ((rc = import_args(req, &name, &device, &strict, err)))
		return rc;
	if (fflush(req->spool->f) || fseek(req->spool->f, 0, SEEK_SET))
		return zf_fail(err, ZF_EIO, "upload_failed", "", "服务器读取临时文件失败");
	if (!(buf = zf_malloc(IMPORT_CHUNK)))
		return oom(err);
	if ((rc = store_weigh_import_begin(st, &req->ctx, name, device, strict, &imp, err)))
		goto out;
	if ((rc = import_feed(imp, req->spool->f, buf, err))) {
		store_weigh_import_abort(imp);
		goto out;
	}
	/* commit consumes the import, refused or not; a strict refusal's row
	 * report does not fit the error body, which names the count only */
	if ((rc = store_weigh_import_commit(imp, &doc, err))) {
		json_decref(doc);
		goto out;
	}
	rc = http_reply(resp, 201, doc, err);
out:
	zf_free(buf);
	api_spool_free(req->spool);
	req->spool = NULL;
	return rc;
}

/* ---- scales' certificates -------------------------------------------------- */

static int calibrations(struct http_req *req, struct http_resp *resp, const char *device,
			struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct zf_ctx ctx;
	json_t *doc = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, org_query, err)) ||
	    (rc = api_scope_org(req, st, &ctx, err)) ||
	    (rc = store_calibration_list(st, &ctx, device, &doc, err)))
		return rc;
	return http_reply(resp, 200, doc, err);
}

int api_calibration_list_all(struct http_req *req, struct http_resp *resp,
			     struct zf_error *err)
{
	return calibrations(req, resp, NULL, err);
}

int api_calibration_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	const char *device;
	int rc = path_key(req, "device", &device, err);
	return rc ? rc : calibrations(req, resp, device, err);
}

static const char *const calibration_fields[] = {"cert_no", "valid_from", "valid_until", NULL};

int api_calibration_add(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct zf_date from, until, none = {0, 0, 0};
	const char *device, *cert;
	json_t *body = NULL, *doc = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, NULL, err)) ||
	    (rc = path_key(req, "device", &device, err)) ||
	    (rc = http_body(req, calibration_fields, &body, err)) ||
	    (rc = http_str(body, "cert_no", true, KEY_MAX, &cert, err)) ||
	    (rc = get_date(body, "valid_from", true, none, &from, err)) ||
	    (rc = get_date(body, "valid_until", true, none, &until, err)) ||
	    (rc = store_calibration_add(st, &req->ctx, device, cert, from, until, &doc, err)))
		goto out;
	rc = http_reply(resp, 201, doc, err);
	doc = NULL;
out:
	json_decref(doc);
	json_decref(body);
	return rc;
}

/* ---- statistics and the engine --------------------------------------------- */

static const char *const stats_query[] = {"org", "year", NULL};

int api_overload_stats(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct zf_ctx ctx;
	int64_t year = instant_local_date(req->ctx.now_us).y;
	json_t *doc = NULL;
	const char *s;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_query_allow(req, stats_query, err)) ||
	    (rc = api_scope_org(req, st, &ctx, err)))
		return rc;
	if ((s = http_query(req, "year")) &&
	    (rc = text_parse_int(s, 2000, 2099, &year, "year", err)))
		return rc;
	if ((rc = store_overload_stats(st, &ctx, (int)year, &doc, err)))
		return rc;
	return http_reply(resp, 200, doc, err);
}

/* The organisation's part-tonne mode and weigh-in-motion tolerance, as
 * `zhifa --db ... overload check` reads them. */
static int org_overload_settings(struct store *st, const char *org_id,
				 struct overload_settings *s, struct zf_error *err)
{
	json_t *settings = NULL;
	const char *mode, *tol;
	int64_t kg = 0;
	int rc;
	memset(s, 0, sizeof(*s));
	s->part_tonne = OVERLOAD_WHOLE_TONNES;
	if ((rc = store_org_settings(st, org_id, &settings, err)))
		return rc;
	mode = js(settings, "overload_part_tonne_mode");
	tol = js(settings, "wim_tolerance_kg");
	if (mode)
		rc = overload_part_tonne_parse(mode, &s->part_tonne, "overload_part_tonne_mode", err);
	if (!rc && tol)
		rc = text_parse_int(tol, 0, OVERLOAD_MAX_TOLERANCE_KG, &kg, "wim_tolerance_kg", err);
	s->wim_tolerance_kg = kg;
	json_decref(settings);
	return rc;
}

static const char *const check_fields[] = {
	"axles", "config", "single_tyre_axles", "single_drive_axle", "refrigerated",
	"air_suspension", "wim", "mass_kg", "licence_mass_kg", "height_m", "width_m",
	"length_m", "date", NULL,
};

int api_overload_check(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct overload_input in;
	struct overload_settings set;
	struct overload_rules rules;
	struct overload_result res;
	const char *config;
	int64_t axles = 0, tyres = 0;
	json_t *body = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	memset(&in, 0, sizeof(in));
	overload_rules_init(&rules);
	if ((rc = api_query_allow(req, NULL, err)) ||
	    (rc = http_body(req, check_fields, &body, err)) ||
	    (rc = http_int(body, "axles", true, -WIDE_COUNT, WIDE_COUNT, &axles, err)) ||
	    (rc = http_str(body, "config", true, 32, &config, err)) ||
	    (rc = overload_config_parse(config, &in.config, "config", err)) ||
	    (rc = http_int(body, "single_tyre_axles", false, -WIDE_COUNT, WIDE_COUNT, &tyres, err)) ||
	    (rc = get_bool(body, "single_drive_axle", &in.single_drive_axle, err)) ||
	    (rc = get_bool(body, "refrigerated", &in.refrigerated, err)) ||
	    (rc = get_bool(body, "air_suspension", &in.air_suspension, err)) ||
	    (rc = get_bool(body, "wim", &in.wim, err)) ||
	    (rc = get_metres(body, "height_m", &in.height_mm, &in.has_height, err)) ||
	    (rc = get_metres(body, "width_m", &in.width_mm, &in.has_width, err)) ||
	    (rc = get_metres(body, "length_m", &in.length_mm, &in.has_length, err)) ||
	    (rc = get_date(body, "date", false, instant_local_date(req->ctx.now_us), &in.date,
			   err)))
		goto out;
	in.has_mass = json_object_get(body, "mass_kg") && !json_is_null(json_object_get(body, "mass_kg"));
	in.has_licence_mass = json_object_get(body, "licence_mass_kg") &&
			      !json_is_null(json_object_get(body, "licence_mass_kg"));
	if ((rc = http_int(body, "mass_kg", false, -WIDE_KG, WIDE_KG, &in.mass_kg, err)) ||
	    (rc = http_int(body, "licence_mass_kg", false, -WIDE_KG, WIDE_KG, &in.licence_mass_kg,
			   err)))
		goto out;
	in.axles = (int)axles;
	in.single_tyre_axles = (int)tyres;
	if ((rc = org_overload_settings(st, req->ctx.org_id, &set, err)) ||
	    (rc = overload_rules_load_builtin(&rules, err)) ||
	    (rc = overload_check(&rules, &in, &set, &res, err)))
		goto out;
	json_t *doc = overload_result_to_json(&res);
	overload_result_release(&res);
	rc = http_reply(resp, 200, doc, err);
out:
	overload_rules_release(&rules);
	json_decref(body);
	return rc;
}
