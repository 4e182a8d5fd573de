/*
 * Tests for src/ledger/checkpoint.c: C2SP checkpoints as signed notes
 * (checkpoint.h).
 *
 * Outside anchors: the key IDs of the Ed25519 example keys of
 * golang.org/x/mod/sumdb/note ("PeterNeumann", c74f20a3) and of
 * c2sp.org/signed-note ("example.com/foo", 530d903a); an Ed25519 signature
 * checked by OpenSSL over exactly the body bytes; and an SM2 signature
 * checked against a digest e = SM3(Z || body) whose Z is computed here from
 * GB/T 32918.2 with the default ID, so a signer that left the ID out (as
 * OpenSSL 3.0 does unless told) fails.  Every malformed note is rejected
 * with the field it names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>

#include "b64.h"
#include "checkpoint.h"

#define HL LEDGER_HASH_LEN
#define ORIGIN "example.gov.cn/zhifa/ledger/org-1"
#define ROOT_B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define SIG5 "AAAAAAA="

struct keys {
	EVP_PKEY *ed, *ed2, *sm2, *sm22;
	struct ledger_hasher *sm3;
};

static int setup(void **state)
{
	struct keys *k = zf_calloc(1, sizeof(*k));

	if (!k)
		return -1;
	if (checkpoint_key_generate(CHECKPOINT_ED25519, &k->ed, NULL) ||
	    checkpoint_key_generate(CHECKPOINT_ED25519, &k->ed2, NULL) ||
	    checkpoint_key_generate(CHECKPOINT_SM2, &k->sm2, NULL) ||
	    checkpoint_key_generate(CHECKPOINT_SM2, &k->sm22, NULL))
		return -1;
	k->sm3 = ledger_hasher_new(LEDGER_SM3);
	if (!k->sm3)
		return -1;
	*state = k;
	return 0;
}

static int teardown(void **state)
{
	struct keys *k = *state;

	EVP_PKEY_free(k->ed);
	EVP_PKEY_free(k->ed2);
	EVP_PKEY_free(k->sm2);
	EVP_PKEY_free(k->sm22);
	ledger_hasher_free(k->sm3);
	zf_free(k);
	return 0;
}

static void test_root(uint8_t root[HL])
{
	for (int i = 0; i < HL; i++)
		root[i] = (uint8_t)i;
}

static void sign(EVP_PKEY *key, const char *name, uint64_t size,
		 struct buf *out)
{
	uint8_t root[HL];

	test_root(root);
	buf_init(out, 1 << 20);
	assert_int_equal(checkpoint_sign(ORIGIN, size, root, name, key, out,
					 NULL), ZF_OK);
}

/* A copy of s with the first occurrence of from replaced by to. */
static void replace(const char *s, const char *from, const char *to,
		    struct buf *out)
{
	const char *at = strstr(s, from);

	assert_non_null(at);
	buf_init(out, 1 << 20);
	assert_int_equal(buf_append(out, s, (size_t)(at - s)), ZF_OK);
	assert_int_equal(buf_puts(out, to), ZF_OK);
	assert_int_equal(buf_puts(out, at + strlen(from)), ZF_OK);
}

static void expect_error(const char *text, size_t len, EVP_PKEY *key,
			 const char *name, int rc, const char *code,
			 const char *field)
{
	struct checkpoint cp;
	struct zf_error err;

	zf_error_clear(&err);
	memset(&cp, 0x77, sizeof(cp));
	if (key)
		assert_int_equal(checkpoint_verify(text, len, name, key, &cp,
						   &err), rc);
	else
		assert_int_equal(checkpoint_parse(text, len, &cp, &err), rc);
	assert_string_equal(err.code, code);
	assert_string_equal(err.field, field);
	assert_int_equal(cp.size, 0x7777777777777777ULL);
}

