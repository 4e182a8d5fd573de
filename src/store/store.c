/*
 * The generic store layer: validation, states, ledger entries and the
 * transaction around each mutation.  Backends only read and write rows.
 */
#include <string.h>

#include <openssl/rand.h>

#include "embed.h"
#include "jcs.h"
#include "settings.h"
#include "text.h"
#include "store_int.h"
#include "uuid.h"

static const struct {
	const char *name;
	const struct store_ops *ops;
} backends[] = {
	{"sqlite", &store_sqlite_ops},
};

static void calendar_cache_free(struct store *st);

int store_open(const char *path, const struct store_opts *opts,
	       struct store **out, struct zf_error *err)
{
	const struct store_ops *ops = backends[0].ops;
	struct store *st = NULL;
	int rc = ops->open(path, opts, &st, err);
	if (rc)
		return rc;
	st->ops = ops;
	pthread_mutex_init(&st->cache_mu, NULL);
	st->sm3 = ledger_hasher_new(LEDGER_SM3);
	st->sha256 = ledger_hasher_new(LEDGER_SHA256);
	if (!st->sm3 || !st->sha256) {
		store_close(st);
		return zf_fail(err, ZF_ESTORE, "crypto_unavailable", "",
			       "无法初始化 SM3/SHA-256 哈希（OpenSSL）");
	}
	/* a log written before the tree existed gets its nodes now */
	if ((rc = store__tree_backfill(st, err))) {
		store_close(st);
		return rc;
	}
	*out = st;
	return ZF_OK;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	ledger_hasher_free(st->sm3);
	ledger_hasher_free(st->sha256);
	store__tree_cache_free(st);
	calendar_cache_free(st);
	pthread_mutex_destroy(&st->cache_mu);
	st->ops->close(st);
}

const char *store_backend_name(const struct store *st) { return st->ops->name; }

int store_schema_version(struct store *st) { return st->ops->schema_version(st); }

void store_read_begin(struct store *st)
{
	if (st && st->ops->read_snapshot)
		st->ops->read_snapshot(st, true);
}

void store_read_end(struct store *st)
{
	if (st && st->ops->read_snapshot)
		st->ops->read_snapshot(st, false);
}

struct ledger_hasher *store__hasher(struct store *st, enum ledger_alg alg)
{
	return alg == LEDGER_SHA256 ? st->sha256 : st->sm3;
}

int store__oom(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
}

static struct zf_date today_of(const struct zf_ctx *ctx)
{
	return instant_local_date(ctx->now_us);
}

int store__need_org(const struct zf_ctx *ctx, struct zf_error *err)
{
	if (!ctx->org_id[0])
		return zf_fail(err, ZF_EINVAL, "org_required", "org",
			       "未指定机构：请用 --org 指定");
	return ZF_OK;
}


/*
 * What a write transaction knows of the ledger after its own appends: the
 * head it read inside the transaction and moved forward with each entry it
 * wrote, and buffers reused from one append to the next.  It belongs to the
 * thread that opened the transaction with store__tx_begin (which holds the
 * only write transaction on the file, so no other writer can move the head
 * meanwhile) and is dropped by store__tx_end, commit or rollback: the next
 * transaction reads the head again.  A transaction opened otherwise never
 * uses it.
 */
struct tx_ledger {
	struct store *st;	/* whose transaction this thread holds, or NULL */
	bool head_valid;	/* the head below is the one in the database now */
	char org_id[REG_ID_LEN];
	int64_t seq;
	uint8_t leaf[LEDGER_HASH_LEN];
	enum ledger_alg alg;
	struct buf entry, state;
};

static _Thread_local struct tx_ledger tx_ledger;

static void tx_ledger_drop(struct store *st)
{
	struct tx_ledger *t = &tx_ledger;
	if (t->st != st)
		return;
	buf_release(&t->entry);
	buf_release(&t->state);
	t->st = NULL;
	t->head_valid = false;
}

/*
 * Append the entry inside the open write transaction.  The head is read
 * here, in the transaction, so a concurrent writer (CLI and server on one
 * file) can never make two entries with one sequence number; later appends
 * of the same transaction continue from the head the previous one left.
 */
int store__append(struct store *st, const struct zf_ctx *ctx,
		  const struct store_mutation *m, int64_t *seq_out,
		  struct zf_error *err)
{
	struct tx_ledger *t = tx_ledger.st == st ? &tx_ledger : NULL;
	struct ledger_entry e = {0};
	enum ledger_alg alg;
	uint8_t leaf[LEDGER_HASH_LEN], prev[LEDGER_HASH_LEN];
	struct buf own_entry, own_state, *b = &own_entry, *sb = &own_state;
	int rc = ZF_OK;
	if (t && t->head_valid && strcmp(t->org_id, m->org_id) == 0) {
		e.seq = t->seq;
		memcpy(e.prev, t->leaf, LEDGER_HASH_LEN);
		alg = t->alg;
	} else {
		rc = st->ops->ledger_head(st, m->org_id, &e.seq, e.prev, &alg, err);
	}
	if (t) {
		/* valid again only once this append has gone through */
		t->head_valid = false;
		b = &t->entry;
		sb = &t->state;
	} else {
		buf_init(b, (size_t)16 << 20);
		buf_init(sb, (size_t)64 << 20);
	}
	buf_reset(b);
	memcpy(prev, e.prev, LEDGER_HASH_LEN);
	if (rc)
		goto out;
	struct ledger_hasher *h = store__hasher(st, alg);
	if (!m->state) {
		rc = store__oom(err);
		goto out;
	}
	if ((rc = ledger_canonical_hash(h, m->state, sb, e.state_hash))) {
		rc = rc == ZF_ENOMEM ? store__oom(err)
				     : zf_fail(err, ZF_ESTORE, "state_hash_failed", "",
					       "无法计算对象状态哈希");
		goto out;
	}
	e.seq++;
	e.recorded_at = ctx->now_us;
	e.effective_at = ctx->effective_us ? ctx->effective_us : ctx->now_us;
	e.org_id = m->org_id;
	e.actor = ctx->actor[0] ? ctx->actor : "system";
	e.role = ctx->role[0] ? ctx->role : "system_admin";
	e.action = m->action;
	e.object_type = m->object_type;
	e.object_id = m->object_id;
	e.state_hash_version = LEDGER_STATE_HASH_VERSION;
	e.alg = alg;
	e.detail = m->detail;
	rc = ledger_entry_encode(&e, b);
	if (!rc)
		rc = ledger_leaf_hash(h, b->data, b->len, leaf);
	if (rc) {
		rc = rc == ZF_ENOMEM ? store__oom(err)
				     : zf_fail(err, ZF_ESTORE, "ledger_encode_failed", "",
					       "无法生成账本条目");
		goto out;
	}
	rc = st->ops->ledger_insert(st, m->org_id, e.seq, e.recorded_at,
				    m->action, m->object_type, m->object_id,
				    b->data, b->len, leaf, err);
	if (!rc)
		rc = store__tree_append(st, m->org_id, e.seq - 1, prev, leaf, h, err);
	if (!rc && seq_out)
		*seq_out = e.seq;
	if (!rc && t && strlen(m->org_id) < sizeof(t->org_id)) {
		memcpy(t->org_id, m->org_id, strlen(m->org_id) + 1);
		t->seq = e.seq;
		memcpy(t->leaf, leaf, LEDGER_HASH_LEN);
		t->alg = alg;
		t->head_valid = true;
	}
out:
	if (!t) {
		buf_release(b);
		buf_release(sb);
	}
	return rc;
}

int store__tx_begin(struct store *st, struct zf_error *err)
{
	int rc = st->ops->tx_begin(st, err);
	if (!rc) {
		/* the write lock is this thread's until store__tx_end */
		tx_ledger_drop(tx_ledger.st);
		tx_ledger.st = st;
		buf_init(&tx_ledger.entry, (size_t)16 << 20);
		buf_init(&tx_ledger.state, (size_t)64 << 20);
	}
	return rc;
}

