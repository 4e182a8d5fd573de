/*
 * Tests for src/ledger/merkle.c: the RFC 9162 §2.1 tree, its frontier and
 * its proofs (merkle.h).
 *
 * Known answers come from outside this code: the Certificate Transparency
 * reference test vectors for SHA-256 (the 8 leaves of
 * ../shared/reference/merkle.md, their roots, and some of their published
 * inclusion and consistency proofs) and GB/T 32905 for SM3.  Beyond them,
 * every (index, size) and (size1, size2) pair of trees up to 40 leaves is
 * checked, with both digests, against PATH and PROOF computed here by the
 * RFC's recursive definitions over merkle_root_naive; the proofs are built
 * from a table of perfect subtrees as a store would hold them, verified,
 * and then tampered with in every way that must make verification fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "merkle.h"

#define HL LEDGER_HASH_LEN
/* largest tree the exhaustive tests cover, and the table's capacity */
#define MAX_N 40
#define TABLE_LEAVES 64
#define TABLE_LEVELS 7

struct hashers {
	struct ledger_hasher *sm3;
	struct ledger_hasher *sha256;
};

static int setup(void **state)
{
	struct hashers *h = zf_calloc(1, sizeof(*h));

	if (!h)
		return -1;
	h->sm3 = ledger_hasher_new(LEDGER_SM3);
	h->sha256 = ledger_hasher_new(LEDGER_SHA256);
	if (!h->sm3 || !h->sha256) {
		ledger_hasher_free(h->sm3);
		ledger_hasher_free(h->sha256);
		zf_free(h);
		return -1;
	}
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct hashers *h = *state;

	ledger_hasher_free(h->sm3);
	ledger_hasher_free(h->sha256);
	zf_free(h);
	return 0;
}

static void unhex(const char *hex, uint8_t out[HL])
{
	assert_true(ledger_unhex(hex, out, HL));
}

static void assert_hex(const uint8_t d[HL], const char *want)
{
	char hex[LEDGER_HEX_LEN];

	ledger_hex(d, HL, hex);
	assert_string_equal(hex, want);
}

static uint64_t split(uint64_t n)
{
	uint64_t k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

/* PATH(m, D[n]) of RFC 9162 §2.1.3.1, computed from the leaves. */
static size_t naive_path(struct ledger_hasher *h, const uint8_t *leaves,
			 uint64_t m, uint64_t n, uint8_t *out)
{
	uint64_t k;
	size_t c;

	if (n <= 1)
		return 0;
	k = split(n);
	if (m < k) {
		c = naive_path(h, leaves, m, k, out);
		assert_int_equal(merkle_root_naive(h, leaves + k * HL, n - k,
						   out + c * HL), ZF_OK);
	} else {
		c = naive_path(h, leaves + k * HL, m - k, n - k, out);
		assert_int_equal(merkle_root_naive(h, leaves, k, out + c * HL),
				 ZF_OK);
	}
	return c + 1;
}

/* SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1. */
static size_t naive_subproof(struct ledger_hasher *h, const uint8_t *leaves,
			     uint64_t m, uint64_t n, bool b, uint8_t *out)
{
	uint64_t k;
	size_t c;

	if (m == n) {
		if (b)
			return 0;
		assert_int_equal(merkle_root_naive(h, leaves, n, out), ZF_OK);
		return 1;
	}
	k = split(n);
	if (m <= k) {
		c = naive_subproof(h, leaves, m, k, b, out);
		assert_int_equal(merkle_root_naive(h, leaves + k * HL, n - k,
						   out + c * HL), ZF_OK);
	} else {
		c = naive_subproof(h, leaves + k * HL, m - k, n - k, false,
				   out);
		assert_int_equal(merkle_root_naive(h, leaves, k, out + c * HL),
				 ZF_OK);
	}
	return c + 1;
}

/* The perfect subtrees of the first TABLE_LEAVES leaves, as stored. */
struct table {
	uint8_t leaves[TABLE_LEAVES * HL];
	uint8_t node[TABLE_LEVELS][TABLE_LEAVES][HL];
	uint64_t limit;	/* a proof for this tree size may read only below it */
	unsigned reads;
	int fail_at;	/* make the nth read fail (0: never) */
};

static int table_get(void *arg, unsigned level, uint64_t index,
		     uint8_t out[HL])
{
	struct table *t = arg;

	assert_true(level < TABLE_LEVELS);
	assert_true((index + 1) << level <= t->limit);
	if (t->fail_at && ++t->reads == (unsigned)t->fail_at)
		return ZF_ESTORE;
	memcpy(out, t->node[level][index], HL);
	return ZF_OK;
}

static void table_fill(struct ledger_hasher *h, struct table *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < TABLE_LEAVES; i++) {
		uint8_t data[4] = { 0x5a, (uint8_t)i, (uint8_t)(i * 7),
				    (uint8_t)(i ^ 0xa5) };

		assert_int_equal(ledger_leaf_hash(h, data, sizeof(data),
						  t->leaves + i * HL), ZF_OK);
	}
	for (unsigned l = 0; l < TABLE_LEVELS; l++)
		for (uint64_t i = 0; (i + 1) << l <= TABLE_LEAVES; i++)
			assert_int_equal(merkle_root_naive(h,
					t->leaves + (i << l) * HL,
					(uint64_t)1 << l, t->node[l][i]), ZF_OK);
}

