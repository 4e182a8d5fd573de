#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "jcs.h"
#include "ledger.h"

struct ledger_hasher {
	enum ledger_alg alg;
	EVP_MD *md;
	EVP_MD_CTX *ctx;
};

const char *ledger_alg_code(enum ledger_alg alg)
{
	return alg == LEDGER_SHA256 ? "sha256" : "sm3";
}

int ledger_alg_parse(const char *s, enum ledger_alg *out, const char *field,
		     struct zf_error *err)
{
	if (s && strcmp(s, "sm3") == 0)
		*out = LEDGER_SM3;
	else if (s && strcmp(s, "sha256") == 0)
		*out = LEDGER_SHA256;
	else
		return zf_fail(err, ZF_EINVAL, "invalid_hash_alg", field,
			       "哈希算法“%s”无效，只能是 sm3 或 sha256",
			       s ? s : "");
	return ZF_OK;
}

struct ledger_hasher *ledger_hasher_new(enum ledger_alg alg)
{
	struct ledger_hasher *h = zf_calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->alg = alg;
	h->md = EVP_MD_fetch(NULL, alg == LEDGER_SHA256 ? "SHA256" : "SM3", NULL);
	h->ctx = EVP_MD_CTX_new();
	if (!h->md || !h->ctx) {
		ledger_hasher_free(h);
		return NULL;
	}
	return h;
}

void ledger_hasher_free(struct ledger_hasher *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	zf_free(h);
}

enum ledger_alg ledger_hasher_alg(const struct ledger_hasher *h) { return h->alg; }

int ledger_hash2(struct ledger_hasher *h, const void *a, size_t alen,
		 const void *b, size_t blen, uint8_t out[LEDGER_HASH_LEN])
{
	unsigned int n = 0;
	if (EVP_DigestInit_ex(h->ctx, h->md, NULL) != 1 ||
	    (alen && EVP_DigestUpdate(h->ctx, a, alen) != 1) ||
	    (blen && EVP_DigestUpdate(h->ctx, b, blen) != 1) ||
	    EVP_DigestFinal_ex(h->ctx, out, &n) != 1 || n != LEDGER_HASH_LEN)
		return ZF_EIO;
	return ZF_OK;
}

int ledger_hasher_begin(struct ledger_hasher *h)
{
	return EVP_DigestInit_ex(h->ctx, h->md, NULL) == 1 ? ZF_OK : ZF_EIO;
}

int ledger_hasher_update(struct ledger_hasher *h, const void *p, size_t n)
{
	return !n || EVP_DigestUpdate(h->ctx, p, n) == 1 ? ZF_OK : ZF_EIO;
}

int ledger_hasher_final(struct ledger_hasher *h, uint8_t out[LEDGER_HASH_LEN])
{
	unsigned int n = 0;
	return EVP_DigestFinal_ex(h->ctx, out, &n) == 1 && n == LEDGER_HASH_LEN ? ZF_OK
										 : ZF_EIO;
}

int ledger_hasher_peek(const struct ledger_hasher *h, uint8_t out[LEDGER_HASH_LEN])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok = c && EVP_MD_CTX_copy_ex(c, h->ctx) == 1 && EVP_DigestFinal_ex(c, out, &n) == 1 &&
		 n == LEDGER_HASH_LEN;
	EVP_MD_CTX_free(c);
	return ok ? ZF_OK : ZF_EIO;
}

int ledger_leaf_hash(struct ledger_hasher *h, const void *entry, size_t len,
		     uint8_t out[LEDGER_HASH_LEN])
{
	static const uint8_t zero = 0x00;
	return ledger_hash2(h, &zero, 1, entry, len, out);
}

static int hash_canonical(struct ledger_hasher *h, const void *prefix,
			  size_t plen, const json_t *v, uint8_t out[LEDGER_HASH_LEN])
{
	struct buf b;
	buf_init(&b, (size_t)64 << 20);
	int rc = jcs_write(v, &b);
	if (!rc)
		rc = ledger_hash2(h, prefix, plen, b.data, b.len, out);
	buf_release(&b);
	return rc;
}

