#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include "auth.h"
#include "text.h"

static const struct {
	const char *code;
	unsigned bit;
} role_names[] = {
	{"enforcer", ROLE_ENFORCER}, {"legal_reviewer", ROLE_LEGAL_REVIEWER},
	{"head", ROLE_HEAD}, {"disclosure_officer", ROLE_DISCLOSURE},
	{"auditor", ROLE_AUDITOR}, {"system_admin", ROLE_SYSTEM_ADMIN},
	{"security_admin", ROLE_SECURITY_ADMIN}, {"audit_admin", ROLE_AUDIT_ADMIN},
};

int auth_roles_parse(const char *s, unsigned *out, struct zf_error *err)
{
	unsigned bits = 0;
	const char *p = s ? s : "";
	if (!*p)
		return zf_fail(err, ZF_EINVAL, "required", "roles", "“roles”（角色）为必填项");
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		size_t i = 0;
		while (i < ZF_ARRAY_LEN(role_names) &&
		       (strlen(role_names[i].code) != n || memcmp(role_names[i].code, p, n)))
			i++;
		if (i == ZF_ARRAY_LEN(role_names))
			return zf_fail(err, ZF_EINVAL, "unknown_code", "roles",
				       "未知的角色代码“%.*s”", (int)(n > 40 ? 40 : n), p);
		bits |= role_names[i].bit;
		p += n + (comma != NULL);
	}
	*out = bits;
	return ZF_OK;
}

int auth_roles_format(unsigned roles, struct buf *out)
{
	int rc = ZF_OK;
	bool first = true;
	for (size_t i = 0; !rc && i < ZF_ARRAY_LEN(role_names); i++)
		if (roles & role_names[i].bit) {
			rc = buf_printf(out, "%s%s", first ? "" : ",", role_names[i].code);
			first = false;
		}
	return rc;
}

int auth_roles_check(unsigned roles, struct zf_error *err)
{
	unsigned admin = roles & ROLE_ADMIN;
	if (!roles)
		return zf_fail(err, ZF_EINVAL, "required", "roles", "至少须有一个角色");
	if (admin && (admin & (admin - 1)))
		return zf_fail(err, ZF_EREFUSED, "roles_conflict", "roles",
			       "系统管理员、安全管理员、审计管理员三个角色须由不同人员担任"
			       "（等保2.0 三级：三权分立）");
	if (admin && (roles & ROLE_BUSINESS))
		return zf_fail(err, ZF_EREFUSED, "roles_conflict", "roles",
			       "管理员不得同时担任执法、审核、审批等业务角色（等保2.0 三级：三权分立）");
	return ZF_OK;
}

bool auth_roles_need_totp(unsigned roles) { return (roles & ROLE_ADMIN) != 0; }

int auth_password_check(const char *pw, const char *username, struct zf_error *err)
{
	long n = pw ? text_utf8_len(pw) : -1;
	int classes = 0;
	bool lower = false, upper = false, digit = false, other = false;
	if (n < 12 || n > 128)
		return zf_fail(err, ZF_EINVAL, "weak_password", "password",
			       "密码应为 12 到 128 个字符");
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			lower = true;
		else if (*p >= 'A' && *p <= 'Z')
			upper = true;
		else if (*p >= '0' && *p <= '9')
			digit = true;
		else
			other = true;
	}
	classes = lower + upper + digit + other;
	if (classes < 3)
		return zf_fail(err, ZF_EINVAL, "weak_password", "password",
			       "密码须包含小写字母、大写字母、数字、其他字符中的至少三类");
	if (username && *username && strstr(pw, username))
		return zf_fail(err, ZF_EINVAL, "weak_password", "password",
			       "密码不得包含用户名");
	return ZF_OK;
}

