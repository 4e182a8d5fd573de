#include "b64.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_encode(const void *data, size_t len, struct buf *out)
{
	const uint8_t *p = data;
	char q[4];
	int rc;

	for (size_t i = 0; i < len; i += 3) {
		size_t left = len - i;
		uint32_t v = (uint32_t)p[i] << 16;

		if (left > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (left > 2)
			v |= p[i + 2];
		q[0] = alphabet[v >> 18 & 63];
		q[1] = alphabet[v >> 12 & 63];
		q[2] = left > 1 ? alphabet[v >> 6 & 63] : '=';
		q[3] = left > 2 ? alphabet[v & 63] : '=';
		rc = buf_append(out, q, 4);
		if (rc)
			return rc;
	}
	return ZF_OK;
}

static int value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool b64_decode(const char *s, size_t len, uint8_t *out, size_t max,
		size_t *outlen)
{
	size_t pad = 0, n;

	if (len % 4)
		return false;
	if (len && s[len - 1] == '=')
		pad = s[len - 2] == '=' ? 2 : 1;
	n = len / 4 * 3 - pad;
	if (n > max)
		return false;
	for (size_t i = 0, o = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		size_t data = last ? 4 - pad : 4;
		uint32_t v = 0;

		for (size_t j = 0; j < 4; j++) {
			int d = j < data ? value(s[i + j]) : 0;

			if (d < 0)
				return false;
			v = v << 6 | (uint32_t)d;
		}
		/* canonical: the bits past the last whole byte are zero */
		if (pad == 2 && last && (v & 0xffff))
			return false;
		if (pad == 1 && last && (v & 0xff))
			return false;
		out[o++] = (uint8_t)(v >> 16);
		if (data > 2)
			out[o++] = (uint8_t)(v >> 8);
		if (data > 3)
			out[o++] = (uint8_t)v;
	}
	*outlen = n;
	return true;
}