int ledger_state_hash(struct ledger_hasher *h, const json_t *state,
		      uint8_t out[LEDGER_HASH_LEN])
{
	return hash_canonical(h, NULL, 0, state, out);
}

int ledger_pii_digest(struct ledger_hasher *h,
		      const uint8_t salt[LEDGER_SALT_LEN], const json_t *personal,
		      uint8_t out[LEDGER_HASH_LEN])
{
	return hash_canonical(h, salt, LEDGER_SALT_LEN, personal, out);
}

void ledger_hex(const uint8_t *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 0xf];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool ledger_unhex(const char *hex, uint8_t *out, size_t n)
{
	if (!hex || strlen(hex) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* ---- the canonical entry ------------------------------------------------ */

/*
 * Length of the UTF-8 character at s[0..n) if it is valid by jansson's
 * rules (shortest form, no surrogate, at most U+10FFFF), else 0.
 */
static size_t utf8_char(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k;
	uint32_t v;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 2, v = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3, v = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4, v = c & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) || (k == 3 && v < 0x800) ||
	    (k == 4 && v < 0x10000))
		return 0;
	return k;
}

/* What json_pack's "s" accepts: a string that is valid UTF-8. */
static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n) {
		size_t k = *p < 0x80 ? 1 : utf8_char(p, n);
		if (!k)
			return false;
		p += k;
		n -= k;
	}
	return true;
}

/* A string as jcs_write writes it (RFC 8785 §3.2.2.2). */
static int put_string(struct buf *b, const char *s)
{
	size_t n = strlen(s), run = 0;
	int rc = buf_putc(b, '"');
	for (size_t i = 0; i < n && !rc; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		if (c >= 0x20 && c != '"' && c != '\\') {
			run++;
			continue;
		}
		switch (c) {
		case '"': memcpy(esc, "\\\"", 3); break;
		case '\\': memcpy(esc, "\\\\", 3); break;
		case '\b': memcpy(esc, "\\b", 3); break;
		case '\f': memcpy(esc, "\\f", 3); break;
		case '\n': memcpy(esc, "\\n", 3); break;
		case '\r': memcpy(esc, "\\r", 3); break;
		case '\t': memcpy(esc, "\\t", 3); break;
		default: snprintf(esc, sizeof(esc), "\\u%04x", c);
		}
		rc = buf_append(b, s + i - run, run);
		run = 0;
		if (!rc)
			rc = buf_puts(b, esc);
	}
	if (!rc)
		rc = buf_append(b, s + n - run, run);
	return rc ? rc : buf_putc(b, '"');
}

/* An integer as jcs_write writes it ("%lld"). */
static int put_int(struct buf *b, int64_t v)
{
	char t[24], *p = t + sizeof(t);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return buf_append(b, p, (size_t)(t + sizeof(t) - p));
}

#define PUT(b, lit) buf_append((b), (lit), sizeof(lit) - 1)

/*
 * The members in RFC 8785 order (keys sorted by UTF-16 code units: action,
 * actor {role, user}, alg, detail, effective_at, object_id, object_type,
 * org_id, prev, recorded_at, seq, state_hash, state_hash_version), each
 * value written as jcs_write writes it: the same bytes as jcs_write of the
 * object json_pack would build, without building it.
 */