/* Commit on success, roll back otherwise; returns rc or the commit error. */
int store__tx_end(struct store *st, int rc, struct zf_error *err)
{
	tx_ledger_drop(st);
	if (rc) {
		st->ops->tx_rollback(st);
		return rc;
	}
	return st->ops->tx_commit(st, err);
}

int store__client_id(const struct zf_ctx *ctx, char id[REG_ID_LEN],
		     struct zf_error *err)
{
	if (!id[0])
		return store__new_id(ctx, id, err);
	if (!uuid_is_valid(id))
		return zf_fail(err, ZF_EINVAL, "invalid_id", "id",
			       "客户端给出的标识“%s”不是小写 UUID", id);
	return ZF_OK;
}

int store__new_id(const struct zf_ctx *ctx, char out[REG_ID_LEN],
		  struct zf_error *err)
{
	if (uuid_v7(ctx->now_us, out))
		return zf_fail(err, ZF_EIO, "no_randomness", "",
			       "无法生成标识符：系统随机数不可用");
	return ZF_OK;
}

/* Salt the personal fields and store their digest (hex) in *digest. */
static int pii_commit(struct store *st, enum ledger_alg alg, json_t *personal,
		      uint8_t salt[LEDGER_SALT_LEN], char **digest,
		      struct zf_error *err)
{
	uint8_t d[LEDGER_HASH_LEN];
	char hex[LEDGER_HEX_LEN];
	int rc = ZF_OK;
	if (!personal)
		return store__oom(err);
	if (RAND_bytes(salt, LEDGER_SALT_LEN) != 1)
		rc = zf_fail(err, ZF_EIO, "no_randomness", "", "系统随机数不可用");
	else if (ledger_pii_digest(store__hasher(st, alg), salt, personal, d))
		rc = zf_fail(err, ZF_ESTORE, "state_hash_failed", "", "无法计算摘要");
	json_decref(personal);
	if (rc)
		return rc;
	ledger_hex(d, LEDGER_HASH_LEN, hex);
	return zf_set_str(digest, hex) ? ZF_OK : store__oom(err);
}

static int org_alg(struct store *st, const char *org_id, enum ledger_alg *alg,
		   struct zf_error *err)
{
	int64_t seq;
	uint8_t leaf[LEDGER_HASH_LEN];
	return st->ops->ledger_head(st, org_id, &seq, leaf, alg, err);
}

/* ---- organisations ---------------------------------------------------- */

int store_calendar_load_builtin(struct store *st, struct zf_ctx *ctx,
				size_t *loaded, struct zf_error *err)
{
	struct calendar have;
	int rc;
	if (loaded)
		*loaded = 0;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = store_calendar_get(st, ctx->org_id, &have, err)))
		return rc;
	for (const struct embed_file *f = embed_files; !rc && f->name; f++) {
		struct calendar one;
		struct zf_error ignored;
		if (strncmp(f->name, "data/calendar/", 14) != 0 ||
		    !strstr(f->name, ".tsv"))
			continue;
		calendar_init(&one);
		bool skip = calendar_load_tsv(&one, (const char *)f->data, f->len,
					      &ignored) != ZF_OK ||
			    calendar_covers(&have, one.years[0].year);
		calendar_release(&one);
		if (skip)
			continue;
		rc = store_calendar_load(st, ctx, (const char *)f->data, f->len, NULL, err);
		if (!rc && loaded)
			(*loaded)++;
	}
	calendar_release(&have);
	return rc;
}

int store_org_create(struct store *st, struct zf_ctx *ctx, struct org *o,
		     struct zf_error *err)
{
	struct org parent = {0};
	int rc;
	if (!o->hash_alg && !zf_set_str(&o->hash_alg, "sm3"))
		return store__oom(err);
	if ((rc = org_validate(o, err)))
		return rc;
	if (o->parent_id) {
		if ((rc = store_org_find(st, o->parent_id, &parent, err))) {
			zf_error_prefix_field(err, "parent");
			return rc;
		}
		if (!zf_set_str(&o->parent_id, parent.id)) {
			org_release(&parent);
			return store__oom(err);
		}
		org_release(&parent);
	}
	if ((rc = store__client_id(ctx, o->id, err)))
		return rc;
	o->created_at = ctx->now_us;

	struct zf_ctx octx = *ctx;
	zf_strlcpy(octx.org_id, o->id, sizeof(octx.org_id));
	json_t *state = org_state_json(o);
	if (!state)
		return store__oom(err);
	struct store_mutation m = {o->id, "org.create", "org", o->id, state, NULL};
	if (!(rc = store__tx_begin(st, err))) {
		rc = st->ops->org_insert(st, o, err);
		if (!rc)
			rc = store__append(st, &octx, &m, NULL, err);
		rc = store__tx_end(st, rc, err);
	}
	json_decref(state);
	if (!rc && (rc = store_calendar_load_builtin(st, &octx, NULL, err)))
		return zf_fail(err, rc, "org_calendars_incomplete", "",
			       "机构已登记，但内置节假日安排未全部载入（%s）：请运行 zhifa calendar load-builtin",
			       err ? err->message : "");
	return rc;
}

int store_org_find(struct store *st, const char *key, struct org *out,
		   struct zf_error *err)
{
	if (!key || !*key)
		return zf_fail(err, ZF_EINVAL, "required", "org", "未指定机构");
	return st->ops->org_find(st, key, out, err);
}

int store_org_list(struct store *st, struct org **out, size_t *n,
		   struct zf_error *err)
{
	return st->ops->org_list(st, out, n, err);
}

void store_org_list_free(struct org *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		org_release(&list[i]);
	zf_free(list);
}

int store_org_default(struct store *st, struct org *out, struct zf_error *err)
{
	struct org *list = NULL;
	size_t n = 0, leaves = 0, pick = 0;
	int rc = store_org_list(st, &list, &n, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		bool has_child = false;
		for (size_t j = 0; j < n && !has_child; j++)
			has_child = list[j].parent_id &&
				    strcmp(list[j].parent_id, list[i].id) == 0;
		if (!has_child) {
			leaves++;
			pick = i;
		}
	}
	if (leaves != 1) {
		store_org_list_free(list, n);
		return zf_fail(err, ZF_EINVAL, "org_required", "org",
			       n ? "数据库中有多个机构，请用 --org 指定"
			         : "数据库中还没有机构：请先运行 zhifa org add 或 zhifa demo");
	}
	*out = list[pick];
	memset(&list[pick], 0, sizeof(list[pick]));
	store_org_list_free(list, n);
	return ZF_OK;
}

static json_t *setting_state(const char *org_id, const char *key,
			     const char *value)
{
	return json_pack("{ss ss ss}", "org_id", org_id, "key", key, "value", value);
}

int store_org_setting_set(struct store *st, struct zf_ctx *ctx, const char *key,
			  const char *value, struct zf_error *err)
{
	int rc;
	if ((rc = store__need_org(ctx, err)) || (rc = settings_validate(key, value, err)))
		return rc;
	json_t *state = setting_state(ctx->org_id, key, value);
	if (!state)
		return store__oom(err);
	struct store_mutation m = {ctx->org_id, "org.setting.set", "org_setting", key,
			     state, NULL};
	if (!(rc = store__tx_begin(st, err))) {
		rc = st->ops->setting_put(st, ctx->org_id, key, value, ctx->now_us, err);
		if (!rc)
			rc = store__append(st, ctx, &m, NULL, err);
		rc = store__tx_end(st, rc, err);
	}
	json_decref(state);
	return rc;
}

int store_org_settings(struct store *st, const char *org_id, json_t **out,
		       struct zf_error *err)
{
	json_t *j = json_object();
	if (!j)
		return store__oom(err);
	for (const struct setting_def *d = settings_defs; d->key; d++) {
		char *v = NULL;
		int rc = st->ops->setting_get(st, org_id, d->key, &v, err);
		if (rc) {
			json_decref(j);
			return rc;
		}
		const char *val = v ? v : d->def;
		json_object_set_new(j, d->key, val ? json_string(val) : json_null());
		zf_free(v);
	}
	*out = j;
	return ZF_OK;
}

/* ---- officers --------------------------------------------------------- */

