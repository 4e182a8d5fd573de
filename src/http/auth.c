/*
 * Logins and sessions (等保 2.0 level 3 practice).
 *
 *   - a session is a random 256-bit token in an HttpOnly, SameSite=Strict
 *     cookie; the server keeps only its SHA-256, with a CSRF token that
 *     every state-changing request must echo in X-CSRF-Token;
 *   - a session idle for session_idle_s (30 minutes) ends;
 *   - 5 failed logins lock the user for 15 minutes (one ledger entry, with
 *     the count), and one address may try at most 10 times a minute (429),
 *     so a brute-force attempt cannot flood the ledger;
 *   - administrators must give a TOTP code (RFC 6238).
 * Sessions and counters live in memory: a restart logs everyone out.
 */
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "http_int.h"
#include "text.h"

#define LOCK_AFTER_FAILURES 5
#define LOCK_MINUTES 15
#define ADDR_ATTEMPTS_PER_MINUTE 10
#define TOKEN_BYTES 32

struct http_session {
	char token_sha[65];
	char user_id[37];
	char csrf[65];
	int64_t last_mono_us;
};

struct http_attempt {
	char key[80];		/* "a:" address or "u:" user id */
	int64_t window_mono_us;
	int count;
};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void http_sessions_init(struct http_sessions *s)
{
	pthread_mutex_init(&s->mu, NULL);
	s->items = NULL;
	s->n = 0;
}

void http_sessions_release(struct http_sessions *s)
{
	if (s->items)
		OPENSSL_cleanse(s->items, s->n * sizeof(*s->items));
	zf_free(s->items);
	pthread_mutex_destroy(&s->mu);
}

void http_attempts_init(struct http_attempts *a)
{
	pthread_mutex_init(&a->mu, NULL);
	a->items = NULL;
	a->n = 0;
}

void http_attempts_release(struct http_attempts *a)
{
	zf_free(a->items);
	pthread_mutex_destroy(&a->mu);
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static void token_sha(const char *token, char out[65])
{
	uint8_t d[32];
	unsigned n = 0;
	EVP_Digest(token, strlen(token), d, &n, EVP_sha256(), NULL);
	hex(d, 32, out);
}

/* Count one attempt under key; true if within `limit` in the current minute. */
static bool attempt(struct http_attempts *a, const char *key, int limit, int *count)
{
	int64_t now = mono_us();
	bool ok;
	pthread_mutex_lock(&a->mu);
	struct http_attempt *it = NULL;
	for (size_t i = 0; i < a->n && !it; i++)
		if (!strcmp(a->items[i].key, key))
			it = &a->items[i];
	if (!it) {
		struct http_attempt *grown = zf_realloc(a->items, (a->n + 1) * sizeof(*grown));
		if (grown) {
			a->items = grown;
			it = &a->items[a->n++];
			zf_strlcpy(it->key, key, sizeof(it->key));
			it->window_mono_us = now;
			it->count = 0;
		}
	}
	if (it && now - it->window_mono_us > 60 * 1000000LL && limit > 0) {
		it->window_mono_us = now;
		it->count = 0;
	}
	if (it)
		it->count++;
	ok = !it || limit <= 0 || it->count <= limit;
	if (count)
		*count = it ? it->count : 0;
	pthread_mutex_unlock(&a->mu);
	return ok;
}

static void attempts_clear(struct http_attempts *a, const char *key)
{
	pthread_mutex_lock(&a->mu);
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->items[i].key, key))
			a->items[i].count = 0;
	pthread_mutex_unlock(&a->mu);
}

int http_session_resume(struct http_req *req, struct zf_error *err)
{
	struct http_sessions *s = &req->srv->sessions;
	char sha[65], user_id[37] = "";
	int64_t idle = (int64_t)req->srv->cfg.session_idle_s * 1000000, now = mono_us();
	if (!req->cookie_token || strlen(req->cookie_token) != 2 * TOKEN_BYTES)
		return zf_fail(err, ZF_EAUTH, "login_required", "", "请先登录");
	token_sha(req->cookie_token, sha);
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->items[i].token_sha, sha))
			continue;
		if (now - s->items[i].last_mono_us > idle) {
			s->items[i] = s->items[--s->n];
			break;
		}
		s->items[i].last_mono_us = now;
		zf_strlcpy(user_id, s->items[i].user_id, sizeof(user_id));
		break;
	}
	pthread_mutex_unlock(&s->mu);
	if (!user_id[0])
		return zf_fail(err, ZF_EAUTH, "login_required", "", "登录已失效，请重新登录");
	if (!req->srv->st ||
	    store_user_get(req->srv->st, user_id, &req->user, NULL) != ZF_OK ||
	    strcmp(req->user.status, "active"))
		return zf_fail(err, ZF_EAUTH, "login_required", "", "用户已停用或锁定");
	req->logged_in = true;
	zf_strlcpy(req->ctx.org_id, req->user.org_id, sizeof(req->ctx.org_id));
	zf_strlcpy(req->ctx.actor, req->user.username, sizeof(req->ctx.actor));
	zf_strlcpy(req->user_log, req->user.username, sizeof(req->user_log));
	struct buf roles;
	buf_init(&roles, 256);
	if (!auth_roles_format(req->user.roles, &roles))
		zf_strlcpy(req->ctx.role, buf_cstr(&roles), sizeof(req->ctx.role));
	buf_release(&roles);
	return ZF_OK;
}

