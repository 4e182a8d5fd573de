/*
 * uuid: time-ordered identifiers (UUIDv7, RFC 9562 §5.7) for primary keys,
 * so rows sort by creation and can move between databases and shards.
 */
#ifndef ZF_UUID_H
#define ZF_UUID_H

#include "zf.h"

#define UUID_STR_LEN 37

/*
 * A new UUIDv7 whose timestamp is now_us (from the context) and whose other
 * 74 bits are random (OpenSSL's CSPRNG).  Returns ZF_EIO if no randomness.
 */
int uuid_v7(int64_t now_us, char out[UUID_STR_LEN]) ZF_WUR;
/* Lower-case canonical 8-4-4-4-12 form, any version. */
bool uuid_is_valid(const char *s);

#endif
