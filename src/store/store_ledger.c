/*
 * The ledger's Merkle tree in the store (RFC 9162 over the entries' leaf
 * hashes), its signed checkpoints (C2SP tlog-checkpoint, SM2 or Ed25519),
 * and proofs built from stored nodes: O(log n) reads, no recomputation.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "b64.h"
#include "checkpoint.h"
#include "merkle.h"
#include "store_int.h"
#include "uuid.h"

struct node_arg {
	struct store *st;
	const char *org_id;
};

static int get_node(void *arg, unsigned level, uint64_t idx, uint8_t out[LEDGER_HASH_LEN])
{
	struct node_arg *a = arg;
	return a->st->ops->node_get(a->st, a->org_id, level, idx, out);
}

static int tree_corrupt(struct zf_error *err)
{
	return zf_fail(err, ZF_ESTORE, "ledger_tree_corrupt", "",
		       "账本的默克尔树节点缺失或无法读取：请运行 zhifa ledger verify");
}

struct store_tree_cache {
	char org_id[REG_ID_LEN];
	uint8_t last_leaf[LEDGER_HASH_LEN];
	struct merkle_frontier fr;
};

void store__tree_cache_free(struct store *st)
{
	zf_free(st->tree_cache);
	st->tree_cache = NULL;
}

/*
 * The frontier comes from the cache when the head just read inside this
 * transaction (size and last leaf hash) is the one the cache was left at;
 * otherwise (another process wrote, or a transaction rolled back) it is
 * loaded from the stored nodes, one read per set bit of the size.
 */
int store__tree_append(struct store *st, const char *org_id, int64_t size_before,
		       const uint8_t prev_leaf[LEDGER_HASH_LEN],
		       const uint8_t leaf[LEDGER_HASH_LEN], struct ledger_hasher *h,
		       struct zf_error *err)
{
	struct merkle_frontier fr;
	struct merkle_node done[MERKLE_APPEND_MAX];
	struct node_arg a = {st, org_id};
	struct store_tree_cache *c = st->tree_cache;
	size_t n = 0;
	if (c && c->fr.size == (uint64_t)size_before && !strcmp(c->org_id, org_id) &&
	    !memcmp(c->last_leaf, prev_leaf, LEDGER_HASH_LEN))
		fr = c->fr;
	else if (merkle_frontier_load(&fr, (uint64_t)size_before, get_node, &a))
		return tree_corrupt(err);
	if (merkle_frontier_append(h, &fr, leaf, done, &n))
		return zf_fail(err, ZF_EIO, "ledger_tree_corrupt", "", "无法扩展默克尔树");
	for (size_t i = 0; i < n; i++) {
		uint8_t have[LEDGER_HASH_LEN];
		if (done[i].level == 0)
			continue;
		int rc = st->ops->node_put(st, org_id, done[i].level, done[i].index,
					   done[i].hash, err);
		if (rc == ZF_ECONFLICT) {
			/* a node left behind by deleted entries must not stand
			 * for new ones */
			if (st->ops->node_get(st, org_id, done[i].level, done[i].index,
					      have) == ZF_OK &&
			    memcmp(have, done[i].hash, LEDGER_HASH_LEN))
				return tree_corrupt(err);
			continue;
		}
		if (rc)
			return rc;
	}
	if (!c && (c = st->tree_cache = zf_calloc(1, sizeof(*c))) == NULL)
		return store__oom(err);
	zf_strlcpy(c->org_id, org_id, sizeof(c->org_id));
	memcpy(c->last_leaf, leaf, LEDGER_HASH_LEN);
	c->fr = fr;
	return ZF_OK;
}

struct replay {
	struct store *st;
	const char *org_id;
	struct ledger_hasher *h;
	struct merkle_frontier fr;
	struct zf_error *err;
};

