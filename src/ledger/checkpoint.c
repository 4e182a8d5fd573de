#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "b64.h"
#include "checkpoint.h"

#define HL LEDGER_HASH_LEN
#define ROOT_B64_LEN B64_ENCODED_LEN(HL)
#define PEM_MAX ((size_t)64 << 10)

/* GB/T 35276 (and GM/T 0009) default distinguishing identifier. */
static const char sm2_id[] = "1234567812345678";
/*
 * signed-note reserves type 0xff for types it does not assign, followed by
 * an identifier unlikely to collide; this one names zhifa's SM2 lines.
 */
static const char sm2_type[] = "\xff" "zhifa/sm2-sm3";
static const uint8_t ed25519_type = 0x01;
/* U+2014 EM DASH, then a space, opens every signature line */
static const char sig_prefix[] = "\xe2\x80\x94 ";

/* Sizes of public keys and signatures as they enter the note. */
#define PUB_MAX 65
#define SIG_BUF 160

const char *checkpoint_alg_code(enum checkpoint_alg alg)
{
	return alg == CHECKPOINT_SM2 ? "sm2" : "ed25519";
}

bool checkpoint_key_alg(EVP_PKEY *key, enum checkpoint_alg *out)
{
	if (key && EVP_PKEY_is_a(key, "ED25519"))
		*out = CHECKPOINT_ED25519;
	else if (key && EVP_PKEY_is_a(key, "SM2"))
		*out = CHECKPOINT_SM2;
	else
		return false;
	return true;
}

/*
 * Decode one UTF-8 sequence at s[*i..len), rejecting overlong forms,
 * surrogates and values past U+10FFFF (RFC 3629), and advance *i.
 */
static bool utf8_next(const uint8_t *s, size_t len, size_t *i, uint32_t *cp)
{
	uint32_t c = s[*i], min;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return true;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 1;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3;
		c &= 0x07;
		min = 0x10000;
	} else {
		return false;
	}
	if (len - *i <= n)
		return false;
	for (size_t k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xc0) != 0x80)
			return false;
		c = c << 6 | (s[*i + k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return false;
	*cp = c;
	*i += n + 1;
	return true;
}

/* Unicode White_Space, as Go's unicode.IsSpace (which signed-note uses). */
static bool unicode_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 ||
	       c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	       c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	       c == 0x3000;
}

/* Valid UTF-8 without ASCII control characters (newline if allowed). */
static bool text_ok(const char *s, size_t len, bool newline)
{
	const uint8_t *u = (const uint8_t *)s;
	uint32_t c;

	for (size_t i = 0; i < len;) {
		if (!utf8_next(u, len, &i, &c))
			return false;
		if (c < 0x20 && !(newline && c == '\n'))
			return false;
	}
	return true;
}

static bool origin_ok(const char *s, size_t len)
{
	return len > 0 && len <= CHECKPOINT_ORIGIN_MAX &&
	       text_ok(s, len, false);
}

static bool key_name_ok(const char *s, size_t len)
{
	const uint8_t *u = (const uint8_t *)s;
	uint32_t c;

	if (len == 0 || len > CHECKPOINT_ORIGIN_MAX)
		return false;
	for (size_t i = 0; i < len;) {
		if (!utf8_next(u, len, &i, &c))
			return false;
		if (c < 0x20 || c == '+' || unicode_space(c))
			return false;
	}
	return true;
}

static int openssl_fail(struct zf_error *err, int rc, const char *code,
			const char *field, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char detail[256] = "";

	if (e)
		ERR_error_string_n(e, detail, sizeof(detail));
	ERR_clear_error();
	return zf_fail(err, rc, code, field, "%s%s%s", what, e ? ": " : "",
		       detail);
}

/*
 * The public key as it enters the key ID.  SM2 is rebuilt from X and Y so
 * a key that OpenSSL holds in compressed form gives the same ID.
 */
