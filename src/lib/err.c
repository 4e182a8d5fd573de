#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zf.h"

int zf_fail(struct zf_error *err, int rc, const char *code, const char *field,
	    const char *fmt, ...)
{
	if (!err)
		return rc;
	err->rc = rc;
	zf_strlcpy(err->code, code ? code : "", sizeof(err->code));
	zf_strlcpy(err->field, field ? field : "", sizeof(err->field));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return rc;
}

void zf_error_clear(struct zf_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

void zf_error_prefix_field(struct zf_error *err, const char *prefix)
{
	if (!err || !prefix || !*prefix)
		return;
	char tmp[2 * sizeof(err->field) + 2];
	snprintf(tmp, sizeof(tmp), "%s%s%s", prefix, err->field[0] ? "." : "",
		 err->field);
	zf_strlcpy(err->field, tmp, sizeof(err->field));
}

void zf_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

bool zf_strlcpy(char *dst, const char *src, size_t size)
{
	if (size == 0)
		return false;
	size_t n = strlen(src);
	bool fits = n < size;
	if (!fits)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return fits;
}
