#include <string.h>

#include "merkle.h"

#define HL LEDGER_HASH_LEN

int merkle_node_hash(struct ledger_hasher *h, const uint8_t left[HL],
		     const uint8_t right[HL], uint8_t out[HL])
{
	uint8_t in[1 + 2 * HL];

	in[0] = 0x01;
	memcpy(in + 1, left, HL);
	memcpy(in + 1 + HL, right, HL);
	return ledger_hash2(h, in, sizeof(in), NULL, 0, out);
}

static int empty_root(struct ledger_hasher *h, uint8_t out[HL])
{
	return ledger_hash2(h, NULL, 0, NULL, 0, out);
}

/* k of RFC 9162 §2.1.1: the largest power of two smaller than n (n >= 2). */
static uint64_t split(uint64_t n)
{
	return (uint64_t)1 << (63 - __builtin_clzll(n - 1));
}

void merkle_frontier_init(struct merkle_frontier *fr)
{
	memset(fr, 0, sizeof(*fr));
}

int merkle_frontier_append(struct ledger_hasher *h, struct merkle_frontier *fr,
			   const uint8_t leaf[HL], struct merkle_node *done,
			   size_t *ndone)
{
	uint8_t cur[HL];
	uint64_t index = fr->size;
	unsigned level = 0;
	size_t nd = 0;
	int rc;

	if (fr->size == UINT64_MAX)
		return ZF_ETOOBIG;
	memcpy(cur, leaf, HL);
	/*
	 * Binary increment: each set low bit of size is a full subtree that
	 * the new node completes into its parent.  fr is written only at the
	 * end, so a digest failure leaves it as it was.
	 */
	for (;;) {
		if (done) {
			done[nd].level = level;
			done[nd].index = index;
			memcpy(done[nd].hash, cur, HL);
		}
		nd++;
		if (!(fr->size >> level & 1))
			break;
		rc = merkle_node_hash(h, fr->hash[level], cur, cur);
		if (rc)
			return rc;
		level++;
		index >>= 1;
	}
	memcpy(fr->hash[level], cur, HL);
	fr->size++;
	if (ndone)
		*ndone = nd;
	return ZF_OK;
}

int merkle_frontier_root(struct ledger_hasher *h,
			 const struct merkle_frontier *fr, uint8_t out[HL])
{
	uint8_t r[HL];
	bool have = false;
	int rc;

	if (fr->size == 0)
		return empty_root(h, out);
	/* the right edge folds from the smallest subtree up */
	for (unsigned l = 0; l < MERKLE_LEVELS; l++) {
		if (!(fr->size >> l & 1))
			continue;
		if (!have) {
			memcpy(r, fr->hash[l], HL);
			have = true;
			continue;
		}
		rc = merkle_node_hash(h, fr->hash[l], r, r);
		if (rc)
			return rc;
	}
	memcpy(out, r, HL);
	return ZF_OK;
}

int merkle_frontier_load(struct merkle_frontier *fr, uint64_t size,
			 merkle_get_fn get, void *arg)
{
	struct merkle_frontier tmp;
	int rc;

	merkle_frontier_init(&tmp);
	tmp.size = size;
	for (unsigned l = 0; l < MERKLE_LEVELS; l++) {
		if (!(size >> l & 1))
			continue;
		rc = get(arg, l, (size >> l) - 1, tmp.hash[l]);
		if (rc)
			return rc;
	}
	*fr = tmp;
	return ZF_OK;
}

bool merkle_range_perfect(struct merkle_range r, struct merkle_subtree *out)
{
	uint64_t len = r.end - r.begin;
	unsigned level;

	if (r.end <= r.begin || (len & (len - 1)))
		return false;
	level = (unsigned)__builtin_ctzll(len);
	if (r.begin & (len - 1))
		return false;
	if (out) {
		out->level = level;
		out->index = r.begin >> level;
	}
	return true;
}

size_t merkle_range_subtrees(struct merkle_range r,
			     struct merkle_subtree out[MERKLE_LEVELS])
{
	uint64_t at = r.begin, len;
	size_t n = 0;

	if (r.end <= r.begin)
		return 0;
	len = r.end - r.begin;
	for (int l = MERKLE_LEVELS - 1; l >= 0; l--) {
		uint64_t piece = (uint64_t)1 << l;

		if (!(len & piece))
			continue;
		/*
		 * The RFC splits by size alone; the piece is a stored node only
		 * if it is aligned, which holds for every range a proof uses.
		 */
		if (at & (piece - 1))
			return 0;
		out[n].level = (unsigned)l;
		out[n].index = at >> l;
		n++;
		at += piece;
	}
	return n;
}

