#include <stdio.h>
#include <string.h>

#include "http_int.h"

static int get_healthz(struct http_req *req, struct http_resp *resp,
		       struct zf_error *err);
static int get_index(struct http_req *req, struct http_resp *resp,
		     struct zf_error *err);

/*
 * Every URL the server answers.  Keep it sorted by path; a path served for
 * several methods gets one row per method.
 */
const struct http_route http_routes[] = {
	{ "GET", "/", get_index, HTTP_ROUTE_PUBLIC },
	{ "GET", "/healthz", get_healthz, HTTP_ROUTE_PUBLIC },
};
const size_t http_routes_len = ZF_ARRAY_LEN(http_routes);

/* HEAD is GET without the body, and libmicrohttpd drops the body itself. */
static bool method_matches(const char *route, const char *req)
{
	return !strcmp(route, req) ||
	       (!strcmp(route, "GET") && !strcmp(req, "HEAD"));
}

const struct http_route *http_route_find(const char *method, const char *path,
					 bool *path_known)
{
	*path_known = false;
	for (size_t i = 0; i < http_routes_len; i++) {
		const struct http_route *r = &http_routes[i];

		if (strcmp(r->path, path))
			continue;
		*path_known = true;
		if (method_matches(r->method, method))
			return r;
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

		if (strcmp(r->path, path))
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
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "",
			       "服务器内存不足");
	return ZF_OK;
}

/*
 * A placeholder until the staff application exists.  The font list names
 * Noto Sans CJK SC first because that is what Debian installs
 * (fonts-noto-cjk); the others cover the office PCs that will open it.
 */
static const char index_head[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"zh-CN\">\n"
	"<head>\n"
	"<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<title>执法 zhifa</title>\n"
	"<style>\n"
	"body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", "
	"\"Microsoft YaHei\", \"PingFang SC\", sans-serif;\n"
	"       max-width: 40em; margin: 4em auto; padding: 0 1em;\n"
	"       line-height: 1.6; color: #222; }\n"
	"code { word-break: break-all; }\n"
	"</style>\n"
	"</head>\n"
	"<body>\n"
	"<h1>执法 zhifa</h1>\n"
	"<p>交通运输综合行政执法办案系统。</p>\n"
	"<p>执法人员使用的工作界面正在开发中，即将上线。</p>\n"
	"<p>数据库：<code>";
static const char index_tail[] =
	"</code></p>\n"
	"</body>\n"
	"</html>\n";

static int get_index(struct http_req *req, struct http_resp *resp,
		     struct zf_error *err)
{
	const char *db = req->srv->cfg.db_path;

	resp->content_type = HTTP_CT_HTML;
	if (buf_puts(&resp->body, index_head) ||
	    http_html_escape(&resp->body, db ? db : "") ||
	    buf_puts(&resp->body, index_tail))
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "",
			       "服务器内存不足");
	return ZF_OK;
}
