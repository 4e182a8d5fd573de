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
#include "wim_report.h"

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

static const char *js(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ---- request helpers ---------------------------------------------------- */

static const char *const org_query[] = {"org", NULL};

/*
 * How a write starts: the store, no query, the path parameter `param` into
 * *key (none when param is NULL), then a body of the known fields.
 */
static int begin_write(struct http_req *req, const char *param, const char **key,
		       const char *const *fields, struct store **st, json_t **body,
		       struct zf_error *err)
{
	int rc;
	if ((rc = api_begin(req, NULL, st, err)) ||
	    (param && (rc = api_path_key(req, param, key, err))))
		return rc;
	return http_body(req, fields, body, err);
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

static int not_assigned(struct zf_error *err, const char *field, const char *why)
{
	return api_not_assigned(err, field, why, "称重、立案和审核只能由执法人员本人登录办理");
}

/* The user's own officer, or 403: weighing and review are acts of a person. */
static int my_officer(const struct http_req *req, const char **me, struct zf_error *err)
{
	*me = req->user.officer_id;
	if (!*me || !**me)
		return not_assigned(err, "", "当前用户未关联执法人员");
	return ZF_OK;
}

/* The user's officer must be one of those named (as api_case.c's
 * step_assigned for a step that names officers). */
static int me_among(struct http_req *req, struct store *st, const char *const *keys, size_t n,
		    struct zf_error *err)
{
	const char *me;
	bool yes = false;
	int rc;
	if ((rc = my_officer(req, &me, err)) ||
	    (rc = api_names_me(req, st, keys, n, "officers", &yes, err)))
		return rc;
	return yes ? ZF_OK : not_assigned(err, "officers", "当前用户不在所列执法人员之中");
}

/* ---- weighings ------------------------------------------------------------ */

static const char *const list_query[] = {"org", "review", "over", "station", "plate",
					 "year", "limit", "after", NULL};

int api_weigh_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct weigh_filter f = {0};
	struct zf_ctx ctx;
	int64_t year = 0, limit = LIST_LIMIT_DEFAULT;
	json_t *items = NULL;
	int rc;
	if ((rc = api_begin_read(req, list_query, &st, &ctx, err)) ||
	    (rc = api_query_flag(req, "over", &f.over_only, err)) ||
	    (rc = api_query_int(req, "year", false, 2000, 2099, &year, err)) ||
	    (rc = api_query_int(req, "limit", false, 1, LIST_LIMIT_MAX, &limit, err)))
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
	return api_reply_page(resp, items, limit, err);
}

int api_weigh_get(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	const char *key;
	json_t *doc = NULL;
	int rc;
	if ((rc = api_begin(req, org_query, &st, err)) ||
	    (rc = api_path_key(req, "id", &key, err)) ||
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
	struct store *st;
	struct weigh_in in = {0};
	const char *officers[API_MAX_OFFICERS];
	int64_t axles = 0, tyres = 0;
	json_t *body = NULL, *doc = NULL;
	bool has;
	int rc;
	if ((rc = begin_write(req, NULL, NULL, record_fields, &st, &body, err)) ||
	    (rc = http_str(body, "id", false, API_KEY_MAX, &in.client_id, err)) ||
	    (rc = http_str(body, "station", true, 100, &in.station, err)) ||
	    (rc = get_instant(body, "weighed_at", req->ctx.now_us, &in.weighed_at, err)) ||
	    (rc = http_str(body, "plate", true, 32, &in.plate, err)) ||
	    (rc = http_str(body, "trailer_plate", false, 32, &in.trailer_plate, err)) ||
	    (rc = http_int(body, "axles", true, 2, 8, &axles, err)) ||
	    (rc = http_str(body, "config", true, 16, &in.config, err)) ||
	    (rc = api_bool(body, "single_drive_axle", &in.single_drive_axle, err)) ||
	    (rc = http_int(body, "single_tyre_axles", false, 0, 8, &tyres, err)) ||
	    (rc = http_int(body, "gross_kg", true, -WIDE_KG, WIDE_KG, &in.gross_kg, err)) ||
	    (rc = get_metres(body, "height_m", &in.height_mm, &has, err)) ||
	    (rc = get_metres(body, "width_m", &in.width_mm, &has, err)) ||
	    (rc = get_metres(body, "length_m", &in.length_mm, &has, err)) ||
	    (rc = http_str(body, "device", true, API_KEY_MAX, &in.device, err)) ||
	    (rc = api_officers(body, true, officers, &in.nofficers, err)) ||
	    (rc = api_client_id_check(in.client_id, err)))
		goto out;
	in.axles = (int)axles;
	in.single_tyre_axles = (int)tyres;
	in.officers = officers;
	/* a resent creation (the offline terminal) gets the weighing it made */
	if (in.client_id && store_weigh_get(st, &req->ctx, in.client_id, &doc, NULL) == ZF_OK)
		rc = http_reply(resp, 200, doc, err);
	else if (!(rc = me_among(req, st, officers, in.nofficers, err)) &&
		 !(rc = store_weigh_record(st, &req->ctx, &in, &doc, err)))
		rc = http_reply(resp, 201, doc, err);
out:
	json_decref(body);
	return rc;
}

static const char *const unload_fields[] = {"goods", "unloaded_kg", "place", "reweigh_kg",
					    "unloaded_at", NULL};

int api_weigh_unload(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct unload_in in = {0};
	const char *key;
	json_t *body = NULL, *doc = NULL;
	int rc;
	if (!(rc = begin_write(req, "id", &key, unload_fields, &st, &body, err)) &&
	    !(rc = http_str(body, "goods", true, 100, &in.goods, err)) &&
	    !(rc = http_int(body, "unloaded_kg", true, -WIDE_KG, WIDE_KG, &in.unloaded_kg, err)) &&
	    !(rc = http_str(body, "place", true, 200, &in.place, err)) &&
	    !(rc = http_int(body, "reweigh_kg", true, -WIDE_KG, WIDE_KG, &in.reweigh_kg, err)) &&
	    !(rc = get_instant(body, "unloaded_at", req->ctx.now_us, &in.at, err)) &&
	    !(rc = store_weigh_unload(st, &req->ctx, key, &in, &doc, err)))
		rc = http_reply(resp, 200, doc, err);
	json_decref(body);
	return rc;
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
	struct store *st;
	struct case_step_in in = {0};
	const char *officers[API_MAX_OFFICERS], *key, *level, *place;
	json_t *body = NULL, *params = NULL, *doc = NULL, *flags;
	bool done = false;
	int rc;
	if ((rc = begin_write(req, "id", &key, case_fields, &st, &body, err)) ||
	    (rc = http_str(body, "id", false, API_KEY_MAX, &in.client_id, err)) ||
	    (rc = http_str(body, "party", false, API_KEY_MAX, &in.party, err)) ||
	    (rc = http_str(body, "vehicle", false, API_KEY_MAX, &in.vehicle, err)) ||
	    (rc = api_officers(body, true, officers, &in.nofficers, err)) ||
	    (rc = api_date(body, "date", false, instant_local_date(req->ctx.now_us), &in.date,
			   err)) ||
	    (rc = http_str(body, "level", false, 32, &level, err)) ||
	    (rc = http_str(body, "place", false, 200, &place, err)))
		goto out;
	flags = api_has(body, "flags") ? json_object_get(body, "flags") : NULL;
	if ((flags && (rc = api_case_flags(flags, "flags", err))) ||
	    (rc = api_client_id_check(in.client_id, err)))
		goto out;
	if (in.client_id &&
	    ((rc = case_already_opened(req, st, key, in.client_id, resp, &done, err)) || done))
		goto out;
	if (!(params = json_object()) ||
	    (level && json_object_set_new(params, "level", json_string(level))) ||
	    (place && json_object_set_new(params, "place", json_string(place))) ||
	    (flags && json_object_set(params, "flags", flags))) {
		rc = http_oom(err);
		goto out;
	}
	in.officers = officers;
	in.params = params;
	/* as a register step: the user is one of the officers who open it */
	if (!(rc = me_among(req, st, officers, in.nofficers, err)) &&
	    !(rc = store_weigh_open_case(st, &req->ctx, key, &in, &doc, err)))
		rc = http_reply(resp, 201, doc, err);
out:
	json_decref(params);
	json_decref(body);
	return rc;
}

static const char *const link_fields[] = {"case", NULL};

int api_weigh_link(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	const char *key, *kase;
	json_t *body = NULL, *doc = NULL;
	bool yes = false;
	int rc;
	if ((rc = begin_write(req, "id", &key, link_fields, &st, &body, err)) ||
	    (rc = http_str(body, "case", true, API_KEY_MAX, &kase, err)))
		goto out;
	/* like a note on the case: one of its officers, or a head */
	if ((rc = api_case_may_act(req, st, kase, &yes, err))) {
		zf_strlcpy(err->field, "case", sizeof(err->field));
		goto out;
	}
	if (!yes) {
		rc = not_assigned(err, "case", "当前用户不是该案的承办执法人员，也不是负责人");
		goto out;
	}
	/* a machine record is reviewed by the user's own officer (Art. 41) */
	if (!(rc = store_weigh_link(st, &req->ctx, key, kase, req->user.officer_id, &doc, err)))
		rc = http_reply(resp, 200, doc, err);
out:
	json_decref(body);
	return rc;
}

static const char *const dismiss_fields[] = {"reviewer", "reason", NULL};

int api_weigh_dismiss(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	const char *key, *reviewer, *reason, *me;
	json_t *body = NULL, *doc = NULL;
	bool yes = false;
	int rc;
	if ((rc = begin_write(req, "id", &key, dismiss_fields, &st, &body, err)) ||
	    (rc = http_str(body, "reviewer", false, API_KEY_MAX, &reviewer, err)) ||
	    (rc = http_str(body, "reason", true, 500, &reason, err)) ||
	    (rc = my_officer(req, &me, err)))
		goto out;
	/* the reviewer is the user, by default and always */
	if (!reviewer)
		reviewer = me;
	else if ((rc = api_names_me(req, st, &reviewer, 1, "reviewer", &yes, err)))
		goto out;
	else if (!yes) {
		rc = not_assigned(err, "reviewer", "审核人须是当前登录的执法人员本人，不得代他人审核");
		goto out;
	}
	if (!(rc = store_weigh_dismiss(st, &req->ctx, key, reviewer, reason, &doc, err)))
		rc = http_reply(resp, 200, doc, err);
out:
	json_decref(body);
	return rc;
}

/* ---- weigh-in-motion imports -------------------------------------------- */

int api_weigh_imports(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	json_t *doc = NULL;
	int rc;
	if ((rc = api_begin_read(req, org_query, &st, &ctx, err)) ||
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

static int spool_failed(struct zf_error *err, const char *why)
{
	return zf_fail(err, ZF_EIO, "upload_failed", "", "%s", why);
}

static const char *const import_query[] = {"name", "device", "strict", NULL};

/* The import's store and query: name (required), device (a scale, may be
 * absent), strict. */
static int import_args(struct http_req *req, struct store **st, const char **name,
		       const char **device, bool *strict, struct zf_error *err)
{
	int rc;
	if ((rc = api_begin(req, import_query, st, err)) ||
	    (rc = api_query_flag(req, "strict", strict, err)))
		return rc;
	*name = http_query(req, "name");
	*device = api_query_opt(req, "device");
	if ((rc = text_check(*name, "name", IMPORT_NAME_MAX, true, err)))
		return rc;
	return *device ? text_check(*device, "device", API_KEY_MAX, true, err) : ZF_OK;
}

static int too_big(struct zf_error *err)
{
	return zf_fail(err, ZF_ETOOBIG, "file_too_big", "file",
		       "称重数据文件超过 %llu MB 的上限，请按月或按站点分成几个文件导入",
		       (unsigned long long)(API_WEIGH_IMPORT_MAX >> 20));
}

/* Refuse a declared body over the limit, else open the temporary file the
 * upload is written to (import and check alike). */
static int spool_start(struct http_req *req, struct zf_error *err)
{
	if (req->content_length > 0 && (uint64_t)req->content_length > API_WEIGH_IMPORT_MAX)
		return too_big(err);
	if (!(req->spool = zf_calloc(1, sizeof(*req->spool))))
		return http_oom(err);
	if (!(req->spool->f = tmpfile()))
		return spool_failed(err, "服务器无法创建临时文件来接收上传的称重数据");
	return ZF_OK;
}

/*
 * Before the first body byte: the query, the scale (exists, is a scale),
 * the declared size; then the spool.  What the rows say is checked when
 * they are loaded.
 */
int api_weigh_import_begin(struct http_req *req, struct zf_error *err)
{
	struct store *st;
	const char *name, *device;
	json_t *certs = NULL;
	bool strict;
	int rc;
	if ((rc = import_args(req, &st, &name, &device, &strict, err)))
		return rc;
	if (device && (rc = store_calibration_list(st, &req->ctx, device, &certs, err)))
		return rc;
	json_decref(certs);
	return spool_start(req, err);
}

/* After the first error api.c drops the spool and the rest of the body. */
void api_weigh_import_write(struct http_req *req, const void *p, size_t n)
{
	struct api_spool *sp = req->spool;
	if (!sp)
		return;
	if (sp->len + n > API_WEIGH_IMPORT_MAX)
		req->upload_rc = too_big(&req->upload_err);
	else if (fwrite(p, 1, n, sp->f) != n)
		req->upload_rc = spool_failed(&req->upload_err,
					      "服务器写入临时文件失败（磁盘空间不足？）");
	sp->len += n;
}

typedef int spool_chunk_fn(void *arg, const char *buf, size_t len, bool eof, size_t *used,
			   struct zf_error *err);

/* Feed the spooled file to fn in chunks, as `zhifa weigh import` does. */
static int spool_feed(FILE *f, char *buf, spool_chunk_fn *fn, void *arg, struct zf_error *err)
{
	size_t have = 0, used;
	bool eof = false;
	int rc = ZF_OK;
	while (!rc) {
		size_t n = eof ? 0 : fread(buf + have, 1, IMPORT_CHUNK - have, f);
		if (!n && !eof && ferror(f))
			return spool_failed(err, "服务器读取临时文件失败");
		eof = n == 0;
		have += n;
		if ((rc = fn(arg, buf, have, eof, &used, err)))
			break;
		memmove(buf, buf + used, have - used);
		have -= used;
		if (eof)
			break;
	}
	return rc;
}

static int import_chunk(void *arg, const char *buf, size_t len, bool eof, size_t *used,
			struct zf_error *err)
{
	return store_weigh_import_feed(arg, buf, len, eof, used, err);
}

static int check_chunk(void *arg, const char *buf, size_t len, bool eof, size_t *used,
		       struct zf_error *err)
{
	return wim_report_feed(arg, buf, len, eof, used, err);
}

/* The refused rows beside the error of a strict refusal: "rows_refused". */
static void refused_rows(struct http_resp *resp, json_t *rows)
{
	json_t *extra = rows ? json_object() : NULL;
	if (extra && json_object_set(extra, "rows_refused", rows)) {
		json_decref(extra);
		extra = NULL;
	}
	json_decref(resp->error_extra);
	resp->error_extra = extra;	/* without it, the error alone */
}

int api_weigh_import(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct store_weigh_import *imp = NULL;
	const char *name, *device;
	json_t *doc = NULL;
	char *buf = NULL;
	bool strict;
	int rc;
	if ((rc = http_stream_status(req, req->spool != NULL, err)) ||
	    (rc = import_args(req, &st, &name, &device, &strict, err)))
		return rc;
	if (fflush(req->spool->f) || fseek(req->spool->f, 0, SEEK_SET))
		return spool_failed(err, "服务器读取临时文件失败");
	if (!(buf = zf_malloc(IMPORT_CHUNK)))
		return http_oom(err);
	if ((rc = store_weigh_import_begin(st, &req->ctx, name, device, strict, &imp, err)))
		goto out;
	if ((rc = spool_feed(req->spool->f, buf, import_chunk, imp, err))) {
		store_weigh_import_abort(imp);
		goto out;
	}
	/* commit consumes the import, refused or not; a strict refusal's
	 * report gives its refused rows beside the error */
	if ((rc = store_weigh_import_commit(imp, &doc, err))) {
		if (doc)
			refused_rows(resp, json_object_get(doc, "errors"));
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

/* ---- a weigh-in-motion file checked, nothing stored --------------------- */

static const char *const check_query[] = {"name", "strict", NULL};

/* The check's store and query: name (the file's, optional: "file" in the
 * report), strict. */
static int check_args(struct http_req *req, struct store **st, const char **name,
		      bool *strict, struct zf_error *err)
{
	int rc;
	if ((rc = api_begin(req, check_query, st, err)) ||
	    (rc = api_query_flag(req, "strict", strict, err)))
		return rc;
	*name = api_query_opt(req, "name");
	if (*name)
		return text_check(*name, "name", IMPORT_NAME_MAX, true, err);
	*name = "";
	return ZF_OK;
}

/* Before the first body byte: the query and the declared size; then the
 * spool, as an import's. */
int api_weigh_check_begin(struct http_req *req, struct zf_error *err)
{
	struct store *st;
	const char *name;
	bool strict;
	int rc;
	if ((rc = check_args(req, &st, &name, &strict, err)))
		return rc;
	return spool_start(req, err);
}

/*
 * `zhifa --json weigh check` over HTTP: the spooled CSV validated and
 * classified with the organisation's settings (its weigh-in-motion
 * tolerance), the same document back; nothing stored, no ledger entry.
 * With strict, a refused row is the CLI's error (400 invalid_format,
 * field file), the refused rows beside it ("rows_refused").
 */
int api_weigh_check(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct overload_settings set;
	struct wim_report r;
	const char *name;
	json_t *doc = NULL;
	char *buf = NULL;
	bool strict;
	int rc;
	memset(&r, 0, sizeof(r));
	if ((rc = http_stream_status(req, req->spool != NULL, err)) ||
	    (rc = check_args(req, &st, &name, &strict, err)))
		return rc;
	if (fflush(req->spool->f) || fseek(req->spool->f, 0, SEEK_SET)) {
		rc = spool_failed(err, "服务器读取临时文件失败");
		goto out;
	}
	if (!(buf = zf_malloc(IMPORT_CHUNK))) {
		rc = http_oom(err);
		goto out;
	}
	if ((rc = store_overload_settings(st, req->ctx.org_id, &set, err)) ||
	    (rc = wim_report_begin(&r, &set, err)) ||
	    (rc = spool_feed(req->spool->f, buf, check_chunk, &r, err)) ||
	    (rc = wim_report_json(&r, name, strict, &doc, err)))
		goto out;
	if (strict && r.sc.stats.rejected > 0) {
		refused_rows(resp, r.errors);
		rc = zf_fail(err, ZF_EINVAL, "invalid_format", "file",
			     "文件有 %llu 行不合格，strict 要求整个文件合格",
			     (unsigned long long)r.sc.stats.rejected);
		json_decref(doc);
		goto out;
	}
	rc = http_reply(resp, 200, doc, err);
out:
	wim_report_release(&r);
	zf_free(buf);
	api_spool_free(req->spool);
	req->spool = NULL;
	return rc;
}

/* ---- scales' certificates -------------------------------------------------- */

static int calibrations(struct http_req *req, struct http_resp *resp, const char *device,
			struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	json_t *doc = NULL;
	int rc;
	if ((rc = api_begin_read(req, org_query, &st, &ctx, err)) ||
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
	int rc = api_path_key(req, "device", &device, err);
	return rc ? rc : calibrations(req, resp, device, err);
}

static const char *const calibration_fields[] = {"cert_no", "valid_from", "valid_until", NULL};

int api_calibration_add(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_date from, until, none = {0, 0, 0};
	const char *device, *cert;
	json_t *body = NULL, *doc = NULL;
	int rc;
	if (!(rc = begin_write(req, "device", &device, calibration_fields, &st, &body, err)) &&
	    !(rc = http_str(body, "cert_no", true, API_KEY_MAX, &cert, err)) &&
	    !(rc = api_date(body, "valid_from", true, none, &from, err)) &&
	    !(rc = api_date(body, "valid_until", true, none, &until, err)) &&
	    !(rc = store_calibration_add(st, &req->ctx, device, cert, from, until, &doc, err)))
		rc = http_reply(resp, 201, doc, err);
	json_decref(body);
	return rc;
}

/* ---- statistics and the engine --------------------------------------------- */

static const char *const stats_query[] = {"org", "year", NULL};

int api_overload_stats(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	int64_t year = instant_local_date(req->ctx.now_us).y;
	json_t *doc = NULL;
	int rc;
	if ((rc = api_begin_read(req, stats_query, &st, &ctx, err)) ||
	    (rc = api_query_int(req, "year", false, 2000, 2099, &year, err)) ||
	    (rc = store_overload_stats(st, &ctx, (int)year, &doc, err)))
		return rc;
	return http_reply(resp, 200, doc, err);
}

static const char *const check_fields[] = {
	"axles", "config", "single_tyre_axles", "single_drive_axle", "refrigerated",
	"air_suspension", "wim", "mass_kg", "licence_mass_kg", "height_m", "width_m",
	"length_m", "date", NULL,
};

int api_overload_check(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct overload_input in;
	struct overload_settings set;
	struct overload_rules rules;
	struct overload_result res;
	const char *config;
	int64_t axles = 0, tyres = 0;
	json_t *body = NULL;
	int rc;
	memset(&in, 0, sizeof(in));
	overload_rules_init(&rules);
	if ((rc = begin_write(req, NULL, NULL, check_fields, &st, &body, err)) ||
	    (rc = http_int(body, "axles", true, -WIDE_COUNT, WIDE_COUNT, &axles, err)) ||
	    (rc = http_str(body, "config", true, 32, &config, err)) ||
	    (rc = overload_config_parse(config, &in.config, "config", err)) ||
	    (rc = http_int(body, "single_tyre_axles", false, -WIDE_COUNT, WIDE_COUNT, &tyres, err)) ||
	    (rc = api_bool(body, "single_drive_axle", &in.single_drive_axle, err)) ||
	    (rc = api_bool(body, "refrigerated", &in.refrigerated, err)) ||
	    (rc = api_bool(body, "air_suspension", &in.air_suspension, err)) ||
	    (rc = api_bool(body, "wim", &in.wim, err)) ||
	    (rc = get_metres(body, "height_m", &in.height_mm, &in.has_height, err)) ||
	    (rc = get_metres(body, "width_m", &in.width_mm, &in.has_width, err)) ||
	    (rc = get_metres(body, "length_m", &in.length_mm, &in.has_length, err)) ||
	    (rc = api_date(body, "date", false, instant_local_date(req->ctx.now_us), &in.date,
			   err)))
		goto out;
	in.has_mass = api_has(body, "mass_kg");
	in.has_licence_mass = api_has(body, "licence_mass_kg");
	if ((rc = http_int(body, "mass_kg", false, -WIDE_KG, WIDE_KG, &in.mass_kg, err)) ||
	    (rc = http_int(body, "licence_mass_kg", false, -WIDE_KG, WIDE_KG, &in.licence_mass_kg,
			   err)))
		goto out;
	in.axles = (int)axles;
	in.single_tyre_axles = (int)tyres;
	if ((rc = store_overload_settings(st, req->ctx.org_id, &set, err)) ||
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