int merkle_range_hash(struct ledger_hasher *h, struct merkle_range r,
		      merkle_get_fn get, void *arg, uint8_t out[HL])
{
	struct merkle_subtree s[MERKLE_LEVELS];
	uint8_t acc[HL], piece[HL];
	size_t n = merkle_range_subtrees(r, s);
	int rc;

	if (n == 0)
		ZF_BUG("merkle range [%llu, %llu) is not a tree node",
		       (unsigned long long)r.begin, (unsigned long long)r.end);
	rc = get(arg, s[n - 1].level, s[n - 1].index, acc);
	if (rc)
		return rc;
	for (size_t i = n - 1; i-- > 0;) {
		rc = get(arg, s[i].level, s[i].index, piece);
		if (!rc)
			rc = merkle_node_hash(h, piece, acc, acc);
		if (rc)
			return rc;
	}
	memcpy(out, acc, HL);
	return ZF_OK;
}

/*
 * PATH(m, D[begin:end]) of RFC 9162 §2.1.3.1, m relative to begin.  The
 * recursion appends after it returns, so the deepest sibling comes first.
 */
static size_t path(uint64_t m, uint64_t begin, uint64_t end,
		   struct merkle_range *out)
{
	uint64_t k;
	size_t n;

	if (end - begin <= 1)
		return 0;
	k = split(end - begin);
	if (m < k) {
		n = path(m, begin, begin + k, out);
		out[n] = (struct merkle_range){ begin + k, end };
	} else {
		n = path(m - k, begin + k, end, out);
		out[n] = (struct merkle_range){ begin, begin + k };
	}
	return n + 1;
}

/* SUBPROOF(m, D[begin:end], b) of RFC 9162 §2.1.4.1. */
static size_t subproof(uint64_t m, uint64_t begin, uint64_t end, bool b,
		       struct merkle_range *out)
{
	uint64_t k;
	size_t n;

	if (m == end - begin) {
		if (b)
			return 0;
		out[0] = (struct merkle_range){ begin, end };
		return 1;
	}
	k = split(end - begin);
	if (m <= k) {
		n = subproof(m, begin, begin + k, b, out);
		out[n] = (struct merkle_range){ begin + k, end };
	} else {
		n = subproof(m - k, begin + k, end, false, out);
		out[n] = (struct merkle_range){ begin, begin + k };
	}
	return n + 1;
}

int merkle_inclusion_ranges(uint64_t index, uint64_t size,
			    struct merkle_range out[MERKLE_PROOF_MAX],
			    size_t *n, struct zf_error *err)
{
	if (index >= size)
		return zf_fail(err, ZF_EINVAL, "invalid_proof_request",
			       "leaf_index",
			       "条目序号 %llu 不在大小为 %llu 的树中",
			       (unsigned long long)index,
			       (unsigned long long)size);
	*n = path(index, 0, size, out);
	return ZF_OK;
}

int merkle_consistency_ranges(uint64_t size1, uint64_t size2,
			      struct merkle_range out[MERKLE_PROOF_MAX],
			      size_t *n, struct zf_error *err)
{
	if (size1 == 0)
		return zf_fail(err, ZF_EINVAL, "invalid_proof_request", "from",
			       "不能从空树证明一致性（RFC 9162 要求 0 < first）");
	if (size1 > size2)
		return zf_fail(err, ZF_EINVAL, "invalid_proof_request", "to",
			       "树大小 %llu 小于起点 %llu",
			       (unsigned long long)size2,
			       (unsigned long long)size1);
	*n = subproof(size1, 0, size2, true, out);
	return ZF_OK;
}

static int build(struct ledger_hasher *h, const struct merkle_range *r,
		 size_t n, merkle_get_fn get, void *arg, uint8_t *out)
{
	int rc;

	for (size_t i = 0; i < n; i++) {
		rc = merkle_range_hash(h, r[i], get, arg, out + i * HL);
		if (rc)
			return rc;
	}
	return ZF_OK;
}

int merkle_inclusion_proof_build(struct ledger_hasher *h, uint64_t index,
				 uint64_t size, merkle_get_fn get, void *arg,
				 uint8_t *out, size_t *n, struct zf_error *err)
{
	struct merkle_range r[MERKLE_PROOF_MAX];
	size_t nr = 0;
	int rc = merkle_inclusion_ranges(index, size, r, &nr, err);

	if (!rc)
		rc = build(h, r, nr, get, arg, out);
	if (!rc)
		*n = nr;
	return rc;
}

