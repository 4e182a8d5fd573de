/*
 * auth: the rules of logins and roles (等保 2.0 level 3 practice), pure
 * where it can be.
 *
 *   - roles: business roles (enforcer, legal_reviewer, head,
 *     disclosure_officer, auditor) may be combined; the three administrator
 *     roles (system_admin, security_admin, audit_admin) are each held alone:
 *     an administrator holds no business role and no second admin role.
 *   - passwords: at least 12 characters from at least 3 of the 4 classes
 *     (lower, upper, digit, other), not containing the user name; stored as
 *     libsodium argon2id strings.
 *   - TOTP (RFC 6238): HMAC-SHA1, 30-second steps, 6 digits, one step of
 *     drift either way; secrets are 20 random bytes shown in base32.
 */
#ifndef ZF_AUTH_H
#define ZF_AUTH_H

#include <jansson.h>

#include "buf.h"
#include "zf.h"

enum auth_role {
	ROLE_ENFORCER = 1u << 0,
	ROLE_LEGAL_REVIEWER = 1u << 1,
	ROLE_HEAD = 1u << 2,
	ROLE_DISCLOSURE = 1u << 3,
	ROLE_AUDITOR = 1u << 4,
	ROLE_SYSTEM_ADMIN = 1u << 5,
	ROLE_SECURITY_ADMIN = 1u << 6,
	ROLE_AUDIT_ADMIN = 1u << 7,
};

#define ROLE_BUSINESS (ROLE_ENFORCER | ROLE_LEGAL_REVIEWER | ROLE_HEAD | \
		       ROLE_DISCLOSURE | ROLE_AUDITOR)
#define ROLE_ADMIN (ROLE_SYSTEM_ADMIN | ROLE_SECURITY_ADMIN | ROLE_AUDIT_ADMIN)
#define ROLE_ALL (ROLE_BUSINESS | ROLE_ADMIN)

/* "enforcer,head" -> bits; code "unknown_code" (field "roles") otherwise. */
int auth_roles_parse(const char *s, unsigned *out, struct zf_error *err) ZF_WUR;
/* Bits -> "enforcer,head" into out. */
int auth_roles_format(unsigned roles, struct buf *out) ZF_WUR;
/* Separation of duties; code "roles_conflict" naming the rule. */
int auth_roles_check(unsigned roles, struct zf_error *err) ZF_WUR;
bool auth_roles_need_totp(unsigned roles);

/* The password policy; code "weak_password" (field "password"). */
int auth_password_check(const char *password, const char *username,
			struct zf_error *err) ZF_WUR;
/* argon2id (libsodium, interactive limits); out gets the encoded string. */
int auth_password_hash(const char *password, struct buf *out) ZF_WUR;
bool auth_password_verify(const char *hash, const char *password);

#define AUTH_TOTP_SECRET_LEN 20
/* A new secret, base32 (32 characters) into out. */
int auth_totp_secret_new(struct buf *out) ZF_WUR;
/* The 6-digit code for a time step (pure). */
int auth_totp_code(const uint8_t *secret, size_t len, uint64_t step, char out[7]) ZF_WUR;
/* Does `code` match the base32 secret at unix time t (±1 step)? */
bool auth_totp_verify(const char *secret_b32, const char *code, int64_t unix_time);
/* RFC 4648 base32 without padding. */
int auth_base32_encode(const uint8_t *p, size_t n, struct buf *out) ZF_WUR;
/* Returns the number of bytes or -1. */
long auth_base32_decode(const char *s, uint8_t *out, size_t max);

/* A login of the organisation; secrets never leave the store in JSON. */
struct user {
	char id[37];
	char org_id[37];
	char *username;		/* 3-32 of a-z 0-9 . _ - */
	char *display_name;
	char *officer_id;	/* the officer this login acts as, if any */
	unsigned roles;		/* enum auth_role bits */
	char *password_hash;	/* argon2id string */
	char *totp_secret;	/* base32, NULL when not enrolled */
	char *status;		/* active | locked | disabled */
	int64_t locked_until;	/* UTC microseconds, 0 = not locked */
	int64_t created_at;
};

void user_release(struct user *u);
int user_validate(const struct user *u, struct zf_error *err) ZF_WUR;
/* The public view: no password hash, no TOTP secret (only whether enrolled). */
json_t *user_to_json(const struct user *u);

#endif
