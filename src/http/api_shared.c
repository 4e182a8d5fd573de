/*
 * Helpers the API groups (api_case.c, api_evidence.c, api_ledger.c,
 * api_overload.c, api_registry.c) share, declared in http_int.h: how a
 * handler starts, what it reads from the path, the query and the body, who
 * the logged-in user acts as, and the answer of a list that pages.  The
 * error codes, fields and messages are the API's, so they must not change
 * with the group that uses them.
 */
#include <string.h>

#include "http_int.h"
#include "text.h"
#include "uuid.h"

int http_oom(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "服务器内存不足");
}

/* ---- the start of a handler ---------------------------------------------- */

int api_begin(struct http_req *req, const char *const *query, struct store **st,
	      struct zf_error *err)
{
	if (!(*st = http_store(req, err)))
		return ZF_EIO;
	return api_query_allow(req, query, err);
}

int api_begin_read(struct http_req *req, const char *const *query, struct store **st,
		   struct zf_ctx *ctx, struct zf_error *err)
{
	int rc = api_begin(req, query, st, err);
	return rc ? rc : api_scope_org(req, *st, ctx, err);
}

/* ---- the path and the query ---------------------------------------------- */

int api_path_key(const struct http_req *req, const char *name, const char **out,
		 struct zf_error *err)
{
	*out = http_param(req, name);
	if (!*out)	/* the router drops a segment that is not UTF-8 */
		return zf_fail(err, ZF_EINVAL, "invalid_text", name,
			       "路径参数“%s”不是有效的 UTF-8 文本", name);
	return text_check(*out, name, API_KEY_MAX, true, err);
}

const char *api_query_opt(const struct http_req *req, const char *name)
{
	const char *s = http_query(req, name);
	return s && *s ? s : NULL;
}

int api_query_flag(const struct http_req *req, const char *name, bool *out,
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

int api_query_int(const struct http_req *req, const char *name, bool required, int64_t min,
		  int64_t max, int64_t *out, struct zf_error *err)
{
	const char *s = http_query(req, name);
	if (!s)
		return required ? zf_fail(err, ZF_EINVAL, "required", name, "缺少查询参数“%s”",
					  name)
				: ZF_OK;
	return text_parse_int(s, min, max, out, name, err);
}

int api_reply_page(struct http_resp *resp, json_t *items, int64_t limit, struct zf_error *err)
{
	json_t *next = json_null();
	if ((int64_t)json_array_size(items) > limit) {
		json_array_remove(items, (size_t)limit);
		next = json_deep_copy(json_object_get(json_array_get(items, (size_t)limit - 1),
						      "id"));
	}
	return http_reply(resp, 200, json_pack("{so so}", "items", items, "next", next), err);
}

/* ---- members of the body --------------------------------------------------- */

bool api_has(const json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	return v && !json_is_null(v);
}

int api_bool(const json_t *body, const char *key, bool *out, struct zf_error *err)
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

int api_date(const json_t *body, const char *key, bool required, struct zf_date def,
	     struct zf_date *out, struct zf_error *err)
{
	const char *s;
	int rc = http_str(body, key, required, DATE_STR_LEN, &s, err);
	*out = def;
	if (rc || !s)
		return rc;
	return date_parse(s, out, key, err);
}

int api_officers(const json_t *body, bool required, const char **out, size_t *n,
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
	if (json_array_size(a) > API_MAX_OFFICERS)
		return zf_fail(err, ZF_EINVAL, "too_many_officers", "officers",
			       "最多列 %d 名执法人员", API_MAX_OFFICERS);
	if (required && !json_array_size(a))
		return zf_fail(err, ZF_EINVAL, "required", "officers", "“officers”不能为空");
	json_array_foreach(a, i, v) {
		int rc;
		if (!json_is_string(v))
			return zf_fail(err, ZF_EINVAL, "invalid_type", "officers",
				       "“officers”的每一项应为字符串");
		if ((rc = text_check(json_string_value(v), "officers", API_KEY_MAX, true, err)))
			return rc;
		out[(*n)++] = json_string_value(v);
	}
	return ZF_OK;
}

static const char *const case_flag_names[] = {"major", "complex", "serious", "harm", NULL};

int api_case_flags(const json_t *v, const char *field, struct zf_error *err)
{
	const char *k;
	json_t *b;
	if (!json_is_object(v))
		return zf_fail(err, ZF_EINVAL, "invalid_type", field,
			       "“%s”应为对象，如 {\"major\": true}", field);
	json_object_foreach((json_t *)v, k, b) {
		if (!text_in(k, case_flag_names))
			return zf_fail(err, ZF_EINVAL, "unknown_field", field,
				       "未知的案件标记“%.40s”（major、complex、serious、harm）", k);
		if (!json_is_boolean(b))
			return zf_fail(err, ZF_EINVAL, "invalid_type", field,
				       "案件标记“%s”应为 true 或 false", k);
	}
	return ZF_OK;
}

int api_client_id_check(const char *id, struct zf_error *err)
{
	if (id && !uuid_is_valid(id))
		return zf_fail(err, ZF_EINVAL, "invalid_id", "id",
			       "“id”应为小写 UUID（8-4-4-4-12 位十六进制）");
	return ZF_OK;
}

/* ---- who the user acts as ---------------------------------------------------- */

int api_not_assigned(struct zf_error *err, const char *field, const char *why,
		     const char *rule)
{
	if (rule)
		return zf_fail(err, ZF_EFORBIDDEN, "not_assigned", field, "%s（%s）", why, rule);
	return zf_fail(err, ZF_EFORBIDDEN, "not_assigned", field, "%s", why);
}

int api_officer_find(struct store *st, struct zf_ctx *ctx, const char *key, const char *field,
		     struct officer *out, struct zf_error *err)
{
	int rc = store_officer_get(st, ctx, key, out, err);
	if (rc == ZF_ENOTFOUND)
		rc = zf_fail(err, ZF_EINVAL, "officer_not_found", field, "找不到执法人员“%s”", key);
	return rc;
}

int api_names_me(struct http_req *req, struct store *st, const char *const *keys, size_t n,
		 const char *field, bool *yes, struct zf_error *err)
{
	const char *me = req->user.officer_id;
	int rc = ZF_OK;
	*yes = false;
	for (size_t i = 0; !rc && !*yes && i < n; i++) {
		struct officer o = {0};
		rc = api_officer_find(st, &req->ctx, keys[i], field, &o, err);
		*yes = !rc && me && !strcmp(o.id, me);
		officer_release(&o);
	}
	return rc;
}

bool api_is_case_officer(const json_t *case_doc, const char *officer_id)
{
	size_t i;
	json_t *v;
	if (!officer_id || !*officer_id)
		return false;
	json_array_foreach(json_object_get(case_doc, "officers"), i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), officer_id))
			return true;
	return false;
}

int api_case_may_act(struct http_req *req, struct store *st, const char *key, bool *yes,
		     struct zf_error *err)
{
	json_t *doc = NULL;
	int rc = store_case_get(st, &req->ctx, key, &doc, err);
	*yes = !rc && (api_is_case_officer(doc, req->user.officer_id) ||
		       (req->user.roles & ROLE_HEAD));
	json_decref(doc);
	return rc;
}