static int officer_commit_pii(struct store *st, struct officer *o,
			      struct zf_error *err)
{
	enum ledger_alg alg;
	int rc = org_alg(st, o->org_id, &alg, err);
	if (!rc)
		rc = pii_commit(st, alg, officer_personal_json(o), o->pii_salt,
				&o->pii_digest, err);
	o->has_salt = rc == ZF_OK;
	return rc;
}

int store_officer_add(struct store *st, struct zf_ctx *ctx, struct officer *o,
		      struct zf_error *err)
{
	int rc;
	char norm[IDS_NORM_MAX];
	if ((rc = store__need_org(ctx, err)))
		return rc;
	if (!o->status && !zf_set_str(&o->status, "active"))
		return store__oom(err);
	if (!o->category && !zf_set_str(&o->category, "交通运输行政执法证"))
		return store__oom(err);
	if ((rc = officer_validate(o, today_of(ctx), err)))
		return rc;
	if (o->id_number && *o->id_number) {
		if ((rc = ids_resident_id_check(o->id_number, today_of(ctx), norm,
						"id_number", err)))
			return rc;
		if (!zf_set_str(&o->id_number, norm))
			return store__oom(err);
	}
	zf_strlcpy(o->org_id, ctx->org_id, sizeof(o->org_id));
	if ((rc = store__client_id(ctx, o->id, err)))
		return rc;
	o->created_at = ctx->now_us;
	if ((rc = store__tx_begin(st, err)))
		return rc;
	json_t *state = NULL;
	rc = officer_commit_pii(st, o, err);
	if (!rc)
		rc = st->ops->officer_insert(st, o, err);
	if (!rc && !(state = officer_state_json(o)))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "officer.add", "officer", o->id,
				     state, NULL};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	json_decref(state);
	return store__tx_end(st, rc, err);
}

int store_officer_get(struct store *st, struct zf_ctx *ctx, const char *key,
		      struct officer *out, struct zf_error *err)
{
	int rc = store__need_org(ctx, err);
	return rc ? rc : st->ops->officer_get(st, ctx->org_id, key, out, err);
}

int store_officer_list(struct store *st, struct zf_ctx *ctx,
		       const struct officer_filter *f, struct officer **out,
		       size_t *n, struct zf_error *err)
{
	int rc = store__need_org(ctx, err);
	return rc ? rc : st->ops->officer_list(st, ctx->org_id, f, today_of(ctx),
					       out, n, err);
}

void store_officer_list_free(struct officer *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		officer_release(&list[i]);
	zf_free(list);
}

int store_officer_update(struct store *st, struct zf_ctx *ctx, const char *key,
			 const struct officer_patch *patch, struct officer *out,
			 struct zf_error *err)
{
	struct officer o = {0};
	json_t *state = NULL, *detail = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)))
		return rc;
	if (!patch->status && !patch->roles && !patch->set_valid_to &&
	    !patch->set_legal_qualification)
		return zf_fail(err, ZF_EINVAL, "nothing_to_change", "",
			       "没有要修改的字段");
	if ((rc = store__tx_begin(st, err)))
		return rc;
	rc = st->ops->officer_get(st, ctx->org_id, key, &o, err);
	if (!rc && patch->status && !zf_set_str(&o.status, patch->status))
		rc = store__oom(err);
	if (!rc && patch->roles && !zf_set_str(&o.roles, patch->roles))
		rc = store__oom(err);
	if (!rc && patch->set_valid_to)
		o.valid_to = patch->valid_to;
	if (!rc && patch->set_legal_qualification)
		o.legal_qualification = patch->legal_qualification;
	if (!rc)
		rc = officer_validate(&o, today_of(ctx), err);
	if (!rc)
		rc = st->ops->officer_update(st, &o, ctx->now_us, err);
	if (!rc && (!(state = officer_state_json(&o)) ||
		    !(detail = json_object())))
		rc = store__oom(err);
	if (!rc && patch->reason)
		json_object_set_new(detail, "reason", json_string(patch->reason));
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "officer.update", "officer", o.id,
				     state, detail};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	json_decref(state);
	json_decref(detail);
	rc = store__tx_end(st, rc, err);
	if (!rc && out)
		*out = o;
	else
		officer_release(&o);
	return rc;
}

/* ---- parties ---------------------------------------------------------- */

int store_party_add(struct store *st, struct zf_ctx *ctx, struct party *p,
		    struct zf_error *err)
{
	char norm[IDS_NORM_MAX];
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = party_validate(p, today_of(ctx), err)))
		return rc;
	/* store the normalised identifiers: X upper-case, letters upper-case */
	if (p->id_number && *p->id_number) {
		if ((rc = ids_resident_id_check(p->id_number, today_of(ctx), norm,
						"id_number", err)))
			return rc;
		if (!zf_set_str(&p->id_number, norm))
			return store__oom(err);
	}
	if (p->credit_code && *p->credit_code) {
		if ((rc = ids_credit_code_check(p->credit_code, norm, "credit_code", err)))
			return rc;
		if (!zf_set_str(&p->credit_code, norm))
			return store__oom(err);
	}
	zf_strlcpy(p->org_id, ctx->org_id, sizeof(p->org_id));
	if ((rc = store__client_id(ctx, p->id, err)))
		return rc;
	p->created_at = ctx->now_us;
	if ((rc = store__tx_begin(st, err)))
		return rc;
	enum ledger_alg alg;
	json_t *state = NULL;
	rc = org_alg(st, p->org_id, &alg, err);
	if (!rc)
		rc = pii_commit(st, alg, party_personal_json(p), p->pii_salt,
				&p->pii_digest, err);
	p->has_salt = rc == ZF_OK;
	if (!rc)
		rc = st->ops->party_insert(st, p, err);
	if (!rc && !(state = party_state_json(p)))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "party.add", "party", p->id, state,
				     NULL};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	json_decref(state);
	return store__tx_end(st, rc, err);
}

int store_party_get(struct store *st, struct zf_ctx *ctx, const char *key,
		    struct party *out, struct zf_error *err)
{
	int rc = store__need_org(ctx, err);
	return rc ? rc : st->ops->party_get(st, ctx->org_id, key, out, err);
}

int store_party_list(struct store *st, struct zf_ctx *ctx, const char *kind,
		     struct party **out, size_t *n, struct zf_error *err)
{
	int rc = store__need_org(ctx, err);
	return rc ? rc : st->ops->party_list(st, ctx->org_id, kind, out, n, err);
}

void store_party_list_free(struct party *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		party_release(&list[i]);
	zf_free(list);
}

int store_party_erase(struct store *st, struct zf_ctx *ctx, const char *key,
		      const char *reason, struct party *out, struct zf_error *err)
{
	struct party p = {0};
	json_t *state = NULL, *detail = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(reason, "reason", 200, true, err)))
		return rc;
	if ((rc = store__tx_begin(st, err)))
		return rc;
	rc = st->ops->party_get(st, ctx->org_id, key, &p, err);
	if (!rc && p.erased)
		rc = zf_fail(err, ZF_ECONFLICT, "already_erased", "party",
			     "该当事人的个人信息已删除");
	if (!rc)
		rc = st->ops->party_erase(st, ctx->org_id, p.id, ctx->now_us, err);
	if (!rc) {
		char id[REG_ID_LEN];
		zf_strlcpy(id, p.id, sizeof(id));
		party_release(&p);
		memset(&p, 0, sizeof(p));
		rc = st->ops->party_get(st, ctx->org_id, id, &p, err);
	}
	if (!rc && (!(state = party_state_json(&p)) ||
		    !(detail = json_pack("{ss}", "reason", reason))))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "party.erase", "party", p.id, state,
				     detail};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	json_decref(state);
	json_decref(detail);
	rc = store__tx_end(st, rc, err);
	if (!rc && out)
		*out = p;
	else
		party_release(&p);
	return rc;
}

/* ---- vehicles and devices --------------------------------------------- */

