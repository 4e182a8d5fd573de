/*
 * The blob directory: paths, reading and re-hashing, copying out and
 * removing blobs (evidence.h).  The writer is in writer.c.
 *
 * Durability: a directory created on the way is fsynced into its parent,
 * and a removal is fsynced into the blob's directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence_int.h"

int evidence__io_fail(struct zf_error *err, const char *code, const char *field,
		      const char *what, const char *path, int e)
{
	return zf_fail(err, ZF_EIO, code, field, "%s“%s”失败：%s", what, path, strerror(e));
}

int evidence__oom(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
}

int evidence__write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t k = write(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

int evidence__sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int evidence__make_dirs(const char *path)
{
	struct buf p;
	int rc = 0;
	buf_init(&p, 4096);
	if (buf_puts(&p, path)) {
		buf_release(&p);
		errno = ENAMETOOLONG;
		return -1;
	}
	char *s = p.data;
	for (char *q = s + 1; !rc; q++) {
		bool end = *q == '\0';
		if (*q != '/' && !end)
			continue;
		*q = '\0';
		if (mkdir(s, 0750) == 0) {
			char *slash = strrchr(s, '/');
			if (slash && slash != s) {
				*slash = '\0';
				evidence__sync_dir(s);
				*slash = '/';
			} else {
				evidence__sync_dir(slash ? "/" : ".");
			}
		} else if (errno != EEXIST) {
			rc = -1;
		}
		if (end)
			break;
		*q = '/';
	}
	if (!rc) {
		struct stat sb;
		if (stat(s, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			errno = ENOTDIR;
			rc = -1;
		}
	}
	buf_release(&p);
	return rc;
}

int evidence_blobs_open(const char *dir, struct evidence_blobs **out,
			struct zf_error *err)
{
	struct buf tmp;
	if (!dir || !*dir)
		return zf_fail(err, ZF_EINVAL, "evidence_dir_unavailable", "evidence_dir",
			       "未设定证据存放目录");
	buf_init(&tmp, 4096);
	if (buf_printf(&tmp, "%s/tmp", dir)) {
		buf_release(&tmp);
		return zf_fail(err, ZF_EINVAL, "evidence_dir_unavailable", "evidence_dir",
			       "证据存放目录路径过长");
	}
	if (evidence__make_dirs(buf_cstr(&tmp)) != 0) {
		int e = errno;
		buf_release(&tmp);
		return zf_fail(err, ZF_EIO, "evidence_dir_unavailable", "evidence_dir",
			       "无法使用证据存放目录“%s”：%s", dir, strerror(e));
	}
	buf_release(&tmp);
	struct evidence_blobs *b = zf_calloc(1, sizeof(*b));
	if (!b || !(b->dir = zf_strdup(dir))) {
		zf_free(b);
		return evidence__oom(err);
	}
	*out = b;
	return ZF_OK;
}

void evidence_blobs_free(struct evidence_blobs *b)
{
	if (!b)
		return;
	zf_free(b->dir);
	zf_free(b);
}

const char *evidence_blobs_dir(const struct evidence_blobs *b) { return b->dir; }

bool evidence_hash_valid(const char *s)
{
	size_t i = 0;
	for (; s && s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 2 * LEDGER_HASH_LEN;
}

int evidence_blob_path(const struct evidence_blobs *b, enum ledger_alg alg,
		       const char *hash, struct buf *out, struct zf_error *err)
{
	buf_reset(out);
	if (!evidence_hash_valid(hash))
		return zf_fail(err, ZF_EINVAL, "invalid_hash", "hash",
			       "哈希值应为 64 位小写十六进制数");
	if (buf_printf(out, "%s/%s/%.2s/%s", b->dir, ledger_alg_code(alg), hash, hash))
		return zf_fail(err, ZF_ETOOBIG, "evidence_dir_unavailable", "evidence_dir",
			       "证据存放目录路径过长");
	return ZF_OK;
}

bool evidence_blob_exists(const struct evidence_blobs *b, enum ledger_alg alg,
			  const char *hash)
{
	struct buf p;
	struct stat sb;
	buf_init(&p, 4096);
	bool yes = !evidence_blob_path(b, alg, hash, &p, NULL) &&
		   stat(buf_cstr(&p), &sb) == 0 && S_ISREG(sb.st_mode);
	buf_release(&p);
	return yes;
}

/* ---- reading in chunks ------------------------------------------------ */

