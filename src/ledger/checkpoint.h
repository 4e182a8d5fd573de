/*
 * checkpoint: signed tree heads in the C2SP formats tlog-checkpoint and
 * signed-note (c2sp.org/tlog-checkpoint, c2sp.org/signed-note@v1), so an
 * outside auditor can check a zhifa log with ordinary tools.
 *
 * A checkpoint is a signed note whose text (the body) is
 *
 *	<origin>\n
 *	<tree size, ASCII decimal, no leading zeros>\n
 *	<base64 of the 32-byte root hash>\n
 *	[<extension line>\n ...]		(never written by zhifa)
 *
 * followed by one blank line ("\n") and one or more signature lines
 *
 *	U+2014 (em dash) SP <key name> SP base64(key ID || signature) \n
 *
 * where the key ID is 4 bytes, big-endian, the first four bytes of
 * SHA-256(key name || 0x0A || signature type || public key).  The note is
 * valid UTF-8 without control characters other than newline; key names are
 * non-empty and contain no Unicode space and no '+'.
 *
 * Two signature algorithms are supported:
 *
 *   Ed25519 (signed-note type 0x01, standard): RFC 8032 over the body
 *   bytes; public key = the 32-byte RFC 8032 encoding.
 *
 *   SM2 with SM3 (GB/T 32918, GM/T 0009; a zhifa extension of signed-note):
 *   type = the byte 0xff followed by the ASCII identifier "zhifa/sm2-sm3"
 *   (signed-note reserves 0xff for types it does not assign, to be followed
 *   by a longer identifier); public key = the 65-byte uncompressed point
 *   0x04 || X || Y; signature = the DER SM2Signature over the body bytes,
 *   with Z computed from the default user ID "1234567812345678".  Standard
 *   verifiers ignore these lines as signatures from unknown keys.
 *
 * Keys are OpenSSL EVP_PKEYs: the caller owns them and frees them with
 * EVP_PKEY_free.  This module does no file I/O: keys and notes come and go
 * as bytes in memory.
 */
#ifndef ZF_CHECKPOINT_H
#define ZF_CHECKPOINT_H

#include <openssl/evp.h>

#include "buf.h"
#include "ledger.h"
#include "zf.h"

enum checkpoint_alg {
	CHECKPOINT_ED25519 = 1,
	CHECKPOINT_SM2 = 2,
};

/* Longest origin (bytes) and key name accepted. */
#define CHECKPOINT_ORIGIN_MAX 255
/* Largest note checkpoint_parse reads; signed-note asks for >= 16 lines. */
#define CHECKPOINT_NOTE_MAX ((size_t)128 << 10)
#define CHECKPOINT_SIGS_MAX 64
/* Largest decoded signature line (key ID and signature) accepted. */
#define CHECKPOINT_SIG_MAX 8192

struct checkpoint {
	char origin[CHECKPOINT_ORIGIN_MAX + 1];
	uint64_t size;
	uint8_t root[LEDGER_HASH_LEN];
	/* extension lines present (allowed by the format, ignored here) */
	unsigned extensions;
};

/* "ed25519" or "sm2". */
const char *checkpoint_alg_code(enum checkpoint_alg alg);
/* The algorithm of key; false if it is neither Ed25519 nor SM2. */
bool checkpoint_key_alg(EVP_PKEY *key, enum checkpoint_alg *out);

/*
 * Append the note text "<origin>\n<size>\n<base64 root>\n" to out.  Code
 * "invalid_checkpoint", field "origin", if origin is empty, longer than
 * CHECKPOINT_ORIGIN_MAX, not UTF-8 or holds a control character.
 */
int checkpoint_body(const char *origin, uint64_t size,
		    const uint8_t root[LEDGER_HASH_LEN], struct buf *out,
		    struct zf_error *err) ZF_WUR;

/*
 * The 32-bit key ID of (key_name, key), key public or private.  Code
 * "invalid_key_name" (field "key_name") or "unsupported_key" (field "key").
 */
int checkpoint_key_id(const char *key_name, EVP_PKEY *key, uint32_t *id,
		      struct zf_error *err) ZF_WUR;

/*
 * Append to out the whole signed note: the body of (origin, size, root),
 * the blank line and one signature line by key (a private Ed25519 or SM2
 * key) under key_name.  The log's key name should be its origin
 * (tlog-checkpoint).  On failure out may hold part of the note; errors as
 * checkpoint_body and checkpoint_key_id, and ZF_EIO "sign_failed".
 */
int checkpoint_sign(const char *origin, uint64_t size,
		    const uint8_t root[LEDGER_HASH_LEN], const char *key_name,
		    EVP_PKEY *key, struct buf *out,
		    struct zf_error *err) ZF_WUR;

/*
 * Parse a signed note text[0..len) as a checkpoint without checking any
 * signature: exactly the format above, the whole input, nothing after the
 * last signature line.  Fills *out only on success.  Errors (ZF_EINVAL, or
 * ZF_ETOOBIG past CHECKPOINT_NOTE_MAX bytes or CHECKPOINT_SIGS_MAX
 * signature lines) have code "invalid_checkpoint" and
 * field "note" (encoding, blank line, overall shape), "origin", "size",
 * "root", "extension" or "signature" (a malformed signature line).
 */
int checkpoint_parse(const char *text, size_t len, struct checkpoint *out,
		     struct zf_error *err) ZF_WUR;

/*
 * Parse text as checkpoint_parse does and check it is signed by key (a
 * public, or private, Ed25519 or SM2 key) under key_name, following
 * signed-note: lines from other keys (another name or key ID) are ignored,
 * every line from this key must verify, and at least one must be present.
 * Fills *out only on success.  Besides checkpoint_parse's errors: code
 * "checkpoint_unsigned" (no line from this key) or
 * "checkpoint_bad_signature" (a line from this key does not verify), both
 * ZF_EINVAL with field "signature".  The caller decides whether
 * out->origin must equal key_name.
 */
int checkpoint_verify(const char *text, size_t len, const char *key_name,
		      EVP_PKEY *key, struct checkpoint *out,
		      struct zf_error *err) ZF_WUR;

/* A new key pair; code "keygen_failed" (ZF_EIO). */
int checkpoint_key_generate(enum checkpoint_alg alg, EVP_PKEY **out,
			    struct zf_error *err) ZF_WUR;

/*
 * Append the PEM of key to out: an unencrypted PKCS #8 "PRIVATE KEY" or an
 * SPKI "PUBLIC KEY".  The private PEM is secret; the caller should wipe
 * out (OPENSSL_cleanse) before releasing it.
 */
int checkpoint_key_private_pem(EVP_PKEY *key, struct buf *out,
			       struct zf_error *err) ZF_WUR;
int checkpoint_key_public_pem(EVP_PKEY *key, struct buf *out,
			      struct zf_error *err) ZF_WUR;

/*
 * Read exactly one PEM block (surrounding whitespace allowed) from
 * pem[0..len): an unencrypted PKCS #8 private key, or an SPKI public key.
 * Sets *out to a new key the caller frees.  Code "invalid_key" (field
 * "key") when the PEM is malformed, encrypted, has trailing data, or holds
 * a key that is neither Ed25519 nor SM2.
 */
int checkpoint_key_from_private_pem(const char *pem, size_t len,
				    EVP_PKEY **out,
				    struct zf_error *err) ZF_WUR;
int checkpoint_key_from_public_pem(const char *pem, size_t len,
				   EVP_PKEY **out, struct zf_error *err) ZF_WUR;

#endif
