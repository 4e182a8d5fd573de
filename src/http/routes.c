#include <stdio.h>
#include <string.h>

#include "http_int.h"
#include "api_routes.h"
#include "static.h"

static int get_healthz(struct http_req *req, struct http_resp *resp,
		       struct zf_error *err);
static int get_readyz(struct http_req *req, struct http_resp *resp,
		      struct zf_error *err);
static int get_index(struct http_req *req, struct http_resp *resp,
		     struct zf_error *err);
static int get_ui_file(struct http_req *req, struct http_resp *resp,
		       struct zf_error *err);

/*
 * Every URL the server answers: the one place that says who may do what.
 * A path served for several methods gets one row per method.
 */
const struct http_route http_routes[] = {
	{"GET", "/", get_index, PUB, 0, "执法人员工作界面（ui/index.html）"},
	{"GET", "/ui/{file}", get_ui_file, PUB, 0, "工作界面的样式、脚本和图标（ui/ 下的文件）"},
	{"GET", "/healthz", get_healthz, PUB, 0, "存活检查"},
	{"GET", "/readyz", get_readyz, PUB, 0, "就绪检查（数据库可读）"},
	{"POST", "/api/v1/login", api_login, HTTP_ROUTE_LOGIN | HTTP_ROUTE_WRITES, 0, "登录"},
	{"POST", "/api/v1/logout", api_logout, W, R_ANY, "退出登录"},
	{"GET", "/api/v1/me", api_me, 0, R_ANY, "当前用户"},
	HTTP_API_ROUTES
};
const size_t http_routes_len = ZF_ARRAY_LEN(http_routes);

/* HEAD is GET without the body, and libmicrohttpd drops the body itself. */
static bool method_matches(const char *route, const char *req)
{
	return !strcmp(route, req) ||
	       (!strcmp(route, "GET") && !strcmp(req, "HEAD"));
}

/* Match one pattern against a path; {name} takes one non-empty segment. */
static bool path_matches(const char *pat, const char *path, json_t *params)
{
	while (*pat && *path) {
		if (*pat == '{') {
			const char *close = strchr(pat, '}');
			const char *seg_end = strchr(path, '/');
			size_t n = seg_end ? (size_t)(seg_end - path) : strlen(path);
			if (!close || n == 0)
				return false;
			if (params) {
				char name[32];
				size_t nl = (size_t)(close - pat - 1);
				if (nl >= sizeof(name))
					return false;
				memcpy(name, pat + 1, nl);
				name[nl] = '\0';
				json_object_set_new(params, name, json_stringn(path, n));
			}
			pat = close + 1;
			path += n;
			continue;
		}
		if (*pat != *path)
			return false;
		pat++;
		path++;
	}
	return !*pat && !*path;
}

const struct http_route *http_route_find(const char *method, const char *path,
					 bool *path_known, json_t **params)
{
	*path_known = false;
	for (size_t i = 0; i < http_routes_len; i++) {
		const struct http_route *r = &http_routes[i];

		if (!path_matches(r->path, path, NULL))
			continue;
		*path_known = true;
		if (method_matches(r->method, method)) {
			if (params) {
				*params = json_object();
				path_matches(r->path, path, *params);
			}
			return r;
		}
	}
	return NULL;
}

bool http_route_allow(const char *path, char *out, size_t size)
{
	size_t len = 0;
	bool any = false;

	if (size == 0)
		return false;
	out[0] = '\0';
	for (size_t i = 0; i < http_routes_len; i++) {
		const struct http_route *r = &http_routes[i];
		const char *m = r->method;
		const char *extra = strcmp(m, "GET") ? "" : ", HEAD";
		int n;

		if (!path_matches(r->path, path, NULL))
			continue;
		n = snprintf(out + len, size - len, "%s%s%s", any ? ", " : "",
			     m, extra);
		if (n < 0 || (size_t)n >= size - len)
			return false;
		len += (size_t)n;
		any = true;
	}
	return any;
}

static int get_healthz(struct http_req *req, struct http_resp *resp,
		       struct zf_error *err)
{
	(void)req;
	resp->content_type = HTTP_CT_JSON;
	if (buf_puts(&resp->body, "{\"status\":\"ok\"}"))
		return http_oom(err);
	return ZF_OK;
}

/*
 * The staff application: one page (ui/index.html) and the files it loads
 * from /ui/, embedded in the binary at build time (static.c).
 */
static int get_index(struct http_req *req, struct http_resp *resp,
		     struct zf_error *err)
{
	(void)req;
	return static_get("index.html", &resp->body, &resp->content_type, err);
}

static int get_ui_file(struct http_req *req, struct http_resp *resp,
		       struct zf_error *err)
{
	const char *name = http_param(req, "file");
	return static_get(name ? name : "", &resp->body, &resp->content_type, err);
}

/* Ready when the database answers a read. */
static int get_readyz(struct http_req *req, struct http_resp *resp,
		      struct zf_error *err)
{
	struct org *list = NULL;
	size_t n = 0;
	struct store *st = http_store(req, err);
	if (!st)
		return ZF_EIO;
	int rc = store_org_list(st, &list, &n, err);
	store_org_list_free(list, n);
	if (rc)
		return rc;
	return http_reply(resp, 200, json_pack("{ss sI}", "status", "ready", "orgs",
					       (json_int_t)n), err);
}
