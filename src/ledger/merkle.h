/*
 * merkle: the Merkle tree of RFC 9162 §2.1 over the ledger's leaf hashes,
 * with inclusion and consistency proofs, arranged for a store that keeps
 * the tree's nodes.
 *
 * Hashing (§2.1.1), with H the organisation's digest (SM3 or SHA-256, via
 * struct ledger_hasher):
 *   MTH({})        = H("")
 *   MTH({d0})      = the leaf hash H(0x00 || entry), ledger_leaf_hash()
 *   MTH(D[n])      = H(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest
 *                    power of two smaller than n.
 * Every function here takes leaf hashes, never entry bytes.
 *
 * Addressing.  A perfect subtree (level l, index i) is MTH(D[i*2^l :
 * (i+1)*2^l]); level 0 holds the leaf hashes.  Such a node never changes
 * once the tree has grown past its last leaf, so a store can keep it
 * forever.  Every hash a proof needs is MTH(D[begin:end]) for a range that
 * is either a perfect subtree or an "ephemeral" node on the right edge of a
 * tree whose size is not a power of two; the latter is computed on demand
 * from the perfect subtrees that tile its range (merkle_range_subtrees), at
 * most one per proof level, so building a proof costs O(log n) reads.
 *
 * The frontier (a "compact range" of [0, n)) is the list of perfect
 * subtrees on the right edge: one at level l for each bit l set in n.  It
 * is all that appending and computing the root need.  An append returns
 * the nodes it completed (the leaf itself and each parent it closed) so the
 * store can write them in the same transaction as the entry.
 *
 * Sizes and indices are uint64_t; a tree holds at most 2^64 - 1 leaves.
 * This module does no I/O: nodes come from the caller through a callback.
 */
#ifndef ZF_MERKLE_H
#define ZF_MERKLE_H

#include "ledger.h"
#include "zf.h"

/* Levels a tree of up to 2^64 - 1 leaves uses (0..63). */
#define MERKLE_LEVELS 64
/* Longest proof: 64 for inclusion, 65 for consistency. */
#define MERKLE_PROOF_MAX 65
/* Most nodes one append completes: the leaf and 64 parents at most. */
#define MERKLE_APPEND_MAX 65

/* MTH(D[begin:end]), begin < end. */
struct merkle_range {
	uint64_t begin;
	uint64_t end;
};

/* The perfect subtree over leaves [index * 2^level, (index + 1) * 2^level). */
struct merkle_subtree {
	unsigned level;
	uint64_t index;
};

/* A completed node, as merkle_frontier_append reports it. */
struct merkle_node {
	unsigned level;
	uint64_t index;
	uint8_t hash[LEDGER_HASH_LEN];
};

/*
 * Fetch the stored hash of the perfect subtree (level, index) into out.
 * Returns 0, or a nonzero zf_err that the caller passes back unchanged (a
 * callback that wants to explain itself fills an error it reaches through
 * arg).  Level 0 asks for a leaf hash.
 */
typedef int (*merkle_get_fn)(void *arg, unsigned level, uint64_t index,
			     uint8_t out[LEDGER_HASH_LEN]);

