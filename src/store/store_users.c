/*
 * Users in the store: every change to a login (creation, roles, password,
 * TOTP, lock, unlock) and every login and logout is a ledger entry
 * (等保 2.0: 安全审计).  The state an entry commits to holds digests of the
 * password hash and the TOTP secret, never the values.
 */
#include <string.h>

#include "store_int.h"

static void put_digest(struct store *st, const char *org_id, json_t *j, const char *k,
		       const char *secret)
{
	uint8_t leaf[LEDGER_HASH_LEN], d[LEDGER_HASH_LEN];
	enum ledger_alg alg = LEDGER_SM3;
	int64_t seq;
	char hex[LEDGER_HEX_LEN];
	if (!secret) {
		json_object_set_new(j, k, json_null());
		return;
	}
	st->ops->ledger_head(st, org_id, &seq, leaf, &alg, NULL);
	if (ledger_hash2(store__hasher(st, alg), secret, strlen(secret), NULL, 0, d)) {
		json_object_set_new(j, k, json_null());
		return;
	}
	ledger_hex(d, LEDGER_HASH_LEN, hex);
	json_object_set_new(j, k, json_string(hex));
}

json_t *store__user_state(struct store *st, const struct user *u)
{
	json_t *j = user_to_json(u);
	if (!j)
		return NULL;
	json_object_del(j, "totp_enrolled");
	put_digest(st, u->org_id, j, "password_digest", u->password_hash);
	put_digest(st, u->org_id, j, "totp_digest", u->totp_secret);
	return j;
}

int store_user_add(struct store *st, struct zf_ctx *ctx, struct user *u,
		   struct zf_error *err)
{
	struct officer o = {0};
	json_t *state = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)))
		return rc;
	if (!u->status && !zf_set_str(&u->status, "active"))
		return store__oom(err);
	if ((rc = user_validate(u, err)))
		return rc;
	if (u->officer_id && *u->officer_id) {
		if ((rc = st->ops->officer_get(st, ctx->org_id, u->officer_id, &o, err))) {
			officer_release(&o);
			zf_strlcpy(err->field, "officer", sizeof(err->field));
			return rc;
		}
		bool ok = zf_set_str(&u->officer_id, o.id);
		officer_release(&o);
		if (!ok)
			return store__oom(err);
	}
	zf_strlcpy(u->org_id, ctx->org_id, sizeof(u->org_id));
	if ((rc = store__client_id(ctx, u->id, err)))
		return rc;
	u->created_at = ctx->now_us;
	if ((rc = store__tx_begin(st, err)))
		return rc;
	rc = st->ops->user_put(st, u, true, ctx->now_us, err);
	if (!rc && !(state = store__user_state(st, u)))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "user.add", "user", u->id, state, NULL};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	json_decref(state);
	return store__tx_end(st, rc, err);
}

int store_user_get(struct store *st, const char *key, struct user *out,
		   struct zf_error *err)
{
	if (!key || !*key)
		return zf_fail(err, ZF_EINVAL, "required", "username", "须填写用户名");
	return st->ops->user_get(st, key, out, err);
}

int store_user_list(struct store *st, struct zf_ctx *ctx, struct user **out, size_t *n,
		    struct zf_error *err)
{
	int rc = store__need_org(ctx, err);
	return rc ? rc : st->ops->user_list(st, ctx->org_id, out, n, err);
}

void store_user_list_free(struct user *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		user_release(&list[i]);
	zf_free(list);
}

/*
 * Change a user (patch may be NULL for an event that changes nothing, such
 * as a login) and append the entry `action` with `detail`, both inside one
 * transaction.  The user must belong to ctx's organisation.
 */
int store_user_update(struct store *st, struct zf_ctx *ctx, const char *key,
		      const struct user_patch *patch, const char *action,
		      const json_t *detail, struct user *out, struct zf_error *err)
{
	struct user u = {0};
	json_t *state = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)) || (rc = store__tx_begin(st, err)))
		return rc;
	rc = st->ops->user_get(st, key, &u, err);
	if (!rc && strcmp(u.org_id, ctx->org_id))
		rc = zf_fail(err, ZF_ENOTFOUND, "user_not_found", "user", "找不到用户“%s”", key);
	if (!rc && patch) {
		if (patch->set_roles)
			u.roles = patch->roles;
		if (patch->status && !zf_set_str(&u.status, patch->status))
			rc = store__oom(err);
		if (!rc && patch->password_hash && !zf_set_str(&u.password_hash,
							       patch->password_hash))
			rc = store__oom(err);
		if (!rc && patch->set_totp && !zf_set_str(&u.totp_secret, patch->totp_secret))
			rc = store__oom(err);
		if (patch->set_locked_until)
			u.locked_until = patch->locked_until;
		if (!rc)
			rc = user_validate(&u, err);
		if (!rc)
			rc = st->ops->user_put(st, &u, false, ctx->now_us, err);
	}
	if (!rc && !(state = store__user_state(st, &u)))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, action, "user", u.id, state, detail};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	json_decref(state);
	rc = store__tx_end(st, rc, err);
	if (!rc && out)
		*out = u;
	else
		user_release(&u);
	return rc;
}

int store_idem_get(struct store *st, const char *org_id, const char *key,
		   struct store_idem *out, struct zf_error *err)
{
	memset(out, 0, sizeof(*out));
	int rc = st->ops->idem_get(st, org_id, key, out, err);
	if (rc)
		store_idem_release(out);
	return rc;
}

void store_idem_release(struct store_idem *i)
{
	zf_freep(&i->user_id);
	zf_freep(&i->request_sha);
	zf_freep(&i->body);
}

int store_idem_put(struct store *st, const char *org_id, const char *key,
		   const char *user_id, const char *request_sha, int status,
		   const char *body, int64_t now, struct zf_error *err)
{
	int rc = st->ops->tx_begin(st, err);
	if (rc)
		return rc;
	rc = st->ops->idem_put(st, org_id, key, user_id, request_sha, status, body, now,
			       err);
	if (rc) {
		st->ops->tx_rollback(st);
		return rc;
	}
	return st->ops->tx_commit(st, err);
}
