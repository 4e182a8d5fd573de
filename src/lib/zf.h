/*
 * zf.h: the project-wide header every zhifa source file includes first.
 *
 * It defines the one error value (enum zf_err) and the error report
 * (struct zf_error) that carries an English code, the offending field and a
 * Chinese message: the same shape as the API's {"error":{...}} body, so the
 * CLI and the HTTP layer print it the same way.  It also defines ZF_BUG for
 * programmer errors (never compiled out) and includes banned.h last, which
 * turns unbounded C library calls into compile errors.
 *
 * lib/ depends on nothing but libc, jansson and OpenSSL.
 */
#ifndef ZF_H
#define ZF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* every system header that declares a banned name comes before banned.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ZF_WUR __attribute__((warn_unused_result))
#define ZF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define ZF_NORETURN __attribute__((noreturn))
#define ZF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

enum zf_err {
	ZF_OK = 0,
	ZF_EINVAL,	/* bad input: a field is malformed or out of range */
	ZF_ENOTFOUND,	/* the object named does not exist */
	ZF_ECONFLICT,	/* exists already, or a state the law refuses */
	ZF_EREFUSED,	/* a rule refuses the act (names the article) */
	ZF_ESTORE,	/* the database failed */
	ZF_ENOMEM,	/* an allocation failed */
	ZF_EIO,		/* a file or socket failed */
	ZF_EUSAGE,	/* the command line is wrong */
	ZF_ETOOBIG,	/* a size limit was reached */
	ZF_EAUTH,	/* not logged in, or the login failed */
	ZF_EFORBIDDEN,	/* logged in, but the role may not do this */
	ZF_ERATE,	/* too many attempts: wait */
};

/* What went wrong, for a person (message, in Chinese) and a program (code). */
struct zf_error {
	int rc;
	char code[64];
	char field[64];
	char message[512];
};

/*
 * Fill *err (which may be NULL) and return rc.  The message is formatted and
 * truncated to fit; the code and field are copied and truncated.  Callers
 * write `return zf_fail(err, ZF_EINVAL, "invalid_date", "valid_from", ...)`.
 */
int zf_fail(struct zf_error *err, int rc, const char *code, const char *field,
	    const char *fmt, ...) ZF_PRINTF(5, 6);
void zf_error_clear(struct zf_error *err);
/* Prefix the field of an error (e.g. "party." + "id_number"). */
void zf_error_prefix_field(struct zf_error *err, const char *prefix);

ZF_NORETURN void zf_bug(const char *file, int line, const char *fmt, ...)
	ZF_PRINTF(3, 4);
#define ZF_BUG(...) zf_bug(__FILE__, __LINE__, __VA_ARGS__)

/* Allocation goes through one door, so tests can count and fail it. */
void *zf_malloc(size_t n);
void *zf_calloc(size_t n, size_t size);
void *zf_realloc(void *p, size_t n);
char *zf_strdup(const char *s);
char *zf_strndup(const char *s, size_t n);
void zf_free(void *p);
/* Test hook: make the Nth allocation from now fail (0 disables). */
void zf_alloc_fail_after(long n);

/* Bounded string copy that always terminates; returns false if truncated. */
bool zf_strlcpy(char *dst, const char *src, size_t size);
/* Free *p and set it to NULL. */
void zf_freep(char **p);
/* Replace *p by a copy of s (or NULL); false on allocation failure. */
ZF_WUR bool zf_set_str(char **p, const char *s);

#include "banned.h"

#endif