static int replay_leaf(void *arg, int64_t seq, const char *bytes, size_t len,
		       const uint8_t leaf[LEDGER_HASH_LEN])
{
	struct replay *r = arg;
	struct merkle_node done[MERKLE_APPEND_MAX];
	size_t n = 0;
	(void)seq;
	(void)bytes;
	(void)len;
	if (merkle_frontier_append(r->h, &r->fr, leaf, done, &n))
		return ZF_EIO;
	for (size_t i = 0; i < n; i++) {
		int rc = done[i].level ? r->st->ops->node_put(r->st, r->org_id, done[i].level,
							       done[i].index, done[i].hash,
							       r->err)
				       : ZF_OK;
		if (rc && rc != ZF_ECONFLICT)	/* a node already there is kept */
			return ZF_ESTORE;
	}
	return ZF_OK;
}

/* A tree of n leaves has n - popcount(n) nodes above the leaves. */
static int64_t expected_nodes(int64_t size)
{
	return size - __builtin_popcountll((unsigned long long)size);
}

int store__tree_backfill(struct store *st, struct zf_error *err)
{
	struct org *orgs = NULL;
	size_t norgs = 0;
	int rc = st->ops->org_list(st, &orgs, &norgs, err);
	for (size_t i = 0; !rc && i < norgs; i++) {
		int64_t size, have;
		uint8_t leaf[LEDGER_HASH_LEN];
		enum ledger_alg alg;
		if ((rc = st->ops->ledger_head(st, orgs[i].id, &size, leaf, &alg, err)) ||
		    (rc = st->ops->node_count(st, orgs[i].id, &have, err)))
			break;
		/* only a log from before the tree (no node at all) is rebuilt:
		 * a node deleted later is for verify to report (rule 10) */
		if (have > 0 || expected_nodes(size) == 0)
			continue;
		struct replay r = {st, orgs[i].id, store__hasher(st, alg), {0}, err};
		merkle_frontier_init(&r.fr);
		st->ops->maintenance(st, true);
		if (!(rc = st->ops->tx_begin(st, err))) {
			rc = st->ops->ledger_read(st, orgs[i].id, 0, INT64_MAX, replay_leaf,
						  &r, err);
			if (rc)
				st->ops->tx_rollback(st);
			else
				rc = st->ops->tx_commit(st, err);
		}
		st->ops->maintenance(st, false);
	}
	store_org_list_free(orgs, norgs);
	return rc;
}

/* ---- head, origin, keys ----------------------------------------------- */

int store_ledger_origin(struct store *st, const char *org_id, char **out,
			struct zf_error *err)
{
	struct org o = {0};
	int rc = st->ops->org_find(st, org_id, &o, err);
	if (rc)
		return rc;
	struct buf b;
	buf_init(&b, 256);
	rc = buf_printf(&b, "zhifa/%s/%s", o.division_code, o.id);
	org_release(&o);
	if (rc) {
		buf_release(&b);
		return store__oom(err);
	}
	*out = buf_detach(&b, NULL);
	return ZF_OK;
}

struct head {
	int64_t size;
	uint8_t root[LEDGER_HASH_LEN];
	enum ledger_alg alg;
	struct ledger_hasher *h;
};

static int read_head(struct store *st, const char *org_id, struct head *hd,
		     struct zf_error *err)
{
	struct merkle_frontier fr;
	struct node_arg a = {st, org_id};
	uint8_t leaf[LEDGER_HASH_LEN];
	int rc = st->ops->ledger_head(st, org_id, &hd->size, leaf, &hd->alg, err);
	if (rc)
		return rc;
	hd->h = store__hasher(st, hd->alg);
	if (merkle_frontier_load(&fr, (uint64_t)hd->size, get_node, &a) ||
	    merkle_frontier_root(hd->h, &fr, hd->root))
		return tree_corrupt(err);
	return ZF_OK;
}

static json_t *b64_json(const uint8_t *p, size_t n)
{
	struct buf b;
	buf_init(&b, 4 * n + 8);
	json_t *j = b64_encode(p, n, &b) ? NULL : json_string(buf_cstr(&b));
	buf_release(&b);
	return j;
}

