/*
 * Tests for the ledger issue's tree, proofs and checkpoints as the store
 * keeps them (src/store/store_ledger.c), through store.h, against a fresh
 * SQLite file per test (a directory from mkdtemp under /tmp, removed after).
 * The only way in past store.h is the test build's raw SQL hook of
 * store_int.h, used once to delete the stored tree.
 *
 * The store's answers are checked against recomputations done here from
 * the entries alone, with merkle.h's naive definitions and verifiers:
 *   - RFC 9162 §2.1.1: every leaf hash is H(0x00 || entry bytes) of the
 *     canonical entry store_ledger_entry returns, and after each of 40
 *     mutations the head's root is MTH over the leaf hashes
 *     (merkle_root_naive), for an SM3 and for a SHA-256 organisation;
 *   - §2.1.3: the inclusion proof of every entry in every tree size
 *     (1 <= seq <= size <= n) verifies (§2.1.3.2) against the naive root of
 *     that size, and fails for a wrong leaf, index or root;
 *   - §2.1.4: the consistency proof of every pair of sizes m <= n verifies
 *     (§2.1.4.2) between the naive roots;
 *   - C2SP tlog-checkpoint / signed-note: store_ledger_keygen +
 *     store_ledger_checkpoint give a note checkpoint_verify accepts with the
 *     public key of store_ledger_pubkey under the key name = the origin of
 *     store_ledger_origin; SM2 for an SM3 log, Ed25519 for a SHA-256 log; a
 *     second checkpoint is consistent with the first; the same head signed
 *     twice gives the same note; a foreign key is refused;
 *   - the tree's backfill: with every ledger_node row deleted, the store
 *     cannot compute the head, and reopening the file rebuilds the nodes of
 *     every organisation (store_open), after which verify and the proofs
 *     are as before;
 *   - bad proof requests name the field (invalid_proof_request).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "b64.h"
#include "checkpoint.h"
#include "merkle.h"
#include "store.h"
#include "store_int.h"

#define NOW "2025-03-01T10:00:00+08:00"
#define HL LEDGER_HASH_LEN
/* mutations after the organisation's own entries (RFC 9162 trees up to
 * 44 leaves: every shape of the right edge up to 32 + 8 + 4) */
#define MUTATIONS 40
#define MAX_LEAVES 64

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct zf_ctx ctx;
	int devices;		/* devices added so far, for unique codes */
};

/* ---- helpers ---- */

static void must(int rc, const struct zf_error *err, const char *what)
{
	if (rc != ZF_OK)
		fail_msg("%s: rc %d %s/%s: %s", what, rc, err->code, err->field,
			 err->message);
}

/* The refusal must carry the code, the field, and a message for a person. */
static void expect_error(int rc, const struct zf_error *err, const char *code,
			 const char *field)
{
	if (rc == ZF_OK || err->rc != rc || strcmp(err->code, code) != 0 ||
	    strcmp(err->field, field) != 0)
		fail_msg("got rc %d (%d %s/%s: %s), want %s/%s", rc, err->rc, err->code,
			 err->field, err->message, code, field);
	assert_true(err->message[0] != '\0');
}