static int public_bytes(EVP_PKEY *key, enum checkpoint_alg alg,
			uint8_t out[PUB_MAX], size_t *len)
{
	BIGNUM *x = NULL, *y = NULL;
	int rc = ZF_EINVAL;

	if (alg == CHECKPOINT_ED25519) {
		*len = 32;
		if (EVP_PKEY_get_raw_public_key(key, out, len) == 1 &&
		    *len == 32)
			rc = ZF_OK;
		goto out;
	}
	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) != 1 ||
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) != 1)
		goto out;
	out[0] = 0x04;
	if (BN_bn2binpad(x, out + 1, 32) != 32 ||
	    BN_bn2binpad(y, out + 33, 32) != 32)
		goto out;
	*len = 65;
	rc = ZF_OK;
out:
	BN_free(x);
	BN_free(y);
	ERR_clear_error();
	return rc;
}

static int key_id(const char *name, size_t name_len, EVP_PKEY *key,
		  enum checkpoint_alg alg, uint32_t *id)
{
	uint8_t pub[PUB_MAX], d[32];
	size_t pub_len;
	unsigned int dl = 0;
	EVP_MD_CTX *ctx;
	bool ok;

	if (public_bytes(key, alg, pub, &pub_len))
		return ZF_EINVAL;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, name, name_len) == 1 &&
	     EVP_DigestUpdate(ctx, "\n", 1) == 1 &&
	     (alg == CHECKPOINT_SM2 ?
		      EVP_DigestUpdate(ctx, sm2_type, sizeof(sm2_type) - 1) :
		      EVP_DigestUpdate(ctx, &ed25519_type, 1)) == 1 &&
	     EVP_DigestUpdate(ctx, pub, pub_len) == 1 &&
	     EVP_DigestFinal_ex(ctx, d, &dl) == 1 && dl == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		ERR_clear_error();
		return ZF_EIO;
	}
	*id = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	      (uint32_t)d[2] << 8 | d[3];
	return ZF_OK;
}

int checkpoint_key_id(const char *key_name, EVP_PKEY *key, uint32_t *id,
		      struct zf_error *err)
{
	enum checkpoint_alg alg;
	size_t len = key_name ? strlen(key_name) : 0;
	int rc;

	if (!key_name_ok(key_name, len))
		return zf_fail(err, ZF_EINVAL, "invalid_key_name", "key_name",
			       "密钥名称不能为空，不能含空白、“+”或控制字符，"
			       "且不超过 %d 字节", CHECKPOINT_ORIGIN_MAX);
	if (!checkpoint_key_alg(key, &alg))
		return zf_fail(err, ZF_EINVAL, "unsupported_key", "key",
			       "密钥既不是 Ed25519 也不是 SM2");
	rc = key_id(key_name, len, key, alg, id);
	if (rc)
		return zf_fail(err, rc, "unsupported_key", "key",
			       "无法读取 %s 公钥", checkpoint_alg_code(alg));
	return ZF_OK;
}

/*
 * Start a sign or verify operation.  OpenSSL 3.0 neither applies the SM2
 * default ID by itself (it hashes an empty ID into Z) nor accepts "distid"
 * among the init parameters, so the ID is set on the context after init,
 * before any data goes in.
 */
static bool op_init(EVP_MD_CTX *ctx, EVP_PKEY *key, enum checkpoint_alg alg,
		    bool sign)
{
	EVP_PKEY_CTX *pctx = NULL;
	const char *md = alg == CHECKPOINT_SM2 ? "SM3" : NULL;
	int ok = sign ?
		EVP_DigestSignInit_ex(ctx, &pctx, md, NULL, NULL, key, NULL) :
		EVP_DigestVerifyInit_ex(ctx, &pctx, md, NULL, NULL, key, NULL);

	if (ok == 1 && alg == CHECKPOINT_SM2)
		ok = EVP_PKEY_CTX_set1_id(pctx, sm2_id, sizeof(sm2_id) - 1);
	return ok == 1;
}