int store_ledger_head(struct store *st, const char *org_id, json_t **out,
		      struct zf_error *err)
{
	struct head hd;
	char hex[LEDGER_HEX_LEN];
	int rc = read_head(st, org_id, &hd, err);
	if (rc)
		return rc;
	ledger_hex(hd.root, LEDGER_HASH_LEN, hex);
	*out = json_pack("{sI ss so ss}", "size", (json_int_t)hd.size, "root_hex", hex,
			 "root", b64_json(hd.root, LEDGER_HASH_LEN), "alg",
			 ledger_alg_code(hd.alg));
	return *out ? ZF_OK : store__oom(err);
}

int store_ledger_keygen(struct store *st, struct zf_ctx *ctx, struct buf *private_pem,
			json_t **out, struct zf_error *err)
{
	struct head hd;
	EVP_PKEY *key = NULL;
	struct buf pub;
	char id[REG_ID_LEN], *origin = NULL, *row = NULL;
	json_t *state = NULL;
	int rc;
	buf_init(&pub, 8192);
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = st->ops->ledger_head(st, ctx->org_id, &hd.size, hd.root, &hd.alg, err)) ||
	    (rc = store_ledger_origin(st, ctx->org_id, &origin, err)))
		goto out;
	enum checkpoint_alg calg = hd.alg == LEDGER_SM3 ? CHECKPOINT_SM2 : CHECKPOINT_ED25519;
	if ((rc = checkpoint_key_generate(calg, &key, err)) ||
	    (rc = checkpoint_key_public_pem(key, &pub, err)) ||
	    (rc = checkpoint_key_private_pem(key, private_pem, err)) ||
	    (rc = store__new_id(ctx, id, err)) || (rc = store__tx_begin(st, err)))
		goto out;
	rc = st->ops->key_put(st, ctx->org_id, id, calg == CHECKPOINT_SM2 ? "sm2" : "ed25519",
			      origin, buf_cstr(&pub), ctx->now_us, err);
	if (!rc)
		rc = st->ops->key_json(st, ctx->org_id, id, &row, err);
	if (!rc && !(state = json_loads(row, 0, NULL)))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "ledger.key", "ledger_key", id, state,
					   NULL};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	rc = store__tx_end(st, rc, err);
	if (!rc && out) {
		json_object_del(state, "org_id");
		json_object_set_new(state, "key_id", json_string(id));
		json_object_del(state, "id");
		*out = json_incref(state);
	}
out:
	json_decref(state);
	zf_free(row);
	zf_free(origin);
	buf_release(&pub);
	EVP_PKEY_free(key);
	return rc;
}

int store_ledger_pubkey(struct store *st, const char *org_id, json_t **out,
			struct zf_error *err)
{
	char id[REG_ID_LEN], *text = NULL, *name = NULL, *pem = NULL;
	int rc;
	if ((rc = st->ops->key_latest(st, org_id, id, &name, &pem, err)))
		return rc;
	if ((rc = st->ops->key_json(st, org_id, id, &text, err)))
		goto out;
	json_t *j = json_loads(text, 0, NULL);
	if (!j) {
		rc = store__oom(err);
		goto out;
	}
	json_object_set(j, "key_id", json_object_get(j, "id"));
	json_object_del(j, "id");
	*out = j;
out:
	zf_free(text);
	zf_free(name);
	zf_free(pem);
	return rc;
}

/* ---- checkpoints ------------------------------------------------------ */

struct last_note {
	char *note;
};

static int keep_last(void *arg, const char *text, size_t len)
{
	struct last_note *l = arg;
	zf_free(l->note);
	l->note = zf_strndup(text, len);
	return l->note ? ZF_OK : ZF_ENOMEM;
}