static void test_body(void **state)
{
	uint8_t root[HL];
	struct zf_error err;
	struct buf b;
	char long_origin[CHECKPOINT_ORIGIN_MAX + 2];

	(void)state;
	test_root(root);
	buf_init(&b, 4096);
	assert_int_equal(checkpoint_body(ORIGIN, 5, root, &b, NULL), ZF_OK);
	assert_string_equal(buf_cstr(&b), ORIGIN "\n5\n" ROOT_B64 "\n");
	buf_reset(&b);
	assert_int_equal(checkpoint_body("杭锦后旗交通运输局", 0, root, &b,
					 NULL), ZF_OK);
	assert_string_equal(buf_cstr(&b),
			    "杭锦后旗交通运输局\n0\n" ROOT_B64 "\n");
	buf_reset(&b);
	assert_int_equal(checkpoint_body("o", UINT64_MAX, root, &b, NULL),
			 ZF_OK);
	assert_string_equal(buf_cstr(&b),
			    "o\n18446744073709551615\n" ROOT_B64 "\n");

	memset(long_origin, 'a', sizeof(long_origin) - 1);
	long_origin[sizeof(long_origin) - 1] = '\0';
	const char *bad[] = { "", "a\nb", "a\tb", "\xff", long_origin };
	for (size_t i = 0; i < ZF_ARRAY_LEN(bad); i++) {
		zf_error_clear(&err);
		assert_int_equal(checkpoint_body(bad[i], 1, root, &b, &err),
				 ZF_EINVAL);
		assert_string_equal(err.code, "invalid_checkpoint");
		assert_string_equal(err.field, "origin");
	}
	zf_error_clear(&err);
	assert_int_equal(checkpoint_body(NULL, 1, root, &b, &err), ZF_EINVAL);
	long_origin[CHECKPOINT_ORIGIN_MAX] = '\0';
	assert_int_equal(checkpoint_body(long_origin, 1, root, &b, NULL),
			 ZF_OK);
	buf_release(&b);
}

/* Decode the signature of the only signature line of note. */
static size_t note_sig(const char *note, uint8_t *raw, size_t max)
{
	const char *line = strstr(note, "\n\n\xe2\x80\x94 ");
	const char *sp, *end;
	size_t n;

	assert_non_null(line);
	sp = strchr(line + 6, ' ');
	assert_non_null(sp);
	end = strchr(sp, '\n');
	assert_non_null(end);
	assert_true(b64_decode(sp + 1, (size_t)(end - sp - 1), raw, max, &n));
	return n;
}

static void round_trip(struct keys *k, EVP_PKEY *key, enum checkpoint_alg alg)
{
	struct checkpoint cp;
	uint8_t raw[256], root[HL];
	uint32_t id;
	size_t n, body_len;
	struct buf b;
	enum checkpoint_alg got;

	(void)k;
	assert_true(checkpoint_key_alg(key, &got));
	assert_int_equal(got, alg);
	sign(key, ORIGIN, 12345, &b);
	body_len = strlen(ORIGIN "\n12345\n" ROOT_B64 "\n");
	assert_memory_equal(b.data, ORIGIN "\n12345\n" ROOT_B64 "\n\n"
			    "\xe2\x80\x94 " ORIGIN " ", body_len + 5 +
			    strlen(ORIGIN) + 1);
	assert_int_equal(b.data[b.len - 1], '\n');
	assert_null(memchr(b.data + body_len + 1, '\n',
			   b.len - body_len - 2));

	memset(&cp, 0, sizeof(cp));
	assert_int_equal(checkpoint_parse(b.data, b.len, &cp, NULL), ZF_OK);
	assert_string_equal(cp.origin, ORIGIN);
	assert_int_equal(cp.size, 12345);
	test_root(root);
	assert_memory_equal(cp.root, root, HL);
	assert_int_equal(cp.extensions, 0);

	memset(&cp, 0, sizeof(cp));
	assert_int_equal(checkpoint_verify(b.data, b.len, ORIGIN, key, &cp,
					   NULL), ZF_OK);
	assert_string_equal(cp.origin, ORIGIN);
	assert_int_equal(cp.size, 12345);
	assert_memory_equal(cp.root, root, HL);

	n = note_sig(b.data, raw, sizeof(raw));
	assert_int_equal(checkpoint_key_id(ORIGIN, key, &id, NULL), ZF_OK);
	assert_int_equal((uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 |
			 (uint32_t)raw[2] << 8 | raw[3], id);
	if (alg == CHECKPOINT_ED25519) {
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();

		/* RFC 8032 over the body: its last newline, not the blank line */
		assert_int_equal(n, 4 + 64);
		assert_non_null(ctx);
		assert_int_equal(EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL,
							 NULL, key, NULL), 1);
		assert_int_equal(EVP_DigestVerify(ctx, raw + 4, 64,
				(const uint8_t *)b.data, body_len), 1);
		EVP_MD_CTX_free(ctx);
	}
	buf_release(&b);
}

static void test_round_trip_ed25519(void **state)
{
	struct keys *k = *state;

	round_trip(k, k->ed, CHECKPOINT_ED25519);
}

static void test_round_trip_sm2(void **state)
{
	struct keys *k = *state;

	round_trip(k, k->sm2, CHECKPOINT_SM2);
}