static bool sign_bytes(EVP_PKEY *key, enum checkpoint_alg alg,
		       const void *msg, size_t len, uint8_t *sig,
		       size_t *sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && op_init(ctx, key, alg, true) &&
		  EVP_DigestSign(ctx, sig, sig_len, msg, len) == 1;

	EVP_MD_CTX_free(ctx);
	return ok;
}

static bool verify_bytes(EVP_PKEY *key, enum checkpoint_alg alg,
			 const void *msg, size_t len, const uint8_t *sig,
			 size_t sig_len)
{
	EVP_MD_CTX *ctx;
	bool ok;

	if (alg == CHECKPOINT_ED25519 && sig_len != 64)
		return false;
	ctx = EVP_MD_CTX_new();
	ok = ctx && op_init(ctx, key, alg, false) &&
	     EVP_DigestVerify(ctx, sig, sig_len, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

int checkpoint_body(const char *origin, uint64_t size, const uint8_t root[HL],
		    struct buf *out, struct zf_error *err)
{
	size_t len = origin ? strlen(origin) : 0;
	int rc;

	if (!origin_ok(origin, len))
		return zf_fail(err, ZF_EINVAL, "invalid_checkpoint", "origin",
			       "日志标识（origin）不能为空，须为 UTF-8，"
			       "不含控制字符，且不超过 %d 字节",
			       CHECKPOINT_ORIGIN_MAX);
	rc = buf_printf(out, "%s\n%" PRIu64 "\n", origin, size);
	if (!rc)
		rc = b64_encode(root, HL, out);
	if (!rc)
		rc = buf_putc(out, '\n');
	return rc;
}

int checkpoint_sign(const char *origin, uint64_t size, const uint8_t root[HL],
		    const char *key_name, EVP_PKEY *key, struct buf *out,
		    struct zf_error *err)
{
	uint8_t sig[4 + SIG_BUF];
	size_t start = out->len, sig_len = SIG_BUF;
	enum checkpoint_alg alg;
	uint32_t id;
	int rc;

	rc = checkpoint_key_id(key_name, key, &id, err);
	if (rc)
		return rc;
	if (!checkpoint_key_alg(key, &alg))
		ZF_BUG("key algorithm changed");
	if (EVP_PKEY_get_size(key) > SIG_BUF)
		return zf_fail(err, ZF_EINVAL, "unsupported_key", "key",
			       "签名过长");
	rc = checkpoint_body(origin, size, root, out, err);
	if (rc)
		return rc;
	if (!sign_bytes(key, alg, out->data + start, out->len - start,
			sig + 4, &sig_len))
		return openssl_fail(err, ZF_EIO, "sign_failed", "key",
				    "签名失败（需要私钥）");
	sig[0] = (uint8_t)(id >> 24);
	sig[1] = (uint8_t)(id >> 16);
	sig[2] = (uint8_t)(id >> 8);
	sig[3] = (uint8_t)id;
	rc = buf_putc(out, '\n');
	if (!rc)
		rc = buf_printf(out, "%s%s ", sig_prefix, key_name);
	if (!rc)
		rc = b64_encode(sig, 4 + sig_len, out);
	if (!rc)
		rc = buf_putc(out, '\n');
	return rc;
}

struct note_sig {
	const char *name;
	size_t name_len;
	const char *b64;
	size_t b64_len;
};

struct note {
	size_t body_len;
	struct checkpoint cp;
	struct note_sig sigs[CHECKPOINT_SIGS_MAX];
	size_t nsigs;
};

static int bad(struct zf_error *err, const char *field, const char *msg)
{
	return zf_fail(err, ZF_EINVAL, "invalid_checkpoint", field,
		       "检查点格式错误：%s", msg);
}

/* Length of the line at s[0..len) without its '\n' (one is known to follow). */
static size_t line_len(const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len);

	return (size_t)(nl - s);
}

static bool parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || (len > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static int parse_body(const char *s, size_t len, struct checkpoint *cp,
		      struct zf_error *err)
{
	size_t at = 0, n;
	size_t root_len;

	memset(cp, 0, sizeof(*cp));
	n = line_len(s, len);
	if (!origin_ok(s, n))
		return bad(err, "origin", "日志标识为空或过长");
	memcpy(cp->origin, s, n);
	at = n + 1;
	if (at == len)
		return bad(err, "size", "缺少树大小");
	n = line_len(s + at, len - at);
	if (!parse_size(s + at, n, &cp->size))
		return bad(err, "size", "树大小须为无前导零的十进制数");
	at += n + 1;
	if (at == len)
		return bad(err, "root", "缺少根哈希");
	n = line_len(s + at, len - at);
	if (n != ROOT_B64_LEN ||
	    !b64_decode(s + at, n, cp->root, HL, &root_len) || root_len != HL)
		return bad(err, "root", "根哈希须为 32 字节的 base64");
	at += n + 1;
	while (at < len) {
		n = line_len(s + at, len - at);
		if (n == 0)
			return bad(err, "extension", "扩展行不能为空");
		cp->extensions++;
		at += n + 1;
	}
	return ZF_OK;
}

static int parse_sig(const char *s, size_t n, struct note_sig *sig,
		     struct zf_error *err)
{
	uint8_t scratch[CHECKPOINT_SIG_MAX];
	const size_t plen = sizeof(sig_prefix) - 1;
	const char *sp;
	size_t dlen;

	if (n < plen || memcmp(s, sig_prefix, plen) != 0)
		return bad(err, "signature", "签名行须以“— ”开头");
	s += plen;
	n -= plen;
	sp = memchr(s, ' ', n);
	if (!sp || !key_name_ok(s, (size_t)(sp - s)))
		return bad(err, "signature", "签名行的密钥名称无效");
	sig->name = s;
	sig->name_len = (size_t)(sp - s);
	sig->b64 = sp + 1;
	sig->b64_len = n - sig->name_len - 1;
	if (!b64_decode(sig->b64, sig->b64_len, scratch, sizeof(scratch),
			&dlen) ||
	    dlen < 5)
		return bad(err, "signature", "签名不是有效的 base64 或过短");
	return ZF_OK;
}

static int note_parse(const char *text, size_t len, struct note *note,
		      struct zf_error *err)
{
	size_t sep, at, n;
	int rc;

	if (len > CHECKPOINT_NOTE_MAX)
		return zf_fail(err, ZF_ETOOBIG, "invalid_checkpoint", "note",
			       "检查点超过 %zu 字节", CHECKPOINT_NOTE_MAX);
	if (!text_ok(text, len, true))
		return bad(err, "note", "不是有效的 UTF-8，或含控制字符");
	if (len < 2 || text[len - 1] != '\n')
		return bad(err, "note", "未以换行结尾");
	/* the last blank line separates the text from the signatures */
	for (sep = len - 1; sep > 0; sep--)
		if (text[sep - 1] == '\n' && text[sep] == '\n')
			break;
	if (sep == 0)
		return bad(err, "note", "缺少正文与签名之间的空行");
	/* a note ending in a blank line has it as its last one */
	if (sep == len - 1)
		return bad(err, "signature", "没有签名行，或签名行后有多余空行");
	note->body_len = sep;
	rc = parse_body(text, sep, &note->cp, err);
	if (rc)
		return rc;
	note->nsigs = 0;
	at = sep + 1;
	while (at < len) {
		if (note->nsigs == CHECKPOINT_SIGS_MAX)
			return zf_fail(err, ZF_ETOOBIG, "invalid_checkpoint",
				       "signature", "签名行超过 %d 行",
				       CHECKPOINT_SIGS_MAX);
		n = line_len(text + at, len - at);
		rc = parse_sig(text + at, n, &note->sigs[note->nsigs], err);
		if (rc)
			return rc;
		note->nsigs++;
		at += n + 1;
	}
	return ZF_OK;
}

int checkpoint_parse(const char *text, size_t len, struct checkpoint *out,
		     struct zf_error *err)
{
	struct note note;
	int rc = note_parse(text, len, &note, err);

	if (!rc)
		*out = note.cp;
	return rc;
}

int checkpoint_verify(const char *text, size_t len, const char *key_name,
		      EVP_PKEY *key, struct checkpoint *out,
		      struct zf_error *err)
{
	uint8_t raw[CHECKPOINT_SIG_MAX];
	struct note note;
	enum checkpoint_alg alg;
	size_t name_len, raw_len;
	unsigned verified = 0;
	uint32_t id;
	int rc;

	rc = checkpoint_key_id(key_name, key, &id, err);
	if (rc)
		return rc;
	if (!checkpoint_key_alg(key, &alg))
		ZF_BUG("key algorithm changed");
	name_len = strlen(key_name);
	rc = note_parse(text, len, &note, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < note.nsigs; i++) {
		const struct note_sig *s = &note.sigs[i];
		uint32_t line_id;

		if (s->name_len != name_len ||
		    memcmp(s->name, key_name, name_len) != 0)
			continue;
		if (!b64_decode(s->b64, s->b64_len, raw, sizeof(raw),
				&raw_len))
			ZF_BUG("signature line changed after parsing");
		line_id = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 |
			  (uint32_t)raw[2] << 8 | raw[3];
		if (line_id != id)
			continue;
		if (!verify_bytes(key, alg, text, note.body_len, raw + 4,
				  raw_len - 4))
			return zf_fail(err, ZF_EINVAL,
				       "checkpoint_bad_signature", "signature",
				       "检查点的 %s 签名（密钥 %s）验证失败",
				       checkpoint_alg_code(alg), key_name);
		verified++;
	}
	if (!verified)
		return zf_fail(err, ZF_EINVAL, "checkpoint_unsigned",
			       "signature", "检查点没有密钥 %s 的签名",
			       key_name);
	*out = note.cp;
	return ZF_OK;
}

int checkpoint_key_generate(enum checkpoint_alg alg, EVP_PKEY **out,
			    struct zf_error *err)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL,
					alg == CHECKPOINT_SM2 ? "SM2" :
								"ED25519");

	if (!k)
		return openssl_fail(err, ZF_EIO, "keygen_failed", "key",
				    "生成密钥失败");
	*out = k;
	return ZF_OK;
}