int http_session_check_csrf(struct http_req *req, struct zf_error *err)
{
	struct http_sessions *s = &req->srv->sessions;
	char sha[65];
	bool ok = false;
	if (!req->csrf || !req->cookie_token)
		return zf_fail(err, ZF_EFORBIDDEN, "csrf_required", "X-CSRF-Token",
			       "修改数据的请求须带 X-CSRF-Token 请求头");
	token_sha(req->cookie_token, sha);
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->n && !ok; i++)
		ok = !strcmp(s->items[i].token_sha, sha) &&
		     CRYPTO_memcmp(s->items[i].csrf, req->csrf, 64) == 0 &&
		     strlen(req->csrf) == 64;
	pthread_mutex_unlock(&s->mu);
	if (!ok)
		return zf_fail(err, ZF_EFORBIDDEN, "csrf_invalid", "X-CSRF-Token",
			       "X-CSRF-Token 与会话不符");
	return ZF_OK;
}

static const char *const login_fields[] = {"username", "password", "totp", NULL};

/* The organisation's context for ledger entries about this user. */
static void user_ctx(struct http_req *req, const struct user *u)
{
	zf_strlcpy(req->ctx.org_id, u->org_id, sizeof(req->ctx.org_id));
	zf_strlcpy(req->ctx.actor, u->username, sizeof(req->ctx.actor));
	zf_strlcpy(req->ctx.role, "self", sizeof(req->ctx.role));
}