int auth_password_hash(const char *password, struct buf *out)
{
	char hash[crypto_pwhash_STRBYTES];
	if (sodium_init() < 0 ||
	    crypto_pwhash_str_alg(hash, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return ZF_ENOMEM;
	return buf_puts(out, hash);
}

bool auth_password_verify(const char *hash, const char *password)
{
	return hash && password && sodium_init() >= 0 &&
	       crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int auth_base32_encode(const uint8_t *p, size_t n, struct buf *out)
{
	uint32_t acc = 0;
	int bits = 0, rc = ZF_OK;
	for (size_t i = 0; !rc && i < n; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (!rc && bits >= 5) {
			rc = buf_putc(out, b32[(acc >> (bits - 5)) & 31]);
			bits -= 5;
		}
	}
	if (!rc && bits > 0)
		rc = buf_putc(out, b32[(acc << (5 - bits)) & 31]);
	return rc;
}

long auth_base32_decode(const char *s, uint8_t *out, size_t max)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;
	for (; s && *s; s++) {
		char c = *s >= 'a' && *s <= 'z' ? (char)(*s - 32) : *s;
		const char *at = strchr(b32, c);
		if (!at || !c)
			return -1;
		acc = (acc << 5) | (uint32_t)(at - b32);
		bits += 5;
		if (bits >= 8) {
			if (n == max)
				return -1;
			out[n++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return (long)n;
}

int auth_totp_secret_new(struct buf *out)
{
	uint8_t secret[AUTH_TOTP_SECRET_LEN];
	if (RAND_bytes(secret, sizeof(secret)) != 1)
		return ZF_EIO;
	return auth_base32_encode(secret, sizeof(secret), out);
}

/* RFC 4226 §5.3 dynamic truncation of HMAC-SHA1(secret, step). */
int auth_totp_code(const uint8_t *secret, size_t len, uint64_t step, char out[7])
{
	uint8_t msg[8], mac[EVP_MAX_MD_SIZE];
	size_t maclen = 0;
	for (int i = 7; i >= 0; i--) {
		msg[i] = (uint8_t)(step & 0xff);
		step >>= 8;
	}
	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, secret, len, msg, sizeof(msg),
		       mac, sizeof(mac), &maclen) || maclen < 20)
		return ZF_EIO;
	unsigned off = mac[maclen - 1] & 0x0f;
	uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
		       ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	snprintf(out, 7, "%06u", bin % 1000000u);
	return ZF_OK;
}

bool auth_totp_verify(const char *secret_b32, const char *code, int64_t unix_time)
{
	uint8_t secret[64];
	long n = auth_base32_decode(secret_b32, secret, sizeof(secret));
	if (n <= 0 || !code || strlen(code) != 6 || unix_time < 0)
		return false;
	uint64_t step = (uint64_t)unix_time / 30;
	bool ok = false;
	for (int d = -1; d <= 1; d++) {
		char want[7];
		if (!auth_totp_code(secret, (size_t)n, step + (uint64_t)d, want) &&
		    !strcmp(want, code))
			ok = true;
	}
	OPENSSL_cleanse(secret, sizeof(secret));
	return ok;
}

void user_release(struct user *u)
{
	zf_freep(&u->username);
	zf_freep(&u->display_name);
	zf_freep(&u->officer_id);
	if (u->password_hash)
		OPENSSL_cleanse(u->password_hash, strlen(u->password_hash));
	zf_freep(&u->password_hash);
	if (u->totp_secret)
		OPENSSL_cleanse(u->totp_secret, strlen(u->totp_secret));
	zf_freep(&u->totp_secret);
	zf_freep(&u->status);
}

int user_validate(const struct user *u, struct zf_error *err)
{
	const char *n = u->username ? u->username : "";
	size_t len = strlen(n);
	bool ok = len >= 3 && len <= 32;
	for (size_t i = 0; ok && i < len; i++)
		ok = (n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') ||
		     n[i] == '.' || n[i] == '_' || n[i] == '-';
	if (!ok)
		return zf_fail(err, ZF_EINVAL, "invalid_username", "username",
			       "用户名应为 3 到 32 位小写字母、数字或 . _ -");
	int rc = text_check(u->display_name, "display_name", 64, false, err);
	if (!rc)
		rc = auth_roles_check(u->roles, err);
	if (!rc && (!u->password_hash || strncmp(u->password_hash, "$argon2id$", 10)))
		rc = zf_fail(err, ZF_EINVAL, "required", "password", "须设置密码");
	return rc;
}

json_t *user_to_json(const struct user *u)
{
	struct buf roles;
	buf_init(&roles, 256);
	if (auth_roles_format(u->roles, &roles)) {
		buf_release(&roles);
		return NULL;
	}
	json_t *j = json_pack("{ss ss ss ss* ss* ss sb ss sI}", "id", u->id, "org_id",
			      u->org_id, "username", u->username, "display_name",
			      u->display_name, "officer_id", u->officer_id, "roles",
			      buf_cstr(&roles), "totp_enrolled", u->totp_secret != NULL,
			      "status", u->status ? u->status : "active", "locked_until",
			      (json_int_t)u->locked_until);
	buf_release(&roles);
	return j;
}