int store_vehicle_add(struct store *st, struct zf_ctx *ctx, struct vehicle *v,
		      struct zf_error *err)
{
	struct party owner = {0};
	json_t *state = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)) || (rc = vehicle_validate(v, err)))
		return rc;
	if (v->owner_id && *v->owner_id) {
		if ((rc = st->ops->party_get(st, ctx->org_id, v->owner_id, &owner, err))) {
			zf_error_prefix_field(err, "owner");
			return rc;
		}
		bool ok = zf_set_str(&v->owner_id, owner.id);
		party_release(&owner);
		if (!ok)
			return store__oom(err);
	}
	zf_strlcpy(v->org_id, ctx->org_id, sizeof(v->org_id));
	if ((rc = store__client_id(ctx, v->id, err)))
		return rc;
	v->created_at = ctx->now_us;
	if (!(state = vehicle_state_json(v)))
		return store__oom(err);
	struct store_mutation m = {ctx->org_id, "vehicle.add", "vehicle", v->id, state, NULL};
	if (!(rc = store__tx_begin(st, err))) {
		rc = st->ops->vehicle_insert(st, v, err);
		if (!rc)
			rc = store__append(st, ctx, &m, NULL, err);
		rc = store__tx_end(st, rc, err);
	}
	json_decref(state);
	return rc;
}

int store_vehicle_list(struct store *st, struct zf_ctx *ctx,
		       struct vehicle **out, size_t *n, struct zf_error *err)
{
	int rc = store__need_org(ctx, err);
	return rc ? rc : st->ops->vehicle_list(st, ctx->org_id, out, n, err);
}

void store_vehicle_list_free(struct vehicle *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vehicle_release(&list[i]);
	zf_free(list);
}

int store_device_add(struct store *st, struct zf_ctx *ctx, struct device *d,
		     struct zf_error *err)
{
	json_t *state = NULL;
	int rc;
	if (!d->status && !zf_set_str(&d->status, "active"))
		return store__oom(err);
	if ((rc = store__need_org(ctx, err)) || (rc = device_validate(d, err)))
		return rc;
	zf_strlcpy(d->org_id, ctx->org_id, sizeof(d->org_id));
	if ((rc = store__client_id(ctx, d->id, err)))
		return rc;
	d->created_at = ctx->now_us;
	if (!(state = device_state_json(d)))
		return store__oom(err);
	struct store_mutation m = {ctx->org_id, "device.add", "device", d->id, state, NULL};
	if (!(rc = store__tx_begin(st, err))) {
		rc = st->ops->device_insert(st, d, err);
		if (!rc)
			rc = store__append(st, ctx, &m, NULL, err);
		rc = store__tx_end(st, rc, err);
	}
	json_decref(state);
	return rc;
}

int store_device_list(struct store *st, struct zf_ctx *ctx, struct device **out,
		      size_t *n, struct zf_error *err)
{
	int rc = store__need_org(ctx, err);
	return rc ? rc : st->ops->device_list(st, ctx->org_id, out, n, err);
}

void store_device_list_free(struct device *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		device_release(&list[i]);
	zf_free(list);
}

/* ---- calendar and deadlines ------------------------------------------- */

static int add_text(void *arg, const char *text, size_t len)
{
	struct zf_error ignored;
	return calendar_load_tsv(arg, text, len, &ignored);
}

struct store_calendar_cache {
	char org_id[REG_ID_LEN];
	int64_t count, last;
	struct calendar cal;
};

static void calendar_cache_free(struct store *st)
{
	for (size_t i = 0; i < st->ncalendars; i++)
		calendar_release(&st->calendars[i].cal);
	zf_free(st->calendars);
	st->calendars = NULL;
	st->ncalendars = 0;
}

/* The cached calendar of org_id if its stamp still matches (copied to out). */
static bool calendar_from_cache(struct store *st, const char *org_id, int64_t count,
				int64_t last, struct calendar *out)
{
	bool hit = false;
	pthread_mutex_lock(&st->cache_mu);
	for (size_t i = 0; i < st->ncalendars && !hit; i++) {
		struct store_calendar_cache *c = &st->calendars[i];
		if (!strcmp(c->org_id, org_id) && c->count == count && c->last == last)
			hit = calendar_copy(out, &c->cal) == ZF_OK;
	}
	pthread_mutex_unlock(&st->cache_mu);
	return hit;
}

static void calendar_to_cache(struct store *st, const char *org_id, int64_t count,
			      int64_t last, const struct calendar *cal)
{
	pthread_mutex_lock(&st->cache_mu);
	struct store_calendar_cache *c = NULL;
	for (size_t i = 0; i < st->ncalendars && !c; i++)
		if (!strcmp(st->calendars[i].org_id, org_id))
			c = &st->calendars[i];
	if (!c) {
		struct store_calendar_cache *grown =
			zf_realloc(st->calendars, (st->ncalendars + 1) * sizeof(*grown));
		if (grown) {
			st->calendars = grown;
			c = &st->calendars[st->ncalendars++];
			zf_strlcpy(c->org_id, org_id, sizeof(c->org_id));
			calendar_init(&c->cal);
		}
	}
	if (c) {
		struct calendar copy;
		if (calendar_copy(&copy, cal) == ZF_OK) {
			calendar_release(&c->cal);
			c->cal = copy;
			c->count = count;
			c->last = last;
		}
	}
	pthread_mutex_unlock(&st->cache_mu);
}

int store_calendar_get(struct store *st, const char *org_id,
		       struct calendar *out, struct zf_error *err)
{
	int64_t count = 0, last = 0;
	calendar_init(out);
	bool stamped = st->ops->calendar_stamp(st, org_id, &count, &last, NULL) == ZF_OK;
	if (stamped && calendar_from_cache(st, org_id, count, last, out))
		return ZF_OK;
	int rc = st->ops->calendar_texts(st, org_id, add_text, out, err);
	if (!rc && stamped)
		calendar_to_cache(st, org_id, count, last, out);
	if (rc) {
		calendar_release(out);
		if (rc == ZF_ENOMEM)
			rc = store__oom(err);
		else if (rc != ZF_ESTORE)
			rc = zf_fail(err, ZF_ESTORE, "calendar_corrupt", "",
				     "数据库中的节假日安排无法读取");
	}
	return rc;
}

static json_t *calendar_year_state(const char *org_id,
				   const struct calendar_year *y,
				   const char *text, size_t len)
{
	return json_pack("{ss si ss ss%}", "org_id", org_id, "year", y->year,
			 "source", y->source, "text", text, len);
}

json_t *store__deadline_state(const struct deadline *d)
{
	json_t *j = deadline_to_json(d);
	if (j)
		json_object_del(j, "unit_label");
	return j;
}

int store__deadline_compute(const struct calendar *cal, struct deadline *d,
			     struct zf_error *err)
{
	struct calendar_result res = {0};
	int total = d->count + d->extended_days +
		    (d->unit == CAL_UNIT_DAYS ? d->paused_days : 0);
	int rc = calendar_add(cal, d->start, (enum calendar_unit)d->unit, total,
			      true, &res, err);
	if (rc)
		return rc;
	d->due = res.due;
	d->provisional = res.provisional;
	calendar_result_release(&res);
	return ZF_OK;
}

/* Recompute one provisional deadline in its own transaction and entry. */
static int deadline_recompute(struct store *st, struct zf_ctx *ctx,
			      const char *id, bool *moved, struct zf_error *err)
{
	struct deadline d = {0};
	struct calendar cal;
	json_t *state = NULL, *detail = NULL;
	char old_due[DATE_STR_LEN], new_due[DATE_STR_LEN];
	int rc = store__tx_begin(st, err);
	if (rc)
		return rc;
	calendar_init(&cal);
	rc = st->ops->deadline_get(st, ctx->org_id, id, &d, err);
	if (!rc)
		rc = store_calendar_get(st, ctx->org_id, &cal, err);
	date_format(d.due, old_due);
	bool was_provisional = d.provisional;
	if (!rc)
		rc = store__deadline_compute(&cal, &d, err);
	date_format(d.due, new_due);
	*moved = !rc && (was_provisional != d.provisional ||
			 strcmp(old_due, new_due) != 0);
	if (!rc && *moved) {
		rc = st->ops->deadline_update_due(st, &d, ctx->now_us, err);
		if (!rc && (!(state = store__deadline_state(&d)) ||
			    !(detail = json_pack("{ss ss sb}", "old_due", old_due,
						 "new_due", new_due, "provisional",
						 d.provisional))))
			rc = store__oom(err);
		if (!rc) {
			struct store_mutation m = {ctx->org_id, "deadline.recompute",
					     "deadline", d.id, state, detail};
			rc = store__append(st, ctx, &m, NULL, err);
		}
	}
	json_decref(state);
	json_decref(detail);
	calendar_release(&cal);
	deadline_release(&d);
	return store__tx_end(st, rc, err);
}

