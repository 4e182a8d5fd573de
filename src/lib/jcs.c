#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jcs.h"

/* Next UTF-16 code unit of a UTF-8 string; *pending carries a low surrogate. */
static unsigned next_unit(const unsigned char **p, unsigned *pending)
{
	if (*pending) {
		unsigned u = *pending;
		*pending = 0;
		return u;
	}
	const unsigned char *s = *p;
	unsigned cp;
	if (s[0] < 0x80) {
		cp = s[0];
		*p += 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		cp = ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu);
		*p += 2;
	} else if ((s[0] & 0xf0) == 0xe0) {
		cp = ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
		*p += 3;
	} else {
		cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3fu) << 12) |
		     ((s[2] & 0x3fu) << 6) | (s[3] & 0x3fu);
		*p += 4;
	}
	if (cp < 0x10000)
		return cp;
	cp -= 0x10000;
	*pending = 0xdc00 | (cp & 0x3ff);
	return 0xd800 | (cp >> 10);
}

/* jansson keeps strings valid UTF-8, so the decoder above needs no checks. */
static int utf16_cmp(const char *a, const char *b)
{
	const unsigned char *pa = (const unsigned char *)a;
	const unsigned char *pb = (const unsigned char *)b;
	unsigned qa = 0, qb = 0;
	for (;;) {
		if ((!*pa && !qa) || (!*pb && !qb))
			return (*pa || qa) - (*pb || qb);
		unsigned ua = next_unit(&pa, &qa), ub = next_unit(&pb, &qb);
		if (ua != ub)
			return ua < ub ? -1 : 1;
	}
}

static int key_cmp(const void *x, const void *y)
{
	return utf16_cmp(*(const char *const *)x, *(const char *const *)y);
}

static int write_string(const char *s, size_t n, struct buf *out)
{
	int rc = buf_putc(out, '"');
	size_t run = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char ubuf[8];
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (c < 0x20) {
				snprintf(ubuf, sizeof(ubuf), "\\u%04x", c);
				esc = ubuf;
			}
		}
		if (!esc) {
			run++;
			continue;
		}
		rc = buf_append(out, s + i - run, run);
		run = 0;
		if (!rc)
			rc = buf_puts(out, esc);
	}
	if (!rc)
		rc = buf_append(out, s + n - run, run);
	if (!rc)
		rc = buf_putc(out, '"');
	return rc;
}

int jcs_write(const json_t *v, struct buf *out)
{
	int rc = ZF_OK;
	switch (json_typeof(v)) {
	case JSON_NULL:
		return buf_puts(out, "null");
	case JSON_TRUE:
		return buf_puts(out, "true");
	case JSON_FALSE:
		return buf_puts(out, "false");
	case JSON_INTEGER:
		return buf_printf(out, "%lld", (long long)json_integer_value(v));
	case JSON_REAL:
		return ZF_EINVAL;
	case JSON_STRING:
		return write_string(json_string_value(v), json_string_length(v), out);
	case JSON_ARRAY: {
		rc = buf_putc(out, '[');
		for (size_t i = 0; !rc && i < json_array_size(v); i++) {
			if (i)
				rc = buf_putc(out, ',');
			if (!rc)
				rc = jcs_write(json_array_get(v, i), out);
		}
		return rc ? rc : buf_putc(out, ']');
	}
	case JSON_OBJECT: {
		size_t n = json_object_size(v);
		const char **keys = zf_calloc(n, sizeof(*keys));
		if (!keys)
			return ZF_ENOMEM;
		size_t i = 0;
		const char *k;
		json_t *val;
		json_object_foreach((json_t *)v, k, val)
			keys[i++] = k;
		qsort(keys, n, sizeof(*keys), key_cmp);
		rc = buf_putc(out, '{');
		for (i = 0; !rc && i < n; i++) {
			if (i)
				rc = buf_putc(out, ',');
			if (!rc)
				rc = write_string(keys[i], strlen(keys[i]), out);
			if (!rc)
				rc = buf_putc(out, ':');
			if (!rc)
				rc = jcs_write(json_object_get(v, keys[i]), out);
		}
		zf_free(keys);
		return rc ? rc : buf_putc(out, '}');
	}
	}
	return ZF_EINVAL;
}