/* H(0x01 || left || right) */
int merkle_node_hash(struct ledger_hasher *h,
		     const uint8_t left[LEDGER_HASH_LEN],
		     const uint8_t right[LEDGER_HASH_LEN],
		     uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;

/*
 * The right edge of a tree of size leaves: hash[l] is the perfect subtree
 * (l, (size >> l) - 1) when bit l of size is set, and unused otherwise.
 * Plain data: the caller owns it and may copy it.
 */
struct merkle_frontier {
	uint64_t size;
	uint8_t hash[MERKLE_LEVELS][LEDGER_HASH_LEN];
};

/* The frontier of the empty tree. */
void merkle_frontier_init(struct merkle_frontier *fr);

/*
 * Append one leaf hash.  If done is not NULL it receives the nodes the
 * append completed, leaf first and then upward (level 0, 1, ...), and
 * *ndone their number (1 to MERKLE_APPEND_MAX); done must have room for
 * MERKLE_APPEND_MAX.  On failure (ZF_EIO from the digest, ZF_ETOOBIG when
 * the tree is full) the frontier is unchanged.
 */
int merkle_frontier_append(struct ledger_hasher *h, struct merkle_frontier *fr,
			   const uint8_t leaf[LEDGER_HASH_LEN],
			   struct merkle_node *done, size_t *ndone) ZF_WUR;

/* The root hash of the tree the frontier describes (H("") when empty). */
int merkle_frontier_root(struct ledger_hasher *h,
			 const struct merkle_frontier *fr,
			 uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;

/*
 * Rebuild the frontier of a tree of size leaves from stored nodes: one get
 * per bit set in size.  On failure *fr is unchanged and get's code is
 * returned.
 */
int merkle_frontier_load(struct merkle_frontier *fr, uint64_t size,
			 merkle_get_fn get, void *arg) ZF_WUR;

/*
 * If r is a perfect subtree, set *out (may be NULL) and return true.
 */
bool merkle_range_perfect(struct merkle_range r, struct merkle_subtree *out);

/*
 * Tile r by perfect subtrees in the order RFC 9162 splits it (left to
 * right, sizes the bits of end - begin, largest first) and return their
 * number; MTH(r) is then the right fold
 *   H(0x01 || s[0] || H(0x01 || s[1] || ... s[n-1])).
 * Returns 0 if r is empty or does not split into aligned perfect subtrees;
 * every range that merkle_*_ranges returns does.
 */
size_t merkle_range_subtrees(struct merkle_range r,
			     struct merkle_subtree out[MERKLE_LEVELS]);

/*
 * MTH(r) from stored perfect subtrees (one get per tile); get's code is
 * returned on failure.  A range that does not tile is a programmer error
 * (ZF_BUG).
 */
int merkle_range_hash(struct ledger_hasher *h, struct merkle_range r,
		      merkle_get_fn get, void *arg,
		      uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;

/*
 * The ranges whose hashes form PATH(index, D[size]) (RFC 9162 §2.1.3.1),
 * in proof order (the leaf's sibling first), and *n their number.  Code
 * "invalid_proof_request" (field "leaf_index") when index >= size.
 */
int merkle_inclusion_ranges(uint64_t index, uint64_t size,
			    struct merkle_range out[MERKLE_PROOF_MAX],
			    size_t *n, struct zf_error *err) ZF_WUR;

/*
 * The ranges whose hashes form PROOF(size1, D[size2]) (§2.1.4.1), in proof
 * order, and *n their number (0 when size1 == size2).  Code
 * "invalid_proof_request" when size1 is 0 (field "from": RFC 9162 defines
 * no proof from the empty tree) or size1 > size2 (field "to").
 */
int merkle_consistency_ranges(uint64_t size1, uint64_t size2,
			      struct merkle_range out[MERKLE_PROOF_MAX],
			      size_t *n, struct zf_error *err) ZF_WUR;

/*
 * Arrays of hashes (proofs, leaves) are passed flat: hash i is bytes
 * [i * LEDGER_HASH_LEN, (i + 1) * LEDGER_HASH_LEN).
 *
 * Build the inclusion proof of leaf index in the tree of size leaves from
 * stored nodes: out, with room for MERKLE_PROOF_MAX hashes, receives *n
 * hashes.  Every
 * node read lies inside [0, size), so a proof for an older size is built
 * from the same nodes.  Errors as merkle_inclusion_ranges, ZF_EIO from the
 * digest, or get's code.
 */
int merkle_inclusion_proof_build(struct ledger_hasher *h, uint64_t index,
				 uint64_t size, merkle_get_fn get, void *arg,
				 uint8_t *out, size_t *n,
				 struct zf_error *err) ZF_WUR;

/* The same for the consistency proof from size1 to size2. */
int merkle_consistency_proof_build(struct ledger_hasher *h, uint64_t size1,
				   uint64_t size2, merkle_get_fn get, void *arg,
				   uint8_t *out, size_t *n,
				   struct zf_error *err) ZF_WUR;

/*
 * RFC 9162 §2.1.3.2: true if proof[0..n) shows that leaf_hash is leaf
 * index of the tree of size leaves whose root is root.  False for
 * index >= size, a proof of the wrong length, or a digest failure.
 */
bool merkle_inclusion_verify(struct ledger_hasher *h, uint64_t index,
			     uint64_t size,
			     const uint8_t leaf_hash[LEDGER_HASH_LEN],
			     const uint8_t *proof, size_t n,
			     const uint8_t root[LEDGER_HASH_LEN]);

/*
 * RFC 9162 §2.1.4.2: true if proof[0..n) shows that the tree (size1,
 * root1) is a prefix of the tree (size2, root2).  size1 == size2 holds
 * only with an empty proof and equal roots.  False for size1 == 0 (the RFC
 * requires 0 < first; every tree extends the empty one, which a caller
 * checks without a proof), size1 > size2, a proof of the wrong length, or
 * a digest failure.
 */
bool merkle_consistency_verify(struct ledger_hasher *h, uint64_t size1,
			       uint64_t size2,
			       const uint8_t root1[LEDGER_HASH_LEN],
			       const uint8_t root2[LEDGER_HASH_LEN],
			       const uint8_t *proof, size_t n);

/*
 * MTH(D[n]) by the recursive definition, for tests and for recomputing a
 * tree from scratch: O(n) hashing, recursion depth O(log n).
 */
int merkle_root_naive(struct ledger_hasher *h,
		      const uint8_t *leaves, uint64_t n,
		      uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;

#endif