/*
 * Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) (GB/T 32918.2
 * §5.5) for the curve of GB/T 32918.5, then e = SM3(Z || message).
 */
static void sm2_digest(struct ledger_hasher *sm3, EVP_PKEY *key,
		       const char *id, const void *msg, size_t len,
		       uint8_t e[HL])
{
	static const char *const curve[] = {
		"fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc",
		"28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93",
		"32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7",
		"bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0",
	};
	uint8_t z_in[2 + 64 + 6 * 32], z[HL];
	size_t idl = strlen(id), at = 0;
	BIGNUM *x = NULL, *y = NULL;

	assert_true(idl <= 64);
	z_in[at++] = (uint8_t)(idl * 8 >> 8);
	z_in[at++] = (uint8_t)(idl * 8);
	memcpy(z_in + at, id, idl);
	at += idl;
	for (int i = 0; i < 4; i++, at += 32)
		assert_true(ledger_unhex(curve[i], z_in + at, 32));
	assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X,
					       &x), 1);
	assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y,
					       &y), 1);
	assert_int_equal(BN_bn2binpad(x, z_in + at, 32), 32);
	assert_int_equal(BN_bn2binpad(y, z_in + at + 32, 32), 32);
	at += 64;
	BN_free(x);
	BN_free(y);
	assert_int_equal(ledger_hash2(sm3, z_in, at, NULL, 0, z), ZF_OK);
	assert_int_equal(ledger_hash2(sm3, z, HL, msg, len, e), ZF_OK);
}

static void test_sm2_default_id(void **state)
{
	struct keys *k = *state;
	uint8_t raw[256], e[HL];
	size_t n, body_len = strlen(ORIGIN "\n7\n" ROOT_B64 "\n");
	EVP_PKEY_CTX *pctx;
	struct buf b;

	sign(k->sm2, ORIGIN, 7, &b);
	n = note_sig(b.data, raw, sizeof(raw));
	pctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->sm2, NULL);
	assert_non_null(pctx);
	assert_int_equal(EVP_PKEY_verify_init(pctx), 1);
	sm2_digest(k->sm3, k->sm2, "1234567812345678", b.data, body_len, e);
	assert_int_equal(EVP_PKEY_verify(pctx, raw + 4, n - 4, e, HL), 1);
	/* the empty ID OpenSSL 3.0 uses when none is set gives another Z */
	sm2_digest(k->sm3, k->sm2, "", b.data, body_len, e);
	assert_int_not_equal(EVP_PKEY_verify(pctx, raw + 4, n - 4, e, HL), 1);
	EVP_PKEY_CTX_free(pctx);
	buf_release(&b);
}

static void test_key_id_known_answers(void **state)
{
	/* golang.org/x/mod/sumdb/note, the PeterNeumann example keys */
	static const char skey[] = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
	static const char vkey[] = "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
	/* c2sp.org/signed-note, the example.com/foo example key */
	static const char ckey[] = "AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
	uint8_t seed[33], pub[33], derived[32];
	size_t n, dn = sizeof(derived);
	EVP_PKEY *priv, *vpub, *cpub;
	uint32_t id;

	(void)state;
	assert_true(b64_decode(skey, strlen(skey), seed, sizeof(seed), &n));
	assert_int_equal(n, 33);
	assert_int_equal(seed[0], 0x01);
	assert_true(b64_decode(vkey, strlen(vkey), pub, sizeof(pub), &n));
	assert_int_equal(n, 33);
	priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed + 1,
					    32);
	vpub = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub + 1, 32);
	assert_non_null(priv);
	assert_non_null(vpub);
	assert_int_equal(EVP_PKEY_get_raw_public_key(priv, derived, &dn), 1);
	assert_memory_equal(derived, pub + 1, 32);
	assert_int_equal(checkpoint_key_id("PeterNeumann", priv, &id, NULL),
			 ZF_OK);
	assert_int_equal(id, 0xc74f20a3);
	assert_int_equal(checkpoint_key_id("PeterNeumann", vpub, &id, NULL),
			 ZF_OK);
	assert_int_equal(id, 0xc74f20a3);

	assert_true(b64_decode(ckey, strlen(ckey), pub, sizeof(pub), &n));
	cpub = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub + 1, 32);
	assert_non_null(cpub);
	assert_int_equal(checkpoint_key_id("example.com/foo", cpub, &id, NULL),
			 ZF_OK);
	assert_int_equal(id, 0x530d903a);
	EVP_PKEY_free(priv);
	EVP_PKEY_free(vpub);
	EVP_PKEY_free(cpub);
}