static int bio_to_buf(BIO *bio, struct buf *out)
{
	char *data;
	long n = BIO_get_mem_data(bio, &data);

	if (n <= 0)
		return ZF_EIO;
	return buf_append(out, data, (size_t)n);
}

int checkpoint_key_private_pem(EVP_PKEY *key, struct buf *out,
			       struct zf_error *err)
{
	enum checkpoint_alg alg;
	BIO *bio;
	int rc;

	if (!checkpoint_key_alg(key, &alg))
		return zf_fail(err, ZF_EINVAL, "unsupported_key", "key",
			       "密钥既不是 Ed25519 也不是 SM2");
	/* secure memory is wiped when freed; the PEM is the private key */
	bio = BIO_new(BIO_s_secmem());
	if (!bio)
		return openssl_fail(err, ZF_ENOMEM, "pem_failed", "key",
				    "导出私钥失败");
	if (PEM_write_bio_PKCS8PrivateKey(bio, key, NULL, NULL, 0, NULL,
					  NULL) != 1) {
		BIO_free(bio);
		return openssl_fail(err, ZF_EIO, "pem_failed", "key",
				    "导出私钥失败");
	}
	rc = bio_to_buf(bio, out);
	BIO_free(bio);
	if (rc)
		return zf_fail(err, rc, "pem_failed", "key", "导出私钥失败");
	return ZF_OK;
}

