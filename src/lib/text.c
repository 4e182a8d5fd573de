#include <string.h>

#include "text.h"

long text_utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;
	while (*p) {
		int extra;
		unsigned cp;
		if (*p < 0x80) {
			extra = 0;
			cp = *p;
		} else if ((*p & 0xe0) == 0xc0) {
			extra = 1;
			cp = *p & 0x1fu;
		} else if ((*p & 0xf0) == 0xe0) {
			extra = 2;
			cp = *p & 0x0fu;
		} else if ((*p & 0xf8) == 0xf0) {
			extra = 3;
			cp = *p & 0x07u;
		} else {
			return -1;
		}
		p++;
		for (int i = 0; i < extra; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (*p & 0x3fu);
		}
		/* overlong forms, surrogates and values past U+10FFFF */
		if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
		    (extra == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		n++;
	}
	return n;
}

int text_check(const char *s, const char *field, long max_chars, bool required,
	       struct zf_error *err)
{
	if (!s || !*s) {
		if (!required)
			return ZF_OK;
		return zf_fail(err, ZF_EINVAL, "required", field, "“%s”为必填项",
			       field);
	}
	long n = text_utf8_len(s);
	if (n < 0)
		return zf_fail(err, ZF_EINVAL, "invalid_text", field,
			       "“%s”不是有效的 UTF-8 文本", field);
	if (n > max_chars)
		return zf_fail(err, ZF_EINVAL, "invalid_text", field,
			       "“%s”过长：最多 %ld 个字符，实际 %ld 个", field,
			       max_chars, n);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return zf_fail(err, ZF_EINVAL, "invalid_text", field,
				       "“%s”含有控制字符", field);
	return ZF_OK;
}

int text_parse_int(const char *s, int64_t min, int64_t max, int64_t *out,
		   const char *field, struct zf_error *err)
{
	const char *p = s ? s : "";
	bool neg = false;
	int64_t v = 0;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (!*p || strlen(p) > 18)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return zf_fail(err, ZF_EINVAL, "invalid_number", field,
			       "“%s”应在 %lld 到 %lld 之间，实际为 %lld", field,
			       (long long)min, (long long)max, (long long)v);
	*out = v;
	return ZF_OK;
bad:
	return zf_fail(err, ZF_EINVAL, "invalid_number", field,
		       "“%s”应为整数，实际为“%s”", field, s ? s : "");
}

bool text_in(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}