int store_calendar_load(struct store *st, struct zf_ctx *ctx, const char *text,
			size_t len, size_t *moved, struct zf_error *err)
{
	struct calendar cal, one;
	json_t *state = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)))
		return rc;
	calendar_init(&one);
	if ((rc = calendar_load_tsv(&one, text, len, err)))
		return rc;
	if ((rc = store__tx_begin(st, err))) {
		calendar_release(&one);
		return rc;
	}
	/* the file must also fit the years already loaded (no duplicate year) */
	rc = store_calendar_get(st, ctx->org_id, &cal, err);
	if (!rc) {
		rc = calendar_load_tsv(&cal, text, len, err);
		calendar_release(&cal);
	}
	const struct calendar_year *y = &one.years[0];
	char year_id[16];
	snprintf(year_id, sizeof(year_id), "%d", y->year);
	if (!rc)
		rc = st->ops->calendar_insert(st, ctx->org_id, y->year, y->source,
					      text, len, ctx->now_us, err);
	if (!rc && !(state = calendar_year_state(ctx->org_id, y, text, len)))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "calendar.load", "calendar_year",
				     year_id, state, NULL};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	json_decref(state);
	calendar_release(&one);
	if ((rc = store__tx_end(st, rc, err)))
		return rc;

	if ((rc = store_deadline_recompute(st, ctx, moved, err)))
		return zf_fail(err, rc, "recompute_incomplete", "",
			       "节假日安排已载入，但有临时期限未能重算（%s）：请运行 zhifa deadline recompute",
			       err ? err->message : "");
	return ZF_OK;
}

/* law.md §9.0a: provisional deadlines move when their year arrives. */
int store_deadline_recompute(struct store *st, struct zf_ctx *ctx, size_t *moved,
			     struct zf_error *err)
{
	struct deadline *list = NULL;
	size_t n = 0, count = 0;
	int rc;
	if (moved)
		*moved = 0;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = st->ops->deadline_list(st, ctx->org_id, true, &list, &n, err)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		bool did = false;
		rc = deadline_recompute(st, ctx, list[i].id, &did, err);
		count += did;
	}
	store_deadline_list_free(list, n);
	if (moved)
		*moved = count;
	return rc;
}

void deadline_release(struct deadline *d)
{
	zf_freep(&d->object_type);
	zf_freep(&d->object_id);
	zf_freep(&d->kind);
	zf_freep(&d->basis);
	zf_freep(&d->case_id);
	zf_freep(&d->status);
}

json_t *deadline_to_json(const struct deadline *d)
{
	char start[DATE_STR_LEN], due[DATE_STR_LEN];
	date_format(d->start, start);
	date_format(d->due, due);
	bool wd = d->unit == CAL_UNIT_WORKING_DAYS;
	json_t *j = json_pack("{ss ss ss ss ss ss ss si ss sb ss* ss ss si si}", "id", d->id,
			      "org_id", d->org_id, "object_type", d->object_type,
			      "object_id", d->object_id, "kind", d->kind, "start", start,
			      "unit", wd ? "working_days" : "days", "count", d->count,
			      "due", due, "provisional", d->provisional, "basis", d->basis,
			      "unit_label", wd ? "工作日" : "日",
			      "status", d->status ? d->status : "open",
			      "paused_days", d->paused_days, "extended_days", d->extended_days);
	if (j && d->has_met_on) {
		char m[DATE_STR_LEN];
		date_format(d->met_on, m);
		json_object_set_new(j, "met_on", json_string(m));
	}
	if (j && d->has_paused_since) {
		char p[DATE_STR_LEN];
		date_format(d->paused_since, p);
		json_object_set_new(j, "paused_since", json_string(p));
	}
	return j;
}

int store_deadline_add(struct store *st, struct zf_ctx *ctx, struct deadline *d,
		       struct zf_error *err)
{
	struct calendar cal;
	json_t *state = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(d->object_type, "object_type", 32, true, err)) ||
	    (rc = text_check(d->object_id, "object_id", 64, true, err)) ||
	    (rc = text_check(d->kind, "kind", 64, true, err)) ||
	    (rc = text_check(d->basis, "basis", 200, false, err)))
		return rc;
	if (d->unit != CAL_UNIT_DAYS && d->unit != CAL_UNIT_WORKING_DAYS)
		return zf_fail(err, ZF_EINVAL, "unknown_code", "unit",
			       "期间单位只能是日或工作日");
	zf_strlcpy(d->org_id, ctx->org_id, sizeof(d->org_id));
	if ((rc = store__new_id(ctx, d->id, err)))
		return rc;
	if ((rc = store__tx_begin(st, err)))
		return rc;
	rc = store_calendar_get(st, ctx->org_id, &cal, err);
	if (!rc) {
		rc = store__deadline_compute(&cal, d, err);
		calendar_release(&cal);
	}
	if (!rc)
		rc = st->ops->deadline_insert(st, d, ctx->now_us, err);
	if (!rc && !(state = store__deadline_state(d)))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "deadline.add", "deadline", d->id,
				     state, NULL};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	json_decref(state);
	return store__tx_end(st, rc, err);
}

int store_deadline_list(struct store *st, struct zf_ctx *ctx,
			struct deadline **out, size_t *n, struct zf_error *err)
{
	int rc = store__need_org(ctx, err);
	return rc ? rc : st->ops->deadline_list(st, ctx->org_id, false, out, n, err);
}

void store_deadline_list_free(struct deadline *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		deadline_release(&list[i]);
	zf_free(list);
}

/* ---- ledger verification ---------------------------------------------- */

/*
 * "type/id" -> the state hash (as the entry wrote it) of the last entry
 * naming the object, in the order objects first appear in the ledger.
 */
struct latest_obj {
	char *key;
	char *heap;	/* the state hash when longer than small, else NULL */
	char small[LEDGER_HEX_LEN];
	uint64_t hash;
};

static const char *latest_sh(const struct latest_obj *o)
{
	return o->heap ? o->heap : o->small;
}

struct latest {
	struct latest_obj *objs;
	size_t n, cap;
	size_t *slots;		/* object index + 1; 0 is empty */
	size_t nslots;		/* a power of two, at least twice n */
};

static uint64_t key_hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
	return h;
}

static struct latest_obj *latest_find(struct latest *l, const char *key, size_t n,
				      uint64_t h, size_t *slot)
{
	if (!l->nslots)
		return NULL;
	for (size_t i = h & (l->nslots - 1);; i = (i + 1) & (l->nslots - 1)) {
		*slot = i;
		if (!l->slots[i])
			return NULL;
		struct latest_obj *o = &l->objs[l->slots[i] - 1];
		if (o->hash == h && strlen(o->key) == n && memcmp(o->key, key, n) == 0)
			return o;
	}
}

static int latest_grow(struct latest *l)
{
	size_t nslots = l->nslots ? l->nslots * 2 : 1024;
	size_t *slots = zf_calloc(nslots, sizeof(*slots));
	if (!slots)
		return ZF_ENOMEM;
	for (size_t j = 0; j < l->n; j++) {
		size_t i = l->objs[j].hash & (nslots - 1);
		while (slots[i])
			i = (i + 1) & (nslots - 1);
		slots[i] = j + 1;
	}
	zf_free(l->slots);
	l->slots = slots;
	l->nslots = nslots;
	return ZF_OK;
}

