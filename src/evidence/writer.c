/*
 * The incremental blob writer (evidence.h): bytes in, hashed on the
 * caller's thread, written to a temporary file by a second thread, then
 * fsynced and renamed to their hash.
 *
 * Why a thread: SM3 runs at about the speed the disk takes the bytes, so
 * hashing and writing one after the other would take their sum.  The
 * caller hashes a chunk while the writer thread writes the one before it,
 * through a ring of RING_SLOTS chunks (the writer's whole memory), and the
 * thread asks the kernel to start writing back every SYNC_EVERY bytes, so
 * the final fsync finds little left to do.  If the thread cannot be
 * started the writes happen on the caller's thread.
 *
 * Durability: the temporary file is fsynced before the rename and the
 * blob's directory after it, so a blob under its hash name survives a
 * crash whole; a crash before leaves only a temporary file.
 */
#ifdef __linux__
#define _GNU_SOURCE	/* sync_file_range */
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence_int.h"

#define RING_SLOTS 4
#define SYNC_EVERY ((uint64_t)32 << 20)

struct evidence_writer {
	struct evidence_blobs *b;
	struct ledger_hasher *h;
	struct buf tmp;		/* the temporary file's path */
	int fd;
	bool tmp_exists;	/* the temporary file is ours to remove */
	uint64_t max;
	bool finished;
	bool failed;
	struct evidence_blob blob;	/* size: bytes accepted so far */

	/* the ring: the caller fills slot[head], the thread writes slot[tail] */
	unsigned char *slot[RING_SLOTS];
	size_t fill[RING_SLOTS];
	size_t used;		/* bytes in slot[head], not yet queued */
	unsigned head, tail, queued;
	bool threaded, stop;
	int werr;		/* errno of a failed write; 0 */
	uint64_t written, synced;	/* the thread's */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* ---- the writer thread ------------------------------------------------ */

/* Start writeback of what was written since the last call, and wait for
 * the window before it: dirty pages stay bounded and fsync is short. */
static void flush_behind(struct evidence_writer *w)
{
#ifdef __linux__
	if (w->written - w->synced < SYNC_EVERY)
		return;
	/* the window before is on disk: its pages are not needed again, and
	 * dropping them spares the page cache (and the reclaim a 4 GB video
	 * would otherwise cause) */
	if (w->synced >= SYNC_EVERY &&
	    sync_file_range(w->fd, (off_t)(w->synced - SYNC_EVERY), (off_t)SYNC_EVERY,
			    SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
				    SYNC_FILE_RANGE_WAIT_AFTER) == 0)
		posix_fadvise(w->fd, (off_t)(w->synced - SYNC_EVERY), (off_t)SYNC_EVERY,
			      POSIX_FADV_DONTNEED);
	sync_file_range(w->fd, (off_t)w->synced, (off_t)(w->written - w->synced),
			SYNC_FILE_RANGE_WRITE);
	w->synced = w->written;
#else
	(void)w;
#endif
}

/* Write one slot; the error is kept for the caller. */
static void write_slot(struct evidence_writer *w, unsigned s)
{
	int e = 0;
	if (evidence__write_all(w->fd, w->slot[s], w->fill[s]) != 0)
		e = errno ? errno : EIO;
	else
		w->written += w->fill[s];
	if (!e)
		flush_behind(w);
	if (e) {
		pthread_mutex_lock(&w->mu);
		if (!w->werr)
			w->werr = e;
		pthread_mutex_unlock(&w->mu);
	}
}

static void *writer_main(void *arg)
{
	struct evidence_writer *w = arg;
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (!w->queued && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->queued) {
			pthread_mutex_unlock(&w->mu);
			return NULL;
		}
		unsigned s = w->tail;
		bool skip = w->werr != 0;
		pthread_mutex_unlock(&w->mu);
		if (!skip)
			write_slot(w, s);
		pthread_mutex_lock(&w->mu);
		w->tail = (w->tail + 1) % RING_SLOTS;
		w->queued--;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
	}
}

