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

int ledger_entry_encode(const struct ledger_entry *e, struct buf *out)
{
	char state[LEDGER_HEX_LEN], prev[LEDGER_HEX_LEN];
	ledger_hex(e->state_hash, LEDGER_HASH_LEN, state);
	ledger_hex(e->prev, LEDGER_HASH_LEN, prev);
	json_t *v = json_pack("{sI sI sI ss s{ss ss} ss ss ss ss si ss ss}",
			      "seq", (json_int_t)e->seq,
			      "recorded_at", (json_int_t)e->recorded_at,
			      "effective_at", (json_int_t)e->effective_at,
			      "org_id", e->org_id,
			      "actor", "user", e->actor, "role", e->role,
			      "action", e->action,
			      "object_type", e->object_type,
			      "object_id", e->object_id,
			      "state_hash", state,
			      "state_hash_version", e->state_hash_version,
			      "prev", prev,
			      "alg", ledger_alg_code(e->alg));
	if (!v)
		return ZF_ENOMEM;
	int rc = ZF_OK;
	if (e->detail && json_object_set(v, "detail", (json_t *)e->detail))
		rc = ZF_ENOMEM;
	if (!rc)
		rc = jcs_write(v, out);
	json_decref(v);
	return rc;
}
