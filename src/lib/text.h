/*
 * text: checks of free-text fields and strict number parsing.
 * Every field a person types passes text_check before it is stored.
 */
#ifndef ZF_TEXT_H
#define ZF_TEXT_H

#include "zf.h"

/* Number of UTF-8 characters in s, or -1 if s is not valid UTF-8. */
long text_utf8_len(const char *s);
/*
 * s must be valid UTF-8 without control characters, with 1..max_chars
 * characters (or absent/empty when !required).  Code "required" for a
 * missing value, "invalid_text" otherwise.
 */
int text_check(const char *s, const char *field, long max_chars, bool required,
	       struct zf_error *err) ZF_WUR;
/* Strict decimal integer in [min, max]; code "invalid_number". */
int text_parse_int(const char *s, int64_t min, int64_t max, int64_t *out,
		   const char *field, struct zf_error *err) ZF_WUR;
/* Is s one of the NULL-terminated list? */
bool text_in(const char *s, const char *const *list);

#endif