int store_ledger_checkpoint_latest(struct store *st, const char *org_id, char **note,
				   struct zf_error *err)
{
	struct last_note l = {NULL};
	int rc = st->ops->checkpoints(st, org_id, keep_last, &l, err);
	if (!rc && !l.note)
		rc = zf_fail(err, ZF_ENOTFOUND, "no_checkpoint", "checkpoint",
			     "还没有签名的检查点：请运行 zhifa ledger checkpoint");
	if (rc) {
		zf_free(l.note);
		return rc;
	}
	*note = l.note;
	return ZF_OK;
}

static bool same_public_key(EVP_PKEY *priv, const char *pem)
{
	struct buf b;
	buf_init(&b, 8192);
	bool same = !checkpoint_key_public_pem(priv, &b, NULL) && !strcmp(buf_cstr(&b), pem);
	buf_release(&b);
	return same;
}

int store_ledger_checkpoint(struct store *st, struct zf_ctx *ctx, const char *private_pem,
			    size_t len, json_t **out, struct zf_error *err)
{
	struct head hd;
	struct checkpoint prev;
	struct node_arg a = {st, ctx->org_id};
	EVP_PKEY *key = NULL;
	struct buf note;
	char key_id[REG_ID_LEN], *name = NULL, *pem = NULL, *origin = NULL, *last = NULL;
	uint8_t proof[MERKLE_PROOF_MAX * LEDGER_HASH_LEN];
	size_t n = 0;
	int rc;
	buf_init(&note, 64 << 10);
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = checkpoint_key_from_private_pem(private_pem, len, &key, err)) ||
	    (rc = st->ops->key_latest(st, ctx->org_id, key_id, &name, &pem, err)) ||
	    (rc = store_ledger_origin(st, ctx->org_id, &origin, err)))
		goto out;
	if (!same_public_key(key, pem)) {
		rc = zf_fail(err, ZF_EREFUSED, "key_mismatch", "key",
			     "私钥与数据库中登记的账本公钥不匹配");
		goto out;
	}
	/* the head and the previous checkpoint are read in the write transaction */
	if ((rc = store__tx_begin(st, err)))
		goto out;
	rc = read_head(st, ctx->org_id, &hd, err);
	if (!rc && hd.size == 0)
		rc = zf_fail(err, ZF_EREFUSED, "ledger_empty", "", "账本为空，无需签名");
	int prc = rc ? rc : store_ledger_checkpoint_latest(st, ctx->org_id, &last, NULL);
	if (!rc && prc == ZF_OK) {
		if ((rc = checkpoint_parse(last, strlen(last), &prev, err)))
			goto end;
		/* a stored note is handed out again only if it is really ours */
		if ((int64_t)prev.size == hd.size &&
		    (rc = checkpoint_verify(last, strlen(last), name, key, &prev, err)))
			goto end;
		if ((int64_t)prev.size > hd.size) {
			rc = zf_fail(err, ZF_EREFUSED, "ledger_truncated", "",
				     "账本比已签名的检查点（%llu 条）还短：历史被删改",
				     (unsigned long long)prev.size);
		} else if ((int64_t)prev.size == hd.size) {
			if (memcmp(prev.root, hd.root, LEDGER_HASH_LEN))
				rc = zf_fail(err, ZF_EREFUSED, "checkpoint_inconsistent", "",
					     "当前根哈希与同一大小的已签名检查点不一致：历史被改写");
			else if (buf_puts(&note, last))
				rc = store__oom(err);
			goto end;
		} else if ((rc = merkle_consistency_proof_build(hd.h, prev.size, (uint64_t)hd.size,
								 get_node, &a, proof, &n, err)) ||
			   !merkle_consistency_verify(hd.h, prev.size, (uint64_t)hd.size,
						      prev.root, hd.root, proof, n)) {
			rc = zf_fail(err, ZF_EREFUSED, "checkpoint_inconsistent", "",
				     "新的树头与上一个检查点不一致（RFC 9162 一致性证明失败）：历史被改写");
		}
	}
	if (!rc)
		rc = checkpoint_sign(origin, (uint64_t)hd.size, hd.root, name, key, &note, err);
	if (!rc)
		rc = st->ops->checkpoint_put(st, ctx->org_id, hd.size, hd.root, key_id,
					     buf_cstr(&note), ctx->now_us, err);
