/*
 * ledger: the pure half of zhifa's trace (全程留痕): hashing, canonical
 * entries and the chain that makes a removed or edited entry detectable.
 *
 * Every mutation the store commits carries exactly one entry, the canonical
 * JSON (RFC 8785) of:
 *   seq, recorded_at, effective_at (UTC microseconds), org_id,
 *   actor {user, role}, action, object_type, object_id,
 *   state_hash (hex of H(canonical state)), state_hash_version,
 *   prev (hex of the previous entry's leaf hash; 64 zeros for the first),
 *   alg ("sm3" or "sha256"), and optional detail (no personal data).
 * The leaf hash of an entry is H(0x00 || entry bytes), the RFC 9162 leaf
 * hash, so the Merkle tree of the ledger issue is built over the same values.
 * H is SM3 (default, 国密) or SHA-256, fixed per organisation.
 *
 * Personal data never enters an entry or a state: it is committed to by a
 * salted digest H(salt || canonical personal fields), which stays when the
 * personal fields and the salt are erased, so the ledger still verifies.
 *
 * This module does no I/O and never touches the database.
 */
#ifndef ZF_LEDGER_H
#define ZF_LEDGER_H

#include <jansson.h>

#include "buf.h"
#include "zf.h"

#define LEDGER_HASH_LEN 32
#define LEDGER_HEX_LEN 65
#define LEDGER_SALT_LEN 16
#define LEDGER_STATE_HASH_VERSION 1

enum ledger_alg {
	LEDGER_SM3 = 1,
	LEDGER_SHA256 = 2,
};

const char *ledger_alg_code(enum ledger_alg alg);
/* "sm3" or "sha256"; code "invalid_hash_alg" otherwise. */
int ledger_alg_parse(const char *s, enum ledger_alg *out, const char *field,
		     struct zf_error *err) ZF_WUR;

/* A digest fetched once with its context reused (fetching per call costs). */
struct ledger_hasher;

struct ledger_hasher *ledger_hasher_new(enum ledger_alg alg);
void ledger_hasher_free(struct ledger_hasher *h);
enum ledger_alg ledger_hasher_alg(const struct ledger_hasher *h);
/* H(a || b); either part may be empty. */
int ledger_hash2(struct ledger_hasher *h, const void *a, size_t alen,
		 const void *b, size_t blen, uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;
/*
 * Streaming: begin, any number of updates, final.  The hasher's context is
 * reused, so a hasher is in one stream at a time and no other ledger_*
 * call on it may come between begin and final.  Memory stays constant
 * whatever the length (a 4 GB video is hashed in chunks).
 */
int ledger_hasher_begin(struct ledger_hasher *h) ZF_WUR;
int ledger_hasher_update(struct ledger_hasher *h, const void *p, size_t n) ZF_WUR;
int ledger_hasher_final(struct ledger_hasher *h, uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;
/* The digest of what was fed so far, leaving h to go on. */
int ledger_hasher_peek(const struct ledger_hasher *h, uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;
/* H(0x00 || entry) */
int ledger_leaf_hash(struct ledger_hasher *h, const void *entry, size_t len,
		     uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;
/* H(canonical(state)) */
int ledger_state_hash(struct ledger_hasher *h, const json_t *state,
		      uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;
/* H(salt || canonical(personal)) */
int ledger_pii_digest(struct ledger_hasher *h,
		      const uint8_t salt[LEDGER_SALT_LEN], const json_t *personal,
		      uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;

void ledger_hex(const uint8_t *bytes, size_t n, char *out);
/* Parse 2n hex digits into n bytes; false if malformed. */
bool ledger_unhex(const char *hex, uint8_t *out, size_t n);

struct ledger_entry {
	int64_t seq;			/* 1, 2, ... per organisation */
	int64_t recorded_at;
	int64_t effective_at;
	const char *org_id;
	const char *actor;
	const char *role;
	const char *action;		/* a code from docs/codes.tsv */
	const char *object_type;
	const char *object_id;
	uint8_t state_hash[LEDGER_HASH_LEN];
	int state_hash_version;
	uint8_t prev[LEDGER_HASH_LEN];	/* zeros for seq 1 */
	enum ledger_alg alg;
	const json_t *detail;		/* optional, borrowed; no personal data */
};

/* Append the canonical bytes of e to out (written directly, without
 * building a JSON value; detail goes through jcs). */
int ledger_entry_encode(const struct ledger_entry *e, struct buf *out) ZF_WUR;

/* H(canonical(v)) through a caller's scratch buffer (reset first; its max
 * bounds the encoding), so a loop of hashes does not allocate each time. */
int ledger_canonical_hash(struct ledger_hasher *h, const json_t *v,
			  struct buf *scratch, uint8_t out[LEDGER_HASH_LEN]) ZF_WUR;

/* A run of bytes inside an entry (a string without its quotes). */
struct ledger_slice {
	const char *p;
	size_t n;
};

/* The members of an entry as ledger_entry_scan finds them in its bytes. */
struct ledger_entry_view {
	int64_t seq, recorded_at, effective_at, state_hash_version;
	struct ledger_slice action, user, role, alg, object_id, object_type, org_id,
		prev, state_hash;
	bool has_detail;
};

/*
 * The fast path of verification.  True only if bytes[0..len) is exactly the
 * canonical JSON (RFC 8785) of an object with the members
 * ledger_entry_encode writes (detail optional, of any JSON), each of the
 * type it writes, and no other: then json_loadb() would accept the bytes
 * and jcs_write() of the result would give them back, and *v holds the
 * members (strings, which contain no escapes, point into bytes).  False
 * means "not shown", never "invalid": the caller then decides with the
 * full parse.  detail is checked by parsing it alone and re-encoding it
 * into scratch.
 */
bool ledger_entry_scan(const char *bytes, size_t len, struct ledger_entry_view *v,
		       struct buf *scratch);

#endif
