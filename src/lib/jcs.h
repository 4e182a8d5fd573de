/*
 * jcs: the JSON Canonicalization Scheme (RFC 8785) for the values zhifa
 * puts in ledger entries and state hashes.
 *
 * Canonical bytes are what gets hashed, so two programs that agree on the
 * value agree on the hash.  Object members are sorted by their names as
 * UTF-16 code units (RFC 8785 §3.2.3), no whitespace is written, strings
 * use the minimal escapes of ECMAScript JSON.stringify.  Only integers are
 * allowed as numbers (money is integer fen, instants integer microseconds):
 * a real is refused rather than risk a formatting difference.
 */
#ifndef ZF_JCS_H
#define ZF_JCS_H

#include <jansson.h>

#include "buf.h"

/* Append the canonical form of v to out.  ZF_EINVAL on a real number. */
int jcs_write(const json_t *v, struct buf *out) ZF_WUR;

#endif
