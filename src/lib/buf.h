/*
 * buf: a growable byte buffer with a required maximum size.
 *
 * Appending past the maximum fails with ZF_ETOOBIG and leaves the buffer as
 * it was, so no input can grow memory without bound (STYLE §6).  The data is
 * always NUL-terminated.  The buffer owns its data until buf_detach().
 */
#ifndef ZF_BUF_H
#define ZF_BUF_H

#include "zf.h"

struct buf {
	char *data;	/* NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;	/* largest len allowed */
};

#define BUF_MAX_DEFAULT ((size_t)1 << 20)

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
/* Drop the contents, keep the memory. */
void buf_reset(struct buf *b);
int buf_append(struct buf *b, const void *p, size_t n) ZF_WUR;
int buf_puts(struct buf *b, const char *s) ZF_WUR;
int buf_putc(struct buf *b, char c) ZF_WUR;
int buf_printf(struct buf *b, const char *fmt, ...) ZF_WUR ZF_PRINTF(2, 3);
/* Always a valid C string ("" when empty). */
const char *buf_cstr(const struct buf *b);
/* Hand the data to the caller (free with zf_free); the buffer is reset. */
char *buf_detach(struct buf *b, size_t *len);

#endif