int merkle_consistency_proof_build(struct ledger_hasher *h, uint64_t size1,
				   uint64_t size2, merkle_get_fn get, void *arg,
				   uint8_t *out, size_t *n,
				   struct zf_error *err)
{
	struct merkle_range r[MERKLE_PROOF_MAX];
	size_t nr = 0;
	int rc = merkle_consistency_ranges(size1, size2, r, &nr, err);

	if (!rc)
		rc = build(h, r, nr, get, arg, out);
	if (!rc)
		*n = nr;
	return rc;
}

/* The length PATH(index, D[size]) has; index < size. */
static size_t path_len(uint64_t index, uint64_t size)
{
	size_t n = 0;

	while (size > 1) {
		uint64_t k = split(size);

		if (index < k) {
			size = k;
		} else {
			index -= k;
			size -= k;
		}
		n++;
	}
	return n;
}

/* The length PROOF(size1, D[size2]) has; 0 < size1 <= size2. */
static size_t proof_len(uint64_t size1, uint64_t size2)
{
	size_t n = 0;
	bool b = true;

	while (size1 != size2) {
		uint64_t k = split(size2);

		if (size1 <= k) {
			size2 = k;
		} else {
			size1 -= k;
			size2 -= k;
			b = false;
		}
		n++;
	}
	return n + !b;
}

bool merkle_inclusion_verify(struct ledger_hasher *h, uint64_t index,
			     uint64_t size, const uint8_t leaf_hash[HL],
			     const uint8_t *proof, size_t n,
			     const uint8_t root[HL])
{
	uint64_t fn, sn;
	uint8_t r[HL];

	if (index >= size || n != path_len(index, size))
		return false;
	fn = index;
	sn = size - 1;
	memcpy(r, leaf_hash, HL);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = proof + i * HL;

		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			if (merkle_node_hash(h, p, r, r))
				return false;
			if (!(fn & 1)) {
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
			}
		} else {
			if (merkle_node_hash(h, r, p, r))
				return false;
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(r, root, HL) == 0;
}

bool merkle_consistency_verify(struct ledger_hasher *h, uint64_t size1,
			       uint64_t size2, const uint8_t root1[HL],
			       const uint8_t root2[HL], const uint8_t *proof,
			       size_t n)
{
	uint64_t fn, sn;
	uint8_t fr[HL], sr[HL];
	size_t i;

	if (size1 == 0 || size1 > size2)
		return false;
	if (size1 == size2)
		return n == 0 && memcmp(root1, root2, HL) == 0;
	/* step 1 (an empty path fails) is implied: proof_len >= 1 here */
	if (n != proof_len(size1, size2))
		return false;
	/*
	 * Step 2 prepends first_hash when size1 is a power of two; instead of
	 * copying the path, start from root1 and read the proof from 0.
	 */
	if ((size1 & (size1 - 1)) == 0) {
		memcpy(fr, root1, HL);
		i = 0;
	} else {
		memcpy(fr, proof, HL);
		i = 1;
	}
	memcpy(sr, fr, HL);
	fn = size1 - 1;
	sn = size2 - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < n; i++) {
		const uint8_t *c = proof + i * HL;

		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			if (merkle_node_hash(h, c, fr, fr) ||
			    merkle_node_hash(h, c, sr, sr))
				return false;
			if (!(fn & 1)) {
				while (!(fn & 1) && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
			}
		} else {
			if (merkle_node_hash(h, sr, c, sr))
				return false;
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(fr, root1, HL) == 0 &&
	       memcmp(sr, root2, HL) == 0;
}

static int naive(struct ledger_hasher *h, const uint8_t *leaves, uint64_t n,
		 uint8_t out[HL])
{
	uint8_t l[HL], r[HL];
	uint64_t k;
	int rc;

	if (n == 1) {
		memcpy(out, leaves, HL);
		return ZF_OK;
	}
	k = split(n);
	rc = naive(h, leaves, k, l);
	if (!rc)
		rc = naive(h, leaves + k * HL, n - k, r);
	if (!rc)
		rc = merkle_node_hash(h, l, r, out);
	return rc;
}

int merkle_root_naive(struct ledger_hasher *h, const uint8_t *leaves,
		      uint64_t n, uint8_t out[HL])
{
	if (n == 0)
		return empty_root(h, out);
	return naive(h, leaves, n, out);
}