/* Re-encode note's signature line with raw[0..n). */
static void resign(const char *note, const uint8_t *raw, size_t n,
		   struct buf *out)
{
	const char *line = strstr(note, "\n\n\xe2\x80\x94 ");
	const char *sp = strchr(line + 6, ' ');

	buf_init(out, 1 << 20);
	assert_int_equal(buf_append(out, note, (size_t)(sp + 1 - note)), ZF_OK);
	assert_int_equal(b64_encode(raw, n, out), ZF_OK);
	assert_int_equal(buf_putc(out, '\n'), ZF_OK);
}

static void tamper(struct keys *k, EVP_PKEY *key, EVP_PKEY *other,
		   EVP_PKEY *foreign)
{
	struct buf b, t, o;
	uint8_t raw[256];
	struct checkpoint cp;
	size_t n;

	sign(key, ORIGIN, 5, &b);
	(void)k;

	/* the body: size, root, origin */
	replace(b.data, "\n5\n", "\n6\n", &t);
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "checkpoint_bad_signature", "signature");
	buf_release(&t);
	replace(b.data, "AAEC", "BAEC", &t);
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "checkpoint_bad_signature", "signature");
	buf_release(&t);
	replace(b.data, "org-1\n", "org-2\n", &t);
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "checkpoint_bad_signature", "signature");
	buf_release(&t);

	/* another key, name or algorithm: no line from the key asked for */
	expect_error(b.data, b.len, other, ORIGIN, ZF_EINVAL,
		     "checkpoint_unsigned", "signature");
	expect_error(b.data, b.len, foreign, ORIGIN, ZF_EINVAL,
		     "checkpoint_unsigned", "signature");
	expect_error(b.data, b.len, key, ORIGIN "x", ZF_EINVAL,
		     "checkpoint_unsigned", "signature");

	/* the signature: a flipped bit, truncated, extended, only the ID */
	n = note_sig(b.data, raw, sizeof(raw));
	raw[4 + 10] ^= 0x10;
	resign(b.data, raw, n, &t);
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "checkpoint_bad_signature", "signature");
	buf_release(&t);
	raw[4 + 10] ^= 0x10;
	resign(b.data, raw, n, &t);
	assert_int_equal(checkpoint_verify(t.data, t.len, ORIGIN, key, &cp,
					   NULL), ZF_OK);
	buf_release(&t);
	resign(b.data, raw, n - 1, &t);
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "checkpoint_bad_signature", "signature");
	buf_release(&t);
	raw[n] = 0;
	resign(b.data, raw, n + 1, &t);
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "checkpoint_bad_signature", "signature");
	buf_release(&t);
	resign(b.data, raw, 4, &t);
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "invalid_checkpoint", "signature");
	buf_release(&t);

	/* the base64: cut short, a foreign character */
	buf_init(&t, 1 << 20);
	assert_int_equal(buf_append(&t, b.data, b.len - 2), ZF_OK);
	assert_int_equal(buf_putc(&t, '\n'), ZF_OK);
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "invalid_checkpoint", "signature");
	buf_release(&t);
	buf_init(&t, 1 << 20);
	assert_int_equal(buf_append(&t, b.data, b.len), ZF_OK);
	t.data[t.len - 6] = '*';
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "invalid_checkpoint", "signature");
	buf_release(&t);
	replace(b.data, "AAEC", "A*EC", &t);
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "invalid_checkpoint", "root");
	buf_release(&t);

	/*
	 * Other signers' lines are ignored (signed-note), before or after;
	 * a bad line from this key fails even beside a good one.
	 */
	sign(other, ORIGIN, 5, &o);
	buf_init(&t, 1 << 20);
	assert_int_equal(buf_append(&t, b.data, b.len), ZF_OK);
	assert_int_equal(buf_puts(&t, strstr(o.data, "\n\n") + 2), ZF_OK);
	assert_int_equal(checkpoint_verify(t.data, t.len, ORIGIN, key, &cp,
					   NULL), ZF_OK);
	assert_int_equal(checkpoint_verify(t.data, t.len, ORIGIN, other, &cp,
					   NULL), ZF_OK);
	buf_release(&t);
	buf_init(&t, 1 << 20);
	assert_int_equal(buf_append(&t, o.data, o.len), ZF_OK);
	assert_int_equal(buf_puts(&t, strstr(b.data, "\n\n") + 2), ZF_OK);
	assert_int_equal(checkpoint_verify(t.data, t.len, ORIGIN, key, &cp,
					   NULL), ZF_OK);
	buf_release(&t);
	raw[4 + 3] ^= 1;
	resign(b.data, raw, n, &t);
	assert_int_equal(buf_puts(&t, strstr(b.data, "\n\n") + 2), ZF_OK);
	expect_error(t.data, t.len, key, ORIGIN, ZF_EINVAL,
		     "checkpoint_bad_signature", "signature");
	buf_release(&t);
	buf_release(&o);
	buf_release(&b);
}