static const char *const ct_leaves[8] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

static const char *const ct_roots[9] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static void ct_leaf_hashes(struct ledger_hasher *h, uint8_t out[8 * HL])
{
	for (int i = 0; i < 8; i++) {
		uint8_t data[16];
		size_t len = strlen(ct_leaves[i]) / 2;

		assert_true(len == 0 || ledger_unhex(ct_leaves[i], data, len));
		assert_int_equal(ledger_leaf_hash(h, data, len, out + i * HL),
				 ZF_OK);
	}
}

/* GB/T 32905-2016 Appendix A, example 1, through the hasher merkle uses. */
static void test_sm3_known_answer(void **state)
{
	struct hashers *h = *state;
	uint8_t d[HL];

	assert_int_equal(ledger_hash2(h->sm3, "abc", 3, NULL, 0, d), ZF_OK);
	assert_hex(d, "66c7f0f462eeedd9d1f2d46bdc10e4e2"
		      "4167c4875cf2f7a2297da02b8f4ba8e0");
}

/* merkle.md and the CT reference vectors: the root of every prefix. */
static void test_sha256_roots(void **state)
{
	struct hashers *h = *state;
	uint8_t leaves[8 * HL], root[HL];
	struct merkle_frontier fr;

	ct_leaf_hashes(h->sha256, leaves);
	merkle_frontier_init(&fr);
	for (uint64_t n = 0; n <= 8; n++) {
		assert_int_equal(merkle_root_naive(h->sha256, leaves, n, root),
				 ZF_OK);
		assert_hex(root, ct_roots[n]);
		assert_int_equal(merkle_frontier_root(h->sha256, &fr, root),
				 ZF_OK);
		assert_hex(root, ct_roots[n]);
		if (n < 8)
			assert_int_equal(merkle_frontier_append(h->sha256, &fr,
					leaves + n * HL, NULL, NULL), ZF_OK);
	}
}

struct vector {
	uint64_t a, b;	/* (leaf index, size) or (size1, size2) */
	size_t n;
	const char *hash[3];
};

