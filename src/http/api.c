/*
 * The API layer: one dispatcher decides, from the route table alone, who
 * may call what (login, role, CSRF token), replays idempotent writes, and
 * gives handlers their context (organisation, actor, "now").
 */
#include <string.h>

#include <openssl/evp.h>

#include "http_int.h"
#include "api_routes.h"
#include "text.h"

#define QUERY_VALUE_MAX 200
#define ORG_DEPTH_MAX 16

struct store *http_store(struct http_req *req, struct zf_error *err)
{
	if (!req->srv->st)
		zf_fail(err, ZF_EIO, "store_unavailable", "", "服务未连接数据库");
	return req->srv->st;
}

int http_reply(struct http_resp *resp, unsigned status, json_t *doc, struct zf_error *err)
{
	if (!doc)
		return http_oom(err);
	char *s = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(doc);
	if (!s || buf_puts(&resp->body, s)) {
		free(s);
		return http_oom(err);
	}
	free(s);
	resp->status = status;
	resp->content_type = HTTP_CT_JSON;
	return ZF_OK;
}

int http_body(struct http_req *req, const char *const *allowed, json_t **out,
	      struct zf_error *err)
{
	json_error_t jerr;
	const char *k;
	json_t *v;
	*out = NULL;
	if (!req->body.len)
		return zf_fail(err, ZF_EINVAL, "invalid_json", "body", "请求正文应为 JSON 对象");
	json_t *j = json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		return zf_fail(err, ZF_EINVAL, "invalid_json", "body",
			       "请求正文不是有效的 JSON 对象（第 %d 行第 %d 列）", jerr.line,
			       jerr.column);
	}
	json_object_foreach(j, k, v) {
		if (!text_in(k, allowed)) {
			/* k belongs to j: report before letting go of it */
			int rc = zf_fail(err, ZF_EINVAL, "unknown_field", k, "未知的字段“%.60s”", k);
			json_decref(j);
			return rc;
		}
	}
	*out = j;
	return ZF_OK;
}

int http_str(const json_t *body, const char *key, bool required, long max,
	     const char **out, struct zf_error *err)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return zf_fail(err, ZF_EINVAL, "required", key, "“%s”为必填项", key);
		return ZF_OK;
	}
	if (!json_is_string(v))
		return zf_fail(err, ZF_EINVAL, "invalid_type", key, "“%s”应为字符串", key);
	*out = json_string_value(v);
	return text_check(*out, key, max, required, err);
}

int http_int(const json_t *body, const char *key, bool required, int64_t min,
	     int64_t max, int64_t *out, struct zf_error *err)
{
	json_t *v = json_object_get(body, key);
	if (!v || json_is_null(v)) {
		if (required)
			return zf_fail(err, ZF_EINVAL, "required", key, "“%s”为必填项", key);
		return ZF_OK;
	}
	if (!json_is_integer(v))
		return zf_fail(err, ZF_EINVAL, "invalid_type", key, "“%s”应为整数", key);
	*out = json_integer_value(v);
	if (*out < min || *out > max)
		return zf_fail(err, ZF_EINVAL, "invalid_number", key,
			       "“%s”应在 %lld 到 %lld 之间", key, (long long)min, (long long)max);
	return ZF_OK;
}

const char *http_param(const struct http_req *req, const char *name)
{
	return json_string_value(json_object_get(req->params, name));
}

const char *http_query(const struct http_req *req, const char *name)
{
	return json_string_value(json_object_get(req->query, name));
}

void http_req_release_api(struct http_req *req)
{
	json_decref(req->params);
	json_decref(req->query);
	zf_free(req->cookie_token);
	zf_free(req->csrf);
	zf_free(req->idem_key);
	user_release(&req->user);
}

static bool is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