static void test_tamper_ed25519(void **state)
{
	struct keys *k = *state;

	tamper(k, k->ed, k->ed2, k->sm2);
}

static void test_tamper_sm2(void **state)
{
	struct keys *k = *state;

	tamper(k, k->sm2, k->sm22, k->ed);
}

struct bad_note {
	const char *text;
	const char *field;
};

#define BODY "o\n5\n" ROOT_B64 "\n"
#define SIGL "\xe2\x80\x94 o " SIG5 "\n"

static void test_parse_rejects(void **state)
{
	static const struct bad_note bad[] = {
		{ "", "note" },
		{ "\n", "note" },
		{ BODY "\n\xe2\x80\x94 o " SIG5, "note" },
		{ BODY SIGL, "note" },
		{ "o\r\n5\n" ROOT_B64 "\n\n" SIGL, "note" },
		{ "o\t\n5\n" ROOT_B64 "\n\n" SIGL, "note" },
		{ "o\xff\n5\n" ROOT_B64 "\n\n" SIGL, "note" },
		{ "o\xc0\xaf\n5\n" ROOT_B64 "\n\n" SIGL, "note" },
		{ "o\xed\xa0\x80\n5\n" ROOT_B64 "\n\n" SIGL, "note" },
		{ "o\xe4\xb8\n5\n" ROOT_B64 "\n\n" SIGL, "note" },
		{ "\n5\n" ROOT_B64 "\n\n" SIGL, "origin" },
		{ "o\n\n" SIGL, "size" },
		{ "o\n05\n" ROOT_B64 "\n\n" SIGL, "size" },
		{ "o\n00\n" ROOT_B64 "\n\n" SIGL, "size" },
		{ "o\n-1\n" ROOT_B64 "\n\n" SIGL, "size" },
		{ "o\n+5\n" ROOT_B64 "\n\n" SIGL, "size" },
		{ "o\n5 \n" ROOT_B64 "\n\n" SIGL, "size" },
		{ "o\n0x5\n" ROOT_B64 "\n\n" SIGL, "size" },
		{ "o\n18446744073709551616\n" ROOT_B64 "\n\n" SIGL, "size" },
		{ "o\n99999999999999999999\n" ROOT_B64 "\n\n" SIGL, "size" },
		{ "o\n\n" ROOT_B64 "\n\n" SIGL, "size" },
		{ "o\n5\n\n" SIGL, "root" },
		{ "o\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n\n" SIGL,
		  "root" },
		{ "o\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=\n\n" SIGL,
		  "root" },
		{ "o\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==\n\n"
		  SIGL, "root" },
		{ "o\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\n\n" SIGL,
		  "root" },
		{ "o\n5\n" ROOT_B64 " \n\n" SIGL, "root" },
		{ BODY "\next\n\n" SIGL, "extension" },
		{ BODY "\n", "signature" },
		{ BODY "\n" SIGL "\n", "signature" },
		{ BODY "\n" SIGL "garbage\n", "signature" },
		{ BODY "\n- o " SIG5 "\n", "signature" },
		{ BODY "\n\xe2\x80\x94o " SIG5 "\n", "signature" },
		{ BODY "\n\xe2\x80\x94 o" SIG5 "\n", "signature" },
		{ BODY "\n\xe2\x80\x94  " SIG5 "\n", "signature" },
		{ BODY "\n\xe2\x80\x94 o+x " SIG5 "\n", "signature" },
		{ BODY "\n\xe2\x80\x94 o\xc2\xa0x " SIG5 "\n", "signature" },
		{ BODY "\n\xe2\x80\x94 o\xe3\x80\x80x " SIG5 "\n", "signature" },
		{ BODY "\n\xe2\x80\x94 o AAAAAA==\n", "signature" },
		{ BODY "\n\xe2\x80\x94 o AAAA AAA=\n", "signature" },
		{ BODY "\n\xe2\x80\x94 o " SIG5 " \n", "signature" },
		{ BODY "\n\xe2\x80\x94 o AAAAAAA\n", "signature" },
		{ BODY "\n\xe2\x80\x94 o \n", "signature" },
		{ BODY "\n" SIGL "\xe2\x80\x94 p\n", "signature" },
	};
	static const char nul[] = "o\0\n5\n" ROOT_B64 "\n\n" SIGL;
	struct checkpoint cp;
	char *big;

	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(bad); i++) {
		print_message("case %zu: %s\n", i, bad[i].field);
		expect_error(bad[i].text, strlen(bad[i].text), NULL, NULL,
			     ZF_EINVAL, "invalid_checkpoint", bad[i].field);
	}
	expect_error(nul, sizeof(nul) - 1, NULL, NULL, ZF_EINVAL,
		     "invalid_checkpoint", "note");

	/* what the format allows */
	assert_int_equal(checkpoint_parse(BODY "\n" SIGL,
					  strlen(BODY "\n" SIGL), &cp, NULL),
			 ZF_OK);
	assert_string_equal(cp.origin, "o");
	assert_int_equal(cp.extensions, 0);
	assert_int_equal(checkpoint_parse(BODY "ext 1\n+2\n\n" SIGL SIGL,
			strlen(BODY "ext 1\n+2\n\n" SIGL SIGL), &cp, NULL),
			 ZF_OK);
	assert_int_equal(cp.extensions, 2);
	assert_int_equal(checkpoint_parse("o\n0\n" ROOT_B64 "\n\n" SIGL,
			strlen("o\n0\n" ROOT_B64 "\n\n" SIGL), &cp, NULL),
			 ZF_OK);
	assert_int_equal(cp.size, 0);
	assert_int_equal(checkpoint_parse(
			"o\n18446744073709551615\n" ROOT_B64 "\n\n" SIGL,
			strlen("o\n18446744073709551615\n" ROOT_B64 "\n\n" SIGL),
			&cp, NULL), ZF_OK);
	assert_int_equal(cp.size, UINT64_MAX);
	assert_int_equal(checkpoint_parse(
			"杭锦后旗 ledger\n1\n" ROOT_B64 "\n\n"
			"\xe2\x80\x94 杭锦后旗/ledger " SIG5 "\n",
			strlen("杭锦后旗 ledger\n1\n" ROOT_B64 "\n\n"
			       "\xe2\x80\x94 杭锦后旗/ledger " SIG5 "\n"),
			&cp, NULL), ZF_OK);

	/* size limits: the whole note, and the number of signature lines */
	big = zf_malloc(CHECKPOINT_NOTE_MAX + 1);
	assert_non_null(big);
	memset(big, 'a', CHECKPOINT_NOTE_MAX + 1);
	expect_error(big, CHECKPOINT_NOTE_MAX + 1, NULL, NULL, ZF_ETOOBIG,
		     "invalid_checkpoint", "note");
	zf_free(big);
	{
		struct buf b;

		buf_init(&b, 1 << 20);
		assert_int_equal(buf_puts(&b, BODY "\n"), ZF_OK);
		for (int i = 0; i < CHECKPOINT_SIGS_MAX; i++)
			assert_int_equal(buf_puts(&b, SIGL), ZF_OK);
		assert_int_equal(checkpoint_parse(b.data, b.len, &cp, NULL),
				 ZF_OK);
		assert_int_equal(buf_puts(&b, SIGL), ZF_OK);
		expect_error(b.data, b.len, NULL, NULL, ZF_ETOOBIG,
			     "invalid_checkpoint", "signature");
		buf_release(&b);
	}
}