/* Published in the CT reference tests (RFC 6962 test data). */
static const struct vector ct_inclusion[] = {
	{ 0, 8, 3, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
		     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 5, 8, 3, { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
		     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
		     "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 2, 3, 1, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" } },
	{ 1, 5, 3, { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

static const struct vector ct_consistency[] = {
	{ 1, 1, 0, { NULL } },
	{ 1, 8, 3, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
		     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 6, 8, 3, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
		     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
		     "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 2, 5, 2, { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

static void test_sha256_proof_vectors(void **state)
{
	struct hashers *h = *state;
	struct ledger_hasher *s = h->sha256;
	struct table *t = zf_calloc(1, sizeof(*t));
	uint8_t leaves[8 * HL], proof[MERKLE_PROOF_MAX * HL], want[3 * HL];
	uint8_t r1[HL], r2[HL];
	size_t n;

	assert_non_null(t);
	ct_leaf_hashes(s, leaves);
	memcpy(t->leaves, leaves, sizeof(leaves));
	for (unsigned l = 0; l < 4; l++)
		for (uint64_t i = 0; (i + 1) << l <= 8; i++)
			assert_int_equal(merkle_root_naive(s, leaves + (i << l) * HL,
					(uint64_t)1 << l, t->node[l][i]), ZF_OK);
	for (size_t v = 0; v < ZF_ARRAY_LEN(ct_inclusion); v++) {
		const struct vector *c = &ct_inclusion[v];

		for (size_t i = 0; i < c->n; i++)
			unhex(c->hash[i], want + i * HL);
		t->limit = c->b;
		assert_int_equal(merkle_inclusion_proof_build(s, c->a, c->b,
				table_get, t, proof, &n, NULL), ZF_OK);
		assert_int_equal(n, c->n);
		assert_memory_equal(proof, want, n * HL);
		unhex(ct_roots[c->b], r2);
		assert_true(merkle_inclusion_verify(s, c->a, c->b,
				leaves + c->a * HL, want, c->n, r2));
	}
	for (size_t v = 0; v < ZF_ARRAY_LEN(ct_consistency); v++) {
		const struct vector *c = &ct_consistency[v];

		for (size_t i = 0; i < c->n; i++)
			unhex(c->hash[i], want + i * HL);
		t->limit = c->b;
		assert_int_equal(merkle_consistency_proof_build(s, c->a, c->b,
				table_get, t, proof, &n, NULL), ZF_OK);
		assert_int_equal(n, c->n);
		assert_memory_equal(proof, want, n * HL);
		unhex(ct_roots[c->a], r1);
		unhex(ct_roots[c->b], r2);
		assert_true(merkle_consistency_verify(s, c->a, c->b, r1, r2,
						      want, c->n));
	}
	zf_free(t);
}

static unsigned trailing_ones(uint64_t x)
{
	unsigned n = 0;

	while (x & 1) {
		n++;
		x >>= 1;
	}
	return n;
}

/*
 * Appending leaf by leaf gives the naive root at every size, and each
 * append reports exactly the nodes it completed, with their naive hashes.
 */
static void frontier_vs_naive(struct ledger_hasher *h)
{
	enum { N = 70 };
	uint8_t *leaves = zf_malloc(N * HL);
	struct merkle_node done[MERKLE_APPEND_MAX];
	struct merkle_frontier fr;
	uint8_t a[HL], b[HL];
	size_t nd;

	assert_non_null(leaves);
	for (unsigned i = 0; i < N; i++) {
		uint8_t data[2] = { (uint8_t)i, 0x42 };

		assert_int_equal(ledger_leaf_hash(h, data, sizeof(data),
						  leaves + i * HL), ZF_OK);
	}
	merkle_frontier_init(&fr);
	for (uint64_t n = 0; n <= N; n++) {
		assert_int_equal(fr.size, n);
		assert_int_equal(merkle_frontier_root(h, &fr, a), ZF_OK);
		assert_int_equal(merkle_root_naive(h, leaves, n, b), ZF_OK);
		assert_memory_equal(a, b, HL);
		if (n == N)
			break;
		assert_int_equal(merkle_frontier_append(h, &fr, leaves + n * HL,
							done, &nd), ZF_OK);
		assert_int_equal(nd, 1 + trailing_ones(n));
		for (size_t i = 0; i < nd; i++) {
			assert_int_equal(done[i].level, i);
			assert_int_equal(done[i].index, n >> i);
			assert_int_equal(merkle_root_naive(h,
					leaves + (done[i].index << i) * HL,
					(uint64_t)1 << i, b), ZF_OK);
			assert_memory_equal(done[i].hash, b, HL);
		}
	}
	zf_free(leaves);
}

static void test_frontier_matches_naive(void **state)
{
	struct hashers *h = *state;

	frontier_vs_naive(h->sm3);
	frontier_vs_naive(h->sha256);
}

static void test_frontier_load(void **state)
{
	struct hashers *h = *state;
	struct table *t = zf_calloc(1, sizeof(*t));
	struct merkle_frontier fr, loaded;
	uint8_t a[HL], b[HL];

	assert_non_null(t);
	table_fill(h->sm3, t);
	merkle_frontier_init(&fr);
	for (uint64_t n = 0; n <= TABLE_LEAVES; n++) {
		t->limit = n;
		assert_int_equal(merkle_frontier_load(&loaded, n, table_get, t),
				 ZF_OK);
		assert_int_equal(loaded.size, n);
		for (unsigned l = 0; l < MERKLE_LEVELS; l++)
			if (n >> l & 1)
				assert_memory_equal(loaded.hash[l], fr.hash[l],
						    HL);
		assert_int_equal(merkle_frontier_root(h->sm3, &loaded, a),
				 ZF_OK);
		assert_int_equal(merkle_root_naive(h->sm3, t->leaves, n, b),
				 ZF_OK);
		assert_memory_equal(a, b, HL);
		if (n < TABLE_LEAVES)
			assert_int_equal(merkle_frontier_append(h->sm3, &fr,
					t->leaves + n * HL, NULL, NULL), ZF_OK);
	}
	/* a failing read leaves the frontier as it was */
	t->limit = 7;
	t->fail_at = 2;
	t->reads = 0;
	memcpy(&loaded, &fr, sizeof(fr));
	assert_int_equal(merkle_frontier_load(&loaded, 7, table_get, t),
			 ZF_ESTORE);
	assert_memory_equal(&loaded, &fr, sizeof(fr));
	zf_free(t);
}

/* A tree at the top of the range: the 64-node carry and the full tree. */
static void test_frontier_limits(void **state)
{
	struct hashers *h = *state;
	struct merkle_frontier *fr = zf_calloc(1, sizeof(*fr));
	struct merkle_node done[MERKLE_APPEND_MAX];
	uint8_t leaf[HL] = { 1 };
	size_t nd = 0;

	assert_non_null(fr);
	fr->size = ((uint64_t)1 << 63) - 1;
	assert_int_equal(merkle_frontier_append(h->sm3, fr, leaf, done, &nd),
			 ZF_OK);
	assert_int_equal(nd, 64);
	assert_int_equal(done[63].level, 63);
	assert_int_equal(done[63].index, 0);
	assert_int_equal(fr->size, (uint64_t)1 << 63);
	assert_memory_equal(fr->hash[63], done[63].hash, HL);

	fr->size = UINT64_MAX;
	assert_int_equal(merkle_frontier_append(h->sm3, fr, leaf, done, &nd),
			 ZF_ETOOBIG);
	assert_int_equal(fr->size, UINT64_MAX);
	zf_free(fr);
}

/* Every range a proof names lies in the tree and tiles into stored nodes. */
static void check_ranges(const struct merkle_range *r, size_t n,
			 uint64_t size)
{
	struct merkle_subtree s[MERKLE_LEVELS];

	for (size_t i = 0; i < n; i++) {
		size_t ns = merkle_range_subtrees(r[i], s);
		uint64_t at = r[i].begin;

		assert_true(r[i].begin < r[i].end && r[i].end <= size);
		assert_true(ns > 0);
		for (size_t j = 0; j < ns; j++) {
			assert_int_equal(s[j].index << s[j].level, at);
			at += (uint64_t)1 << s[j].level;
			if (j > 0)
				assert_true(s[j].level < s[j - 1].level);
		}
		assert_int_equal(at, r[i].end);
		assert_int_equal(merkle_range_perfect(r[i], NULL), ns == 1);
	}
}

static void flip(uint8_t *proof, size_t i, unsigned bit)
{
	proof[i * HL + bit / 8 % HL] ^= (uint8_t)(1u << bit % 8);
}

static void inclusion_all(struct ledger_hasher *h)
{
	struct table *t = zf_calloc(1, sizeof(*t));
	struct merkle_range r[MERKLE_PROOF_MAX];
	uint8_t proof[(MERKLE_PROOF_MAX + 1) * HL];
	uint8_t want[MERKLE_PROOF_MAX * HL], roots[MAX_N + 2][HL], other[HL];
	size_t n, nr, nw;

	assert_non_null(t);
	table_fill(h, t);
	for (uint64_t s = 0; s <= MAX_N + 1; s++)
		assert_int_equal(merkle_root_naive(h, t->leaves, s, roots[s]),
				 ZF_OK);
	for (uint64_t size = 1; size <= MAX_N; size++) {
		const uint8_t *root = roots[size];

		for (uint64_t i = 0; i < size; i++) {
			const uint8_t *leaf = t->leaves + i * HL;

			t->limit = size;
			assert_int_equal(merkle_inclusion_ranges(i, size, r, &nr,
								 NULL), ZF_OK);
			check_ranges(r, nr, size);
			assert_int_equal(merkle_inclusion_proof_build(h, i, size,
					table_get, t, proof, &n, NULL), ZF_OK);
			nw = naive_path(h, t->leaves, i, size, want);
			assert_int_equal(n, nw);
			assert_int_equal(n, nr);
			assert_memory_equal(proof, want, n * HL);
			assert_true(merkle_inclusion_verify(h, i, size, leaf,
							    proof, n, root));

			for (size_t j = 0; j < n; j++) {
				for (unsigned bit = 0; bit < 8 * HL; bit += 61) {
					flip(proof, j, bit);
					assert_false(merkle_inclusion_verify(h,
						i, size, leaf, proof, n, root));
					flip(proof, j, bit);
				}
			}
			memcpy(other, leaf, HL);
			other[HL - 1] ^= 1;
			assert_false(merkle_inclusion_verify(h, i, size, other,
							     proof, n, root));
			memcpy(other, root, HL);
			other[0] ^= 0x80;
			assert_false(merkle_inclusion_verify(h, i, size, leaf,
							     proof, n, other));
			if (n > 0) {
				/* drop the last hash, and the first */
				assert_false(merkle_inclusion_verify(h, i, size,
						leaf, proof, n - 1, root));
				assert_false(merkle_inclusion_verify(h, i, size,
						leaf, proof + HL, n - 1, root));
			}
			/* add a hash (a copy of the root, or of a sibling) */
			memcpy(proof + n * HL, root, HL);
			assert_false(merkle_inclusion_verify(h, i, size, leaf,
							     proof, n + 1, root));
			if (n > 0) {
				memcpy(proof + n * HL, proof, HL);
				assert_false(merkle_inclusion_verify(h, i, size,
						leaf, proof, n + 1, root));
			}
			/*
			 * The same proof at another index, or for the tree of
			 * another size.  A root alone does not fix the size
			 * (leaf 0 of 3 has the path {l1, l2}, which also
			 * "proves" leaf 0 of 4 under the root of 3), which is
			 * why a checkpoint signs size and root together; so
			 * another size is checked against its own root.
			 */
			if (i + 1 < size)
				assert_false(merkle_inclusion_verify(h, i + 1,
						size, leaf, proof, n, root));
			if (i > 0)
				assert_false(merkle_inclusion_verify(h, i - 1,
						size, leaf, proof, n, root));
			assert_false(merkle_inclusion_verify(h, i, size + 1,
					leaf, proof, n, roots[size + 1]));
			if (i < size - 1)
				assert_false(merkle_inclusion_verify(h, i,
					size - 1, leaf, proof, n, roots[size - 1]));
			assert_false(merkle_inclusion_verify(h, size, size,
						leaf, proof, n, root));
		}
	}
	zf_free(t);
}

static void test_inclusion_all_pairs(void **state)
{
	struct hashers *h = *state;

	inclusion_all(h->sm3);
	inclusion_all(h->sha256);
}

static void consistency_all(struct ledger_hasher *h)
{
	struct table *t = zf_calloc(1, sizeof(*t));
	struct merkle_range r[MERKLE_PROOF_MAX];
	uint8_t proof[(MERKLE_PROOF_MAX + 1) * HL];
	uint8_t want[MERKLE_PROOF_MAX * HL];
	uint8_t roots[MAX_N + 2][HL], other[HL];
	size_t n, nr, nw;

	assert_non_null(t);
	table_fill(h, t);
	for (uint64_t s = 0; s <= MAX_N + 1; s++)
		assert_int_equal(merkle_root_naive(h, t->leaves, s, roots[s]),
				 ZF_OK);
	for (uint64_t m = 1; m <= MAX_N; m++) {
		for (uint64_t size = m; size <= MAX_N; size++) {
			const uint8_t *r1 = roots[m], *r2 = roots[size];

			t->limit = size;
			assert_int_equal(merkle_consistency_ranges(m, size, r,
								   &nr, NULL),
					 ZF_OK);
			check_ranges(r, nr, size);
			assert_int_equal(merkle_consistency_proof_build(h, m,
					size, table_get, t, proof, &n, NULL),
					ZF_OK);
			nw = naive_subproof(h, t->leaves, m, size, true, want);
			assert_int_equal(n, nw);
			assert_int_equal(n, nr);
			assert_memory_equal(proof, want, n * HL);
			assert_true(merkle_consistency_verify(h, m, size, r1, r2,
							      proof, n));
			assert_int_equal(n == 0, m == size);

			for (size_t j = 0; j < n; j++) {
				for (unsigned bit = 0; bit < 8 * HL; bit += 61) {
					flip(proof, j, bit);
					assert_false(merkle_consistency_verify(h,
						m, size, r1, r2, proof, n));
					flip(proof, j, bit);
				}
			}
			memcpy(other, r1, HL);
			other[5] ^= 4;
			assert_false(merkle_consistency_verify(h, m, size, other,
							       r2, proof, n));
			memcpy(other, r2, HL);
			other[7] ^= 8;
			assert_false(merkle_consistency_verify(h, m, size, r1,
							       other, proof, n));
			if (n > 0) {
				assert_false(merkle_consistency_verify(h, m,
						size, r1, r2, proof, n - 1));
				assert_false(merkle_consistency_verify(h, m,
						size, r1, r2, proof + HL, n - 1));
			}
			memcpy(proof + n * HL, r2, HL);
			assert_false(merkle_consistency_verify(h, m, size, r1,
							       r2, proof, n + 1));
			if (n > 0) {
				memcpy(proof + n * HL, proof, HL);
				assert_false(merkle_consistency_verify(h, m,
						size, r1, r2, proof, n + 1));
			}
			/* the same proof for other sizes (roots to match) */
			if (m > 1)
				assert_false(merkle_consistency_verify(h, m - 1,
					size, roots[m - 1], r2, proof, n));
			if (m < size)
				assert_false(merkle_consistency_verify(h, m + 1,
					size, roots[m + 1], r2, proof, n));
			assert_false(merkle_consistency_verify(h, m, size + 1,
					r1, roots[size + 1], proof, n));
			if (size > m)
				assert_false(merkle_consistency_verify(h, m,
					size - 1, r1, roots[size - 1], proof, n));
			/* swapped roots */
			if (m < size)
				assert_false(merkle_consistency_verify(h, m,
						size, r2, r1, proof, n));
		}
	}
	zf_free(t);
}

static void test_consistency_all_pairs(void **state)
{
	struct hashers *h = *state;

	consistency_all(h->sm3);
	consistency_all(h->sha256);
}

static void test_bad_requests(void **state)
{
	struct hashers *h = *state;
	struct merkle_range r[MERKLE_PROOF_MAX];
	uint8_t proof[MERKLE_PROOF_MAX * HL] = { 0 }, root[HL] = { 0 };
	struct zf_error err;
	size_t n = 99;

	zf_error_clear(&err);
	assert_int_equal(merkle_inclusion_ranges(5, 5, r, &n, &err), ZF_EINVAL);
	assert_string_equal(err.code, "invalid_proof_request");
	assert_string_equal(err.field, "leaf_index");
	assert_int_equal(merkle_inclusion_ranges(0, 0, r, &n, NULL), ZF_EINVAL);
	assert_int_equal(merkle_inclusion_proof_build(h->sm3, 3, 2, table_get,
				NULL, proof, &n, NULL), ZF_EINVAL);
	assert_int_equal(n, 99);

	zf_error_clear(&err);
	assert_int_equal(merkle_consistency_ranges(0, 5, r, &n, &err),
			 ZF_EINVAL);
	assert_string_equal(err.field, "from");
	zf_error_clear(&err);
	assert_int_equal(merkle_consistency_ranges(6, 5, r, &n, &err),
			 ZF_EINVAL);
	assert_string_equal(err.code, "invalid_proof_request");
	assert_string_equal(err.field, "to");

	assert_false(merkle_inclusion_verify(h->sm3, 0, 0, root, proof, 0,
					     root));
	assert_false(merkle_inclusion_verify(h->sm3, 1, 1, root, proof, 0,
					     root));
	/* a one-leaf tree: the root is the leaf, the proof empty */
	assert_true(merkle_inclusion_verify(h->sm3, 0, 1, root, proof, 0,
					    root));
	assert_false(merkle_inclusion_verify(h->sm3, 0, 1, root, proof, 1,
					     root));
	/* the RFC requires 0 < first; first > second and empty proofs fail */
	assert_false(merkle_consistency_verify(h->sm3, 0, 0, root, root, proof,
					       0));
	assert_false(merkle_consistency_verify(h->sm3, 0, 3, root, root, proof,
					       0));
	assert_false(merkle_consistency_verify(h->sm3, 4, 3, root, root, proof,
					       1));
	assert_false(merkle_consistency_verify(h->sm3, 2, 3, root, root, proof,
					       0));
	assert_true(merkle_consistency_verify(h->sm3, 3, 3, root, root, proof,
					      0));
	assert_false(merkle_consistency_verify(h->sm3, 3, 3, root, root, proof,
					       1));
}

static void test_fetch_failure(void **state)
{
	struct hashers *h = *state;
	struct table *t = zf_calloc(1, sizeof(*t));
	uint8_t proof[MERKLE_PROOF_MAX * HL];
	size_t n = 77;

	assert_non_null(t);
	table_fill(h->sha256, t);
	t->limit = 37;
	/* 37 = 32 + 4 + 1: the proof of leaf 0 reads an ephemeral node */
	for (int k = 1; k <= 6; k++) {
		t->fail_at = k;
		t->reads = 0;
		assert_int_equal(merkle_inclusion_proof_build(h->sha256, 0, 37,
				table_get, t, proof, &n, NULL), ZF_ESTORE);
		t->reads = 0;
		assert_int_equal(merkle_consistency_proof_build(h->sha256, 3,
				37, table_get, t, proof, &n, NULL), ZF_ESTORE);
	}
	assert_int_equal(n, 77);
	zf_free(t);
}

static void test_ranges(void **state)
{
	struct merkle_range r[MERKLE_PROOF_MAX];
	struct merkle_subtree s[MERKLE_LEVELS], one;
	size_t n;

	(void)state;
	assert_true(merkle_range_perfect((struct merkle_range){ 8, 16 }, &one));
	assert_int_equal(one.level, 3);
	assert_int_equal(one.index, 1);
	assert_false(merkle_range_perfect((struct merkle_range){ 4, 12 }, NULL));
	assert_false(merkle_range_perfect((struct merkle_range){ 8, 14 }, NULL));
	assert_false(merkle_range_perfect((struct merkle_range){ 3, 3 }, NULL));
	assert_int_equal(merkle_range_subtrees((struct merkle_range){ 32, 39 },
					       s), 3);
	assert_int_equal(s[0].level, 2);
	assert_int_equal(s[0].index, 8);
	assert_int_equal(s[1].level, 1);
	assert_int_equal(s[1].index, 18);
	assert_int_equal(s[2].level, 0);
	assert_int_equal(s[2].index, 38);
	/* split by size, [2, 8) would start with an unaligned 4 */
	assert_int_equal(merkle_range_subtrees((struct merkle_range){ 2, 8 }, s),
			 0);
	assert_int_equal(merkle_range_subtrees((struct merkle_range){ 5, 5 }, s),
			 0);

	/* the largest trees: lengths stay within MERKLE_PROOF_MAX */
	assert_int_equal(merkle_inclusion_ranges(0, UINT64_MAX, r, &n, NULL),
			 ZF_OK);
	assert_int_equal(n, 64);
	check_ranges(r, n, UINT64_MAX);
	assert_int_equal(merkle_inclusion_ranges(UINT64_MAX - 1, UINT64_MAX, r,
						 &n, NULL), ZF_OK);
	assert_int_equal(n, 63);
	check_ranges(r, n, UINT64_MAX);
	assert_int_equal(merkle_consistency_ranges(3, UINT64_MAX, r, &n, NULL),
			 ZF_OK);
	assert_true(n <= MERKLE_PROOF_MAX);
	check_ranges(r, n, UINT64_MAX);
	assert_int_equal(merkle_consistency_ranges(UINT64_MAX - 2, UINT64_MAX,
						   r, &n, NULL), ZF_OK);
	assert_true(n <= MERKLE_PROOF_MAX);
	check_ranges(r, n, UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sm3_known_answer),
		cmocka_unit_test(test_sha256_roots),
		cmocka_unit_test(test_sha256_proof_vectors),
		cmocka_unit_test(test_frontier_matches_naive),
		cmocka_unit_test(test_frontier_load),
		cmocka_unit_test(test_frontier_limits),
		cmocka_unit_test(test_inclusion_all_pairs),
		cmocka_unit_test(test_consistency_all_pairs),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_fetch_failure),
		cmocka_unit_test(test_ranges),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