/* Record sh (n bytes) as the latest state hash of key. */
static int latest_set(struct latest *l, const char *key, const char *sh, size_t n)
{
	size_t klen = strlen(key), slot = 0;
	uint64_t h = key_hash(key, klen);
	struct latest_obj *o = latest_find(l, key, klen, h, &slot);
	if (!o) {
		if (2 * (l->n + 1) > l->nslots) {
			if (latest_grow(l))
				return ZF_ENOMEM;
			latest_find(l, key, klen, h, &slot);
		}
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 256;
			struct latest_obj *objs = zf_realloc(l->objs, cap * sizeof(*objs));
			if (!objs)
				return ZF_ENOMEM;
			l->objs = objs;
			l->cap = cap;
		}
		o = &l->objs[l->n];
		memset(o, 0, sizeof(*o));
		if (!(o->key = zf_strndup(key, klen)))
			return ZF_ENOMEM;
		o->hash = h;
		l->slots[slot] = ++l->n;
	}
	zf_free(o->heap);
	o->heap = NULL;
	o->small[0] = '\0';
	if (n < sizeof(o->small)) {
		memcpy(o->small, sh, n);
		o->small[n] = '\0';
	} else if (!(o->heap = zf_strndup(sh, n))) {
		return ZF_ENOMEM;
	}
	return ZF_OK;
}

static void latest_free(struct latest *l)
{
	for (size_t i = 0; i < l->n; i++) {
		zf_free(l->objs[i].heap);
		zf_free(l->objs[i].key);
	}
	zf_free(l->objs);
	zf_free(l->slots);
}

/* The rows of a registry table, read once for the state checks (below). */
enum { RS_DEVICE, RS_VEHICLE, RS_PARTY, RS_OFFICER, RS_N };

static const char *const rs_types[RS_N] = {"device", "vehicle", "party", "officer"};

struct rs_key {
	const char *s;
	size_t i;
};

struct rowset {
	int state;		/* 0 not read yet, 1 read, -1 not usable */
	void *rows;
	size_t n;
	struct rs_key *ids, *alts;
	size_t nalts;
};

struct verify {
	struct store_tree_check *tree;
	struct store *st;
	const char *org_id;
	size_t org_len;
	struct ledger_hasher *h;
	enum ledger_alg alg;
	int64_t next_seq;
	uint8_t prev[LEDGER_HASH_LEN];
	struct latest latest;
	struct buf scratch;
	struct rowset rows[RS_N];
	int rc;			/* out of memory on the way */
	struct store_verify *r;
};

static void problem(struct store_verify *r, const char *where_key,
		    json_t *where, const char *code, const char *msg)
{
	json_t *p = json_pack("{so ss ss}", where_key, where, "code", code,
			      "message", msg);
	if (p)
		json_array_append_new(r->problems, p);
}

/* The object key as verify always built it: snprintf "%s/%s" into 200. */
static void object_key(char key[200], const char *type, size_t tn, const char *id,
		       size_t idn)
{
	size_t n = tn < 199 ? tn : 199;
	memcpy(key, type, n);
	if (n < 199)
		key[n++] = '/';
	size_t m = idn < 199 - n ? idn : 199 - n;
	memcpy(key + n, id, m);
	key[n + m] = '\0';
}

static bool slice_is(struct ledger_slice s, const char *t, size_t n)
{
	return s.n == n && memcmp(s.p, t, n) == 0;
}

/* The full check: parse, re-encode, compare, then read the members. */
static void verify_parsed(struct verify *v, int64_t seq, const char *bytes, size_t len,
			  const uint8_t leaf[LEDGER_HASH_LEN])
{
	uint8_t prev[LEDGER_HASH_LEN];
	json_error_t jerr;
	json_t *e = json_loadb(bytes, len, 0, &jerr);
	if (!e) {
		problem(v->r, "seq", json_integer(seq), "ledger_entry_unreadable",
			"条目不是有效的 JSON");
		memcpy(v->prev, leaf, LEDGER_HASH_LEN);
		return;
	}
	buf_reset(&v->scratch);
	if (jcs_write(e, &v->scratch) || v->scratch.len != len ||
	    memcmp(v->scratch.data, bytes, len) != 0)
		problem(v->r, "seq", json_integer(seq), "ledger_not_canonical",
			"条目不是规范 JSON（RFC 8785）");
	const char *org = json_string_value(json_object_get(e, "org_id"));
	const char *alg = json_string_value(json_object_get(e, "alg"));
	const char *ph = json_string_value(json_object_get(e, "prev"));
	const char *type = json_string_value(json_object_get(e, "object_type"));
	const char *oid = json_string_value(json_object_get(e, "object_id"));
	json_t *sh = json_object_get(e, "state_hash");
	if (json_integer_value(json_object_get(e, "seq")) != seq)
		problem(v->r, "seq", json_integer(seq), "ledger_seq_mismatch",
			"条目内的序号与存储位置不符");
	if (!org || strcmp(org, v->org_id) != 0)
		problem(v->r, "seq", json_integer(seq), "ledger_wrong_org",
			"条目属于其他机构");
	if (!alg || strcmp(alg, ledger_alg_code(v->alg)) != 0)
		problem(v->r, "seq", json_integer(seq), "ledger_wrong_alg",
			"条目的哈希算法与机构设定不符");
	if (!ph || !ledger_unhex(ph, prev, LEDGER_HASH_LEN) ||
	    memcmp(prev, v->prev, LEDGER_HASH_LEN) != 0)
		problem(v->r, "seq", json_integer(seq), "ledger_chain_broken",
			"条目未指向前一条目的哈希：链条断开");
	if (type && oid && json_is_string(sh)) {
		char key[200];
		object_key(key, type, strlen(type), oid, strlen(oid));
		if (latest_set(&v->latest, key, json_string_value(sh), json_string_length(sh)))
			v->rc = ZF_ENOMEM;
	}
	memcpy(v->prev, leaf, LEDGER_HASH_LEN);
	json_decref(e);
}

/*
 * Each entry: sequence, leaf hash (recomputed; the tree is rebuilt from the
 * recomputed leaves), canonical form, seq, org, alg and chain members, and
 * the latest state hash of its object.  The canonical form is shown by
 * ledger_entry_scan when the entry has exactly the shape the store writes,
 * which also hands over the members; any other entry gets the full parse
 * and re-encoding, so both give the same problems for the same bytes.
 */
static int verify_entry(void *arg, int64_t seq, const char *bytes, size_t len,
			const uint8_t leaf[LEDGER_HASH_LEN])
{
	struct verify *v = arg;
	uint8_t want[LEDGER_HASH_LEN];
	struct ledger_entry_view ev;
	v->r->entries++;
	if (seq != v->next_seq)
		problem(v->r, "seq", json_integer(seq), "ledger_gap",
			"账本序号不连续：有条目被删除或插入");
	v->next_seq = seq + 1;
	if (ledger_leaf_hash(v->h, bytes, len, want) ||
	    memcmp(want, leaf, LEDGER_HASH_LEN) != 0)
		problem(v->r, "seq", json_integer(seq), "ledger_hash_mismatch",
			"条目内容与其哈希不符：条目被改动");
	store__tree_check_leaf(v->tree, want);
	if (!ledger_entry_scan(bytes, len, &ev, &v->scratch)) {
		verify_parsed(v, seq, bytes, len, leaf);
		return v->rc;
	}
	const char *alg = ledger_alg_code(v->alg);
	if (ev.seq != seq)
		problem(v->r, "seq", json_integer(seq), "ledger_seq_mismatch",
			"条目内的序号与存储位置不符");
	if (!slice_is(ev.org_id, v->org_id, v->org_len))
		problem(v->r, "seq", json_integer(seq), "ledger_wrong_org",
			"条目属于其他机构");
	if (!slice_is(ev.alg, alg, strlen(alg)))
		problem(v->r, "seq", json_integer(seq), "ledger_wrong_alg",
			"条目的哈希算法与机构设定不符");
	/* ledger_unhex takes lower-case hex only, so it gives v->prev exactly
	 * when the text is v->prev in lower-case hex */
	char hex[LEDGER_HEX_LEN];
	ledger_hex(v->prev, LEDGER_HASH_LEN, hex);
	if (ev.prev.n != 2 * LEDGER_HASH_LEN || memcmp(ev.prev.p, hex, ev.prev.n) != 0)
		problem(v->r, "seq", json_integer(seq), "ledger_chain_broken",
			"条目未指向前一条目的哈希：链条断开");
	char key[200];
	object_key(key, ev.object_type.p, ev.object_type.n, ev.object_id.p, ev.object_id.n);
	if (latest_set(&v->latest, key, ev.state_hash.p, ev.state_hash.n))
		v->rc = ZF_ENOMEM;
	memcpy(v->prev, leaf, LEDGER_HASH_LEN);
	return v->rc;
}