static void test_key_names(void **state)
{
	struct keys *k = *state;
	static const char *const bad[] = {
		"", "a b", "a+b", "a\tb", "a\nb", "a\xc2\xa0" "b",
		"a\xe3\x80\x80" "b", "a\xe2\x80\xa8" "b", "\xff",
	};
	struct zf_error err;
	uint8_t root[HL] = { 0 };
	uint32_t id;
	struct buf b;

	for (size_t i = 0; i < ZF_ARRAY_LEN(bad); i++) {
		zf_error_clear(&err);
		assert_int_equal(checkpoint_key_id(bad[i], k->ed, &id, &err),
				 ZF_EINVAL);
		assert_string_equal(err.code, "invalid_key_name");
		assert_string_equal(err.field, "key_name");
	}
	assert_int_equal(checkpoint_key_id(NULL, k->ed, &id, NULL), ZF_EINVAL);
	assert_int_equal(checkpoint_key_id("杭锦后旗/ledger", k->sm2, &id,
					   NULL), ZF_OK);
	buf_init(&b, 4096);
	zf_error_clear(&err);
	assert_int_equal(checkpoint_sign(ORIGIN, 1, root, "a b", k->ed, &b,
					 &err), ZF_EINVAL);
	assert_string_equal(err.code, "invalid_key_name");
	assert_int_equal(b.len, 0);
	zf_error_clear(&err);
	assert_int_equal(checkpoint_verify(BODY "\n" SIGL,
			strlen(BODY "\n" SIGL), "a+b", k->ed, NULL, &err),
			 ZF_EINVAL);
	assert_string_equal(err.code, "invalid_key_name");
	buf_release(&b);
}