static char *sdup(const char *s)
{
	char *p = zf_strdup(s);

	assert_non_null(p);
	return p;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t jint(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	assert_true(json_is_integer(v));
	return (int64_t)json_integer_value(v);
}

/* A base64 string of exactly one hash. */
static void unb64(const char *s, uint8_t out[HL])
{
	size_t got = 0;

	assert_non_null(s);
	assert_true(b64_decode(s, strlen(s), out, HL, &got));
	assert_int_equal(got, HL);
}

/* A proof's "hashes", flat (merkle.h), and their number. */
static size_t proof_hashes(const json_t *proof, uint8_t out[MERKLE_PROOF_MAX * HL])
{
	const json_t *a = json_object_get(proof, "hashes");
	size_t n = json_array_size(a);

	assert_true(json_is_array(a));
	assert_true(n <= MERKLE_PROOF_MAX);
	for (size_t i = 0; i < n; i++)
		unb64(json_string_value(json_array_get(a, i)), out + i * HL);
	return n;
}

static enum ledger_alg org_alg(const char *code)
{
	return strcmp(code, "sha256") == 0 ? LEDGER_SHA256 : LEDGER_SM3;
}

/* Create an organisation with hash algorithm alg ("sm3" or "sha256"); the
 * ctx acts for it from now on. */
static void make_org(struct fx *f, const char *name, const char *division,
		     const char *abbr, const char *alg)
{
	struct org o;
	struct zf_error err;

	memset(&o, 0, sizeof(o));
	o.name = sdup(name);
	o.level = sdup("county");
	o.division_code = sdup(division);
	o.doc_abbr = sdup(abbr);
	o.hash_alg = sdup(alg);
	must(store_org_create(f->st, &f->ctx, &o, &err), &err, "store_org_create");
	zf_strlcpy(f->ctx.org_id, o.id, sizeof(f->ctx.org_id));
	org_release(&o);
}

/* One mutation: a body camera with a new code. */
static void add_device(struct fx *f)
{
	struct device d;
	struct zf_error err;
	char code[32];

	snprintf(code, sizeof(code), "DSJ-%02d", ++f->devices);
	memset(&d, 0, sizeof(d));
	d.code = sdup(code);
	d.kind = sdup("body_camera");
	d.name = sdup("执法记录仪");
	must(store_device_add(f->st, &f->ctx, &d, &err), &err, "store_device_add");
	device_release(&d);
}

static int64_t ledger_size(struct fx *f)
{
	struct zf_error err;
	int64_t n = -1;

	must(store_ledger_size(f->st, f->ctx.org_id, &n, &err), &err, "store_ledger_size");
	return n;
}

/* The head: size and root (RFC 9162 §2.1.1 MTH of the whole log). */
static int64_t head(struct fx *f, uint8_t root[HL], const char *alg)
{
	struct zf_error err;
	json_t *h = NULL;
	char hex[LEDGER_HEX_LEN];

	must(store_ledger_head(f->st, f->ctx.org_id, &h, &err), &err, "store_ledger_head");
	int64_t size = jint(h, "size");
	unb64(jstr(h, "root"), root);
	ledger_hex(root, HL, hex);
	assert_string_equal(jstr(h, "root_hex"), hex);
	assert_string_equal(jstr(h, "alg"), alg);
	json_decref(h);
	return size;
}

/*
 * Leaf hashes of entries from+1..n into leaves[from..n): from
 * store_ledger_entry, each checked to be H(0x00 || the canonical bytes)
 * (RFC 9162 §2.1.1) with a hasher of our own.
 */
static void read_leaves(struct fx *f, struct ledger_hasher *h, int64_t from, int64_t n,
			uint8_t *leaves)
{
	struct zf_error err;

	assert_true(n <= MAX_LEAVES);
	for (int64_t seq = from + 1; seq <= n; seq++) {
		json_t *e = NULL;
		uint8_t mine[HL];

		must(store_ledger_entry(f->st, f->ctx.org_id, seq, &e, &err), &err,
		     "store_ledger_entry");
		assert_int_equal(jint(e, "seq"), seq);
		const json_t *canon = json_object_get(e, "canonical");
		assert_true(json_is_string(canon));
		unb64(jstr(e, "leaf_hash"), leaves + (seq - 1) * HL);
		assert_int_equal(ledger_leaf_hash(h, json_string_value(canon),
						  json_string_length(canon), mine), ZF_OK);
		assert_memory_equal(mine, leaves + (seq - 1) * HL, HL);
		json_decref(e);
	}
}

/* MTH(D[0:size]) recomputed here (RFC 9162 §2.1.1). */
static void naive_root(struct ledger_hasher *h, const uint8_t *leaves, int64_t size,
		       uint8_t out[HL])
{
	assert_int_equal(merkle_root_naive(h, leaves, (uint64_t)size, out), ZF_OK);
}

/* Every inclusion proof of a tree of n leaves (§2.1.3). */
static void check_inclusion_all(struct fx *f, struct ledger_hasher *h, const char *alg,
				const uint8_t *leaves, int64_t n)
{
	struct zf_error err;
	uint8_t root[HL], other[HL], proof[MERKLE_PROOF_MAX * HL];

	for (int64_t size = 1; size <= n; size++) {
		naive_root(h, leaves, size, root);
		for (int64_t seq = 1; seq <= size; seq++) {
			json_t *p = NULL;
			uint8_t leaf[HL];
			uint64_t idx = (uint64_t)seq - 1;

			must(store_ledger_prove(f->st, f->ctx.org_id, seq, size, &p, &err), &err,
			     "store_ledger_prove");
			assert_int_equal(jint(p, "leaf_index"), seq - 1);
			assert_int_equal(jint(p, "tree_size"), size);
			assert_string_equal(jstr(p, "alg"), alg);
			unb64(jstr(p, "leaf_hash"), leaf);
			assert_memory_equal(leaf, leaves + idx * HL, HL);
			size_t np = proof_hashes(p, proof);
			json_decref(p);
			if (!merkle_inclusion_verify(h, idx, (uint64_t)size, leaf, proof, np, root))
				fail_msg("%s: inclusion proof of entry %lld in size %lld does not verify",
					 alg, (long long)seq, (long long)size);
			/* and it proves nothing else: another leaf, index or root */
			if (size > 1) {
				uint64_t j = (idx + 1) % (uint64_t)size;
				assert_false(merkle_inclusion_verify(h, idx, (uint64_t)size,
								     leaves + j * HL, proof, np,
								     root));
				assert_false(merkle_inclusion_verify(h, j, (uint64_t)size, leaf,
								     proof, np, root));
			}
			memcpy(other, root, HL);
			other[HL - 1] ^= 0x01;
			assert_false(merkle_inclusion_verify(h, idx, (uint64_t)size, leaf, proof,
							     np, other));
		}
	}
}

/* Every consistency proof between sizes 1 <= m <= size <= n (§2.1.4). */
static void check_consistency_all(struct fx *f, struct ledger_hasher *h, const char *alg,
				  const uint8_t *leaves, int64_t n)
{
	struct zf_error err;
	uint8_t roots[MAX_LEAVES + 1][HL], proof[MERKLE_PROOF_MAX * HL];

	for (int64_t size = 1; size <= n; size++)
		naive_root(h, leaves, size, roots[size]);
	for (int64_t size = 1; size <= n; size++) {
		for (int64_t m = 1; m <= size; m++) {
			json_t *p = NULL;

			must(store_ledger_consistency(f->st, f->ctx.org_id, m, size, &p, &err),
			     &err, "store_ledger_consistency");
			assert_int_equal(jint(p, "first"), m);
			assert_int_equal(jint(p, "second"), size);
			assert_string_equal(jstr(p, "alg"), alg);
			size_t np = proof_hashes(p, proof);
			json_decref(p);
			if (m == size)
				assert_int_equal(np, 0);
			if (!merkle_consistency_verify(h, (uint64_t)m, (uint64_t)size, roots[m],
						       roots[size], proof, np))
				fail_msg("%s: consistency proof %lld -> %lld does not verify", alg,
					 (long long)m, (long long)size);
			/* a tree that is not the prefix: another first root */
			if (m < size)
				assert_false(merkle_consistency_verify(h, (uint64_t)m,
								       (uint64_t)size,
								       roots[m == 1 ? 2 : m - 1],
								       roots[size], proof, np));
		}
	}
}

/* ---- fixtures ---- */

static int open_store(struct fx *f, bool create)
{
	struct store_opts opts = {.create = create};
	struct zf_error err;

	if (store_open(f->path, &opts, &f->st, &err) != ZF_OK) {
		fprintf(stderr, "store_open: %s/%s: %s\n", err.code, err.field, err.message);
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	struct fx *f = zf_calloc(1, sizeof(*f));
	struct zf_error err;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/zf-test-ledger-XXXXXX");
	if (!mkdtemp(f->dir)) {
		zf_free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/zhifa.db", f->dir);
	if (open_store(f, true)) {
		rmdir(f->dir);
		zf_free(f);
		return -1;
	}
	if (instant_parse(NOW, &f->ctx.now_us, "now", &err) != ZF_OK)
		return -1;
	zf_strlcpy(f->ctx.actor, "test", sizeof(f->ctx.actor));
	zf_strlcpy(f->ctx.role, "system_admin", sizeof(f->ctx.role));
	*state = f;
	return 0;
}

static void remove_file(const char *dir, const char *name)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int rc;

	store_close(f->st);
	remove_file(f->dir, "zhifa.db");
	remove_file(f->dir, "zhifa.db-wal");
	remove_file(f->dir, "zhifa.db-shm");
	remove_file(f->dir, "zhifa.db-journal");
	rc = rmdir(f->dir);
	zf_free(f);
	return rc == 0 ? 0 : -1;
}

/* ledger-invariants rules 3, 4 and 6 and the ledger issue's tree and
 * checkpoint checks: the whole log re-reads clean. */
static void assert_verify_ok(struct fx *f, const char *note, const char *pem)
{
	struct store_verify r;
	struct zf_error err;

	must(store_ledger_verify_against(f->st, f->ctx.org_id, note, note ? strlen(note) : 0,
					 pem, pem ? strlen(pem) : 0, &r, &err),
	     &err, "store_ledger_verify_against");
	assert_non_null(r.problems);
	if (json_array_size(r.problems) != 0) {
		char *dump = json_dumps(r.problems, JSON_COMPACT);

		fprintf(stderr, "verify problems: %s\n", dump ? dump : "?");
		free(dump);
		store_verify_release(&r);
		fail_msg("ledger verify found problems");
	}
	assert_int_equal(r.entries, ledger_size(f));
	store_verify_release(&r);
}

/* ---- a. the tree over 40 mutations, both digests ---- */

static void check_tree(struct fx *f, const char *alg)
{
	struct ledger_hasher *h = ledger_hasher_new(org_alg(alg));
	uint8_t leaves[MAX_LEAVES * HL], root[HL], want[HL];
	int64_t have = 0, n;

	assert_non_null(h);
	/* the organisation's own entries (org.create, calendar years) first */
	n = head(f, root, alg);
	assert_true(n >= 1);
	read_leaves(f, h, 0, n, leaves);
	naive_root(h, leaves, n, want);
	assert_memory_equal(root, want, HL);
	have = n;
	for (int k = 1; k <= MUTATIONS; k++) {
		add_device(f);
		n = head(f, root, alg);
		assert_int_equal(n, have + 1);
		read_leaves(f, h, have, n, leaves);
		have = n;
		naive_root(h, leaves, n, want);
		if (memcmp(root, want, HL) != 0)
			fail_msg("%s: after %d mutations the head root (size %lld) is not MTH",
				 alg, k, (long long)n);
	}
	assert_verify_ok(f, NULL, NULL);
	check_inclusion_all(f, h, alg, leaves, n);
	check_consistency_all(f, h, alg, leaves, n);
	ledger_hasher_free(h);
}

static void test_tree_sm3(void **state)
{
	struct fx *f = *state;

	make_org(f, "杭锦后旗交通运输局", "150826", "杭交", "sm3");
	check_tree(f, "sm3");
}

/* SHA-256 logs are plain RFC 9162: the same checks, the same verifier. */
static void test_tree_sha256(void **state)
{
	struct fx *f = *state;

	make_org(f, "临河区交通运输局", "150802", "临交", "sha256");
	check_tree(f, "sha256");
}

/* ---- b. keys and checkpoints (C2SP tlog-checkpoint) ---- */

/* Sign the head; the note must verify with the public key under the origin,
 * name the head's size and root, and be the newest stored. */
static char *take_checkpoint(struct fx *f, const char *priv, size_t len, EVP_PKEY *pub,
			     const char *origin, const char *alg, struct checkpoint *cp)
{
	struct zf_error err;
	json_t *out = NULL;
	uint8_t root[HL];
	char hex[LEDGER_HEX_LEN], *latest = NULL;

	must(store_ledger_checkpoint(f->st, &f->ctx, priv, len, &out, &err), &err,
	     "store_ledger_checkpoint");
	int64_t size = head(f, root, alg);
	assert_int_equal(jint(out, "size"), size);
	ledger_hex(root, HL, hex);
	assert_string_equal(jstr(out, "root_hex"), hex);
	assert_string_equal(jstr(out, "origin"), origin);
	char *note = sdup(jstr(out, "note"));
	json_decref(out);
	if (checkpoint_verify(note, strlen(note), origin, pub, cp, &err) != ZF_OK)
		fail_msg("checkpoint does not verify: %s/%s: %s\n%s", err.code, err.field,
			 err.message, note);
	assert_string_equal(cp->origin, origin);
	assert_int_equal(cp->size, (uint64_t)size);
	assert_memory_equal(cp->root, root, HL);
	must(store_ledger_checkpoint_latest(f->st, f->ctx.org_id, &latest, &err), &err,
	     "store_ledger_checkpoint_latest");
	assert_string_equal(latest, note);
	zf_free(latest);
	return note;
}

static void check_checkpoints(struct fx *f, const char *alg)
{
	struct zf_error err;
	struct ledger_hasher *h = ledger_hasher_new(org_alg(alg));
	enum checkpoint_alg want_alg = org_alg(alg) == LEDGER_SM3 ? CHECKPOINT_SM2
								  : CHECKPOINT_ED25519;
	struct buf priv, other_pem;
	EVP_PKEY *pub = NULL, *other = NULL;
	enum checkpoint_alg got_alg;
	json_t *out = NULL;
	char *origin = NULL, *note1, *note2, *again, *no = NULL, want_origin[256];
	struct checkpoint cp1, cp2;
	uint8_t proof[MERKLE_PROOF_MAX * HL];

	assert_non_null(h);
	buf_init(&priv, 8192);
	buf_init(&other_pem, 8192);
	/* the origin, also the key's name: zhifa/<division>/<org id> */
	must(store_ledger_origin(f->st, f->ctx.org_id, &origin, &err), &err,
	     "store_ledger_origin");
	snprintf(want_origin, sizeof(want_origin), "zhifa/%s/%s",
		 org_alg(alg) == LEDGER_SM3 ? "150826" : "150802", f->ctx.org_id);
	assert_string_equal(origin, want_origin);

	/* no key yet: nothing to sign with, nothing signed */
	assert_int_equal(checkpoint_key_generate(want_alg, &other, &err), ZF_OK);
	assert_int_equal(checkpoint_key_private_pem(other, &other_pem, &err), ZF_OK);
	expect_error(store_ledger_pubkey(f->st, f->ctx.org_id, &out, &err), &err,
		     "ledger_key_missing", "key");
	expect_error(store_ledger_checkpoint(f->st, &f->ctx, buf_cstr(&other_pem),
					     other_pem.len, &out, &err),
		     &err, "ledger_key_missing", "key");
	expect_error(store_ledger_checkpoint_latest(f->st, f->ctx.org_id, &no, &err), &err,
		     "no_checkpoint", "checkpoint");

	for (int k = 0; k < 5; k++)
		add_device(f);

	/* keygen: one entry (ledger.key); the private key only comes back */
	int64_t before = ledger_size(f);
	must(store_ledger_keygen(f->st, &f->ctx, &priv, &out, &err), &err,
	     "store_ledger_keygen");
	assert_int_equal(ledger_size(f), before + 1);
	assert_string_equal(jstr(out, "alg"), checkpoint_alg_code(want_alg));
	assert_string_equal(jstr(out, "key_name"), origin);
	json_decref(out);
	assert_non_null(strstr(buf_cstr(&priv), "-----BEGIN PRIVATE KEY-----"));

	must(store_ledger_pubkey(f->st, f->ctx.org_id, &out, &err), &err,
	     "store_ledger_pubkey");
	assert_string_equal(jstr(out, "key_name"), origin);
	assert_string_equal(jstr(out, "alg"), checkpoint_alg_code(want_alg));
	assert_non_null(jstr(out, "key_id"));
	const char *pem = jstr(out, "public_pem");
	must(checkpoint_key_from_public_pem(pem, strlen(pem), &pub, &err), &err,
	     "checkpoint_key_from_public_pem");
	assert_true(checkpoint_key_alg(pub, &got_alg));
	assert_int_equal(got_alg, want_alg);
	char *pub_pem = sdup(pem);
	json_decref(out);

	note1 = take_checkpoint(f, buf_cstr(&priv), priv.len, pub, origin, alg, &cp1);
	/* a proof for size 0 is a proof in the newest checkpoint's tree */
	must(store_ledger_prove(f->st, f->ctx.org_id, 1, 0, &out, &err), &err,
	     "store_ledger_prove size 0");
	assert_int_equal(jint(out, "tree_size"), (int64_t)cp1.size);
	json_decref(out);

	/* the same head again: the same note */
	must(store_ledger_checkpoint(f->st, &f->ctx, buf_cstr(&priv), priv.len, &out, &err),
	     &err, "store_ledger_checkpoint again");
	again = sdup(jstr(out, "note"));
	json_decref(out);
	assert_string_equal(again, note1);
	zf_free(again);

	/* more entries, a second checkpoint, consistent with the first (§2.1.4) */
	for (int k = 0; k < 7; k++)
		add_device(f);
	note2 = take_checkpoint(f, buf_cstr(&priv), priv.len, pub, origin, alg, &cp2);
	assert_int_equal(cp2.size, cp1.size + 7);
	must(store_ledger_consistency(f->st, f->ctx.org_id, (int64_t)cp1.size,
				      (int64_t)cp2.size, &out, &err),
	     &err, "store_ledger_consistency");
	size_t np = proof_hashes(out, proof);
	json_decref(out);
	assert_true(merkle_consistency_verify(h, cp1.size, cp2.size, cp1.root, cp2.root, proof,
					      np));
	must(store_ledger_prove(f->st, f->ctx.org_id, 2, 0, &out, &err), &err,
	     "store_ledger_prove size 0");
	assert_int_equal(jint(out, "tree_size"), (int64_t)cp2.size);
	json_decref(out);

	/* the log verifies, also against each checkpoint kept outside */
	assert_verify_ok(f, NULL, NULL);
	assert_verify_ok(f, note1, pub_pem);
	assert_verify_ok(f, note2, pub_pem);

	/* a key that is not the registered one, or no key at all, signs nothing */
	expect_error(store_ledger_checkpoint(f->st, &f->ctx, buf_cstr(&other_pem),
					     other_pem.len, &out, &err),
		     &err, "key_mismatch", "key");
	expect_error(store_ledger_checkpoint(f->st, &f->ctx, pub_pem, strlen(pub_pem), &out,
					     &err),
		     &err, "invalid_key", "key");
	must(store_ledger_checkpoint_latest(f->st, f->ctx.org_id, &no, &err), &err,
	     "store_ledger_checkpoint_latest");
	assert_string_equal(no, note2);
	zf_free(no);

	OPENSSL_cleanse(priv.data, priv.len);
	OPENSSL_cleanse(other_pem.data, other_pem.len);
	buf_release(&priv);
	buf_release(&other_pem);
	EVP_PKEY_free(pub);
	EVP_PKEY_free(other);
	zf_free(pub_pem);
	zf_free(note1);
	zf_free(note2);
	zf_free(origin);
	ledger_hasher_free(h);
}

static void test_checkpoints_sm3(void **state)
{
	struct fx *f = *state;

	make_org(f, "杭锦后旗交通运输局", "150826", "杭交", "sm3");
	check_checkpoints(f, "sm3");
}

static void test_checkpoints_sha256(void **state)
{
	struct fx *f = *state;

	make_org(f, "临河区交通运输局", "150802", "临交", "sha256");
	check_checkpoints(f, "sha256");
}

/* ---- c. the tree rebuilt when the file is reopened ---- */

struct org_tree {
	char id[REG_ID_LEN];
	const char *alg;
	int64_t size;
	uint8_t root[HL];
	uint8_t leaves[MAX_LEAVES * HL];
};

static void test_backfill(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	struct org_tree t[2] = {{.alg = "sm3"}, {.alg = "sha256"}};
	json_t *out = NULL;

	make_org(f, "杭锦后旗交通运输局", "150826", "杭交", "sm3");
	zf_strlcpy(t[0].id, f->ctx.org_id, sizeof(t[0].id));
	for (int k = 0; k < 20; k++)
		add_device(f);
	make_org(f, "临河区交通运输局", "150802", "临交", "sha256");
	zf_strlcpy(t[1].id, f->ctx.org_id, sizeof(t[1].id));
	for (int k = 0; k < 13; k++)
		add_device(f);
	for (int i = 0; i < 2; i++) {
		struct ledger_hasher *h = ledger_hasher_new(org_alg(t[i].alg));
		uint8_t want[HL];

		assert_non_null(h);
		zf_strlcpy(f->ctx.org_id, t[i].id, sizeof(f->ctx.org_id));
		t[i].size = head(f, t[i].root, t[i].alg);
		read_leaves(f, h, 0, t[i].size, t[i].leaves);
		naive_root(h, t[i].leaves, t[i].size, want);
		assert_memory_equal(t[i].root, want, HL);
		ledger_hasher_free(h);
	}
	/* neither size is a power of two: the head needs stored nodes */
	assert_true(t[0].size & (t[0].size - 1));
	assert_true(t[1].size & (t[1].size - 1));

	/* the whole tree deleted behind the store's back; ledger_node is derived
	 * data, exempt from the commit hook's one-entry rule */
	long refusals = store__sqlite_hook_refusals(f->st);
	assert_int_equal(store__sqlite_exec_raw(f->st, "DROP TRIGGER ledger_node_no_delete; "
						       "DELETE FROM ledger_node"),
			 ZF_OK);
	assert_int_equal(store__sqlite_hook_refusals(f->st), refusals);
	for (int i = 0; i < 2; i++) {
		int rc = store_ledger_head(f->st, t[i].id, &out, &err);
		expect_error(rc, &err, "ledger_tree_corrupt", "");
	}

	/* reopened: every organisation's nodes are back */
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_store(f, false), 0);
	for (int i = 0; i < 2; i++) {
		struct ledger_hasher *h = ledger_hasher_new(org_alg(t[i].alg));
		uint8_t root[HL];

		assert_non_null(h);
		zf_strlcpy(f->ctx.org_id, t[i].id, sizeof(f->ctx.org_id));
		assert_int_equal(head(f, root, t[i].alg), t[i].size);
		assert_memory_equal(root, t[i].root, HL);
		assert_verify_ok(f, NULL, NULL);
		check_inclusion_all(f, h, t[i].alg, t[i].leaves, t[i].size);
		check_consistency_all(f, h, t[i].alg, t[i].leaves, t[i].size);
		ledger_hasher_free(h);
	}
	/* and the log grows on from the rebuilt tree */
	add_device(f);
	assert_verify_ok(f, NULL, NULL);
}

/* ---- d. bad proof requests ---- */

static void test_bad_requests(void **state)
{
	struct fx *f = *state;
	struct zf_error err;
	json_t *out = NULL;
	uint8_t root[HL];

	make_org(f, "杭锦后旗交通运输局", "150826", "杭交", "sm3");
	for (int k = 0; k < 3; k++)
		add_device(f);
	int64_t n = head(f, root, "sm3");

	expect_error(store_ledger_prove(f->st, f->ctx.org_id, 0, n, &out, &err), &err,
		     "invalid_proof_request", "entry");
	expect_error(store_ledger_prove(f->st, f->ctx.org_id, n + 1, 0, &out, &err), &err,
		     "invalid_proof_request", "entry");
	expect_error(store_ledger_prove(f->st, f->ctx.org_id, n, n - 1, &out, &err), &err,
		     "invalid_proof_request", "entry");
	expect_error(store_ledger_prove(f->st, f->ctx.org_id, 1, n + 1, &out, &err), &err,
		     "invalid_proof_request", "size");
	expect_error(store_ledger_prove(f->st, f->ctx.org_id, 1, -1, &out, &err), &err,
		     "invalid_proof_request", "size");
	/* RFC 9162 §2.1.4: 0 < first <= second */
	expect_error(store_ledger_consistency(f->st, f->ctx.org_id, 0, n, &out, &err), &err,
		     "invalid_proof_request", "from");
	expect_error(store_ledger_consistency(f->st, f->ctx.org_id, n, n - 1, &out, &err),
		     &err, "invalid_proof_request", "to");
	expect_error(store_ledger_consistency(f->st, f->ctx.org_id, 1, n + 1, &out, &err),
		     &err, "invalid_proof_request", "to");
	expect_error(store_ledger_entry(f->st, f->ctx.org_id, 0, &out, &err), &err,
		     "invalid_number", "entry");
	expect_error(store_ledger_entry(f->st, f->ctx.org_id, n + 1, &out, &err), &err,
		     "entry_not_found", "entry");
	/* nothing was written */
	assert_int_equal(ledger_size(f), n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tree_sm3, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_sha256, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoints_sm3, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoints_sha256, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backfill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