int ledger_entry_encode(const struct ledger_entry *e, struct buf *out)
{
	char state[LEDGER_HEX_LEN], prev[LEDGER_HEX_LEN];
	const char *strs[] = {e->org_id, e->actor, e->role, e->action, e->object_type,
			      e->object_id};
	/* json_pack refused a NULL or non-UTF-8 string: so do we, writing nothing */
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (!strs[i] || !utf8_valid(strs[i]))
			return ZF_ENOMEM;
	ledger_hex(e->state_hash, LEDGER_HASH_LEN, state);
	ledger_hex(e->prev, LEDGER_HASH_LEN, prev);
	int rc = PUT(out, "{\"action\":");
	if (!rc) rc = put_string(out, e->action);
	if (!rc) rc = PUT(out, ",\"actor\":{\"role\":");
	if (!rc) rc = put_string(out, e->role);
	if (!rc) rc = PUT(out, ",\"user\":");
	if (!rc) rc = put_string(out, e->actor);
	if (!rc) rc = PUT(out, "},\"alg\":");
	if (!rc) rc = put_string(out, ledger_alg_code(e->alg));
	if (!rc && e->detail) {
		rc = PUT(out, ",\"detail\":");
		if (!rc) rc = jcs_write(e->detail, out);
	}
	if (!rc) rc = PUT(out, ",\"effective_at\":");
	if (!rc) rc = put_int(out, e->effective_at);
	if (!rc) rc = PUT(out, ",\"object_id\":");
	if (!rc) rc = put_string(out, e->object_id);
	if (!rc) rc = PUT(out, ",\"object_type\":");
	if (!rc) rc = put_string(out, e->object_type);
	if (!rc) rc = PUT(out, ",\"org_id\":");
	if (!rc) rc = put_string(out, e->org_id);
	if (!rc) rc = PUT(out, ",\"prev\":\"");
	if (!rc) rc = buf_append(out, prev, LEDGER_HEX_LEN - 1);
	if (!rc) rc = PUT(out, "\",\"recorded_at\":");
	if (!rc) rc = put_int(out, e->recorded_at);
	if (!rc) rc = PUT(out, ",\"seq\":");
	if (!rc) rc = put_int(out, e->seq);
	if (!rc) rc = PUT(out, ",\"state_hash\":\"");
	if (!rc) rc = buf_append(out, state, LEDGER_HEX_LEN - 1);
	if (!rc) rc = PUT(out, "\",\"state_hash_version\":");
	if (!rc) rc = put_int(out, e->state_hash_version);
	if (!rc) rc = buf_putc(out, '}');
	return rc;
}

int ledger_canonical_hash(struct ledger_hasher *h, const json_t *v, struct buf *scratch,
			  uint8_t out[LEDGER_HASH_LEN])
{
	buf_reset(scratch);
	int rc = jcs_write(v, scratch);
	return rc ? rc : ledger_hash2(h, NULL, 0, scratch->data, scratch->len, out);
}

/* ---- reading an entry back: the exact canonical shape only ------------- */

struct scan {
	const unsigned char *p, *end;
};

static bool scan_lit(struct scan *s, const char *t, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, t, n) != 0)
		return false;
	s->p += n;
	return true;
}

#define LIT(s, t) scan_lit((s), (t), sizeof(t) - 1)

/* A string that needs no escape in canonical form: bytes >= 0x20 other
 * than '"' and '\\', valid UTF-8; anything else is left to the full parse. */
