/*
 * The staff application's files, served from the copies embedded at build
 * time (cmake/embed.cmake).  Only names directly under ui/ with a known
 * extension are served; anything else, including a name that tries to
 * climb out with "..", is the same 404 as a file that does not exist.
 */
#include <string.h>

#include "buf.h"
#include "embed.h"
#include "static.h"

#define NAME_MAX_LEN 64

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".js", "application/javascript; charset=utf-8"},
	{".svg", "image/svg+xml"},
};

const char *static_content_type(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < ZF_ARRAY_LEN(types); i++) {
		size_t e = strlen(types[i].ext);
		if (n > e && !strcmp(name + n - e, types[i].ext))
			return types[i].type;
	}
	return NULL;
}

bool static_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > NAME_MAX_LEN || name[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
		if (!ok)
			return false;
	}
	return static_content_type(name) != NULL;
}

int static_get(const char *name, struct buf *body, const char **content_type,
	       struct zf_error *err)
{
	char path[NAME_MAX_LEN + 4];
	const struct embed_file *f = NULL;
	if (static_name_ok(name)) {
		snprintf(path, sizeof(path), "ui/%s", name);
		f = embed_find(path);
	}
	if (!f)
		return zf_fail(err, ZF_ENOTFOUND, "not_found", "", "未找到该页面");
	if (buf_append(body, f->data, f->len))
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "服务器内存不足");
	*content_type = static_content_type(name);
	return ZF_OK;
}