end:
	rc = store__tx_end(st, rc, err);
	if (!rc && out) {
		char hex[LEDGER_HEX_LEN];
		ledger_hex(hd.root, LEDGER_HASH_LEN, hex);
		*out = json_pack("{sI ss ss ss}", "size", (json_int_t)hd.size, "root_hex", hex,
				 "origin", origin, "note", buf_cstr(&note));
	}
out:
	EVP_PKEY_free(key);
	buf_release(&note);
	zf_free(name);
	zf_free(pem);
	zf_free(origin);
	zf_free(last);
	return rc;
}

/* ---- proofs ----------------------------------------------------------- */

static json_t *hashes_json(const uint8_t *p, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, b64_json(p + i * LEDGER_HASH_LEN, LEDGER_HASH_LEN));
	return a;
}

static int checkpoint_size(struct store *st, const char *org_id, int64_t *size)
{
	char *note = NULL;
	struct checkpoint cp;
	int rc = store_ledger_checkpoint_latest(st, org_id, &note, NULL);
	if (!rc && !checkpoint_parse(note, strlen(note), &cp, NULL))
		*size = (int64_t)cp.size;
	else
		rc = ZF_ENOTFOUND;
	zf_free(note);
	return rc;
}

int store_ledger_prove(struct store *st, const char *org_id, int64_t seq, int64_t size,
		       json_t **out, struct zf_error *err)
{
	struct head hd;
	struct node_arg a = {st, org_id};
	uint8_t proof[MERKLE_PROOF_MAX * LEDGER_HASH_LEN], leaf[LEDGER_HASH_LEN];
	size_t n = 0;
	int rc = read_head(st, org_id, &hd, err);
	if (rc)
		return rc;
	if (size == 0 && checkpoint_size(st, org_id, &size))
		size = hd.size;
	if (size < 1 || size > hd.size)
		return zf_fail(err, ZF_EINVAL, "invalid_proof_request", "size",
			       "树大小应在 1 到 %lld 之间", (long long)hd.size);
	if (seq < 1 || seq > size)
		return zf_fail(err, ZF_EINVAL, "invalid_proof_request", "entry",
			       "条目序号应在 1 到 %lld 之间", (long long)size);
	if (st->ops->node_get(st, org_id, 0, (uint64_t)seq - 1, leaf))
		return tree_corrupt(err);
	if ((rc = merkle_inclusion_proof_build(hd.h, (uint64_t)seq - 1, (uint64_t)size,
					       get_node, &a, proof, &n, err)))
		return rc == ZF_ENOTFOUND ? tree_corrupt(err) : rc;
	*out = json_pack("{sI sI so so ss}", "leaf_index", (json_int_t)(seq - 1),
			 "tree_size", (json_int_t)size, "leaf_hash",
			 b64_json(leaf, LEDGER_HASH_LEN), "hashes", hashes_json(proof, n),
			 "alg", ledger_alg_code(hd.alg));
	return *out ? ZF_OK : store__oom(err);
}

int store_ledger_consistency(struct store *st, const char *org_id, int64_t m, int64_t n,
			     json_t **out, struct zf_error *err)
{
	struct head hd;
	struct node_arg a = {st, org_id};
	uint8_t proof[MERKLE_PROOF_MAX * LEDGER_HASH_LEN];
	size_t np = 0;
	int rc = read_head(st, org_id, &hd, err);
	if (rc)
		return rc;
	if (n > hd.size || n < 1)
		return zf_fail(err, ZF_EINVAL, "invalid_proof_request", "to",
			       "树大小应在 1 到 %lld 之间", (long long)hd.size);
	if ((rc = merkle_consistency_proof_build(hd.h, (uint64_t)(m < 0 ? 0 : m), (uint64_t)n,
						 get_node, &a, proof, &np, err)))
		return rc == ZF_ENOTFOUND ? tree_corrupt(err) : rc;
	*out = json_pack("{sI sI so ss}", "first", (json_int_t)m, "second", (json_int_t)n,
			 "hashes", hashes_json(proof, np), "alg", ledger_alg_code(hd.alg));
	return *out ? ZF_OK : store__oom(err);
}

