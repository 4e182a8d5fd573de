/*
 * evidence_int.h: internals shared by blobs.c and writer.c.  Outside
 * src/evidence/, include evidence.h only.
 */
#ifndef ZF_EVIDENCE_INT_H
#define ZF_EVIDENCE_INT_H

#include "evidence.h"

struct evidence_blobs {
	char *dir;
};

/* Fill err with code naming field: "<what>“<path>”失败：<strerror(e)>". */
int evidence__io_fail(struct zf_error *err, const char *code, const char *field,
		      const char *what, const char *path, int e);
int evidence__oom(struct zf_error *err);
/* write(2) all n bytes, retrying on EINTR; -1 with errno set on failure. */
int evidence__write_all(int fd, const void *p, size_t n);
/* fsync a directory, so that a name created or removed in it is durable. */
int evidence__sync_dir(const char *dir);
/* mkdir -p (0750); each directory created is fsynced into its parent. */
int evidence__make_dirs(const char *path);
/* Finish h into out->hash (hex). */
int evidence__hash_done(struct ledger_hasher *h, struct evidence_blob *out,
			struct zf_error *err);

#endif