static bool scan_str(struct scan *s, struct ledger_slice *out)
{
	if (s->p >= s->end || *s->p != '"')
		return false;
	const unsigned char *q = ++s->p;
	while (q < s->end) {
		/* the common run: printable ASCII other than '"' and '\\' */
		while (q < s->end && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
			q++;
		if (q >= s->end)
			break;
		unsigned c = *q;
		if (c == '"') {
			out->p = (const char *)s->p;
			out->n = (size_t)(q - s->p);
			s->p = q + 1;
			return true;
		}
		if (c < 0x20 || c == '\\')
			return false;
		if (c < 0x80) {
			q++;
			continue;
		}
		size_t k = utf8_char(q, (size_t)(s->end - q));
		if (!k)
			return false;
		q += k;
	}
	return false;
}

/* An integer in the form "%lld" writes, at most 18 digits (exact in an
 * int64 whichever way it is read). */
static bool scan_int(struct scan *s, int64_t *out)
{
	const unsigned char *q = s->p;
	bool neg = q < s->end && *q == '-';
	int64_t v = 0;
	int digits = 0;
	if (neg)
		q++;
	if (q >= s->end || *q < '0' || *q > '9')
		return false;
	if (*q == '0') {
		if (neg)
			return false;	/* "-0" reads as 0, written "0" */
		q++;
	} else {
		while (q < s->end && *q >= '0' && *q <= '9') {
			if (++digits > 18)
				return false;
			v = v * 10 + (*q++ - '0');
		}
	}
	*out = neg ? -v : v;
	s->p = q;
	return true;
}

/* The extent of one JSON value (loosely: strings and nesting), up to the
 * ',' or '}' that follows it at depth 0.  The value itself is checked by
 * the caller. */
static bool scan_skip(struct scan *s, struct ledger_slice *out)
{
	const unsigned char *q = s->p;
	int depth = 0;
	while (q < s->end) {
		unsigned c = *q;
		if (c == '"') {
			for (q++; q < s->end && *q != '"'; q++)
				if (*q == '\\')
					q++;
			if (q >= s->end)
				return false;
		} else if (c == '{' || c == '[') {
			if (++depth > 256)	/* far from jansson's depth limit */
				return false;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				break;
			depth--;
		} else if (c == ',' && depth == 0) {
			break;
		}
		q++;
	}
	if (q >= s->end || q == s->p)
		return false;
	out->p = (const char *)s->p;
	out->n = (size_t)(q - s->p);
	s->p = q;
	return true;
}

/* detail is shown canonical by parsing it alone and writing it back. */
static bool detail_canonical(struct ledger_slice d, struct buf *scratch)
{
	json_t *v = json_loadb(d.p, d.n, JSON_DECODE_ANY, NULL);
	bool ok = false;
	if (v) {
		buf_reset(scratch);
		ok = !jcs_write(v, scratch) && scratch->len == d.n &&
		     memcmp(scratch->data, d.p, d.n) == 0;
		json_decref(v);
	}
	return ok;
}

bool ledger_entry_scan(const char *bytes, size_t len, struct ledger_entry_view *v,
		       struct buf *scratch)
{
	struct scan s = {(const unsigned char *)bytes, (const unsigned char *)bytes + len};
	struct ledger_slice detail = {NULL, 0};
	if (!LIT(&s, "{\"action\":") || !scan_str(&s, &v->action) ||
	    !LIT(&s, ",\"actor\":{\"role\":") || !scan_str(&s, &v->role) ||
	    !LIT(&s, ",\"user\":") || !scan_str(&s, &v->user) ||
	    !LIT(&s, "},\"alg\":") || !scan_str(&s, &v->alg))
		return false;
	v->has_detail = LIT(&s, ",\"detail\":");
	if (v->has_detail && !scan_skip(&s, &detail))
		return false;
	if (!LIT(&s, ",\"effective_at\":") || !scan_int(&s, &v->effective_at) ||
	    !LIT(&s, ",\"object_id\":") || !scan_str(&s, &v->object_id) ||
	    !LIT(&s, ",\"object_type\":") || !scan_str(&s, &v->object_type) ||
	    !LIT(&s, ",\"org_id\":") || !scan_str(&s, &v->org_id) ||
	    !LIT(&s, ",\"prev\":") || !scan_str(&s, &v->prev) ||
	    !LIT(&s, ",\"recorded_at\":") || !scan_int(&s, &v->recorded_at) ||
	    !LIT(&s, ",\"seq\":") || !scan_int(&s, &v->seq) ||
	    !LIT(&s, ",\"state_hash\":") || !scan_str(&s, &v->state_hash) ||
	    !LIT(&s, ",\"state_hash_version\":") || !scan_int(&s, &v->state_hash_version) ||
	    !LIT(&s, "}") || s.p != s.end)
		return false;
	/* last, as it is the dear part */
	return !v->has_detail || detail_canonical(detail, scratch);
}