struct one_entry {
	json_t *out;
};

static int take_entry(void *arg, int64_t seq, const char *bytes, size_t len,
		      const uint8_t leaf[LEDGER_HASH_LEN])
{
	struct one_entry *o = arg;
	json_t *e = json_loadb(bytes, len, 0, NULL);
	o->out = json_pack("{sI so ss% so}", "seq", (json_int_t)seq, "entry",
			   e ? e : json_null(), "canonical", bytes, len, "leaf_hash",
			   b64_json(leaf, LEDGER_HASH_LEN));
	return o->out ? ZF_OK : ZF_ENOMEM;
}

int store_ledger_entry(struct store *st, const char *org_id, int64_t seq, json_t **out,
		       struct zf_error *err)
{
	struct one_entry o = {NULL};
	int rc;
	if (seq < 1)
		return zf_fail(err, ZF_EINVAL, "invalid_number", "entry", "条目序号应从 1 开始");
	if ((rc = st->ops->ledger_read(st, org_id, seq - 1, 1, take_entry, &o, err)))
		return rc;
	if (!o.out)
		return zf_fail(err, ZF_ENOTFOUND, "entry_not_found", "entry",
			       "账本中没有第 %lld 条", (long long)seq);
	*out = o.out;
	return ZF_OK;
}

/* ---- verification of the tree and the checkpoints --------------------- */

#define TREE_PROBLEMS_MAX 50

struct cp_item {
	struct checkpoint cp;
	bool external;
};

struct store_tree_check {
	struct store *st;
	const char *org_id;
	struct ledger_hasher *h;
	struct merkle_frontier fr;
	json_t *problems;
	size_t reported;
	struct cp_item *cps;
	size_t ncps, next;
	EVP_PKEY *key;
	char *key_name;
	EVP_PKEY **keys;	/* every key of the organisation, oldest first */
	size_t nkeys;
	/* the stored nodes in stored order, and the one read last */
	struct store_node_cursor *cur;
	bool cur_has, cur_ok;
	int64_t cur_level, cur_idx;
	uint8_t cur_hash[LEDGER_HASH_LEN];
};

static void tree_problem(struct store_tree_check *tc, const char *code, int64_t at,
			 const char *msg)
{
	if (tc->reported++ >= TREE_PROBLEMS_MAX)
		return;
	json_array_append_new(tc->problems, json_pack("{sI ss ss}", "tree_size",
						      (json_int_t)at, "code", code,
						      "message", msg));
}

static int add_cp(struct store_tree_check *tc, const char *text, size_t len,
		  bool external, EVP_PKEY *key, const char *name)
{
	struct cp_item *items = zf_realloc(tc->cps, (tc->ncps + 1) * sizeof(*items));
	struct zf_error e;
	if (!items)
		return ZF_ENOMEM;
	tc->cps = items;
	struct cp_item *it = &tc->cps[tc->ncps];
	it->external = external;
	if (checkpoint_parse(text, len, &it->cp, &e)) {
		tree_problem(tc, "checkpoint_unreadable", 0, "检查点无法解析");
		return ZF_OK;
	}
	if (!key || checkpoint_verify(text, len, name, key, &it->cp, &e)) {
		tree_problem(tc, "checkpoint_signature_invalid", (int64_t)it->cp.size,
			     external ? "外部保存的检查点签名无效或与所给公钥不符"
				      : "检查点签名无效：检查点被伪造或改动");
		return ZF_OK;
	}
	tc->ncps++;
	return ZF_OK;
}