static EVP_PKEY *public_only(EVP_PKEY *key)
{
	struct buf pem;
	EVP_PKEY *pub = NULL;

	buf_init(&pem, 1 << 16);
	assert_int_equal(checkpoint_key_public_pem(key, &pem, NULL), ZF_OK);
	assert_int_equal(checkpoint_key_from_public_pem(pem.data, pem.len,
							&pub, NULL), ZF_OK);
	buf_release(&pem);
	return pub;
}

static void test_sign_errors(void **state)
{
	struct keys *k = *state;
	EVP_PKEY *pub = public_only(k->ed), *p256;
	uint8_t root[HL] = { 0 };
	struct zf_error err;
	struct checkpoint cp;
	struct buf b;

	buf_init(&b, 4096);
	zf_error_clear(&err);
	assert_int_equal(checkpoint_sign(ORIGIN, 1, root, ORIGIN, pub, &b,
					 &err), ZF_EIO);
	assert_string_equal(err.code, "sign_failed");
	buf_reset(&b);
	zf_error_clear(&err);
	assert_int_equal(checkpoint_sign("", 1, root, ORIGIN, k->ed, &b, &err),
			 ZF_EINVAL);
	assert_string_equal(err.field, "origin");

	p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(p256);
	zf_error_clear(&err);
	assert_int_equal(checkpoint_sign(ORIGIN, 1, root, ORIGIN, p256, &b,
					 &err), ZF_EINVAL);
	assert_string_equal(err.code, "unsupported_key");
	zf_error_clear(&err);
	assert_int_equal(checkpoint_verify(BODY "\n" SIGL,
			strlen(BODY "\n" SIGL), "o", p256, &cp, &err),
			 ZF_EINVAL);
	assert_string_equal(err.code, "unsupported_key");
	zf_error_clear(&err);
	assert_int_equal(checkpoint_key_private_pem(p256, &b, &err), ZF_EINVAL);
	assert_string_equal(err.code, "unsupported_key");

	/* a public key verifies what its private key signed */
	buf_reset(&b);
	assert_int_equal(checkpoint_sign(ORIGIN, 9, root, ORIGIN, k->ed, &b,
					 NULL), ZF_OK);
	assert_int_equal(checkpoint_verify(b.data, b.len, ORIGIN, pub, &cp,
					   NULL), ZF_OK);
	assert_int_equal(cp.size, 9);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(pub);
	buf_release(&b);
}

static void expect_bad_pem(const char *pem, size_t len, bool private)
{
	struct zf_error err;
	EVP_PKEY *k = NULL;

	zf_error_clear(&err);
	assert_int_equal(private ?
			 checkpoint_key_from_private_pem(pem, len, &k, &err) :
			 checkpoint_key_from_public_pem(pem, len, &k, &err),
			 ZF_EINVAL);
	assert_null(k);
	assert_string_equal(err.code, "invalid_key");
	assert_string_equal(err.field, "key");
}

