/*
 * The OpenAPI 3.0 document, generated from the route table: what the table
 * says is what the document says (issue 5: "an OpenAPI document is
 * generated from it").  Response bodies are described only as far as the
 * table knows them: every error has the one error shape.
 */
#include <string.h>

#include "http_int.h"
#include "openapi.h"

static const struct {
	unsigned flag;
	const char *name;
} flag_names[] = {
	{HTTP_ROUTE_PUBLIC, "public"},
	{HTTP_ROUTE_WRITES, "writes"},
	{HTTP_ROUTE_LEDGERED, "ledgered"},
	{HTTP_ROUTE_LOGIN, "login"},
	{HTTP_ROUTE_STREAM, "stream"},
};

/* "get" from "GET": OpenAPI's operation keys are lower case. */
static void lower(const char *s, char *out, size_t size)
{
	size_t i = 0;
	for (; s[i] && i + 1 < size; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	out[i] = '\0';
}

/* get_api_v1_officers_id: method and path, other characters as '_'. */
static json_t *operation_id(const char *method, const char *path)
{
	struct buf b;
	char m[16];
	json_t *j = NULL;
	bool sep = false;
	buf_init(&b, 512);
	lower(method, m, sizeof(m));
	if (buf_puts(&b, m))
		goto out;
	for (const char *p = path; *p; p++) {
		bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9');
		if (alnum ? buf_putc(&b, *p) : (!sep && buf_putc(&b, '_')))
			goto out;
		sep = !alnum;
	}
	if (b.len && b.data[b.len - 1] == '_')
		b.data[--b.len] = '\0';
	j = json_string(buf_cstr(&b));
out:
	buf_release(&b);
	return j;
}

static json_t *roles_json(unsigned roles)
{
	json_t *arr = json_array();
	struct buf b;
	buf_init(&b, 256);
	if (!arr || auth_roles_format(roles, &b)) {
		buf_release(&b);
		json_decref(arr);
		return NULL;
	}
	const char *p = buf_cstr(&b);
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		json_array_append_new(arr, json_stringn(p, n));
		p += n + (comma != NULL);
	}
	buf_release(&b);
	return arr;
}

static json_t *flags_json(unsigned flags)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < ZF_ARRAY_LEN(flag_names); i++)
		if (flags & flag_names[i].flag)
			json_array_append_new(arr, json_string(flag_names[i].name));
	return arr;
}

/* {name} segments as required string path parameters. */
static json_t *path_params(const char *path)
{
	json_t *arr = json_array();
	for (const char *p = strchr(path, '{'); arr && p; p = strchr(p + 1, '{')) {
		const char *close = strchr(p, '}');
		if (!close)
			break;
		json_array_append_new(arr, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1,
						     (size_t)(close - p - 1), "in", "path",
						     "required", 1, "schema", "type", "string"));
	}
	return arr;
}

static bool has_body(const char *method)
{
	return !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH");
}

/* The dispatcher asks every method but GET and HEAD for the CSRF token. */
static bool needs_csrf(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static json_t *operation(const struct http_route *r)
{
	bool open = r->flags & (HTTP_ROUTE_PUBLIC | HTTP_ROUTE_LOGIN);
	json_t *params = path_params(r->path);
	json_t *op = json_pack("{s:s, s:o, s:o, s:o, s:[s], s:{s:{s:s}, s:{s:s, s:{s:{s:{s:s}}}}}}",
			       "summary", r->summary ? r->summary : "", "operationId",
			       operation_id(r->method, r->path), "x-roles",
			       open ? json_array() : roles_json(r->roles), "x-flags",
			       flags_json(r->flags), "tags",
			       !strncmp(r->path, "/public/", 8) ? "public"
			       : !strncmp(r->path, "/api/", 5) ? "api" : "server",
			       "responses", "200", "description", "成功（新建对象时为 201）", "default",
			       "description", "错误：{\"error\":{\"code\",\"message\",\"field\"}}",
			       "content", "application/json", "schema", "$ref",
			       "#/components/schemas/Error");
	if (!op || !params) {
		json_decref(op);
		json_decref(params);
		return NULL;
	}
	if (!open) {
		json_t *sec = needs_csrf(r->method)
				      ? json_pack("[{s:[], s:[]}]", "session", "csrf")
				      : json_pack("[{s:[]}]", "session");
		json_object_set_new(op, "security", sec);
		json_object_set_new(json_object_get(op, "responses"), "401",
				    json_pack("{s:s}", "description", "未登录或会话已失效"));
		json_object_set_new(json_object_get(op, "responses"), "403",
				    json_pack("{s:s}", "description",
					      "角色无权进行此操作，或缺少 X-CSRF-Token"));
	} else {
		json_object_set_new(op, "security", json_array());
	}
	if (!open && (r->flags & HTTP_ROUTE_WRITES))
		json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:i}}",
			"name", "Idempotency-Key", "in", "header", "required", 0,
			"description", "重放同一请求时返回第一次的结果", "schema", "type",
			"string", "maxLength", 100));
	if (json_array_size(params))
		json_object_set(op, "parameters", params);
	json_decref(params);
	/* a streamed route's body is the file itself (evidence, a CSV) */
	if (has_body(r->method) && (r->flags & HTTP_ROUTE_STREAM))
		json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:{s:s, s:s}}}}",
			"required", 1, "content", "application/octet-stream", "schema", "type",
			"string", "format", "binary"));
	else if (has_body(r->method))
		json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:{s:s}}}}",
			"required", 0, "content", "application/json", "schema", "type",
			"object"));
	return op;
}

json_t *http_openapi(void)
{
	json_t *doc = json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}},"
		" s:{s:{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}}}}}}}, s:{}}",
		"openapi", "3.0.3", "info", "title", "zhifa 交通运输综合行政执法 API", "version",
		"1", "description",
		"由服务器的路由表生成。x-roles 列出可调用的角色代码，x-flags 列出路由标志。",
		"servers", "url", "/", "components", "securitySchemes", "session", "type",
		"apiKey", "in", "cookie", "name", "zhifa_session", "csrf", "type", "apiKey",
		"in", "header", "name", "X-CSRF-Token", "schemas", "Error", "type", "object",
		"properties", "error", "type", "object", "properties", "code", "type",
		"string", "message", "type", "string", "field", "type", "string", "paths");
	json_t *paths = json_object_get(doc, "paths");
	if (!doc)
		return NULL;
	for (size_t i = 0; i < http_routes_len; i++) {
		const struct http_route *r = &http_routes[i];
		json_t *item = json_object_get(paths, r->path), *op = operation(r);
		char m[16];
		if (!item) {
			item = json_object();
			if (json_object_set_new(paths, r->path, item))
				item = NULL;
		}
		if (!item || !op) {
			json_decref(op);
			json_decref(doc);
			return NULL;
		}
		lower(r->method, m, sizeof(m));
		json_object_set_new(item, m, op);
	}
	return doc;
}

int api_openapi(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	(void)req;
	return http_reply(resp, 200, http_openapi(), err);
}