int checkpoint_key_public_pem(EVP_PKEY *key, struct buf *out,
			      struct zf_error *err)
{
	enum checkpoint_alg alg;
	BIO *bio;
	int rc;

	if (!checkpoint_key_alg(key, &alg))
		return zf_fail(err, ZF_EINVAL, "unsupported_key", "key",
			       "密钥既不是 Ed25519 也不是 SM2");
	bio = BIO_new(BIO_s_mem());
	if (!bio)
		return openssl_fail(err, ZF_ENOMEM, "pem_failed", "key",
				    "导出公钥失败");
	if (PEM_write_bio_PUBKEY(bio, key) != 1) {
		BIO_free(bio);
		return openssl_fail(err, ZF_EIO, "pem_failed", "key",
				    "导出公钥失败");
	}
	rc = bio_to_buf(bio, out);
	BIO_free(bio);
	if (rc)
		return zf_fail(err, rc, "pem_failed", "key", "导出公钥失败");
	return ZF_OK;
}

/* Refuse encrypted keys instead of prompting on the terminal. */
static int no_password(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	return -1;
}

static bool only_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* The first occurrence of needle in s[0..n), or NULL. */
static const char *find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

/*
 * PEM_read_bio_* skip text before the block and ignore what follows it;
 * a key file is exactly one block with the expected label, checked here
 * before OpenSSL sees it.
 */