/* SHA-256 of method, path and body: what an Idempotency-Key stands for. */
static void request_sha(const struct http_req *req, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[32];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n = 0;
	memset(d, 0, sizeof(d));
	if (c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1) {
		EVP_DigestUpdate(c, req->method, strlen(req->method) + 1);
		EVP_DigestUpdate(c, req->path, strlen(req->path) + 1);
		EVP_DigestUpdate(c, buf_cstr(&req->body), req->body.len);
		EVP_DigestFinal_ex(c, d, &n);
	}
	EVP_MD_CTX_free(c);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

/*
 * A replayed Idempotency-Key returns the first answer, once it is known;
 * the key belongs to the user who used it and to that exact request.
 */
static int replay(struct http_req *req, struct http_resp *resp, const char *sha,
		  bool *done, struct zf_error *err)
{
	struct store_idem idem;
	*done = false;
	if (store_idem_get(req->srv->st, req->ctx.org_id, req->idem_key, &idem, NULL) != ZF_OK)
		return ZF_OK;
	int rc = ZF_OK;
	if (strcmp(idem.user_id, req->user.id) || strcmp(idem.request_sha, sha))
		rc = zf_fail(err, ZF_ECONFLICT, "idempotency_key_reused", "Idempotency-Key",
			     "该 Idempotency-Key 已用于另一个请求");
	else if (buf_puts(&resp->body, idem.body))
		rc = http_oom(err);
	resp->status = (unsigned)idem.status;
	*done = rc == ZF_OK;
	store_idem_release(&idem);
	return rc;
}

/* What is kept of an answer: never a TOTP secret. */
static char *kept_body(const struct http_resp *resp)
{
	const char *b = buf_cstr(&resp->body);
	if (!strstr(b, "\"totp_secret\""))
		return zf_strdup(b);
	json_t *j = json_loads(b, 0, NULL);
	json_object_del(j, "totp_secret");
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	char *out = s ? zf_strdup(s) : NULL;
	free(s);
	return out;
}

bool http_route_streams(const char *method, const char *path)
{
	bool path_known = false;
	json_t *params = NULL;
	const struct http_route *r = http_route_find(method, path, &path_known, &params);
	json_decref(params);
	return r && (r->flags & HTTP_ROUTE_STREAM);
}

/*
 * The streamed routes (HTTP_ROUTE_STREAM) and who takes their bodies: the
 * route's handler names the pair, so a streamed row without one here is a
 * programmer error.
 */
static const struct {
	http_handler_fn handler;
	int (*begin)(struct http_req *req, struct zf_error *err);
	void (*write)(struct http_req *req, const void *p, size_t n);
} streams[] = {
	{api_evidence_upload, api_evidence_stream_begin, api_evidence_stream_write},
	{api_weigh_import, api_weigh_import_begin, api_weigh_import_write},
	{api_weigh_check, api_weigh_check_begin, api_weigh_import_write},
};

static size_t stream_of(const struct http_req *req)
{
	for (size_t i = 0; req->route && i < ZF_ARRAY_LEN(streams); i++)
		if (streams[i].handler == req->route->handler)
			return i;
	ZF_BUG("streamed route %s has no stream functions",
	       req->route ? req->route->path : "(none)");
}

int http_stream_begin(struct http_req *req, struct zf_error *err)
{
	int rc = streams[stream_of(req)].begin(req, err);
	req->streaming = rc == ZF_OK;
	return rc;
}

void http_stream_write(struct http_req *req, const void *p, size_t n)
{
	if (req->upload_rc)
		return;
	streams[stream_of(req)].write(req, p, n);
	if (req->upload_rc)
		http_stream_release(req);	/* give the disk back now */
}

void http_stream_release(struct http_req *req)
{
	if (req->upload)
		store_evidence_abort(req->upload);
	req->upload = NULL;
	api_spool_free(req->spool);
	req->spool = NULL;
}

int http_stream_status(const struct http_req *req, bool begun, struct zf_error *err)
{
	if (req->upload_rc) {
		*err = req->upload_err;
		return req->upload_rc;
	}
	if (!begun)	/* server.c always begins first */
		return zf_fail(err, ZF_EINVAL, "upload_not_started", "", "上传未开始");
	return ZF_OK;
}

int http_dispatch_prepare(struct http_req *req, struct http_resp *resp,
			  struct zf_error *err)
{
	bool path_known = false;
	const struct http_route *r;
	int rc;
	json_decref(req->params);
	req->params = NULL;
	r = http_route_find(req->method, req->path, &path_known, &req->params);
	if (!r) {
		if (path_known) {
			http_route_allow(req->path, resp->allow, sizeof(resp->allow));
			resp->status = 405;
			return zf_fail(err, ZF_EINVAL, "method_not_allowed", "",
				       "该页面不支持此请求方法");
		}
		return zf_fail(err, ZF_ENOTFOUND, "not_found", "", "未找到该页面");
	}
	req->route = r;
	for (const char *p = strchr(r->path, '{'); p; p = strchr(p + 1, '{')) {
		const char *close = strchr(p, '}');
		char name[32];
		size_t n = close ? (size_t)(close - p - 1) : 0;
		if (!n || n >= sizeof(name))
			continue;
		memcpy(name, p + 1, n);
		name[n] = '\0';
		if (!http_param(req, name))
			return zf_fail(err, ZF_EINVAL, "invalid_text", name,
				       "路径参数“%s”不是有效的 UTF-8 文本", name);
	}
	if (req->query_bad)
		return zf_fail(err, ZF_EINVAL, "invalid_query", "query",
			       "查询参数无效：不是 UTF-8 文本，或参数超过 64 个");
	if ((rc = ctx_now_from_env(&req->ctx.now_us, err)))
		return rc;
	if (!(r->flags & (HTTP_ROUTE_PUBLIC | HTTP_ROUTE_LOGIN))) {
		if ((rc = http_session_resume(req, err)))
			return rc;
		if (!(req->user.roles & r->roles))
			return zf_fail(err, ZF_EFORBIDDEN, "forbidden", "",
				       "当前用户的角色无权进行此操作");
		if (is_write(req->method) && (rc = http_session_check_csrf(req, err)))
			return rc;
	}
	req->prepared = true;
	return ZF_OK;
}

int http_dispatch(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	bool done = false;
	char sha[65] = "";
	const struct http_route *r;
	int rc;
	if (!req->prepared && (rc = http_dispatch_prepare(req, resp, err)))
		return rc;
	r = req->route;
	if (!(r->flags & (HTTP_ROUTE_PUBLIC | HTTP_ROUTE_LOGIN | HTTP_ROUTE_STREAM))) {
		if (is_write(req->method) && req->idem_key) {
			request_sha(req, sha);
			if ((rc = text_check(req->idem_key, "Idempotency-Key", 100, true, err)) ||
			    (rc = replay(req, resp, sha, &done, err)) || done)
				return rc;
		}
	}
	/* a read-only request sees one snapshot of the database */
	/* (a read that logs custody writes, so it takes none) */
	bool snapshot = !is_write(req->method) && req->srv->st &&
			!(r->flags & HTTP_ROUTE_LEDGERED);
	if (snapshot)
		store_read_begin(req->srv->st);
	rc = r->handler(req, resp, err);
	if (snapshot)
		store_read_end(req->srv->st);
	if (!rc && req->logged_in && is_write(req->method) && req->idem_key &&
	    !(r->flags & HTTP_ROUTE_STREAM) && resp->status < 500) {
		/* the write stands even if its answer could not be kept */
		char *body = kept_body(resp);
		int kept = body ? store_idem_put(req->srv->st, req->ctx.org_id, req->idem_key,
						 req->user.id, sha, (int)resp->status, body,
						 req->ctx.now_us, NULL)
				: ZF_ENOMEM;
		(void)kept;
		zf_free(body);
	}
	return rc;
}

/* ---- query arguments and the organisation a request reads ------------- */

int api_query_allow(const struct http_req *req, const char *const *allowed,
		    struct zf_error *err)
{
	const char *k;
	json_t *v;
	json_object_foreach(req->query, k, v) {
		if (allowed && text_in(k, allowed)) {
			int rc = text_check(json_string_value(v), k, QUERY_VALUE_MAX, false, err);
			if (rc)
				return rc;
			continue;
		}
		if (!strcmp(k, "org"))
			return zf_fail(err, ZF_EFORBIDDEN, "org_read_only", "org",
				       "只能修改本机构的数据：上级机构对下级机构只读");
		return zf_fail(err, ZF_EINVAL, "unknown_parameter", k, "未知的查询参数“%.60s”", k);
	}
	return ZF_OK;
}

/*
 * Is `o` the organisation `root` or one below it?  Walks parent_id through
 * the store, at most ORG_DEPTH_MAX levels (a cycle ends there).
 */
static int org_under(struct store *st, const struct org *o, const char *root, bool *yes,
		     struct zf_error *err)
{
	struct org cur = {0};
	char parent[REG_ID_LEN] = "";
	int rc = ZF_OK;
	*yes = !strcmp(o->id, root);
	if (o->parent_id)
		zf_strlcpy(parent, o->parent_id, sizeof(parent));
	for (int depth = 0; !*yes && parent[0] && depth < ORG_DEPTH_MAX; depth++) {
		if ((rc = store_org_find(st, parent, &cur, err)))
			break;
		*yes = !strcmp(cur.id, root);
		parent[0] = '\0';
		if (cur.parent_id)
			zf_strlcpy(parent, cur.parent_id, sizeof(parent));
		org_release(&cur);
		memset(&cur, 0, sizeof(cur));
	}
	return rc;
}

/* The organisation `key` if the user may see it, else 404 (*out released). */
int api_org_visible(struct http_req *req, struct store *st, const char *key,
		       const char *field, struct org *out, struct zf_error *err)
{
	bool yes = false;
	int rc;
	if ((rc = text_check(key, field, 100, true, err)))
		return rc;
	if (store_org_find(st, key, out, NULL) != ZF_OK) {
		org_release(out);
		memset(out, 0, sizeof(*out));
		return zf_fail(err, ZF_ENOTFOUND, "org_not_found", field, "找不到机构“%.60s”", key);
	}
	if ((rc = org_under(st, out, req->user.org_id, &yes, err)) || !yes) {
		org_release(out);
		memset(out, 0, sizeof(*out));
		return rc ? rc
			  : zf_fail(err, ZF_ENOTFOUND, "org_not_found", field,
				    "找不到机构“%.60s”", key);
	}
	return ZF_OK;
}

int api_scope_org(struct http_req *req, struct store *st, struct zf_ctx *ctx,
		  struct zf_error *err)
{
	const char *key = http_query(req, "org");
	struct org o = {0};
	*ctx = req->ctx;
	if (!key)
		return ZF_OK;
	int rc = api_org_visible(req, st, key, "org", &o, err);
	if (!rc)
		zf_strlcpy(ctx->org_id, o.id, sizeof(ctx->org_id));
	org_release(&o);
	return rc;
}

