/*
 * b64: standard base64 (RFC 4648 §4, the "+/" alphabet with "=" padding),
 * as used by checkpoints, signed notes and the JSON proofs of the ledger.
 *
 * Decoding is strict, because every encoded value zhifa reads is a hash or
 * a signature that someone else may have forged: the length must be a
 * multiple of four, padding must be present and only at the end, no
 * whitespace or other character is skipped, and the unused bits of the last
 * group must be zero.  Each byte string therefore has exactly one accepted
 * encoding, so two different texts never verify as the same checkpoint.
 *
 * This module does no I/O and depends only on lib/.
 */
#ifndef ZF_B64_H
#define ZF_B64_H

#include "buf.h"
#include "zf.h"

/* Characters (without the NUL) that b64_encode writes for n bytes. */
#define B64_ENCODED_LEN(n) ((((n) + 2) / 3) * 4)

/* Append the encoding of data[0..len) to out (no newline). */
int b64_encode(const void *data, size_t len, struct buf *out) ZF_WUR;

/*
 * Decode s[0..len) into out, which has room for max bytes, and set *outlen.
 * Returns false (leaving *outlen alone; out may be partly written) if s is
 * not a canonical encoding or would decode to more than max bytes.  The
 * empty string decodes to zero bytes.
 */
bool b64_decode(const char *s, size_t len, uint8_t *out, size_t max,
		size_t *outlen);

#endif