static int add_db_cp(void *arg, const char *text, size_t len)
{
	struct store_tree_check *tc = arg;
	struct checkpoint cp;
	/* each checkpoint is checked with the key that signed it */
	for (size_t i = 0; i < tc->nkeys; i++)
		if (!checkpoint_verify(text, len, tc->key_name, tc->keys[i], &cp, NULL))
			return add_cp(tc, text, len, false, tc->keys[i], tc->key_name);
	return add_cp(tc, text, len, false, tc->key, tc->key_name);
}

static int add_key(void *arg, const char *text, size_t len)
{
	struct store_tree_check *tc = arg;
	EVP_PKEY *k = NULL, **keys;
	if (checkpoint_key_from_public_pem(text, len, &k, NULL))
		return ZF_OK;	/* the newest one's problem is reported below */
	if (!(keys = zf_realloc(tc->keys, (tc->nkeys + 1) * sizeof(*keys)))) {
		EVP_PKEY_free(k);
		return ZF_ENOMEM;
	}
	tc->keys = keys;
	tc->keys[tc->nkeys++] = k;
	return ZF_OK;
}

static int cp_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct cp_item *)a)->cp.size;
	uint64_t y = ((const struct cp_item *)b)->cp.size;
	return x < y ? -1 : x > y;
}

struct store_tree_check *store__tree_check_new(struct store *st, const char *org_id,
					       struct ledger_hasher *h, json_t *problems,
					       const char *note, size_t note_len,
					       const char *pem, size_t pem_len)
{
	struct store_tree_check *tc = zf_calloc(1, sizeof(*tc));
	char id[REG_ID_LEN], *kpem = NULL;
	struct zf_error e;
	if (!tc)
		return NULL;
	tc->st = st;
	tc->org_id = org_id;
	tc->h = h;
	tc->problems = problems;
	merkle_frontier_init(&tc->fr);
	if (!st->ops->key_latest(st, org_id, id, &tc->key_name, &kpem, &e) &&
	    checkpoint_key_from_public_pem(kpem, strlen(kpem), &tc->key, &e))
		tree_problem(tc, "ledger_key_unreadable", 0, "账本公钥无法读取");
	zf_free(kpem);
	if (st->ops->key_pems(st, org_id, add_key, tc, &e))
		tree_problem(tc, "ledger_key_unreadable", 0, "账本公钥无法读取");
	if (st->ops->checkpoints(st, org_id, add_db_cp, tc, &e))
		tree_problem(tc, "checkpoint_unreadable", 0, "检查点无法读取");
	if (note) {
		EVP_PKEY *ext = NULL;
		char *origin = NULL;
		if (checkpoint_key_from_public_pem(pem, pem_len, &ext, &e) ||
		    store_ledger_origin(st, org_id, &origin, &e))
			tree_problem(tc, "checkpoint_signature_invalid", 0, "所给公钥无法读取");
		else
			add_cp(tc, note, note_len, true, ext, origin);
		EVP_PKEY_free(ext);
		zf_free(origin);
	}
	if (tc->ncps > 1)
		qsort(tc->cps, tc->ncps, sizeof(*tc->cps), cp_cmp);
	if (st->ops->node_cursor_open && st->ops->node_cursor_open(st, org_id, &tc->cur, &e))
		tc->cur = NULL;	/* read node by node instead */
	return tc;
}

/*
 * Where a node comes in the order appends store nodes: node (level, idx)
 * is completed by leaf (idx + 1) << level, after the lower levels the same
 * leaf completes.  Rows that are no node of any tree sort first.
 */
static bool node_key(int64_t level, int64_t idx, uint64_t *leaf)
{
	if (level < 1 || level >= 64 || idx < 0 ||
	    (uint64_t)idx >= (UINT64_MAX >> level))
		return false;
	*leaf = ((uint64_t)idx + 1) << level;
	return true;
}