static int key_from_pem(const char *pem, size_t len, bool private,
			EVP_PKEY **out, struct zf_error *err)
{
	const char *begin = private ? "-----BEGIN PRIVATE KEY-----\n" :
				      "-----BEGIN PUBLIC KEY-----\n";
	const char *end = private ? "-----END PRIVATE KEY-----" :
				    "-----END PUBLIC KEY-----";
	const char *what = private ? "私钥" : "公钥";
	size_t lead = 0, blen = strlen(begin), block;
	const char *e;
	enum checkpoint_alg alg;
	EVP_PKEY *k = NULL;
	BIO *bio = NULL;
	int rc = ZF_OK;

	if (len > PEM_MAX)
		return zf_fail(err, ZF_ETOOBIG, "invalid_key", "key",
			       "%s PEM 超过 %zu 字节", what, PEM_MAX);
	while (lead < len && only_space(pem + lead, 1))
		lead++;
	e = find(pem + lead, len - lead, end);
	if (len - lead < blen || memcmp(pem + lead, begin, blen) != 0 || !e)
		return zf_fail(err, ZF_EINVAL, "invalid_key", "key",
			       "%s须为一个 PEM 块（%.*s）", what,
			       (int)(blen - 1), begin);
	block = (size_t)(e - pem) + strlen(end);
	if (!only_space(pem + block, len - block))
		return zf_fail(err, ZF_EINVAL, "invalid_key", "key",
			       "%s PEM 之后还有多余内容", what);
	bio = BIO_new_mem_buf(pem + lead, (int)(len - lead));
	if (!bio)
		return openssl_fail(err, ZF_ENOMEM, "invalid_key", "key",
				    "读取密钥失败");
	k = private ? PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL) :
		      PEM_read_bio_PUBKEY(bio, NULL, no_password, NULL);
	if (!k) {
		rc = openssl_fail(err, ZF_EINVAL, "invalid_key", "key",
				  private ? "私钥 PEM 无效" : "公钥 PEM 无效");
		goto out;
	}
	if (!checkpoint_key_alg(k, &alg)) {
		rc = zf_fail(err, ZF_EINVAL, "invalid_key", "key",
			     "%s既不是 Ed25519 也不是 SM2", what);
		goto out;
	}
	*out = k;
	k = NULL;
out:
	EVP_PKEY_free(k);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

int checkpoint_key_from_private_pem(const char *pem, size_t len,
				    EVP_PKEY **out, struct zf_error *err)
{
	return key_from_pem(pem, len, true, out, err);
}

int checkpoint_key_from_public_pem(const char *pem, size_t len,
				   EVP_PKEY **out, struct zf_error *err)
{
	return key_from_pem(pem, len, false, out, err);
}