/* ---- the caller's side of the ring ------------------------------------- */

/* Wait for slot[head] to be free (it is, unless the ring is full). */
static unsigned char *slot_get(struct evidence_writer *w)
{
	if (w->threaded) {
		pthread_mutex_lock(&w->mu);
		while (w->queued == RING_SLOTS)
			pthread_cond_wait(&w->cv, &w->mu);
		pthread_mutex_unlock(&w->mu);
	}
	return w->slot[w->head];
}

/* Queue slot[head] with n bytes (written at once when there is no thread). */
static void slot_put(struct evidence_writer *w, size_t n)
{
	unsigned s = w->head;
	w->fill[s] = n;
	if (!w->threaded) {
		if (!w->werr)
			write_slot(w, s);
		return;
	}
	pthread_mutex_lock(&w->mu);
	w->head = (w->head + 1) % RING_SLOTS;
	w->queued++;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* Wait until everything queued is written; the write error, if any. */
static int drain(struct evidence_writer *w)
{
	int e;
	if (w->used) {
		slot_put(w, w->used);
		w->used = 0;
	}
	pthread_mutex_lock(&w->mu);
	while (w->queued)
		pthread_cond_wait(&w->cv, &w->mu);
	e = w->werr;
	pthread_mutex_unlock(&w->mu);
	return e;
}

static void stop_thread(struct evidence_writer *w)
{
	if (!w->threaded)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	w->threaded = false;
}

static int write_failed(struct zf_error *err, int e)
{
	return zf_fail(err, ZF_EIO, "evidence_write_failed", "", "写入证据存放目录失败：%s",
		       strerror(e));
}

static int pending_error(struct evidence_writer *w, struct zf_error *err)
{
	pthread_mutex_lock(&w->mu);
	int e = w->werr;
	pthread_mutex_unlock(&w->mu);
	return e ? write_failed(err, e) : ZF_OK;
}

/* ---- the API ------------------------------------------------------------- */

int evidence_writer_open(struct evidence_blobs *b, enum ledger_alg alg,
			 uint64_t max_size, struct evidence_writer **out,
			 struct zf_error *err)
{
	struct evidence_writer *w = zf_calloc(1, sizeof(*w));
	if (!w)
		return evidence__oom(err);
	w->b = b;
	w->fd = -1;
	w->max = max_size;
	w->blob.alg = alg;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	buf_init(&w->tmp, 4096);
	for (unsigned i = 0; i < RING_SLOTS; i++)
		if (!(w->slot[i] = zf_malloc(EVIDENCE_CHUNK))) {
			evidence_writer_abort(w);
			return evidence__oom(err);
		}
	if (buf_printf(&w->tmp, "%s/tmp/blob-XXXXXX", b->dir)) {
		evidence_writer_abort(w);
		return zf_fail(err, ZF_ETOOBIG, "evidence_dir_unavailable", "evidence_dir",
			       "证据存放目录路径过长");
	}
	if (!(w->h = ledger_hasher_new(alg)) || ledger_hasher_begin(w->h)) {
		evidence_writer_abort(w);
		return zf_fail(err, ZF_EIO, "crypto_unavailable", "", "哈希算法不可用");
	}
	w->fd = mkstemp(w->tmp.data);
	if (w->fd < 0) {
		int e = errno;
		evidence_writer_abort(w);
		return zf_fail(err, ZF_EIO, "evidence_dir_unavailable", "evidence_dir",
			       "无法在证据存放目录“%s”中新建文件：%s", b->dir, strerror(e));
	}
	w->tmp_exists = true;
	fcntl(w->fd, F_SETFD, FD_CLOEXEC);
	w->threaded = pthread_create(&w->th, NULL, writer_main, w) == 0;
	*out = w;
	return ZF_OK;
}

static int writer_usable(struct evidence_writer *w, struct zf_error *err)
{
	if (w->finished)
		ZF_BUG("evidence writer: write after finish");
	if (w->failed)
		return zf_fail(err, ZF_EIO, "evidence_write_failed", "",
			       "此前的写入已失败，须放弃本次写入");
	return ZF_OK;
}

static int too_big(const struct evidence_writer *w, uint64_t more, const char *field,
		   struct zf_error *err)
{
	if (w->max && w->blob.size + more > w->max)
		return zf_fail(err, ZF_ETOOBIG, "evidence_too_big", field,
			       "文件超过上限 %llu 字节", (unsigned long long)w->max);
	return ZF_OK;
}

int evidence_writer_write(struct evidence_writer *w, const void *p, size_t n,
			  struct zf_error *err)
{
	const unsigned char *c = p;
	int rc = writer_usable(w, err);
	if (rc || !n)
		return rc;
	if (!(rc = too_big(w, n, "size", err)) && !(rc = pending_error(w, err)) &&
	    ledger_hasher_update(w->h, p, n))
		rc = zf_fail(err, ZF_EIO, "crypto_unavailable", "", "哈希计算失败");
	while (!rc && n) {
		unsigned char *s = slot_get(w);
		size_t k = EVIDENCE_CHUNK - w->used < n ? EVIDENCE_CHUNK - w->used : n;
		memcpy(s + w->used, c, k);
		w->used += k;
		w->blob.size += k;
		c += k;
		n -= k;
		if (w->used == EVIDENCE_CHUNK) {
			slot_put(w, w->used);
			w->used = 0;
		}
	}
	w->failed = rc != ZF_OK;
	return rc;
}

int evidence_writer_write_fd(struct evidence_writer *w, int fd, uint64_t expect,
			     evidence_progress_fn fn, void *arg, const char *field,
			     struct zf_error *err)
{
	uint64_t total = 0;
	int rc = writer_usable(w, err);
	if (rc)
		return rc;
	if (expect != UINT64_MAX && (rc = too_big(w, expect, field, err))) {
		w->failed = true;
		return rc;
	}
	if (w->used) {	/* keep the order of what came before */
		slot_put(w, w->used);
		w->used = 0;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	while (!rc) {
		unsigned char *s = slot_get(w);
		ssize_t n = read(fd, s, EVIDENCE_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = zf_fail(err, ZF_EIO, "evidence_unreadable", field, "读取文件失败：%s",
				     strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if ((rc = too_big(w, (uint64_t)n, field, err)) || (rc = pending_error(w, err)))
			break;
		/* the thread writes the slot while we hash it: both only read it */
		slot_put(w, (size_t)n);
		if (ledger_hasher_update(w->h, s, (size_t)n)) {
			rc = zf_fail(err, ZF_EIO, "crypto_unavailable", "", "哈希计算失败");
			break;
		}
		w->blob.size += (uint64_t)n;
		total += (uint64_t)n;
		if (fn)
			fn(arg, total);
	}
	if (!rc && expect != UINT64_MAX && total != expect)
		rc = zf_fail(err, ZF_EIO, "evidence_truncated", field,
			     "文件在读取时大小改变（应为 %llu 字节，读到 %llu 字节）：可能被截断或仍在写入",
			     (unsigned long long)expect, (unsigned long long)total);
	w->failed = rc != ZF_OK;
	return rc;
}

uint64_t evidence_writer_size(const struct evidence_writer *w) { return w->blob.size; }

int evidence_writer_finish(struct evidence_writer *w, struct evidence_blob *out,
			   struct zf_error *err)
{
	int rc = ZF_OK;
	if (!w->finished) {
		if (w->failed)
			return writer_usable(w, err);
		int e = drain(w);
		stop_thread(w);
		if (e)
			rc = write_failed(err, e);
		else if (w->blob.size == 0)
			rc = zf_fail(err, ZF_EINVAL, "evidence_empty", "size", "文件为空");
		else if ((rc = evidence__hash_done(w->h, &w->blob, err)) == ZF_OK &&
			 fsync(w->fd) != 0)
			rc = zf_fail(err, ZF_EIO, "evidence_write_failed", "",
				     "写入证据存放目录失败（fsync）：%s", strerror(errno));
		w->failed = rc != ZF_OK;
		w->finished = rc == ZF_OK;
	}
	if (!rc && out)
		*out = w->blob;
	return rc;
}

int evidence_writer_commit(struct evidence_writer *w, struct evidence_blob *out,
			   struct zf_error *err)
{
	struct buf final;
	struct stat sb;
	int rc = evidence_writer_finish(w, NULL, err);
	buf_init(&final, 4096);
	if (rc || (rc = evidence_blob_path(w->b, w->blob.alg, w->blob.hash, &final, err)))
		goto out;
	char *slash = strrchr(final.data, '/');
	*slash = '\0';
	if (evidence__make_dirs(final.data) != 0) {
		rc = evidence__io_fail(err, "evidence_dir_unavailable", "evidence_dir", "新建目录",
				       final.data, errno);
		goto out;
	}
	*slash = '/';
	if (stat(buf_cstr(&final), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (uint64_t)sb.st_size == w->blob.size) {
		w->blob.existed = true;
		goto out;
	}
	/* absent, or present with another size (damaged): ours replaces it */
	if (fchmod(w->fd, 0440) != 0 || rename(buf_cstr(&w->tmp), buf_cstr(&final)) != 0) {
		rc = evidence__io_fail(err, "evidence_write_failed", "", "保存证据文件",
				       buf_cstr(&final), errno);
		goto out;
	}
	w->tmp_exists = false;	/* renamed: nothing left to remove */
	*slash = '\0';
	if (evidence__sync_dir(final.data) != 0)
		rc = evidence__io_fail(err, "evidence_write_failed", "", "同步目录", final.data,
				       errno);
	/* NEEDSWORK: when this last fsync fails the blob is in place but not
	 * known durable; the caller is told and records nothing. */
out:
	if (!rc && out)
		*out = w->blob;
	buf_release(&final);
	evidence_writer_abort(w);
	return rc;
}

void evidence_writer_abort(struct evidence_writer *w)
{
	if (!w)
		return;
	stop_thread(w);
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp_exists)
		unlink(buf_cstr(&w->tmp));
	buf_release(&w->tmp);
	ledger_hasher_free(w->h);
	for (unsigned i = 0; i < RING_SLOTS; i++)
		zf_free(w->slot[i]);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	zf_free(w);
}

int evidence_put_file(struct evidence_blobs *b, enum ledger_alg alg, const char *path,
		      uint64_t max_size, const char *field, struct evidence_blob *out,
		      struct zf_error *err)
{
	struct evidence_writer *w = NULL;
	struct stat sb;
	int rc, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return evidence__io_fail(err, "evidence_unreadable", field, "打开文件", path,
					 errno);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		rc = zf_fail(err, ZF_EINVAL, "evidence_not_regular", field,
			     "“%s”不是普通文件", path);
	else if (sb.st_size == 0)
		rc = zf_fail(err, ZF_EINVAL, "evidence_empty", field, "文件“%s”为空", path);
	else if (max_size && (uint64_t)sb.st_size > max_size)
		rc = zf_fail(err, ZF_ETOOBIG, "evidence_too_big", field,
			     "文件“%s”有 %lld 字节，超过上限 %llu 字节", path,
			     (long long)sb.st_size, (unsigned long long)max_size);
	else
		rc = evidence_writer_open(b, alg, max_size, &w, err);
	if (!rc && (rc = evidence_writer_write_fd(w, fd, (uint64_t)sb.st_size, NULL, NULL,
						  field, err))) {
		evidence_writer_abort(w);
		w = NULL;
	}
	if (!rc) {
		rc = evidence_writer_commit(w, out, err);
		w = NULL;
	}
	close(fd);
	return rc;
}