typedef int (*sink_fn)(void *arg, const void *p, size_t n, struct zf_error *err);

/*
 * Read fd to its end, EVIDENCE_CHUNK at a time, hashing each chunk and
 * handing it to sink (may be NULL).  The one buffer is the whole memory.
 */
static int pump(struct ledger_hasher *h, int fd, uint64_t expect, uint64_t *total,
		sink_fn sink, void *sarg, evidence_progress_fn fn, void *parg,
		const char *field, struct zf_error *err)
{
	unsigned char *chunk = zf_malloc(EVIDENCE_CHUNK);
	int rc = ZF_OK;
	if (!chunk)
		return evidence__oom(err);
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	for (;;) {
		ssize_t n = read(fd, chunk, EVIDENCE_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = zf_fail(err, ZF_EIO, "evidence_unreadable", field,
				     "读取文件失败：%s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (ledger_hasher_update(h, chunk, (size_t)n)) {
			rc = zf_fail(err, ZF_EIO, "crypto_unavailable", "", "哈希计算失败");
			break;
		}
		if (sink && (rc = sink(sarg, chunk, (size_t)n, err)))
			break;
		*total += (uint64_t)n;
		if (fn)
			fn(parg, *total);
	}
	zf_free(chunk);
	if (!rc && expect != UINT64_MAX && *total != expect)
		rc = zf_fail(err, ZF_EIO, "evidence_truncated", field,
			     "文件在读取时大小改变（应为 %llu 字节，读到 %llu 字节）：可能被截断或仍在写入",
			     (unsigned long long)expect, (unsigned long long)*total);
	return rc;
}

int evidence__hash_done(struct ledger_hasher *h, struct evidence_blob *out,
			struct zf_error *err)
{
	uint8_t d[LEDGER_HASH_LEN];
	if (ledger_hasher_final(h, d))
		return zf_fail(err, ZF_EIO, "crypto_unavailable", "", "哈希计算失败");
	ledger_hex(d, LEDGER_HASH_LEN, out->hash);
	return ZF_OK;
}

int evidence_hash_fd(enum ledger_alg alg, int fd, uint64_t expect,
		     evidence_progress_fn fn, void *arg, const char *field,
		     struct evidence_blob *out, struct zf_error *err)
{
	struct ledger_hasher *h = ledger_hasher_new(alg);
	uint64_t total = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	out->alg = alg;
	if (!h || ledger_hasher_begin(h)) {
		ledger_hasher_free(h);
		return zf_fail(err, ZF_EIO, "crypto_unavailable", "", "哈希算法不可用");
	}
	rc = pump(h, fd, expect, &total, NULL, NULL, fn, arg, field, err);
	if (!rc)
		rc = evidence__hash_done(h, out, err);
	out->size = total;
	ledger_hasher_free(h);
	return rc;
}

int evidence_blob_verify(const struct evidence_blobs *b, enum ledger_alg alg,
			 const char *hash, uint64_t size, evidence_progress_fn fn, void *arg,
			 uint64_t *bytes, struct zf_error *err)
{
	struct buf p;
	struct evidence_blob got;
	int rc, fd = -1;
	if (bytes)
		*bytes = 0;
	buf_init(&p, 4096);
	if ((rc = evidence_blob_path(b, alg, hash, &p, err)))
		goto out;
	fd = open(buf_cstr(&p), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = errno == ENOENT
			? zf_fail(err, ZF_ENOTFOUND, "evidence_blob_missing", "hash",
				  "证据文件 %s 不存在：被删除或移走", hash)
			: evidence__io_fail(err, "evidence_unreadable", "hash", "读取证据文件", buf_cstr(&p),
				  errno);
		goto out;
	}
	if ((rc = evidence_hash_fd(alg, fd, UINT64_MAX, fn, arg, "hash", &got, err)))
		goto out;
	if (bytes)
		*bytes = got.size;
	if (strcmp(got.hash, hash) != 0 || (size && got.size != size))
		rc = zf_fail(err, ZF_EIO, "evidence_blob_altered", "hash",
			     "证据文件 %s 的内容与其哈希不符：被改动（现为 %llu 字节）", hash,
			     (unsigned long long)got.size);
out:
	if (fd >= 0)
		close(fd);
	buf_release(&p);
	return rc;
}

struct copy_sink {
	int fd;
	const char *dest;
};

static int copy_write(void *arg, const void *p, size_t n, struct zf_error *err)
{
	struct copy_sink *c = arg;
	if (evidence__write_all(c->fd, p, n) != 0)
		return evidence__io_fail(err, "evidence_write_failed", "out", "写入", c->dest, errno);
	return ZF_OK;
}

int evidence_blob_copy(const struct evidence_blobs *b, enum ledger_alg alg,
		       const char *hash, uint64_t size, const char *dest,
		       evidence_progress_fn fn, void *arg, struct zf_error *err)
{
	struct buf p;
	struct copy_sink sink = {-1, dest};
	struct ledger_hasher *h = NULL;
	struct evidence_blob got = {0};
	uint64_t total = 0;
	int rc, fd = -1;
	buf_init(&p, 4096);
	if ((rc = evidence_blob_path(b, alg, hash, &p, err)))
		goto out;
	if ((fd = open(buf_cstr(&p), O_RDONLY | O_CLOEXEC)) < 0) {
		rc = errno == ENOENT
			? zf_fail(err, ZF_ENOTFOUND, "evidence_blob_missing", "hash",
				  "证据文件 %s 不存在：被删除或移走", hash)
			: evidence__io_fail(err, "evidence_unreadable", "hash", "读取证据文件", buf_cstr(&p),
				  errno);
		goto out;
	}
	if ((sink.fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444)) < 0) {
		rc = errno == EEXIST
			? zf_fail(err, ZF_ECONFLICT, "file_exists", "out", "文件“%s”已存在", dest)
			: evidence__io_fail(err, "evidence_write_failed", "out", "新建文件", dest, errno);
		goto out;
	}
	if (!(h = ledger_hasher_new(alg)) || ledger_hasher_begin(h)) {
		rc = zf_fail(err, ZF_EIO, "crypto_unavailable", "", "哈希算法不可用");
		goto out;
	}
	if ((rc = pump(h, fd, UINT64_MAX, &total, copy_write, &sink, fn, arg, "hash", err)) ||
	    (rc = evidence__hash_done(h, &got, err)))
		goto out;
	if (strcmp(got.hash, hash) != 0 || (size && total != size))
		rc = zf_fail(err, ZF_EIO, "evidence_blob_altered", "hash",
			     "证据文件 %s 的内容与其哈希不符：被改动", hash);
	else if (fsync(sink.fd) != 0)
		rc = evidence__io_fail(err, "evidence_write_failed", "out", "写入", dest, errno);
out:
	if (sink.fd >= 0) {
		close(sink.fd);
		if (rc)
			unlink(dest);
	}
	if (fd >= 0)
		close(fd);
	ledger_hasher_free(h);
	buf_release(&p);
	return rc;
}

int evidence_blob_delete(const struct evidence_blobs *b, enum ledger_alg alg,
			 const char *hash, struct zf_error *err)
{
	struct buf p;
	int rc;
	buf_init(&p, 4096);
	if (!(rc = evidence_blob_path(b, alg, hash, &p, err))) {
		if (unlink(buf_cstr(&p)) != 0 && errno != ENOENT) {
			rc = evidence__io_fail(err, "evidence_io_failed", "hash", "删除证据文件",
				     buf_cstr(&p), errno);
		} else {
			char *slash = strrchr(p.data, '/');
			*slash = '\0';
			evidence__sync_dir(p.data);
		}
	}
	buf_release(&p);
	return rc;
}