struct year_text {
	int year;
	json_t *state;
	const char *org_id;
};

static int find_year(void *arg, const char *text, size_t len)
{
	struct year_text *y = arg;
	struct calendar c;
	struct zf_error ignored;
	calendar_init(&c);
	if (!calendar_load_tsv(&c, text, len, &ignored) && c.nyears == 1 &&
	    c.years[0].year == y->year && !y->state)
		y->state = calendar_year_state(y->org_id, &c.years[0], text, len);
	calendar_release(&c);
	return ZF_OK;
}

/* Does the stored digest still match the personal fields and salt? */
static bool pii_ok(struct verify *v, const uint8_t salt[LEDGER_SALT_LEN],
		   bool has_salt, json_t *personal, const char *digest)
{
	uint8_t d[LEDGER_HASH_LEN];
	char hex[LEDGER_HEX_LEN];
	bool ok = true;
	if (has_salt && personal) {
		ok = !ledger_pii_digest(v->h, salt, personal, d);
		ledger_hex(d, LEDGER_HASH_LEN, hex);
		ok = ok && digest && strcmp(hex, digest) == 0;
	}
	json_decref(personal);
	return ok;
}

/* The current state of an object as its rows hold it, or NULL if missing. */
static json_t *current_state(struct verify *v, const char *type, const char *id,
			     bool *pii_bad)
{
	struct store *st = v->st;
	struct zf_error err;
	json_t *s = NULL;
	*pii_bad = false;
	if (strcmp(type, "org") == 0) {
		struct org o = {0};
		if (!st->ops->org_find(st, id, &o, &err))
			s = org_state_json(&o);
		org_release(&o);
	} else if (strcmp(type, "org_setting") == 0) {
		char *val = NULL;
		if (!st->ops->setting_get(st, v->org_id, id, &val, &err) && val)
			s = setting_state(v->org_id, id, val);
		zf_free(val);
	} else if (strcmp(type, "officer") == 0) {
		struct officer o = {0};
		if (!st->ops->officer_get(st, v->org_id, id, &o, &err)) {
			s = officer_state_json(&o);
			*pii_bad = !pii_ok(v, o.pii_salt, o.has_salt,
					   officer_personal_json(&o), o.pii_digest);
		}
		officer_release(&o);
	} else if (strcmp(type, "party") == 0) {
		struct party p = {0};
		if (!st->ops->party_get(st, v->org_id, id, &p, &err)) {
			s = party_state_json(&p);
			*pii_bad = !pii_ok(v, p.pii_salt, p.has_salt,
					   party_personal_json(&p), p.pii_digest);
		}
		party_release(&p);
	} else if (strcmp(type, "vehicle") == 0) {
		struct vehicle x = {0};
		if (!st->ops->vehicle_get(st, v->org_id, id, &x, &err))
			s = vehicle_state_json(&x);
		vehicle_release(&x);
	} else if (strcmp(type, "device") == 0) {
		struct device x = {0};
		if (!st->ops->device_get(st, v->org_id, id, &x, &err))
			s = device_state_json(&x);
		device_release(&x);
	} else if (strcmp(type, "deadline") == 0) {
		struct deadline x = {0};
		if (!st->ops->deadline_get(st, v->org_id, id, &x, &err))
			s = store__deadline_state(&x);
		deadline_release(&x);
	} else if (strcmp(type, "user") == 0) {
		struct user u = {0};
		if (!st->ops->user_get(st, id, &u, &err) && !strcmp(u.org_id, v->org_id))
			s = store__user_state(st, &u);
		user_release(&u);
	} else if (strcmp(type, "evidence") == 0) {
		s = store__evidence_state(st, v->org_id, id);
	} else if (strcmp(type, "case") == 0) {
		s = store__case_state(st, v->org_id, id);
	} else if (strcmp(type, "doc_stock") == 0 || strcmp(type, "violation_import") == 0 ||
		   strcmp(type, "ledger_key") == 0) {
		char *text = NULL;
		int rc = type[0] == 'd' ? st->ops->stock_json(st, v->org_id, id, &text, &err)
			 : type[0] == 'v' ? st->ops->import_json(st, v->org_id, id, &text, &err)
					  : st->ops->key_json(st, v->org_id, id, &text, &err);
		if (!rc)
			s = json_loads(text, 0, NULL);
		zf_free(text);
	} else if (!strcmp(type, "weighing") || !strcmp(type, "weigh_import") ||
		   !strcmp(type, "calibration")) {
		s = store__overload_state(st, v->org_id, type, id);
	} else if (strcmp(type, "calendar_year") == 0) {
		struct year_text y = {0, NULL, v->org_id};
		int64_t yr;
		if (!text_parse_int(id, 1900, 9999, &yr, "year", &err)) {
			y.year = (int)yr;
			if (st->ops->calendar_texts(st, v->org_id, find_year, &y, &err))
				json_decref(y.state), y.state = NULL;
		}
		s = y.state;
	}
	return s;
}

/*
 * The state checks of the registry types read each table once (its list
 * query) instead of one query per object.  A row is taken from the list
 * only when the one-by-one read (X_get: id = key, or code, plate, cert_no,
 * id_number, credit_code = key) would surely give that same row: its id is
 * the key and no row has the key in those other columns.  Any other object
 * (or a list that could not be read) goes through current_state() as
 * before, so the problems found stay exactly the same.
 */
static int rs_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rs_key *)a)->s, ((const struct rs_key *)b)->s);
}

static int rowset_type(const char *type)
{
	for (int t = 0; t < RS_N; t++)
		if (strcmp(type, rs_types[t]) == 0)
			return t;
	return -1;
}

static void rs_alt(struct rowset *rs, const char *s, size_t i)
{
	if (s)
		rs->alts[rs->nalts++] = (struct rs_key){s, i};
}

static void rowset_load(struct verify *v, int t)
{
	struct rowset *rs = &v->rows[t];
	struct store *st = v->st;
	struct zf_error err;
	struct device *d = NULL;
	struct vehicle *x = NULL;
	struct party *p = NULL;
	struct officer *o = NULL;
	struct zf_date today = {1970, 1, 1};
	size_t n = 0;
	int rc = t == RS_DEVICE	   ? st->ops->device_list(st, v->org_id, &d, &n, &err)
		 : t == RS_VEHICLE ? st->ops->vehicle_list(st, v->org_id, &x, &n, &err)
		 : t == RS_PARTY   ? st->ops->party_list(st, v->org_id, NULL, &p, &n, &err)
				   : st->ops->officer_list(st, v->org_id, NULL, today, &o, &n,
							   &err);
	rs->state = -1;
	if (rc)
		return;
	rs->rows = t == RS_DEVICE ? (void *)d : t == RS_VEHICLE ? (void *)x
						 : t == RS_PARTY ? (void *)p : (void *)o;
	rs->n = n;
	rs->ids = zf_calloc(n + 1, sizeof(*rs->ids));
	rs->alts = zf_calloc(2 * n + 1, sizeof(*rs->alts));
	if (!rs->ids || !rs->alts)
		return;
	for (size_t i = 0; i < n; i++) {
		switch (t) {
		case RS_DEVICE:
			rs->ids[i] = (struct rs_key){d[i].id, i};
			rs_alt(rs, d[i].code, i);
			break;
		case RS_VEHICLE:
			rs->ids[i] = (struct rs_key){x[i].id, i};
			rs_alt(rs, x[i].plate, i);
			break;
		case RS_PARTY:
			rs->ids[i] = (struct rs_key){p[i].id, i};
			rs_alt(rs, p[i].id_number, i);
			rs_alt(rs, p[i].credit_code, i);
			break;
		default:
			rs->ids[i] = (struct rs_key){o[i].id, i};
			rs_alt(rs, o[i].cert_no, i);
		}
	}
	qsort(rs->ids, n, sizeof(*rs->ids), rs_key_cmp);
	qsort(rs->alts, rs->nalts, sizeof(*rs->alts), rs_key_cmp);
	rs->state = 1;
}

