/* user add|list|passwd|roles|unlock|totp|disable: logins and their roles. */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "buf.h"
#include "cli.h"
#include "text.h"

/* The password from --password or the first line of --password-file. */
static int password_opt(struct cli *c, struct buf *pw, struct zf_error *err)
{
	const char *p = cli_opt(c, "password"), *f = cli_opt(c, "password-file");
	int rc;
	if (!p == !f)
		return zf_fail(err, ZF_EUSAGE, "missing_option", "password",
			       "请给出 --password 或 --password-file 之一");
	if (p) {
		buf_init(pw, 256);
		return buf_puts(pw, p) ? zf_fail(err, ZF_EINVAL, "weak_password", "password",
						 "密码过长") : ZF_OK;
	}
	if ((rc = cli_read_file(f, 256, pw, "password_file", err)))
		return rc;
	while (pw->len && (pw->data[pw->len - 1] == '\n' || pw->data[pw->len - 1] == '\r'))
		pw->data[--pw->len] = '\0';
	return ZF_OK;
}

static int hash_password(struct cli *c, const char *username, struct buf *hash,
			 struct zf_error *err)
{
	struct buf pw;
	int rc = password_opt(c, &pw, err);
	buf_init(hash, 512);
	if (!rc)
		rc = auth_password_check(buf_cstr(&pw), username, err);
	if (!rc && auth_password_hash(buf_cstr(&pw), hash))
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "无法计算密码哈希");
	if (pw.data)
		OPENSSL_cleanse(pw.data, pw.len);
	buf_release(&pw);
	return rc;
}

int cmd_user_add(struct cli *c, struct zf_error *err)
{
	struct user u = {0};
	struct buf hash, secret;
	const char *name, *roles;
	int rc;
	buf_init(&hash, 1);
	buf_init(&secret, 64);
	if ((rc = cli_need(c, "username", &name, err)) ||
	    (rc = cli_need(c, "roles", &roles, err)) ||
	    (rc = auth_roles_parse(roles, &u.roles, err)) ||
	    (rc = hash_password(c, name, &hash, err)))
		goto out;
	if (!zf_set_str(&u.username, name) ||
	    !zf_set_str(&u.display_name, cli_opt(c, "display-name")) ||
	    !zf_set_str(&u.officer_id, cli_opt(c, "officer")) ||
	    !zf_set_str(&u.password_hash, buf_cstr(&hash))) {
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
		goto out;
	}
	/* administrators log in with a second factor (等保 2.0 level 3) */
	if (cli_flag(c, "totp") || auth_roles_need_totp(u.roles)) {
		if (auth_totp_secret_new(&secret) || !zf_set_str(&u.totp_secret, buf_cstr(&secret))) {
			rc = zf_fail(err, ZF_EIO, "no_randomness", "", "无法生成动态口令密钥");
			goto out;
		}
	}
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_user_add(c->st, &c->ctx, &u, err)))
		goto out;
	json_t *doc = user_to_json(&u);
	if (doc && u.totp_secret)
		json_object_set_new(doc, "totp_secret", json_string(u.totp_secret));
	rc = cli_print(c, doc, NULL);
out:
	user_release(&u);
	buf_release(&hash);
	buf_release(&secret);
	return rc;
}

int cmd_user_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"username", "roles", "status", "officer_id",
					   "totp_enrolled", NULL};
	struct user *list = NULL;
	size_t n = 0;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_user_list(c->st, &c->ctx, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, user_to_json(&list[i]));
	store_user_list_free(list, n);
	return cli_print(c, arr, cols);
}

/* One change to a user, with its ledger entry. */
static int change(struct cli *c, const struct user_patch *p, const char *action,
		  const char *secret, struct zf_error *err)
{
	struct user u = {0};
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_user_update(c->st, &c->ctx, c->args[0], p, action, NULL, &u, err)))
		return rc;
	json_t *doc = user_to_json(&u);
	if (doc && secret)
		json_object_set_new(doc, "totp_secret", json_string(secret));
	user_release(&u);
	return cli_print(c, doc, NULL);
}

int cmd_user_passwd(struct cli *c, struct zf_error *err)
{
	struct buf hash;
	int rc = hash_password(c, c->args[0], &hash, err);
	if (!rc) {
		struct user_patch p = {.password_hash = buf_cstr(&hash)};
		rc = change(c, &p, "user.password", NULL, err);
	}
	buf_release(&hash);
	return rc;
}

int cmd_user_roles(struct cli *c, struct zf_error *err)
{
	struct user_patch p = {.set_roles = true};
	const char *roles;
	int rc;
	if ((rc = cli_need(c, "roles", &roles, err)) ||
	    (rc = auth_roles_parse(roles, &p.roles, err)))
		return rc;
	return change(c, &p, "user.roles", NULL, err);
}

int cmd_user_unlock(struct cli *c, struct zf_error *err)
{
	struct user_patch p = {.status = "active", .set_locked_until = true};
	return change(c, &p, "user.unlock", NULL, err);
}

int cmd_user_disable(struct cli *c, struct zf_error *err)
{
	struct user_patch p = {.status = "disabled"};
	return change(c, &p, "user.update", NULL, err);
}

int cmd_user_totp(struct cli *c, struct zf_error *err)
{
	struct buf secret;
	buf_init(&secret, 64);
	int rc = auth_totp_secret_new(&secret)
			 ? zf_fail(err, ZF_EIO, "no_randomness", "", "无法生成动态口令密钥")
			 : ZF_OK;
	if (!rc) {
		struct user_patch p = {.set_totp = true, .totp_secret = buf_cstr(&secret)};
		rc = change(c, &p, "user.totp", buf_cstr(&secret), err);
	}
	buf_release(&secret);
	return rc;
}