static void pem_round_trip(EVP_PKEY *key)
{
	struct buf priv, pub, t;
	EVP_PKEY *k1 = NULL, *k2 = NULL;
	enum checkpoint_alg a0, a1;
	struct checkpoint cp;
	char *body;

	buf_init(&priv, 1 << 16);
	buf_init(&pub, 1 << 16);
	assert_int_equal(checkpoint_key_private_pem(key, &priv, NULL), ZF_OK);
	assert_int_equal(checkpoint_key_public_pem(key, &pub, NULL), ZF_OK);
	assert_memory_equal(priv.data, "-----BEGIN PRIVATE KEY-----\n", 28);
	assert_memory_equal(pub.data, "-----BEGIN PUBLIC KEY-----\n", 27);
	assert_int_equal(checkpoint_key_from_private_pem(priv.data, priv.len,
							 &k1, NULL), ZF_OK);
	assert_int_equal(checkpoint_key_from_public_pem(pub.data, pub.len, &k2,
							NULL), ZF_OK);
	assert_int_equal(EVP_PKEY_eq(k1, key), 1);
	assert_int_equal(EVP_PKEY_eq(k2, key), 1);
	assert_true(checkpoint_key_alg(key, &a0));
	assert_true(checkpoint_key_alg(k1, &a1));
	assert_int_equal(a0, a1);
	assert_true(checkpoint_key_alg(k2, &a1));
	assert_int_equal(a0, a1);

	/* sign with the reloaded private key, verify with the public one */
	sign(k1, ORIGIN, 3, &t);
	assert_int_equal(checkpoint_verify(t.data, t.len, ORIGIN, k2, &cp,
					   NULL), ZF_OK);
	buf_release(&t);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);

	/* surrounding whitespace is fine */
	buf_init(&t, 1 << 16);
	assert_int_equal(buf_puts(&t, "\n  "), ZF_OK);
	assert_int_equal(buf_append(&t, pub.data, pub.len), ZF_OK);
	assert_int_equal(buf_puts(&t, "\n\n"), ZF_OK);
	k2 = NULL;
	assert_int_equal(checkpoint_key_from_public_pem(t.data, t.len, &k2,
							NULL), ZF_OK);
	EVP_PKEY_free(k2);
	/* anything else is not */
	assert_int_equal(buf_puts(&t, "x"), ZF_OK);
	expect_bad_pem(t.data, t.len, false);
	buf_release(&t);
	buf_init(&t, 1 << 16);
	assert_int_equal(buf_puts(&t, "key:\n"), ZF_OK);
	assert_int_equal(buf_append(&t, pub.data, pub.len), ZF_OK);
	expect_bad_pem(t.data, t.len, false);
	buf_release(&t);
	buf_init(&t, 1 << 16);
	assert_int_equal(buf_append(&t, pub.data, pub.len), ZF_OK);
	assert_int_equal(buf_append(&t, pub.data, pub.len), ZF_OK);
	expect_bad_pem(t.data, t.len, false);
	buf_release(&t);
	/* the wrong kind, a broken body, a truncated block, nothing */
	expect_bad_pem(pub.data, pub.len, true);
	expect_bad_pem(priv.data, priv.len, false);
	body = strchr(priv.data, '\n') + 1;
	*body = *body == 'M' ? 'A' : 'M';
	expect_bad_pem(priv.data, priv.len, true);
	expect_bad_pem(pub.data, pub.len - 10, false);
	expect_bad_pem("", 0, true);
	expect_bad_pem("", 0, false);
	OPENSSL_cleanse(priv.data, priv.len);
	buf_release(&priv);
	buf_release(&pub);
}

static void test_pem_ed25519(void **state)
{
	struct keys *k = *state;

	pem_round_trip(k->ed);
}

static void test_pem_sm2(void **state)
{
	struct keys *k = *state;

	pem_round_trip(k->sm2);
}

/* Keys zhifa does not use, and encrypted ones, are refused. */
static void test_pem_refused(void **state)
{
	struct keys *k = *state;
	EVP_PKEY *p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	BIO *bio;
	char *data;
	long n;

	assert_non_null(p256);
	bio = BIO_new(BIO_s_mem());
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, p256, NULL, NULL, 0,
						       NULL, NULL), 1);
	n = BIO_get_mem_data(bio, &data);
	expect_bad_pem(data, (size_t)n, true);
	BIO_free(bio);

	bio = BIO_new(BIO_s_mem());
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PUBKEY(bio, p256), 1);
	n = BIO_get_mem_data(bio, &data);
	expect_bad_pem(data, (size_t)n, false);
	BIO_free(bio);

	bio = BIO_new(BIO_s_mem());
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, k->ed,
			EVP_aes_256_cbc(), "secret", 6, NULL, NULL), 1);
	n = BIO_get_mem_data(bio, &data);
	expect_bad_pem(data, (size_t)n, true);
	BIO_free(bio);
	EVP_PKEY_free(p256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_round_trip_ed25519),
		cmocka_unit_test(test_round_trip_sm2),
		cmocka_unit_test(test_sm2_default_id),
		cmocka_unit_test(test_key_id_known_answers),
		cmocka_unit_test(test_tamper_ed25519),
		cmocka_unit_test(test_tamper_sm2),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_sign_errors),
		cmocka_unit_test(test_pem_ed25519),
		cmocka_unit_test(test_pem_sm2),
		cmocka_unit_test(test_pem_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