int api_login(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	json_t *body = NULL;
	struct user u = {0};
	const char *name, *password, *totp;
	char key[80];
	int failures = 0, rc;
	if (!st)
		return ZF_EIO;
	snprintf(key, sizeof(key), "a:%s", req->addr);
	if (!attempt(&req->srv->attempts, key, ADDR_ATTEMPTS_PER_MINUTE, NULL))
		return zf_fail(err, ZF_ERATE, "too_many_attempts", "",
			       "登录尝试过于频繁，请一分钟后再试");
	if ((rc = http_body(req, login_fields, &body, err)) ||
	    (rc = http_str(body, "username", true, 64, &name, err)) ||
	    (rc = http_str(body, "password", true, 200, &password, err)) ||
	    (rc = http_str(body, "totp", false, 10, &totp, err)))
		goto out;
	/* one message for an unknown user and a wrong password */
	if (store_user_get(st, name, &u, NULL) != ZF_OK) {
		rc = zf_fail(err, ZF_EAUTH, "login_failed", "", "用户名或密码错误");
		goto out;
	}
	user_ctx(req, &u);
	if (u.locked_until > req->ctx.now_us || !strcmp(u.status, "locked")) {
		if (u.locked_until <= req->ctx.now_us) {
			/* the lock has run out: lift it, with its entry */
			struct user_patch p = {.status = "active", .set_locked_until = true};
			struct user nu = {0};
			if ((rc = store_user_update(st, &req->ctx, u.id, &p, "user.unlock", NULL,
						    &nu, err)))
				goto out;
			user_release(&u);
			u = nu;
		} else {
			rc = zf_fail(err, ZF_EAUTH, "user_locked", "",
				     "连续登录失败次数过多，账号已锁定 %d 分钟", LOCK_MINUTES);
			goto out;
		}
	}
	if (strcmp(u.status, "active")) {
		rc = zf_fail(err, ZF_EAUTH, "login_failed", "", "用户名或密码错误");
		goto out;
	}
	bool need_totp = auth_roles_need_totp(u.roles) || u.totp_secret;
	int64_t unix_s = req->ctx.now_us / 1000000;
	bool ok = auth_password_verify(u.password_hash, password);
	if (ok && need_totp)
		ok = u.totp_secret && totp && auth_totp_verify(u.totp_secret, totp, unix_s);
	snprintf(key, sizeof(key), "u:%s", u.id);
	if (!ok) {
		attempt(&req->srv->attempts, key, 0, &failures);
		if (failures >= LOCK_AFTER_FAILURES) {
			struct user_patch p = {.status = "locked", .set_locked_until = true,
					       .locked_until = req->ctx.now_us +
							       (int64_t)LOCK_MINUTES * 60 * 1000000};
			json_t *d = json_pack("{si}", "failed_attempts", failures);
			attempts_clear(&req->srv->attempts, key);
			int locked = store_user_update(st, &req->ctx, u.id, &p, "user.lock", d,
						       NULL, NULL);
			(void)locked;
			json_decref(d);
		}
		rc = need_totp && auth_password_verify(u.password_hash, password) && !totp
			? zf_fail(err, ZF_EAUTH, "totp_required", "totp",
				  "该用户须输入动态口令（TOTP）")
			: zf_fail(err, ZF_EAUTH, "login_failed", "", "用户名或密码错误");
		goto out;
	}
	attempt(&req->srv->attempts, key, 0, &failures);
	attempts_clear(&req->srv->attempts, key);
	/* the session: a token for the cookie, its hash and a CSRF token kept here */
	uint8_t tok[TOKEN_BYTES], csrf[TOKEN_BYTES];
	char token[2 * TOKEN_BYTES + 1];
	struct http_session sess = {0};
	if (RAND_bytes(tok, sizeof(tok)) != 1 || RAND_bytes(csrf, sizeof(csrf)) != 1) {
		rc = zf_fail(err, ZF_EIO, "no_randomness", "", "系统随机数不可用");
		goto out;
	}
	hex(tok, sizeof(tok), token);
	hex(csrf, sizeof(csrf), sess.csrf);
	token_sha(token, sess.token_sha);
	zf_strlcpy(sess.user_id, u.id, sizeof(sess.user_id));
	sess.last_mono_us = mono_us();
	json_t *d = json_pack("{si}", "failed_attempts_before", failures - 1);
	rc = store_user_update(st, &req->ctx, u.id, NULL, "user.login", d, NULL, err);
	json_decref(d);
	if (rc)
		goto out;
	struct http_sessions *s = &req->srv->sessions;
	pthread_mutex_lock(&s->mu);
	struct http_session *grown = zf_realloc(s->items, (s->n + 1) * sizeof(*grown));
	if (grown) {
		s->items = grown;
		s->items[s->n++] = sess;
	}
	pthread_mutex_unlock(&s->mu);
	if (!grown) {
		rc = http_oom(err);
		goto out;
	}
	struct buf cookie;
	buf_init(&cookie, 512);
	if (buf_printf(&cookie, "zhifa_session=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
		       req->srv->cfg.secure_cookie ? "; Secure" : "")) {
		buf_release(&cookie);
		rc = http_oom(err);
		goto out;
	}
	resp->set_cookie = buf_detach(&cookie, NULL);
	json_t *doc = user_to_json(&u);
	if (doc)
		json_object_set_new(doc, "csrf_token", json_string(sess.csrf));
	rc = http_reply(resp, 200, doc, err);
	OPENSSL_cleanse(token, sizeof(token));
out:
	json_decref(body);
	user_release(&u);
	return rc;
}

int api_logout(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct http_sessions *s = &req->srv->sessions;
	char sha[65];
	token_sha(req->cookie_token, sha);
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->items[i].token_sha, sha)) {
			s->items[i] = s->items[--s->n];
			break;
		}
	pthread_mutex_unlock(&s->mu);
	int rc = store_user_update(req->srv->st, &req->ctx, req->user.id, NULL, "user.logout",
				   NULL, NULL, err);
	if (rc)
		return rc;
	resp->set_cookie = zf_strdup("zhifa_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	return http_reply(resp, 200, json_pack("{sb}", "logged_out", 1), err);
}

int api_me(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	return http_reply(resp, 200, user_to_json(&req->user), err);
}

void http_sessions_end_user(struct http_server *srv, const char *user_id,
			    const char *keep_token)
{
	struct http_sessions *s = &srv->sessions;
	char keep[65] = "";
	if (keep_token && strlen(keep_token) == 2 * TOKEN_BYTES)
		token_sha(keep_token, keep);
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->n;) {
		if (!strcmp(s->items[i].user_id, user_id) &&
		    strcmp(s->items[i].token_sha, keep)) {
			s->items[i] = s->items[--s->n];
			continue;
		}
		i++;
	}
	pthread_mutex_unlock(&s->mu);
}