/*
 * The stored node (level, idx), as node_get would read it.  Nodes come from
 * the cursor while it is at the node expected; a row it holds that sorts
 * before (checked already, by key, or no node of this tree) is passed
 * over; when it is ahead (the node is missing or was stored out of order)
 * the node is read by its key.  Either way the row read is the one row
 * with that key, so the result is the same as node_get's.
 */
static int tc_node(struct store_tree_check *tc, unsigned level, uint64_t idx,
		   uint8_t out[LEDGER_HASH_LEN])
{
	uint64_t want = (idx + 1) << level, have;
	while (tc->cur) {
		if (!tc->cur_has) {
			if (tc->st->ops->node_cursor_next(tc->cur, &tc->cur_level, &tc->cur_idx,
							  tc->cur_hash, &tc->cur_ok)) {
				tc->st->ops->node_cursor_close(tc->cur);
				tc->cur = NULL;
				break;
			}
			tc->cur_has = true;
		}
		if (!node_key(tc->cur_level, tc->cur_idx, &have) || have < want ||
		    (have == want && tc->cur_level < (int64_t)level)) {
			tc->cur_has = false;
			continue;
		}
		if (have == want && tc->cur_level == (int64_t)level) {
			tc->cur_has = false;
			if (!tc->cur_ok)
				return ZF_ENOTFOUND;
			memcpy(out, tc->cur_hash, LEDGER_HASH_LEN);
			return ZF_OK;
		}
		break;
	}
	return tc->st->ops->node_get(tc->st, tc->org_id, level, idx, out);
}

void store__tree_check_leaf(struct store_tree_check *tc, const uint8_t leaf[LEDGER_HASH_LEN])
{
	struct merkle_node done[MERKLE_APPEND_MAX];
	size_t n = 0;
	uint8_t stored[LEDGER_HASH_LEN];
	if (merkle_frontier_append(tc->h, &tc->fr, leaf, done, &n)) {
		tree_problem(tc, "ledger_tree_failed", (int64_t)tc->fr.size, "无法计算默克尔树");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!done[i].level)
			continue;
		if (tc_node(tc, done[i].level, done[i].index, stored))
			tree_problem(tc, "ledger_node_missing", (int64_t)tc->fr.size,
				     "默克尔树节点缺失：被删除");
		else if (memcmp(stored, done[i].hash, LEDGER_HASH_LEN))
			tree_problem(tc, "ledger_node_mismatch", (int64_t)tc->fr.size,
				     "默克尔树节点与条目重算的结果不符：被改动");
	}
	while (tc->next < tc->ncps && tc->cps[tc->next].cp.size == tc->fr.size) {
		uint8_t root[LEDGER_HASH_LEN];
		const struct cp_item *it = &tc->cps[tc->next++];
		if (merkle_frontier_root(tc->h, &tc->fr, root) ||
		    memcmp(root, it->cp.root, LEDGER_HASH_LEN))
			tree_problem(tc, "checkpoint_root_mismatch", (int64_t)tc->fr.size,
				     it->external ? "账本与外部保存的检查点不一致：历史被改写"
						  : "账本与已签名的检查点不一致：历史被改写");
	}
}

void store__tree_check_finish(struct store_tree_check *tc)
{
	if (!tc)
		return;
	for (; tc->next < tc->ncps; tc->next++)
		tree_problem(tc, "ledger_truncated", (int64_t)tc->cps[tc->next].cp.size,
			     tc->cps[tc->next].external
			     ? "账本比外部保存的检查点还短：条目被删除"
			     : "账本比已签名的检查点还短：条目被删除");
	if (tc->cur)
		tc->st->ops->node_cursor_close(tc->cur);
	EVP_PKEY_free(tc->key);
	for (size_t i = 0; i < tc->nkeys; i++)
		EVP_PKEY_free(tc->keys[i]);
	zf_free(tc->keys);
	zf_free(tc->key_name);
	zf_free(tc->cps);
	zf_free(tc);
}