static void rowset_free(struct rowset *rs, int t)
{
	if (rs->rows) {
		if (t == RS_DEVICE)
			store_device_list_free(rs->rows, rs->n);
		else if (t == RS_VEHICLE)
			store_vehicle_list_free(rs->rows, rs->n);
		else if (t == RS_PARTY)
			store_party_list_free(rs->rows, rs->n);
		else
			store_officer_list_free(rs->rows, rs->n);
	}
	zf_free(rs->ids);
	zf_free(rs->alts);
}

/* The row X_get(key) would surely read, or NULL for "read it that way". */
static const void *rowset_find(struct verify *v, int t, const char *key)
{
	struct rowset *rs = &v->rows[t];
	char up[200];
	struct rs_key k = {key, 0}, *hit;
	if (!rs->state)
		rowset_load(v, t);
	if (rs->state != 1)
		return NULL;
	if (t == RS_PARTY) {
		/* party_get matches id_number and credit_code with upper(key) */
		size_t n = strlen(key);
		if (n >= sizeof(up))
			return NULL;
		for (size_t i = 0; i <= n; i++) {
			unsigned char c = (unsigned char)key[i];
			if (c >= 0x80)
				return NULL;
			up[i] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
		}
		k.s = up;
	}
	if (bsearch(&k, rs->alts, rs->nalts, sizeof(k), rs_key_cmp))
		return NULL;
	k.s = key;
	if (!(hit = bsearch(&k, rs->ids, rs->n, sizeof(k), rs_key_cmp)))
		return NULL;
	switch (t) {
	case RS_DEVICE: return (const struct device *)rs->rows + hit->i;
	case RS_VEHICLE: return (const struct vehicle *)rs->rows + hit->i;
	case RS_PARTY: return (const struct party *)rs->rows + hit->i;
	default: return (const struct officer *)rs->rows + hit->i;
	}
}

/* As current_state() builds it from the same row. */
static json_t *row_state(struct verify *v, int t, const void *row, bool *pii_bad)
{
	json_t *s;
	*pii_bad = false;
	if (t == RS_DEVICE)
		return device_state_json(row);
	if (t == RS_VEHICLE)
		return vehicle_state_json(row);
	if (t == RS_PARTY) {
		const struct party *p = row;
		s = party_state_json(p);
		*pii_bad = !pii_ok(v, p->pii_salt, p->has_salt, party_personal_json(p),
				   p->pii_digest);
		return s;
	}
	const struct officer *o = row;
	s = officer_state_json(o);
	*pii_bad = !pii_ok(v, o->pii_salt, o->has_salt, officer_personal_json(o),
			   o->pii_digest);
	return s;
}

static int check_recorded(void *arg, const char *type, const char *id)
{
	struct verify *v = arg;
	char key[200];
	size_t slot;
	type = type ? type : "";
	id = id ? id : "";
	object_key(key, type, strlen(type), id, strlen(id));
	if (!latest_find(&v->latest, key, strlen(key), key_hash(key, strlen(key)), &slot))
		problem(v->r, "object", json_string(key), "object_unrecorded",
			"数据库中的对象没有任何账本记载：被绕过账本写入");
	return ZF_OK;
}

int store_ledger_verify(struct store *st, const char *org_id,
			struct store_verify *r, struct zf_error *err)
{
	return store_ledger_verify_against(st, org_id, NULL, 0, NULL, 0, r, err);
}

int store_ledger_verify_against(struct store *st, const char *org_id,
				const char *note, size_t note_len,
				const char *pubkey_pem, size_t pem_len,
				struct store_verify *r, struct zf_error *err)
{
	struct verify v = {0};
	struct buf canon;
	int rc;
	memset(r, 0, sizeof(*r));
	if (!(r->problems = json_array()))
		return store__oom(err);
	buf_init(&v.scratch, (size_t)64 << 20);
	buf_init(&canon, (size_t)64 << 20);
	v.st = st;
	v.org_id = org_id;
	v.org_len = strlen(org_id);
	v.next_seq = 1;
	v.r = r;
	if ((rc = org_alg(st, org_id, &v.alg, err)))
		goto out;
	v.h = store__hasher(st, v.alg);
	if (!(v.tree = store__tree_check_new(st, org_id, v.h, r->problems, note, note_len,
					     pubkey_pem, pem_len))) {
		rc = store__oom(err);
		goto out;
	}
	rc = st->ops->ledger_read(st, org_id, 0, INT64_MAX, verify_entry, &v, err);
	store__tree_check_finish(v.tree);
	if (!rc && v.rc)
		rc = store__oom(err);
	if (rc)
		goto out;
	if ((rc = st->ops->objects(st, org_id, check_recorded, &v, err)))
		goto out;
	for (size_t i = 0; i < v.latest.n; i++) {
		const char *key = v.latest.objs[i].key;
		const char *slash = strchr(key, '/');
		char type[64];
		bool pii_bad;
		if (!slash || (size_t)(slash - key) >= sizeof(type))
			continue;
		zf_strlcpy(type, key, (size_t)(slash - key) + 1);
		r->objects++;
		int t = rowset_type(type);
		const void *row = t >= 0 ? rowset_find(&v, t, slash + 1) : NULL;
		json_t *state = row ? row_state(&v, t, row, &pii_bad)
				    : current_state(&v, type, slash + 1, &pii_bad);
		uint8_t h[LEDGER_HASH_LEN];
		char hex[LEDGER_HEX_LEN];
		if (!state) {
			problem(r, "object", json_string(key), "object_missing",
				"账本记载的对象在数据库中不存在：被删除");
			continue;
		}
		if (ledger_canonical_hash(v.h, state, &canon, h)) {
			json_decref(state);
			rc = store__oom(err);
			goto out;
		}
		json_decref(state);
		ledger_hex(h, LEDGER_HASH_LEN, hex);
		if (strcmp(hex, latest_sh(&v.latest.objs[i])) != 0)
			problem(r, "object", json_string(key), "state_mismatch",
				"对象的当前数据与账本最后一次记载的状态不符：被绕过账本改动");
		if (pii_bad)
			problem(r, "object", json_string(key), "pii_digest_mismatch",
				"个人信息与其摘要不符：被绕过账本改动");
	}
out:
	for (int t = 0; t < RS_N; t++)
		rowset_free(&v.rows[t], t);
	latest_free(&v.latest);
	buf_release(&v.scratch);
	buf_release(&canon);
	if (rc) {
		json_decref(r->problems);
		r->problems = NULL;
	}
	return rc;
}

void store_verify_release(struct store_verify *r)
{
	json_decref(r->problems);
	r->problems = NULL;
}

static int list_entry(void *arg, int64_t seq, const char *bytes, size_t len,
		      const uint8_t leaf[LEDGER_HASH_LEN])
{
	json_t *arr = arg;
	char hex[LEDGER_HEX_LEN];
	json_t *e = json_loadb(bytes, len, 0, NULL);
	(void)seq;
	if (!e)
		return ZF_ESTORE;
	ledger_hex(leaf, LEDGER_HASH_LEN, hex);
	json_object_set_new(e, "leaf_hash", json_string(hex));
	json_array_append_new(arr, e);
	return ZF_OK;
}

int store_ledger_list(struct store *st, const char *org_id, int64_t after,
		      int64_t limit, json_t **out, struct zf_error *err)
{
	json_t *arr = json_array();
	if (!arr)
		return store__oom(err);
	int rc = st->ops->ledger_read(st, org_id, after, limit, list_entry, arr, err);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return ZF_OK;
}

int store_ledger_size(struct store *st, const char *org_id, int64_t *out,
		      struct zf_error *err)
{
	uint8_t leaf[LEDGER_HASH_LEN];
	enum ledger_alg alg;
	return st->ops->ledger_head(st, org_id, out, leaf, &alg, err);
}
