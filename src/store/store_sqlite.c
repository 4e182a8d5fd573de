/*
 * The SQLite backend: WAL, foreign keys, STRICT tables, a busy timeout,
 * numbered migrations applied at open, one writer connection (BEGIN
 * IMMEDIATE, behind a mutex) and one read connection per thread.
 *
 * In the test build a commit hook refuses any transaction that changed rows
 * without appending exactly one ledger entry, so no code path can bypass the
 * ledger (docs/ledger-invariants.md, rule 1).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "embed.h"
#include "store_int.h"

struct reader {
	pthread_t thread;
	sqlite3 *db;
};

struct sq_store {
	struct store base;
	sqlite3 *w;
	pthread_mutex_t wmu;
	bool in_tx;
	pthread_t tx_owner;
	pthread_mutex_t rmu;
	struct reader *readers;
	size_t nreaders;
	char *path;
	int version;
#ifdef ZF_TEST_BUILD
	bool hook_bypass;	/* migrations are not mutations */
	long changes;		/* rows changed in the open transaction */
	long entries;		/* ledger entries appended in it */
	long refusals;
#endif
};

static struct sq_store *downcast(struct store *st)
{
	if (st->ops != &store_sqlite_ops)
		ZF_BUG("store is not the sqlite backend (%s)", st->ops->name);
	return (struct sq_store *)st;
}

static int db_fail(struct zf_error *err, sqlite3 *db, const char *what)
{
	return zf_fail(err, ZF_ESTORE, "store_failed", "", "数据库错误（%s）：%s",
		       what, db ? sqlite3_errmsg(db) : "无法分配连接");
}

/*
 * Bind parameters from a format: t text (NULL binds NULL), i int64,
 * n int, b bool, d struct zf_date * (as YYYY-MM-DD), x blob (ptr, len).
 */
static int bindv(sqlite3_stmt *s, const char *fmt, va_list ap)
{
	int rc = SQLITE_OK;
	for (int i = 1; *fmt && rc == SQLITE_OK; fmt++, i++) {
		switch (*fmt) {
		case 't': {
			const char *v = va_arg(ap, const char *);
			rc = v ? sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(s, i);
			break;
		}
		case 'i':
			rc = sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
			break;
		case 'n':
		case 'b':
			rc = sqlite3_bind_int(s, i, va_arg(ap, int));
			break;
		case 'd': {
			char buf[DATE_STR_LEN];
			date_format(*va_arg(ap, const struct zf_date *), buf);
			rc = sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
			break;
		}
		case 'x': {
			const void *p = va_arg(ap, const void *);
			int len = va_arg(ap, int);
			rc = p ? sqlite3_bind_blob(s, i, p, len, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(s, i);
			break;
		}
		default:
			ZF_BUG("bad bind format %c", *fmt);
		}
	}
	return rc;
}

/*
 * Prepared statements are kept on their connection and reused: preparing
 * costs more than running most of these queries.  A statement that is not
 * busy (not stepped since its last reset) is free, because every caller
 * steps right after prep() and hands it back with release().
 */
static sqlite3_stmt *cached(sqlite3 *db, const char *sql)
{
	for (sqlite3_stmt *p = sqlite3_next_stmt(db, NULL); p; p = sqlite3_next_stmt(db, p)) {
		const char *t = sqlite3_sql(p);
		if (!sqlite3_stmt_busy(p) && t && t[0] == sql[0] && strcmp(t, sql) == 0) {
			sqlite3_reset(p);
			sqlite3_clear_bindings(p);
			return p;
		}
	}
	return NULL;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out)
{
	*out = NULL;
	if (!db) /* no read connection could be opened */
		return SQLITE_CANTOPEN;
	if ((*out = cached(db, sql)))
		return SQLITE_OK;
	return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
}

/* Hand a statement back for reuse. */
static void release(sqlite3_stmt *q)
{
	if (q)
		sqlite3_reset(q);
}

/* Finalize every statement of a connection, then close it. */
static void close_conn(sqlite3 *db)
{
	sqlite3_stmt *p;
	while ((p = sqlite3_next_stmt(db, NULL)))
		sqlite3_finalize(p);
	sqlite3_close(db);
}

/* Prepare sql and bind; the caller gives *out back with release(). */
static int prep(sqlite3 *db, sqlite3_stmt **out, struct zf_error *err,
		const char *sql, const char *fmt, ...)
{
	va_list ap;
	*out = NULL;
	if (prepare(db, sql, out) != SQLITE_OK)
		return db_fail(err, db, "prepare");
	va_start(ap, fmt);
	int rc = bindv(*out, fmt, ap);
	va_end(ap);
	if (rc != SQLITE_OK) {
		release(*out);
		*out = NULL;
		return db_fail(err, db, "bind");
	}
	return ZF_OK;
}

/* What a UNIQUE violation means for this statement. */
struct conflict {
	const char *code, *field, *message;
};

/* Run a statement that returns no rows. */
static int exec(sqlite3 *db, struct zf_error *err, const struct conflict *cf,
		const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *s = NULL;
	va_list ap;
	if (prepare(db, sql, &s) != SQLITE_OK)
		return db_fail(err, db, "prepare");
	va_start(ap, fmt);
	int rc = bindv(s, fmt, ap);
	va_end(ap);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	int ext = sqlite3_extended_errcode(db);
	int out = ZF_OK;
	if (rc != SQLITE_DONE) {
		if (ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			out = zf_fail(err, ZF_ECONFLICT, "id_exists", "id",
				      "该标识已被使用（客户端给出的 id 重复）");
		else if (cf && ext == SQLITE_CONSTRAINT_UNIQUE)
			out = zf_fail(err, ZF_ECONFLICT, cf->code, cf->field, "%s",
				      cf->message);
		else if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
			out = zf_fail(err, ZF_ENOTFOUND, "reference_not_found", "",
				      "引用的对象不存在");
		else
			out = db_fail(err, db, "step");
	}
	release(s);
	return out;
}

/* A date as bound text; thread-local so each bind has its own copy. */
static const char *date_text(const struct zf_date *d)
{
	static _Thread_local char bufs[4][DATE_STR_LEN];
	static _Thread_local int next;
	char *b = bufs[next++ % 4];
	date_format(*d, b);
	return b;
}

static char *col_str(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? zf_strdup((const char *)t) : NULL;
}

static struct zf_date col_date(sqlite3_stmt *s, int i)
{
	struct zf_date d = {1970, 1, 1};
	const char *t = (const char *)sqlite3_column_text(s, i);
	if (t && date_parse(t, &d, "", NULL) != ZF_OK)
		d = (struct zf_date){1970, 1, 1};
	return d;
}

static void col_id(sqlite3_stmt *s, int i, char out[REG_ID_LEN])
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	zf_strlcpy(out, t ? t : "", REG_ID_LEN);
}

static void col_salt(sqlite3_stmt *s, int i, uint8_t salt[16], bool *has)
{
	const void *b = sqlite3_column_blob(s, i);
	*has = b && sqlite3_column_bytes(s, i) == 16;
	if (*has)
		memcpy(salt, b, 16);
}

/* ---- connections ------------------------------------------------------ */

static int configure(sqlite3 *db, bool writer, struct zf_error *err)
{
	const char *sql = writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				   "PRAGMA foreign_keys=ON;"
				 : "PRAGMA foreign_keys=ON;";
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(err, db, "configure");
	return ZF_OK;
}

/* The connection reads go through: the writer inside this thread's
 * transaction (to see its own writes), else this thread's reader. */
static sqlite3 *rconn(struct sq_store *s)
{
	pthread_t self = pthread_self();
	if (s->in_tx && pthread_equal(s->tx_owner, self))
		return s->w;
	sqlite3 *db = NULL;
	pthread_mutex_lock(&s->rmu);
	for (size_t i = 0; i < s->nreaders; i++)
		if (pthread_equal(s->readers[i].thread, self))
			db = s->readers[i].db;
	if (!db) {
		struct reader *r = zf_realloc(s->readers,
					      (s->nreaders + 1) * sizeof(*r));
		if (r) {
			s->readers = r;
			if (sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READONLY |
					    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
			    configure(db, false, NULL) != ZF_OK) {
				sqlite3_close(db);
				db = NULL;
			} else {
				r[s->nreaders].thread = self;
				r[s->nreaders++].db = db;
			}
		}
	}
	pthread_mutex_unlock(&s->rmu);
	return db;
}

#ifdef ZF_TEST_BUILD
static void on_update(void *arg, int op, const char *dbname, const char *table,
		      sqlite3_int64 rowid)
{
	struct sq_store *s = arg;
	(void)dbname;
	(void)rowid;
	if (strcmp(table, "ledger_entry") == 0 && op == SQLITE_INSERT)
		s->entries++;
	else if (strcmp(table, "ledger_node") != 0 &&
		 strcmp(table, "ledger_checkpoint") != 0 &&
		 strcmp(table, "http_idempotency") != 0)
		s->changes++;
}

static int on_commit(void *arg)
{
	struct sq_store *s = arg;
	long changes = s->changes, entries = s->entries;
	s->changes = s->entries = 0;
	if (s->hook_bypass || (changes == 0 && entries == 0) || entries == 1)
		return 0;
	s->refusals++;
	fprintf(stderr, "zhifa test hook: commit refused: %ld row change(s) "
		"with %ld ledger entries (must be exactly 1)\n", changes, entries);
	return 1;
}

static void on_rollback(void *arg)
{
	struct sq_store *s = arg;
	s->changes = s->entries = 0;
}

int store__sqlite_exec_raw(struct store *st, const char *sql)
{
	struct sq_store *s = downcast(st);
	return sqlite3_exec(s->w, sql, NULL, NULL, NULL) == SQLITE_OK ? ZF_OK
								     : ZF_ESTORE;
}

long store__sqlite_hook_refusals(struct store *st) { return downcast(st)->refusals; }
#endif

static int user_version(sqlite3 *db, int *out, struct zf_error *err)
{
	sqlite3_stmt *s;
	int rc = prep(db, &s, err, "PRAGMA user_version", "");
	if (rc)
		return rc;
	*out = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	release(s);
	return ZF_OK;
}

/* Apply the embedded migrations newer than the file, each in a transaction. */
static int migrate(struct sq_store *s, struct zf_error *err)
{
	static const char prefix[] = "src/store/migrations/";
	int have, latest = 0, rc;
	if ((rc = user_version(s->w, &have, err)))
		return rc;
	for (const struct embed_file *f = embed_files; f->name; f++) {
		if (strncmp(f->name, prefix, sizeof(prefix) - 1) != 0)
			continue;
		const char *num = f->name + sizeof(prefix) - 1;
		int v = 0;
		for (int i = 0; i < 4 && num[i] >= '0' && num[i] <= '9'; i++)
			v = v * 10 + (num[i] - '0');
		if (v > latest)
			latest = v;
		if (v <= have)
			continue;
		char pragma[48];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d;", v);
		if (sqlite3_exec(s->w, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return db_fail(err, s->w, "migrate");
		if (sqlite3_exec(s->w, (const char *)f->data, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->w, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			rc = db_fail(err, s->w, f->name);
			sqlite3_exec(s->w, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
		if (sqlite3_exec(s->w, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return db_fail(err, s->w, "migrate commit");
	}
	if (have > latest)
		return zf_fail(err, ZF_ESTORE, "database_too_new", "db",
			       "数据库结构版本为 %d，本程序只支持到 %d：请升级 zhifa 后再打开",
			       have, latest);
	s->version = latest;
	return ZF_OK;
}

static void sq_close(struct store *st);

static int sq_open(const char *path, const struct store_opts *opts,
		   struct store **out, struct zf_error *err)
{
	struct sq_store *s = zf_calloc(1, sizeof(*s));
	int rc = ZF_OK;
	if (!s || !(s->path = zf_strdup(path))) {
		zf_free(s);
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	}
	s->base.ops = &store_sqlite_ops;
	pthread_mutex_init(&s->wmu, NULL);
	pthread_mutex_init(&s->rmu, NULL);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (opts && opts->create)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->w, flags, NULL) != SQLITE_OK) {
		rc = zf_fail(err, ZF_ENOTFOUND, "database_not_found", "db",
			     "无法打开数据库“%s”：%s（新数据库请先运行 zhifa init）",
			     path, s->w ? sqlite3_errmsg(s->w) : "");
		goto fail;
	}
	if ((rc = configure(s->w, true, err))) {
		rc = zf_fail(err, ZF_ESTORE, "database_unreadable", "db",
			     "“%s”不是可读的 zhifa 数据库：%s", path,
			     sqlite3_errmsg(s->w));
		goto fail;
	}
	int have = 0;
	if (!(opts && opts->create) && (rc = user_version(s->w, &have, err)) == ZF_OK &&
	    have == 0) {
		rc = zf_fail(err, ZF_ENOTFOUND, "database_not_initialised", "db",
			     "数据库“%s”尚未初始化：请先运行 zhifa init", path);
		goto fail;
	}
	if (rc)
		goto fail;
#ifdef ZF_TEST_BUILD
	s->hook_bypass = true;
#endif
	rc = migrate(s, err);
#ifdef ZF_TEST_BUILD
	s->hook_bypass = false;
	sqlite3_update_hook(s->w, on_update, s);
	sqlite3_commit_hook(s->w, on_commit, s);
	sqlite3_rollback_hook(s->w, on_rollback, s);
#endif
	if (rc)
		goto fail;
	*out = &s->base;
	return ZF_OK;
fail:
	sq_close(&s->base);
	return rc;
}

static void sq_close(struct store *st)
{
	struct sq_store *s = downcast(st);
	for (size_t i = 0; i < s->nreaders; i++)
		close_conn(s->readers[i].db);
	zf_free(s->readers);
	if (s->w)
		close_conn(s->w);
	pthread_mutex_destroy(&s->wmu);
	pthread_mutex_destroy(&s->rmu);
	zf_free(s->path);
	zf_free(s);
}

static int sq_schema_version(struct store *st) { return downcast(st)->version; }

static int sq_tx_begin(struct store *st, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	pthread_mutex_lock(&s->wmu);
	if (sqlite3_exec(s->w, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = db_fail(err, s->w, "begin");
		pthread_mutex_unlock(&s->wmu);
		return rc;
	}
	s->in_tx = true;
	s->tx_owner = pthread_self();
	return ZF_OK;
}

static int sq_tx_commit(struct store *st, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	int rc = ZF_OK;
	if (!s->in_tx)
		ZF_BUG("commit without a transaction");
	if (sqlite3_exec(s->w, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_fail(err, s->w, "commit");
		if (!sqlite3_get_autocommit(s->w))
			sqlite3_exec(s->w, "ROLLBACK", NULL, NULL, NULL);
	}
	s->in_tx = false;
	pthread_mutex_unlock(&s->wmu);
	return rc;
}

static void sq_tx_rollback(struct store *st)
{
	struct sq_store *s = downcast(st);
	if (!s->in_tx)
		ZF_BUG("rollback without a transaction");
	sqlite3_exec(s->w, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
	pthread_mutex_unlock(&s->wmu);
}

/* ---- generic reading -------------------------------------------------- */

typedef int (*row_fn)(sqlite3_stmt *s, void *elem);

/* Step s to the end, appending one element per row; finalizes s. */
static int collect(sqlite3 *db, sqlite3_stmt *s, size_t size, row_fn fn,
		   void **out, size_t *n, struct zf_error *err)
{
	char *arr = NULL;
	size_t cap = 0, len = 0;
	int rc = ZF_OK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char *p = zf_realloc(arr, ncap * size);
			if (!p) {
				rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
				break;
			}
			memset(p + cap * size, 0, (ncap - cap) * size);
			arr = p;
			cap = ncap;
		}
		if ((rc = fn(s, arr + len * size))) {
			rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
			len++;
			break;
		}
		len++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(err, db, "read");
	release(s);
	*out = arr;
	*n = len;
	return rc;
}

/* Read exactly one row into elem, or ZF_ENOTFOUND with the given report. */
static int one(sqlite3 *db, sqlite3_stmt *s, row_fn fn, void *elem,
	       struct zf_error *err, const char *code, const char *field,
	       const char *what, const char *key)
{
	int step = sqlite3_step(s), rc = ZF_OK;
	if (step == SQLITE_ROW)
		rc = fn(s, elem) ? zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足")
				 : ZF_OK;
	else if (step == SQLITE_DONE)
		rc = zf_fail(err, ZF_ENOTFOUND, code, field, "找不到%s“%s”", what, key);
	else
		rc = db_fail(err, db, "read");
	release(s);
	return rc;
}

/* ---- ledger ----------------------------------------------------------- */

/*
 * The ledger's hot statements bind their arguments without copies
 * (SQLITE_STATIC: the caller's strings and blobs outlive the step) and
 * clear them when handing the statement back, so no stale pointer stays in
 * a cached statement.  Tree checks and appends make one of these per node
 * and per entry.
 */
static void sq_ledger_done(sqlite3_stmt *q)
{
	if (q) {
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
	}
}

static int sq_ledger_head(struct store *st, const char *org_id, int64_t *seq,
			  uint8_t leaf[LEDGER_HASH_LEN], enum ledger_alg *alg,
			  struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT o.hash_alg, e.seq, e.leaf_hash FROM org o "
		      "LEFT JOIN ledger_entry e ON e.org_id = o.id AND e.seq = "
		      "(SELECT max(seq) FROM ledger_entry WHERE org_id = o.id) "
		      "WHERE o.org_id = ?1 AND o.id = ?1", "");
	if (rc)
		return rc;
	int step = sqlite3_bind_text(q, 1, org_id, -1, SQLITE_STATIC) == SQLITE_OK
			   ? sqlite3_step(q) : SQLITE_ERROR;
	if (step == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(q, 0);
		*alg = a && strcmp(a, "sha256") == 0 ? LEDGER_SHA256 : LEDGER_SM3;
		*seq = sqlite3_column_int64(q, 1);
		memset(leaf, 0, LEDGER_HASH_LEN);
		if (sqlite3_column_bytes(q, 2) == LEDGER_HASH_LEN)
			memcpy(leaf, sqlite3_column_blob(q, 2), LEDGER_HASH_LEN);
	} else if (step == SQLITE_DONE) {
		rc = zf_fail(err, ZF_ENOTFOUND, "org_not_found", "org",
			     "找不到机构“%s”", org_id);
	} else {
		rc = db_fail(err, db, "ledger head");
	}
	sq_ledger_done(q);
	return rc;
}

static int sq_ledger_insert(struct store *st, const char *org_id, int64_t seq,
			    int64_t recorded_at, const char *action,
			    const char *object_type, const char *object_id,
			    const char *bytes, size_t len,
			    const uint8_t leaf[LEDGER_HASH_LEN], struct zf_error *err)
{
	sqlite3 *db = downcast(st)->w;
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "INSERT INTO ledger_entry (org_id, seq, recorded_at, action, "
		      "object_type, object_id, entry, leaf_hash) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "");
	if (rc)
		return rc;
	if (len > INT32_MAX ||
	    sqlite3_bind_text(q, 1, org_id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(q, 2, seq) != SQLITE_OK ||
	    sqlite3_bind_int64(q, 3, recorded_at) != SQLITE_OK ||
	    (action ? sqlite3_bind_text(q, 4, action, -1, SQLITE_STATIC)
		    : sqlite3_bind_null(q, 4)) != SQLITE_OK ||
	    (object_type ? sqlite3_bind_text(q, 5, object_type, -1, SQLITE_STATIC)
			 : sqlite3_bind_null(q, 5)) != SQLITE_OK ||
	    (object_id ? sqlite3_bind_text(q, 6, object_id, -1, SQLITE_STATIC)
		       : sqlite3_bind_null(q, 6)) != SQLITE_OK ||
	    (bytes ? sqlite3_bind_blob(q, 7, bytes, (int)len, SQLITE_STATIC)
		   : sqlite3_bind_null(q, 7)) != SQLITE_OK ||
	    sqlite3_bind_blob(q, 8, leaf, LEDGER_HASH_LEN, SQLITE_STATIC) != SQLITE_OK) {
		sq_ledger_done(q);
		return db_fail(err, db, "bind");
	}
	/* errors as exec() reports them */
	if (sqlite3_step(q) != SQLITE_DONE) {
		int ext = sqlite3_extended_errcode(db);
		if (ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			rc = zf_fail(err, ZF_ECONFLICT, "id_exists", "id",
				     "该标识已被使用（客户端给出的 id 重复）");
		else if (ext == SQLITE_CONSTRAINT_UNIQUE)
			rc = zf_fail(err, ZF_ECONFLICT, "ledger_conflict", "",
				     "账本序号冲突：另一写入者同时写入");
		else if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
			rc = zf_fail(err, ZF_ENOTFOUND, "reference_not_found", "",
				     "引用的对象不存在");
		else
			rc = db_fail(err, db, "step");
	}
	sq_ledger_done(q);
	return rc;
}

/* Hand each row (seq, entry, leaf_hash) of a ledger query to fn. */
static int each_entry(sqlite3 *db, sqlite3_stmt *q, store_entry_fn fn, void *arg,
		      struct zf_error *err)
{
	int rc = ZF_OK, step;
	while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
		uint8_t leaf[LEDGER_HASH_LEN] = {0};
		if (sqlite3_column_bytes(q, 2) == LEDGER_HASH_LEN)
			memcpy(leaf, sqlite3_column_blob(q, 2), LEDGER_HASH_LEN);
		const char *b = sqlite3_column_blob(q, 1);
		rc = fn(arg, sqlite3_column_int64(q, 0), b ? b : "",
			(size_t)sqlite3_column_bytes(q, 1), leaf);
		if (rc)
			rc = zf_fail(err, rc, "ledger_read_failed", "", "读取账本条目失败");
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(err, db, "ledger read");
	return rc;
}

static int sq_ledger_read(struct store *st, const char *org_id, int64_t after,
			  int64_t limit, store_entry_fn fn, void *arg,
			  struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT seq, entry, leaf_hash FROM ledger_entry "
		      "WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?",
		      "tii", org_id, after, limit);
	if (rc)
		return rc;
	rc = each_entry(db, q, fn, arg, err);
	release(q);
	return rc;
}

static int sq_objects(struct store *st, const char *org_id, store_object_fn fn,
		      void *arg, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT 'org', id FROM org WHERE org_id = ?1 "
		      "UNION ALL SELECT 'org_setting', key FROM org_setting WHERE org_id = ?1 "
		      "UNION ALL SELECT 'officer', id FROM officer WHERE org_id = ?1 "
		      "UNION ALL SELECT 'party', id FROM party WHERE org_id = ?1 "
		      "UNION ALL SELECT 'vehicle', id FROM vehicle WHERE org_id = ?1 "
		      "UNION ALL SELECT 'device', id FROM device WHERE org_id = ?1 "
		      "UNION ALL SELECT 'deadline', id FROM deadline WHERE org_id = ?1 "
		      "AND case_id IS NULL "
		      "UNION ALL SELECT 'case', id FROM enf_case WHERE org_id = ?1 "
		      "UNION ALL SELECT 'doc_stock', id FROM doc_stock WHERE org_id = ?1 "
		      "UNION ALL SELECT 'violation_import', id FROM violation_import WHERE org_id = ?1 "
		      "UNION ALL SELECT 'ledger_key', id FROM ledger_key WHERE org_id = ?1 "
		      "UNION ALL SELECT 'user', id FROM app_user WHERE org_id = ?1 "
		      "UNION ALL SELECT 'evidence', id FROM evidence WHERE org_id = ?1 "
		      "UNION ALL SELECT 'calibration', id FROM calibration WHERE org_id = ?1 "
		      "UNION ALL SELECT 'weigh_import', id FROM weigh_import WHERE org_id = ?1 "
		      /* a loaded row needs its own entry once it differs from how
		       * its import left it (docs/wim-csv.md "Import") */
		      "UNION ALL SELECT 'weighing', w.id FROM weighing w LEFT JOIN weigh_import i "
		      "ON i.org_id = w.org_id AND i.id = w.import_id WHERE w.org_id = ?1 AND "
		      "(w.import_id IS NULL OR i.id IS NULL OR "
		      "w.rowid NOT BETWEEN i.first_pos AND i.last_pos OR "
		      "w.review <> CASE w.over WHEN 1 THEN 'pending' ELSE 'none' END OR "
		      "w.case_id IS NOT NULL OR w.unloaded_at IS NOT NULL) "
		      "UNION ALL SELECT 'calendar_year', CAST(year AS TEXT) "
		      "FROM calendar_year WHERE org_id = ?1", "t", org_id);
	int step;
	if (rc)
		return rc;
	while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW)
		rc = fn(arg, (const char *)sqlite3_column_text(q, 0),
			(const char *)sqlite3_column_text(q, 1));
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(err, db, "objects");
	release(q);
	return rc;
}

/* ---- organisations ---------------------------------------------------- */

#define ORG_COLS "id, parent_id, name, level, division_code, credit_code, " \
		 "doc_abbr, hash_alg, created_at"

static int org_row(sqlite3_stmt *s, void *elem)
{
	struct org *o = elem;
	col_id(s, 0, o->id);
	o->parent_id = col_str(s, 1);
	o->name = col_str(s, 2);
	o->level = col_str(s, 3);
	o->division_code = col_str(s, 4);
	o->credit_code = col_str(s, 5);
	o->doc_abbr = col_str(s, 6);
	o->hash_alg = col_str(s, 7);
	o->created_at = sqlite3_column_int64(s, 8);
	return o->name && o->level && o->division_code && o->doc_abbr && o->hash_alg
		       ? ZF_OK : ZF_ENOMEM;
}

static int sq_org_insert(struct store *st, const struct org *o,
			 struct zf_error *err)
{
	static const struct conflict cf = {"org_exists", "name",
		"同名机构已存在"};
	return exec(downcast(st)->w, err, &cf,
		    "INSERT INTO org (org_id, " ORG_COLS ") "
		    "VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		    "tttttttti", o->id, o->parent_id, o->name, o->level,
		    o->division_code, o->credit_code, o->doc_abbr, o->hash_alg,
		    o->created_at);
}

static int sq_org_find(struct store *st, const char *key, struct org *out,
		       struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	/* a division code may be shared by bureaus of several departments:
	 * take it only when unique */
	int rc = prep(db, &q, err,
		      "SELECT " ORG_COLS " FROM org WHERE id = ?1 OR name = ?1 "
		      "OR (division_code = ?1 AND "
		      "(SELECT count(*) FROM org WHERE division_code = ?1) = 1)",
		      "t", key);
	return rc ? rc : one(db, q, org_row, out, err, "org_not_found", "org",
			     "机构", key);
}

static int sq_org_list(struct store *st, struct org **out, size_t *n,
		       struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " ORG_COLS " FROM org ORDER BY id", "");
	return rc ? rc : collect(db, q, sizeof(**out), org_row, (void **)out, n, err);
}

static int sq_setting_put(struct store *st, const char *org_id, const char *key,
			  const char *value, int64_t now, struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "INSERT INTO org_setting (org_id, key, value, updated_at) "
		    "VALUES (?, ?, ?, ?) ON CONFLICT (org_id, key) DO UPDATE "
		    "SET value = excluded.value, updated_at = excluded.updated_at",
		    "ttti", org_id, key, value, now);
}

static int sq_setting_get(struct store *st, const char *org_id, const char *key,
			  char **value, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT value FROM org_setting WHERE org_id = ? AND key = ?",
		      "tt", org_id, key);
	if (rc)
		return rc;
	*value = NULL;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW && !(*value = col_str(q, 0)))
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	else if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(err, db, "setting");
	release(q);
	return rc;
}

/* ---- officers --------------------------------------------------------- */

#define OFFICER_COLS "id, org_id, name, id_number, phone, cert_no, category, " \
		     "valid_from, valid_to, status, roles, legal_qualification, " \
		     "pii_salt, pii_digest, erased_at, created_at"

static int officer_row(sqlite3_stmt *s, void *elem)
{
	struct officer *o = elem;
	col_id(s, 0, o->id);
	col_id(s, 1, o->org_id);
	o->name = col_str(s, 2);
	o->id_number = col_str(s, 3);
	o->phone = col_str(s, 4);
	o->cert_no = col_str(s, 5);
	o->category = col_str(s, 6);
	o->valid_from = col_date(s, 7);
	o->valid_to = col_date(s, 8);
	o->status = col_str(s, 9);
	o->roles = col_str(s, 10);
	o->legal_qualification = sqlite3_column_int(s, 11) != 0;
	col_salt(s, 12, o->pii_salt, &o->has_salt);
	o->pii_digest = col_str(s, 13);
	o->erased = sqlite3_column_type(s, 14) != SQLITE_NULL;
	o->created_at = sqlite3_column_int64(s, 15);
	return o->name && o->cert_no && o->category && o->status && o->roles &&
		       o->pii_digest ? ZF_OK : ZF_ENOMEM;
}

static int sq_officer_insert(struct store *st, const struct officer *o,
			     struct zf_error *err)
{
	static const struct conflict cf = {"officer_exists", "cert_no",
		"该执法证号已登记"};
	return exec(downcast(st)->w, err, &cf,
		    "INSERT INTO officer (" OFFICER_COLS ", updated_at) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
		    "tttttttddttbxtii", o->id, o->org_id, o->name, o->id_number,
		    o->phone, o->cert_no, o->category, &o->valid_from, &o->valid_to,
		    o->status, o->roles, (int)o->legal_qualification,
		    o->has_salt ? (const void *)o->pii_salt : NULL, 16,
		    o->pii_digest, o->created_at, o->created_at);
}

static int sq_officer_update(struct store *st, const struct officer *o,
			     int64_t now, struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "UPDATE officer SET valid_to = ?, status = ?, roles = ?, "
		    "legal_qualification = ?, updated_at = ? "
		    "WHERE org_id = ? AND id = ?",
		    "dttbitt", &o->valid_to, o->status, o->roles,
		    (int)o->legal_qualification, now, o->org_id, o->id);
}

static int sq_officer_get(struct store *st, const char *org_id, const char *key,
			  struct officer *out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT " OFFICER_COLS " FROM officer WHERE org_id = ?1 "
		      "AND (id = ?2 OR cert_no = ?2)", "tt", org_id, key);
	return rc ? rc : one(db, q, officer_row, out, err, "officer_not_found",
			     "officer", "执法人员", key);
}

static int sq_officer_list(struct store *st, const char *org_id,
			   const struct officer_filter *f, struct zf_date today,
			   struct officer **out, size_t *n, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	struct officer_filter none = {0};
	if (!f)
		f = &none;
	struct zf_date until = date_add_days(today, f->expiring_within_days);
	int rc = prep(db, &q, err,
		      "SELECT " OFFICER_COLS " FROM officer WHERE org_id = ?1 "
		      "AND (?2 = 0 OR (status = 'active' AND valid_from <= ?3 "
		      "AND valid_to >= ?3)) "
		      "AND (?4 = 0 OR (valid_to >= ?5 AND valid_to <= ?6)) "
		      "AND (?7 IS NULL OR status = ?7) ORDER BY cert_no",
		      "tbdbddt", org_id, (int)f->by_date, &f->date,
		      (int)(f->expiring_within_days > 0), &today, &until, f->status);
	return rc ? rc : collect(db, q, sizeof(**out), officer_row, (void **)out,
				 n, err);
}

/* ---- parties ---------------------------------------------------------- */

#define PARTY_COLS "id, org_id, kind, name, id_number, credit_code, legal_rep, " \
		   "phone, address, pii_salt, pii_digest, erased_at, created_at"

static int party_row(sqlite3_stmt *s, void *elem)
{
	struct party *p = elem;
	col_id(s, 0, p->id);
	col_id(s, 1, p->org_id);
	p->kind = col_str(s, 2);
	p->name = col_str(s, 3);
	p->id_number = col_str(s, 4);
	p->credit_code = col_str(s, 5);
	p->legal_rep = col_str(s, 6);
	p->phone = col_str(s, 7);
	p->address = col_str(s, 8);
	col_salt(s, 9, p->pii_salt, &p->has_salt);
	p->pii_digest = col_str(s, 10);
	p->erased = sqlite3_column_type(s, 11) != SQLITE_NULL;
	p->created_at = sqlite3_column_int64(s, 12);
	return p->kind && p->pii_digest ? ZF_OK : ZF_ENOMEM;
}

static int sq_party_insert(struct store *st, const struct party *p,
			   struct zf_error *err)
{
	bool person = strcmp(p->kind, "person") == 0;
	struct conflict cf = {"party_exists", person ? "id_number" : "credit_code",
			      person ? "该身份证号的当事人已登记"
				     : "该统一社会信用代码的当事人已登记"};
	return exec(downcast(st)->w, err, &cf,
		    "INSERT INTO party (" PARTY_COLS ") VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
		    "tttttttttxti", p->id, p->org_id, p->kind, p->name,
		    p->id_number && *p->id_number ? p->id_number : NULL,
		    p->credit_code && *p->credit_code ? p->credit_code : NULL,
		    p->legal_rep, p->phone, p->address,
		    p->has_salt ? (const void *)p->pii_salt : NULL, 16,
		    p->pii_digest, p->created_at);
}

static int sq_party_get(struct store *st, const char *org_id, const char *key,
			struct party *out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT " PARTY_COLS " FROM party WHERE org_id = ?1 AND "
		      "(id = ?2 OR id_number = upper(?2) OR credit_code = upper(?2))",
		      "tt", org_id, key);
	return rc ? rc : one(db, q, party_row, out, err, "party_not_found", "party",
			     "当事人", key);
}

static int sq_party_list(struct store *st, const char *org_id, const char *kind,
			 struct party **out, size_t *n, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT " PARTY_COLS " FROM party WHERE org_id = ?1 AND "
		      "(?2 IS NULL OR kind = ?2) ORDER BY id", "tt", org_id, kind);
	return rc ? rc : collect(db, q, sizeof(**out), party_row, (void **)out, n,
				 err);
}

/* The row keeps its digest; the fields it commits to, and the salt, go. */
static int sq_party_erase(struct store *st, const char *org_id, const char *id,
			  int64_t now, struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "UPDATE party SET name = CASE kind WHEN 'person' THEN NULL "
		    "ELSE name END, id_number = NULL, legal_rep = NULL, phone = NULL, "
		    "address = CASE kind WHEN 'person' THEN NULL ELSE address END, "
		    "pii_salt = NULL, erased_at = ? WHERE org_id = ? AND id = ?",
		    "itt", now, org_id, id);
}

/* ---- vehicles and devices --------------------------------------------- */

#define VEHICLE_COLS "id, org_id, plate, plate_kind, config, axles, owner_id, " \
		     "model, created_at"

static int vehicle_row(sqlite3_stmt *s, void *elem)
{
	struct vehicle *v = elem;
	col_id(s, 0, v->id);
	col_id(s, 1, v->org_id);
	v->plate = col_str(s, 2);
	v->plate_kind = col_str(s, 3);
	v->config = col_str(s, 4);
	v->axles = sqlite3_column_int(s, 5);
	v->owner_id = col_str(s, 6);
	v->model = col_str(s, 7);
	v->created_at = sqlite3_column_int64(s, 8);
	return v->plate && v->plate_kind && v->config ? ZF_OK : ZF_ENOMEM;
}

static int sq_vehicle_insert(struct store *st, const struct vehicle *v,
			     struct zf_error *err)
{
	static const struct conflict cf = {"vehicle_exists", "plate",
		"该号牌的车辆已登记"};
	return exec(downcast(st)->w, err, &cf,
		    "INSERT INTO vehicle (" VEHICLE_COLS ") VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "tttttntti", v->id, v->org_id, v->plate, v->plate_kind,
		    v->config, v->axles, v->owner_id && *v->owner_id ? v->owner_id : NULL,
		    v->model, v->created_at);
}

static int sq_vehicle_get(struct store *st, const char *org_id, const char *key,
			  struct vehicle *out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT " VEHICLE_COLS " FROM vehicle WHERE org_id = ?1 "
		      "AND (id = ?2 OR plate = ?2)", "tt", org_id, key);
	return rc ? rc : one(db, q, vehicle_row, out, err, "vehicle_not_found",
			     "vehicle", "车辆", key);
}

static int sq_vehicle_list(struct store *st, const char *org_id,
			   struct vehicle **out, size_t *n, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " VEHICLE_COLS " FROM vehicle "
		      "WHERE org_id = ? ORDER BY plate", "t", org_id);
	return rc ? rc : collect(db, q, sizeof(**out), vehicle_row, (void **)out,
				 n, err);
}

#define DEVICE_COLS "id, org_id, code, kind, name, status, created_at"

static int device_row(sqlite3_stmt *s, void *elem)
{
	struct device *d = elem;
	col_id(s, 0, d->id);
	col_id(s, 1, d->org_id);
	d->code = col_str(s, 2);
	d->kind = col_str(s, 3);
	d->name = col_str(s, 4);
	d->status = col_str(s, 5);
	d->created_at = sqlite3_column_int64(s, 6);
	return d->code && d->kind && d->status ? ZF_OK : ZF_ENOMEM;
}

static int sq_device_insert(struct store *st, const struct device *d,
			    struct zf_error *err)
{
	static const struct conflict cf = {"device_exists", "code",
		"该设备编号已登记"};
	return exec(downcast(st)->w, err, &cf,
		    "INSERT INTO device (" DEVICE_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "tttttti", d->id, d->org_id, d->code, d->kind, d->name,
		    d->status, d->created_at);
}

static int sq_device_get(struct store *st, const char *org_id, const char *key,
			 struct device *out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT " DEVICE_COLS " FROM device WHERE org_id = ?1 "
		      "AND (id = ?2 OR code = ?2)", "tt", org_id, key);
	return rc ? rc : one(db, q, device_row, out, err, "device_not_found",
			     "device", "设备", key);
}

static int sq_device_list(struct store *st, const char *org_id,
			  struct device **out, size_t *n, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " DEVICE_COLS " FROM device "
		      "WHERE org_id = ? ORDER BY code", "t", org_id);
	return rc ? rc : collect(db, q, sizeof(**out), device_row, (void **)out,
				 n, err);
}

/* ---- calendar and deadlines ------------------------------------------- */

static int sq_calendar_insert(struct store *st, const char *org_id, int year,
			      const char *source, const char *text, size_t len,
			      int64_t now, struct zf_error *err)
{
	static const struct conflict cf = {"calendar_year_exists", "year",
		"该年度的节假日安排已载入"};
	char *copy = zf_strndup(text, len);
	if (!copy)
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	int rc = exec(downcast(st)->w, err, &cf,
		      "INSERT INTO calendar_year (org_id, year, source, text, "
		      "loaded_at) VALUES (?, ?, ?, ?, ?)",
		      "tntti", org_id, year, source, copy, now);
	zf_free(copy);
	return rc;
}

static int sq_calendar_texts(struct store *st, const char *org_id,
			     store_text_fn fn, void *arg, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT text FROM calendar_year "
		      "WHERE org_id = ? ORDER BY year", "t", org_id);
	int step;
	if (rc)
		return rc;
	while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);
		rc = fn(arg, t ? t : "", (size_t)sqlite3_column_bytes(q, 0));
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(err, db, "calendar");
	release(q);
	return rc;
}

#define DEADLINE_COLS "id, org_id, object_type, object_id, kind, start_date, " \
		      "unit, count, due_date, provisional, basis, case_id, status, met_on, " \
		      "paused_days, paused_since, extended_days"

static int deadline_row(sqlite3_stmt *s, void *elem)
{
	struct deadline *d = elem;
	col_id(s, 0, d->id);
	col_id(s, 1, d->org_id);
	d->object_type = col_str(s, 2);
	d->object_id = col_str(s, 3);
	d->kind = col_str(s, 4);
	d->start = col_date(s, 5);
	d->unit = sqlite3_column_int(s, 6);
	d->count = sqlite3_column_int(s, 7);
	d->due = col_date(s, 8);
	d->provisional = sqlite3_column_int(s, 9) != 0;
	d->basis = col_str(s, 10);
	d->case_id = col_str(s, 11);
	d->status = col_str(s, 12);
	d->has_met_on = sqlite3_column_type(s, 13) != SQLITE_NULL;
	d->met_on = col_date(s, 13);
	d->paused_days = sqlite3_column_int(s, 14);
	d->has_paused_since = sqlite3_column_type(s, 15) != SQLITE_NULL;
	d->paused_since = col_date(s, 15);
	d->extended_days = sqlite3_column_int(s, 16);
	return d->object_type && d->object_id && d->kind && d->status ? ZF_OK : ZF_ENOMEM;
}

static int sq_deadline_insert(struct store *st, const struct deadline *d,
			      int64_t now, struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "INSERT INTO deadline (" DEADLINE_COLS ", created_at, updated_at) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "tttttdnndbttttntnii", d->id, d->org_id, d->object_type, d->object_id,
		    d->kind, &d->start, d->unit, d->count, &d->due,
		    (int)d->provisional, d->basis, d->case_id,
		    d->status ? d->status : "open", d->has_met_on ? date_text(&d->met_on) : NULL,
		    d->paused_days, d->has_paused_since ? date_text(&d->paused_since) : NULL,
		    d->extended_days, now, now);
}

static int sq_deadline_update_due(struct store *st, const struct deadline *d,
				  int64_t now, struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "UPDATE deadline SET start_date = ?, unit = ?, count = ?, due_date = ?, "
		    "provisional = ?, basis = ?, status = ?, met_on = ?, paused_days = ?, "
		    "paused_since = ?, extended_days = ?, updated_at = ? "
		    "WHERE org_id = ? AND id = ?",
		    "dnndbtttntnitt", &d->start, d->unit, d->count, &d->due,
		    (int)d->provisional, d->basis, d->status ? d->status : "open",
		    d->has_met_on ? date_text(&d->met_on) : NULL, d->paused_days,
		    d->has_paused_since ? date_text(&d->paused_since) : NULL,
		    d->extended_days, now, d->org_id, d->id);
}

static int sq_deadline_get(struct store *st, const char *org_id, const char *id,
			   struct deadline *out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " DEADLINE_COLS " FROM deadline "
		      "WHERE org_id = ? AND id = ?", "tt", org_id, id);
	return rc ? rc : one(db, q, deadline_row, out, err, "deadline_not_found",
			     "deadline", "期限", id);
}

static int sq_deadline_list(struct store *st, const char *org_id,
			    bool provisional_only, struct deadline **out,
			    size_t *n, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " DEADLINE_COLS " FROM deadline "
		      "WHERE org_id = ? AND (? = 0 OR (provisional = 1 AND status = 'open')) "
		      "AND case_id IS NULL ORDER BY due_date, id", "tb", org_id,
		      (int)provisional_only);
	return rc ? rc : collect(db, q, sizeof(**out), deadline_row, (void **)out,
				 n, err);
}

/* ---- penalty cases ---------------------------------------------------- */

static int sq_case_put(struct store *st, const struct store_case_row *r,
		       bool insert, struct zf_error *err)
{
	if (insert)
		return exec(downcast(st)->w, err, NULL,
			    "INSERT INTO enf_case (org_id, id, number, procedure, state, "
			    "violation, party_id, year, filed_date, decided_date, doc, "
			    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "tttttttntttii", r->org_id, r->id, r->number, r->procedure,
			    r->state, r->violation, r->party_id, r->year, r->filed_date,
			    r->decided_date, r->doc, r->now, r->now);
	return exec(downcast(st)->w, err, NULL,
		    "UPDATE enf_case SET number = ?, state = ?, year = ?, filed_date = ?, "
		    "decided_date = ?, doc = ?, updated_at = ? WHERE org_id = ? AND id = ?",
		    "ttntttitt", r->number, r->state, r->year, r->filed_date,
		    r->decided_date, r->doc, r->now, r->org_id, r->id);
}

static int sq_case_get(struct store *st, const char *org_id, const char *key,
		       char id[REG_ID_LEN], char **doc, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	/* by id, by case number, or by the number of any of its documents */
	int rc = prep(db, &q, err,
		      "SELECT id, doc FROM enf_case WHERE org_id = ?1 AND (id = ?2 OR number = ?2) "
		      "UNION ALL SELECT c.id, c.doc FROM document d JOIN enf_case c "
		      "ON c.org_id = d.org_id AND c.id = d.case_id "
		      "WHERE d.org_id = ?1 AND d.number = ?2 LIMIT 1", "tt", org_id, key);
	if (rc)
		return rc;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		col_id(q, 0, id);
		if (!(*doc = col_str(q, 1)))
			rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	} else if (step == SQLITE_DONE) {
		rc = zf_fail(err, ZF_ENOTFOUND, "case_not_found", "case",
			     "找不到案件“%s”", key);
	} else {
		rc = db_fail(err, db, "case");
	}
	release(q);
	return rc;
}

/* Runs fn over each text column 0 of a prepared query; finalizes it. */
static int each_text(sqlite3 *db, sqlite3_stmt *q, store_text_fn fn, void *arg,
		     struct zf_error *err)
{
	int rc = ZF_OK, step;
	while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);
		rc = fn(arg, t ? t : "", (size_t)sqlite3_column_bytes(q, 0));
		if (rc)
			rc = zf_fail(err, rc, "out_of_memory", "", "内存不足");
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(err, db, "read");
	release(q);
	return rc;
}

static int sq_case_list(struct store *st, const char *org_id,
			const struct case_filter *f, const char *today,
			store_text_fn fn, void *arg, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT c.doc FROM enf_case c WHERE c.org_id = ?1 "
		      "AND (?2 = 0 OR c.year = ?2) AND (?3 IS NULL OR c.state = ?3) "
		      "AND (?4 IS NULL OR c.procedure = ?4) AND (?5 IS NULL OR c.violation = ?5) "
		      "AND (?6 IS NULL OR EXISTS (SELECT 1 FROM json_each(c.doc, '$.officers') o "
		      "WHERE o.value = ?6)) "
		      "AND (?7 = 0 OR EXISTS (SELECT 1 FROM deadline d WHERE d.org_id = c.org_id "
		      "AND d.case_id = c.id AND d.status = 'open' AND d.paused_since IS NULL "
		      "AND d.due_date < ?8)) "
		      "AND (?9 IS NULL OR c.id < ?9) ORDER BY c.id DESC LIMIT ?10",
		      "tnttttbtti", org_id, f->year, f->state, f->procedure, f->violation,
		      f->officer, (int)f->overdue, today, f->after,
		      f->limit > 0 ? f->limit : (int64_t)1000);
	return rc ? rc : each_text(db, q, fn, arg, err);
}

static int sq_step_insert(struct store *st, const struct store_step_row *r,
			  struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "INSERT INTO case_step (org_id, id, case_id, n, transition, from_state, "
		    "to_state, on_date, recorded_at, actor, officers, approver, reviewer, "
		    "params, ledger_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "tttittttittttti", r->org_id, r->id, r->case_id, r->n, r->transition,
		    r->from_state, r->to_state, r->on_date, r->recorded_at, r->actor,
		    r->officers, r->approver, r->reviewer, r->params, r->ledger_seq);
}

/* One JSON text from a json_group_array query; "[]" when no rows. */
static int json_text(sqlite3 *db, sqlite3_stmt *q, char **out, struct zf_error *err)
{
	int rc = ZF_OK;
	*out = NULL;
	if (sqlite3_step(q) == SQLITE_ROW) {
		*out = col_str(q, 0);
		if (!*out)
			*out = zf_strdup("[]");
		if (!*out)
			rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	} else {
		rc = db_fail(err, db, "read");
	}
	release(q);
	return rc;
}

static int sq_steps_json(struct store *st, const char *org_id, const char *case_id,
			 char **out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT json_group_array(json_object('n', n, 'transition', transition, "
		      "'from', from_state, 'to', to_state, 'date', on_date, 'recorded_at', "
		      "recorded_at, 'actor', actor, 'officers', json(officers), 'approver', "
		      "approver, 'reviewer', reviewer, 'params', json(params), 'ledger_seq', "
		      "ledger_seq)) FROM (SELECT * FROM case_step WHERE org_id = ? AND "
		      "case_id = ? ORDER BY n)", "tt", org_id, case_id);
	return rc ? rc : json_text(db, q, out, err);
}

static int sq_documents_json(struct store *st, const char *org_id,
			     const char *case_id, char **out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT json_group_array(json_object('kind', kind, 'number', number, "
		      "'year', year, 'seq', seq, 'status', status, 'issued_on', issued_on, "
		      "'void_reason', void_reason, 'stock_id', stock_id)) FROM (SELECT * FROM "
		      "document WHERE org_id = ? AND case_id = ? ORDER BY issued_on, number)",
		      "tt", org_id, case_id);
	return rc ? rc : json_text(db, q, out, err);
}

static int count_one(sqlite3 *db, sqlite3_stmt *q, int64_t *n, struct zf_error *err)
{
	int rc = ZF_OK;
	if (sqlite3_step(q) == SQLITE_ROW)
		*n = sqlite3_column_int64(q, 0);
	else
		rc = db_fail(err, db, "count");
	release(q);
	return rc;
}

static int sq_reviews_by(struct store *st, const char *org_id,
			 const char *officer_id, int64_t *n, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT count(*) FROM case_step WHERE org_id = ? AND reviewer = ? "
		      "AND transition = 'legal_review'", "tt", org_id, officer_id);
	return rc ? rc : count_one(db, q, n, err);
}

/* Inside the write transaction: numbers are never reused (issue 3, guard 10). */
static int sq_counter_next(struct store *st, const char *org_id, const char *kind,
			   int year, int64_t *seq, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3_stmt *q;
	int rc = prep(s->w, &q, err,
		      "INSERT INTO doc_counter (org_id, kind, year, last_seq) VALUES (?, ?, ?, 1) "
		      "ON CONFLICT (org_id, kind, year) DO UPDATE SET last_seq = last_seq + 1 "
		      "RETURNING last_seq", "ttn", org_id, kind, year);
	return rc ? rc : count_one(s->w, q, seq, err);
}

static int sq_document_insert(struct store *st, const char *org_id, const char *id,
			      const char *case_id, const char *kind, int year,
			      int64_t seq, const char *number, const char *issued_on,
			      const char *stock_id, struct zf_error *err)
{
	static const struct conflict cf = {"document_number_used", "form_number",
		"该文书编号已使用或已作废，不得重复使用"};
	sqlite3 *w = downcast(st)->w;
	if (seq > 0)
		return exec(w, err, &cf,
			    "INSERT INTO document (org_id, id, case_id, kind, year, seq, number, "
			    "status, issued_on, stock_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'issued', ?, ?)",
			    "ttttnittt", org_id, id, case_id, kind, year, seq, number,
			    issued_on, stock_id);
	return exec(w, err, &cf,
		    "INSERT INTO document (org_id, id, case_id, kind, year, seq, number, "
		    "status, issued_on, stock_id) VALUES (?, ?, ?, ?, ?, NULL, ?, 'issued', ?, ?)",
		    "ttttnttt", org_id, id, case_id, kind, year, number, issued_on, stock_id);
}

static int sq_document_find(struct store *st, const char *org_id, const char *number,
			    char case_id[REG_ID_LEN], bool *is_void,
			    struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT case_id, status FROM document "
		      "WHERE org_id = ? AND number = ?", "tt", org_id, number);
	if (rc)
		return rc;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		col_id(q, 0, case_id);
		const char *status = (const char *)sqlite3_column_text(q, 1);
		*is_void = status && strcmp(status, "void") == 0;
	} else if (step == SQLITE_DONE) {
		rc = zf_fail(err, ZF_ENOTFOUND, "document_not_found", "number",
			     "找不到文书编号“%s”", number);
	} else {
		rc = db_fail(err, db, "document");
	}
	release(q);
	return rc;
}

static int sq_document_void(struct store *st, const char *org_id, const char *number,
			    const char *reason, struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "UPDATE document SET status = 'void', void_reason = ? "
		    "WHERE org_id = ? AND number = ?", "ttt", reason, org_id, number);
}

static int sq_stock_insert(struct store *st, const char *org_id, const char *id,
			   const char *kind, const char *prefix, int64_t first,
			   int64_t last, int width, int64_t now, struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "INSERT INTO doc_stock (org_id, id, kind, prefix, first_no, last_no, "
		    "width, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		    "ttttiini", org_id, id, kind, prefix, first, last, width, now);
}

static int sq_stocks_json(struct store *st, const char *org_id, char **out,
			  struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT json_group_array(json_object('id', id, 'kind', kind, 'prefix', "
		      "prefix, 'first', first_no, 'last', last_no, 'width', width)) FROM "
		      "(SELECT * FROM doc_stock WHERE org_id = ? ORDER BY registered_at, id)",
		      "t", org_id);
	return rc ? rc : json_text(db, q, out, err);
}

static int sq_stock_json(struct store *st, const char *org_id, const char *id,
			 char **out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT json_object('id', id, 'org_id', org_id, 'kind', kind, 'prefix', "
		      "prefix, 'first', first_no, 'last', last_no, 'width', width) FROM "
		      "doc_stock WHERE org_id = ? AND id = ?", "tt", org_id, id);
	if (rc)
		return rc;
	*out = NULL;
	if (sqlite3_step(q) == SQLITE_ROW && !(*out = col_str(q, 0)))
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	release(q);
	if (!rc && !*out)
		rc = zf_fail(err, ZF_ENOTFOUND, "stock_not_found", "stock", "找不到文书号段");
	return rc;
}

static int sq_clocks(struct store *st, const char *org_id, const char *case_id,
		     const struct zf_date *until, struct deadline **out, size_t *n,
		     struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc;
	if (case_id)
		rc = prep(db, &q, err, "SELECT " DEADLINE_COLS " FROM deadline WHERE "
			  "org_id = ? AND case_id = ? ORDER BY created_at, kind", "tt",
			  org_id, case_id);
	else
		rc = prep(db, &q, err, "SELECT " DEADLINE_COLS " FROM deadline WHERE "
			  "org_id = ? AND status = 'open' AND (paused_since IS NOT NULL OR "
			  "due_date <= ?) ORDER BY due_date, id", "td", org_id, until);
	return rc ? rc : collect(db, q, sizeof(**out), deadline_row, (void **)out, n, err);
}

static int sq_import_insert(struct store *st, const char *org_id, const char *id,
			    const char *name, const char *text, size_t len,
			    int64_t now, struct zf_error *err)
{
	char *copy = zf_strndup(text, len);
	if (!copy)
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	int rc = exec(downcast(st)->w, err, NULL,
		      "INSERT INTO violation_import (org_id, id, name, text, imported_at) "
		      "VALUES (?, ?, ?, ?, ?)", "tttti", org_id, id, name, copy, now);
	zf_free(copy);
	return rc;
}

static int sq_import_texts(struct store *st, const char *org_id, store_text_fn fn,
			   void *arg, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT text FROM violation_import WHERE org_id = ? "
		      "ORDER BY imported_at, id", "t", org_id);
	return rc ? rc : each_text(db, q, fn, arg, err);
}

static int sq_import_json(struct store *st, const char *org_id, const char *id,
			  char **out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT json_object('id', id, 'org_id', org_id, 'name', name, 'text', text) "
		      "FROM violation_import WHERE org_id = ? AND id = ?", "tt", org_id, id);
	if (rc)
		return rc;
	*out = NULL;
	if (sqlite3_step(q) == SQLITE_ROW && !(*out = col_str(q, 0)))
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	release(q);
	if (!rc && !*out)
		rc = zf_fail(err, ZF_ENOTFOUND, "import_not_found", "import", "找不到导入记录");
	return rc;
}


/* ---- overload control (0007) ------------------------------------------ */

/* A single JSON object text, or not found as code/field. */
static int obj_text(sqlite3 *db, sqlite3_stmt *q, char **out, struct zf_error *err,
		    const char *code, const char *field, const char *what)
{
	int step = sqlite3_step(q), rc = ZF_OK;
	*out = NULL;
	if (step == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
		if (!(*out = col_str(q, 0)))
			rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	} else if (step == SQLITE_ROW || step == SQLITE_DONE) {
		rc = zf_fail(err, ZF_ENOTFOUND, code, field, "找不到%s", what);
	} else {
		rc = db_fail(err, db, "read");
	}
	release(q);
	return rc;
}

#define CALIBRATION_JSON "json_object('id', id, 'org_id', org_id, 'device_id', device_id, " \
	"'cert_no', cert_no, 'valid_from', valid_from, 'valid_until', valid_until, " \
	"'created_at', created_at)"

static int sq_calibration_insert(struct store *st, const char *org_id, const char *id,
				 const char *device_id, const char *cert_no,
				 const struct zf_date *from, const struct zf_date *until,
				 int64_t now, struct zf_error *err)
{
	static const struct conflict cf = {"calibration_exists", "cert_no",
		"该衡器已登记此检定证书"};
	return exec(downcast(st)->w, err, &cf,
		    "INSERT INTO calibration (org_id, id, device_id, cert_no, valid_from, "
		    "valid_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "ttttddi",
		    org_id, id, device_id, cert_no, from, until, now);
}

static int sq_calibration_json(struct store *st, const char *org_id, const char *id,
			       char **out, struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " CALIBRATION_JSON " FROM calibration "
		      "WHERE org_id = ? AND id = ?", "tt", org_id, id);
	return rc ? rc : obj_text(db, q, out, err, "calibration_not_found", "id", "检定证书");
}

static int sq_calibrations_json(struct store *st, const char *org_id,
				const char *device_id, char **out, struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT json_group_array(json(j)) FROM (SELECT "
		      CALIBRATION_JSON " AS j FROM calibration WHERE org_id = ?1 AND "
		      "(?2 IS NULL OR device_id = ?2) ORDER BY valid_until DESC, id)",
		      "tt", org_id, device_id);
	return rc ? rc : json_text(db, q, out, err);
}

static int sq_calibration_valid(struct store *st, const char *org_id,
				const char *device_id, const struct zf_date *on,
				struct zf_date *until, struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT max(valid_until) FROM calibration WHERE "
		      "org_id = ? AND device_id = ? AND valid_from <= ?3 AND valid_until >= ?3",
		      "ttd", org_id, device_id, on);
	if (rc)
		return rc;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		*until = col_date(q, 0);
	else if (step == SQLITE_ROW || step == SQLITE_DONE)
		rc = ZF_ENOTFOUND;
	else
		rc = db_fail(err, db, "calibration");
	release(q);
	return rc;
}

/*
 * Bulk rows bind without copies (the caller's strings outlive the step)
 * and one statement serves the whole batch: an import inserts 10^6 rows.
 */
static int sq_weighing_insert(struct store *st, const struct store_weighing_row *rows,
			      size_t n, bool *added, int64_t *pos, struct zf_error *err)
{
	sqlite3 *db = downcast(st)->w;
	sqlite3_stmt *q;
	bool station = n && !strcmp(rows[0].source, "station");
	const char *sql = station
		? "INSERT INTO weighing (org_id, id, source, station, weighed_at, plate, "
		  "trailer_plate, plate_colour, lane, axles, config, gross_kg, height_mm, "
		  "width_mm, length_mm, speed_kmh, device_id, calibrated_until, officers, "
		  "image_sha256, video_sha256, limit_kg, tolerance_kg, over_kg, over, "
		  "import_id, line, review, calc, created_at, updated_at) VALUES (?1, ?2, ?3, "
		  "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
		  "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?30)"
		: "INSERT OR IGNORE INTO weighing (org_id, id, source, station, weighed_at, "
		  "plate, trailer_plate, plate_colour, lane, axles, config, gross_kg, "
		  "height_mm, width_mm, length_mm, speed_kmh, device_id, calibrated_until, "
		  "officers, image_sha256, video_sha256, limit_kg, tolerance_kg, over_kg, "
		  "over, import_id, line, review, calc, created_at, updated_at) VALUES (?1, ?2, "
		  "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
		  "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?30)";
	if (prepare(db, sql, &q) != SQLITE_OK)
		return db_fail(err, db, "prepare");
	int rc = ZF_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct store_weighing_row *r = &rows[i];
		int b = SQLITE_OK, k = 1;
#define BT(v) (b = b ? b : ((v) ? sqlite3_bind_text(q, k, (v), -1, SQLITE_STATIC) \
				 : sqlite3_bind_null(q, k)), k++)
#define BI(v) (b = b ? b : sqlite3_bind_int64(q, k, (v)), k++)
#define BO(v) (b = b ? b : ((v) ? sqlite3_bind_int64(q, k, (v)) : sqlite3_bind_null(q, k)), k++)
		BT(r->org_id); BT(r->id); BT(r->source); BT(r->station); BI(r->weighed_at);
		BT(r->plate); BT(r->trailer_plate); BT(r->plate_colour); BO(r->lane);
		BI(r->axles); BT(r->config); BI(r->gross_kg); BO(r->height_mm);
		BO(r->width_mm); BO(r->length_mm);
		if (r->speed_kmh >= 0)
			BI(r->speed_kmh);
		else
			BO(0);
		BT(r->device_id); BT(r->calibrated_until); BT(r->officers);
		BT(r->image_sha256); BT(r->video_sha256); BI(r->limit_kg);
		BI(r->tolerance_kg); BI(r->over_kg); BI(r->over ? 1 : 0); BT(r->import_id);
		BO(r->line); BT(r->review); BT(r->calc); BI(r->now);
#undef BT
#undef BI
#undef BO
		int step = b == SQLITE_OK ? sqlite3_step(q) : b;
		if (step == SQLITE_DONE) {
			bool in = sqlite3_changes(db) > 0;
			if (added)
				added[i] = in;
			if (pos && in)
				pos[i] = sqlite3_last_insert_rowid(db);
		} else if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE) {
			rc = zf_fail(err, ZF_ECONFLICT, "weighing_exists", "weighed_at",
				     "该站点此时刻已有该车的称重记录");
		} else if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY) {
			rc = zf_fail(err, ZF_ECONFLICT, "id_exists", "id",
				     "该标识已被使用（客户端给出的 id 重复）");
		} else {
			rc = db_fail(err, db, "weighing");
		}
		sqlite3_reset(q);
	}
	sqlite3_clear_bindings(q);
	release(q);
	return rc;
}

static int sq_weighing_update(struct store *st, const struct store_weighing_change *c,
			      struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "UPDATE weighing SET review = ?, review_reason = ?, reviewed_by = ?, "
		    "reviewed_at = NULLIF(?, 0), case_id = ?, unload_goods = ?, "
		    "unload_place = ?, unloaded_kg = NULLIF(?, 0), reweigh_kg = NULLIF(?, 0), "
		    "unloaded_at = NULLIF(?, 0), updated_at = ? WHERE org_id = ? AND id = ?",
		    "tttitttiiiitt", c->review, c->review_reason, c->reviewed_by,
		    c->reviewed_at, c->case_id, c->unload_goods, c->unload_place,
		    c->unloaded_kg, c->reweigh_kg, c->unloaded_at, c->now, c->org_id, c->id);
}

#define WEIGHING_JSON "json_object('id', id, 'org_id', org_id, 'source', source, " \
	"'station', station, 'weighed_at', weighed_at, 'plate', plate, 'trailer_plate', " \
	"trailer_plate, 'plate_colour', plate_colour, 'lane', lane, 'axles', axles, " \
	"'config', config, 'gross_kg', gross_kg, 'height_mm', height_mm, 'width_mm', " \
	"width_mm, 'length_mm', length_mm, 'speed_kmh', speed_kmh, 'device_id', device_id, " \
	"'calibrated_until', calibrated_until, 'officers', json(officers), " \
	"'image_sha256', image_sha256, 'video_sha256', video_sha256, 'limit_kg', limit_kg, " \
	"'tolerance_kg', tolerance_kg, 'over_kg', over_kg, 'over', json(CASE over WHEN 1 " \
	"THEN 'true' ELSE 'false' END), 'import_id', import_id, 'line', line, 'review', " \
	"review, 'review_reason', review_reason, 'reviewed_by', reviewed_by, 'reviewed_at', " \
	"reviewed_at, 'case_id', case_id, 'unload_goods', unload_goods, 'unloaded_kg', " \
	"unloaded_kg, 'unload_place', unload_place, 'reweigh_kg', reweigh_kg, " \
	"'unloaded_at', unloaded_at, 'calc', json(calc), 'created_at', created_at)"

static int sq_weighing_json(struct store *st, const char *org_id, const char *id,
			    char **out, struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " WEIGHING_JSON " FROM weighing "
		      "WHERE org_id = ? AND id = ?", "tt", org_id, id);
	return rc ? rc : obj_text(db, q, out, err, "weighing_not_found", "id", "称重记录");
}

static int sq_weighing_list_json(struct store *st, const char *org_id,
				 const struct weigh_filter *f, int64_t from_us,
				 int64_t to_us, char **out, struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	sqlite3_stmt *q;
	int64_t limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 100;
	int rc = prep(db, &q, err,
		      "SELECT json_group_array(json(j)) FROM (SELECT " WEIGHING_JSON " AS j "
		      "FROM weighing WHERE org_id = ?1 AND (?2 IS NULL OR review = ?2) AND "
		      "(?3 = 0 OR over = 1) AND (?4 IS NULL OR station = ?4) AND "
		      "(?5 IS NULL OR plate = ?5) AND weighed_at >= ?6 AND weighed_at < ?7 AND "
		      "(?8 IS NULL OR (weighed_at, id) < (SELECT weighed_at, id FROM weighing "
		      "WHERE org_id = ?1 AND id = ?8)) ORDER BY weighed_at DESC, id DESC "
		      "LIMIT ?9)", "ttnttiiti", org_id, f->review, f->over_only ? 1 : 0,
		      f->station, f->plate, from_us, to_us, f->after, limit);
	return rc ? rc : json_text(db, q, out, err);
}

static const char *col_text(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

static int sq_weighing_rows(struct store *st, const char *org_id, const char *import_id,
			    store_weighing_fn fn, void *arg, struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT line, id, station, weighed_at, plate, plate_colour, lane, axles, "
		      "config, gross_kg, speed_kmh, image_sha256, video_sha256, limit_kg, "
		      "tolerance_kg, over_kg, over FROM weighing "
		      "WHERE rowid BETWEEN (SELECT first_pos FROM weigh_import WHERE org_id = ?1 "
		      "AND id = ?2) AND (SELECT last_pos FROM weigh_import WHERE org_id = ?1 AND "
		      "id = ?2) AND org_id = ?1 AND import_id = ?2 ORDER BY rowid", "tt", org_id,
		      import_id);
	int step;
	if (rc)
		return rc;
	while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_weighing_row r = {
			.line = sqlite3_column_int64(q, 0), .id = col_text(q, 1),
			.station = col_text(q, 2), .weighed_at = sqlite3_column_int64(q, 3),
			.plate = col_text(q, 4), .plate_colour = col_text(q, 5),
			.lane = sqlite3_column_int(q, 6), .axles = sqlite3_column_int(q, 7),
			.config = col_text(q, 8), .gross_kg = sqlite3_column_int64(q, 9),
			.speed_kmh = sqlite3_column_int(q, 10), .image_sha256 = col_text(q, 11),
			.video_sha256 = col_text(q, 12), .limit_kg = sqlite3_column_int64(q, 13),
			.tolerance_kg = sqlite3_column_int64(q, 14),
			.over_kg = sqlite3_column_int64(q, 15), .over = sqlite3_column_int(q, 16) != 0,
		};
		if ((rc = fn(arg, &r)))
			rc = zf_fail(err, rc, "out_of_memory", "", "内存不足");
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(err, db, "weighing rows");
	release(q);
	return rc;
}

static int sq_weighing_history(struct store *st, const char *org_id, const char *plate,
			       const char *party_id, int64_t from_us, int64_t to_us,
			       const char *except, int64_t *by_vehicle, int64_t *by_party,
			       struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT (SELECT count(*) FROM weighing WHERE org_id = ?1 AND plate = ?2 "
		      "AND over = 1 AND case_id IS NOT NULL AND weighed_at >= ?4 AND "
		      "weighed_at < ?5 AND id <> ?6), (SELECT count(*) FROM weighing w JOIN "
		      "enf_case c ON c.org_id = w.org_id AND c.id = w.case_id WHERE "
		      "w.org_id = ?1 AND c.party_id = ?3 AND w.over = 1 AND w.weighed_at >= ?4 "
		      "AND w.weighed_at < ?5 AND w.id <> ?6)", "tttiit", org_id, plate,
		      party_id, from_us, to_us, except);
	if (rc)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW) {
		*by_vehicle = sqlite3_column_int64(q, 0);
		*by_party = sqlite3_column_int64(q, 1);
	} else {
		rc = db_fail(err, db, "history");
	}
	release(q);
	return rc;
}

static int sq_weigh_import_put(struct store *st, const struct store_weigh_import_row *r,
			       bool update, struct zf_error *err)
{
	if (update)
		return exec(downcast(st)->w, err, NULL,
			    "UPDATE weigh_import SET file_sha256 = ?, rows_total = ?, accepted = ?, "
			    "added = ?, rejected = ?, over_limit = ?, rows_digest = ?, status = ?, "
			    "first_pos = ?, last_pos = ? WHERE org_id = ? AND id = ?",
			    "tiiiiittiitt", r->file_sha256, r->rows, r->accepted, r->added,
			    r->rejected, r->over_limit, r->rows_digest, r->status, r->first_pos,
			    r->last_pos, r->org_id, r->id);
	return exec(downcast(st)->w, err, NULL,
		    "INSERT INTO weigh_import (org_id, id, name, file_sha256, rows_total, "
		    "accepted, added, rejected, over_limit, rows_digest, device_id, imported_at, "
		    "first_pos, last_pos, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "ttttiiiiittiiit", r->org_id, r->id, r->name, r->file_sha256, r->rows,
		    r->accepted, r->added, r->rejected, r->over_limit, r->rows_digest,
		    r->device_id, r->now, r->first_pos, r->last_pos, r->status);
}

#define WEIGH_IMPORT_JSON "json_object('id', id, 'org_id', org_id, 'name', name, " \
	"'file_sha256', file_sha256, 'rows', rows_total, 'accepted', accepted, 'added', " \
	"added, 'rejected', rejected, 'over_limit', over_limit, 'rows_digest', " \
	"rows_digest, 'device_id', device_id, 'imported_at', imported_at, 'status', status)"

static int sq_weigh_import_json(struct store *st, const char *org_id, const char *id,
				char **out, struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " WEIGH_IMPORT_JSON " FROM weigh_import "
		      "WHERE org_id = ? AND id = ?", "tt", org_id, id);
	return rc ? rc : obj_text(db, q, out, err, "import_not_found", "id", "导入记录");
}

static int sq_weigh_imports_json(struct store *st, const char *org_id, char **out,
				 struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT json_group_array(json(j)) FROM (SELECT "
		      WEIGH_IMPORT_JSON " AS j FROM weigh_import WHERE org_id = ? "
		      "ORDER BY imported_at DESC, id DESC)", "t", org_id);
	return rc ? rc : json_text(db, q, out, err);
}

/* over_limit: found at a station or confirmed on review; a machine record
 * still pending or dismissed is not (yet) an over-limit vehicle */
#define STATS_COLS "'checked', count(*), 'over_limit', ifnull(sum(over = 1 AND " \
	"review IN ('none', 'confirmed')), 0), 'over_limit_detected', ifnull(sum(over), 0), " \
	"'recorded_checked', ifnull(sum(source = 'station'), 0), 'loaded_checked', " \
	"ifnull(sum(source = 'import'), 0), 'unloaded_kg', ifnull(sum(unloaded_kg), 0), " \
	"'unloaded_vehicles', count(unloaded_kg), 'cases', count(case_id), " \
	"'review_pending', ifnull(sum(review = 'pending'), 0), 'review_dismissed', " \
	"ifnull(sum(review = 'dismissed'), 0), 'vehicles', count(DISTINCT plate), " \
	"'over_limit_vehicles', count(DISTINCT CASE WHEN over = 1 AND review IN " \
	"('none', 'confirmed') THEN plate END)"

static int sq_overload_stats_json(struct store *st, const char *org_id, int64_t from_us,
				  int64_t to_us, int offset_s, char **out,
				  struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT json_object("
		      "'total', (SELECT json_object(" STATS_COLS ") FROM weighing "
		      "WHERE org_id = ?1 AND weighed_at >= ?2 AND weighed_at < ?3), "
		      "'by_station', (SELECT json_group_array(json(j)) FROM (SELECT "
		      "json_object('station', station, " STATS_COLS ") AS j FROM weighing "
		      "WHERE org_id = ?1 AND weighed_at >= ?2 AND weighed_at < ?3 "
		      "GROUP BY station ORDER BY station)), "
		      "'by_month', (SELECT json_group_array(json(j)) FROM (SELECT "
		      "json_object('month', strftime('%Y-%m', weighed_at / 1000000 + ?4, "
		      "'unixepoch'), " STATS_COLS ") AS j FROM weighing WHERE org_id = ?1 AND "
		      "weighed_at >= ?2 AND weighed_at < ?3 GROUP BY strftime('%Y-%m', "
		      "weighed_at / 1000000 + ?4, 'unixepoch') ORDER BY 1)))",
		      "tiin", org_id, from_us, to_us, offset_s);
	return rc ? rc : json_text(db, q, out, err);
}

/* ---- the Merkle tree, keys and checkpoints ---------------------------- */

static int sq_node_get(struct store *st, const char *org_id, unsigned level,
		       uint64_t idx, uint8_t out[LEDGER_HASH_LEN])
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = level == 0
		? prep(db, &q, NULL, "SELECT leaf_hash FROM ledger_entry WHERE org_id = ? "
		       "AND seq = ?", "")
		: prep(db, &q, NULL, "SELECT hash FROM ledger_node WHERE org_id = ? AND "
		       "level = ? AND idx = ?", "");
	if (rc)
		return ZF_ESTORE;
	int b = sqlite3_bind_text(q, 1, org_id, -1, SQLITE_STATIC);
	if (b == SQLITE_OK && level == 0)
		b = sqlite3_bind_int64(q, 2, (sqlite3_int64)idx + 1);
	else if (b == SQLITE_OK && (b = sqlite3_bind_int(q, 2, (int)level)) == SQLITE_OK)
		b = sqlite3_bind_int64(q, 3, (sqlite3_int64)idx);
	if (b != SQLITE_OK) {
		sq_ledger_done(q);
		return ZF_ESTORE;
	}
	rc = ZF_ENOTFOUND;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_bytes(q, 0) == LEDGER_HASH_LEN) {
		memcpy(out, sqlite3_column_blob(q, 0), LEDGER_HASH_LEN);
		rc = ZF_OK;
	}
	sq_ledger_done(q);
	return rc;
}

/* ZF_ECONFLICT, nothing written and err untouched, if the node is there
 * already: the caller compares it (one statement per put instead of a read
 * before each). */
static int sq_node_put(struct store *st, const char *org_id, unsigned level,
		       uint64_t idx, const uint8_t hash[LEDGER_HASH_LEN],
		       struct zf_error *err)
{
	sqlite3 *db = downcast(st)->w;
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "INSERT OR IGNORE INTO ledger_node (org_id, level, idx, hash) "
		      "VALUES (?, ?, ?, ?)", "");
	if (rc)
		return rc;
	if (sqlite3_bind_text(q, 1, org_id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(q, 2, (int)level) != SQLITE_OK ||
	    sqlite3_bind_int64(q, 3, (sqlite3_int64)idx) != SQLITE_OK ||
	    sqlite3_bind_blob(q, 4, hash, LEDGER_HASH_LEN, SQLITE_STATIC) != SQLITE_OK)
		rc = db_fail(err, db, "bind");
	else if (sqlite3_step(q) != SQLITE_DONE)
		rc = db_fail(err, db, "step");
	else if (sqlite3_changes(db) == 0)
		rc = ZF_ECONFLICT;	/* not an error: err is left alone */
	sq_ledger_done(q);
	return rc;
}

struct store_node_cursor {
	sqlite3_stmt *q;
};

/* The table in rowid order: the order appends stored the nodes in. */
static int sq_node_cursor_open(struct store *st, const char *org_id,
			       struct store_node_cursor **out, struct zf_error *err)
{
	sqlite3 *db = rconn(downcast(st));
	struct store_node_cursor *c = zf_calloc(1, sizeof(*c));
	if (!c)
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	if (!db || sqlite3_prepare_v2(db, "SELECT level, idx, hash FROM ledger_node NOT INDEXED "
				      "WHERE org_id = ? ORDER BY rowid", -1, &c->q, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(c->q, 1, org_id, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
		int rc = db_fail(err, db, "node cursor");
		sqlite3_finalize(c->q);
		zf_free(c);
		return rc;
	}
	*out = c;
	return ZF_OK;
}

static int sq_node_cursor_next(struct store_node_cursor *c, int64_t *level, int64_t *idx,
			       uint8_t hash[LEDGER_HASH_LEN], bool *hash_ok)
{
	if (sqlite3_step(c->q) != SQLITE_ROW)
		return ZF_ENOTFOUND;
	*level = sqlite3_column_int64(c->q, 0);
	*idx = sqlite3_column_int64(c->q, 1);
	*hash_ok = sqlite3_column_bytes(c->q, 2) == LEDGER_HASH_LEN;
	if (*hash_ok)
		memcpy(hash, sqlite3_column_blob(c->q, 2), LEDGER_HASH_LEN);
	return ZF_OK;
}

static void sq_node_cursor_close(struct store_node_cursor *c)
{
	if (c) {
		sqlite3_finalize(c->q);
		zf_free(c);
	}
}

static int sq_node_count(struct store *st, const char *org_id, int64_t *n,
			 struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT count(*) FROM ledger_node WHERE org_id = ?",
		      "t", org_id);
	return rc ? rc : count_one(db, q, n, err);
}

static int sq_key_put(struct store *st, const char *org_id, const char *id,
		      const char *alg, const char *key_name, const char *pem,
		      int64_t now, struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "INSERT INTO ledger_key (org_id, id, alg, key_name, public_pem, "
		    "created_at) VALUES (?, ?, ?, ?, ?, ?)", "ttttti", org_id, id, alg,
		    key_name, pem, now);
}

static int sq_key_latest(struct store *st, const char *org_id, char id[REG_ID_LEN],
			 char **name, char **pem, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT id, key_name, public_pem FROM ledger_key "
		      "WHERE org_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1", "t",
		      org_id);
	if (rc)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW) {
		col_id(q, 0, id);
		*name = col_str(q, 1);
		*pem = col_str(q, 2);
		if (!*name || !*pem)
			rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	} else {
		rc = zf_fail(err, ZF_ENOTFOUND, "ledger_key_missing", "key",
			     "本机构还没有账本签名密钥：请先运行 zhifa ledger keygen");
	}
	release(q);
	return rc;
}

static int sq_key_json(struct store *st, const char *org_id, const char *id,
		       char **out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT json_object('id', id, 'org_id', org_id, 'alg', alg, 'key_name', "
		      "key_name, 'public_pem', public_pem) FROM ledger_key WHERE org_id = ? "
		      "AND id = ?", "tt", org_id, id);
	if (rc)
		return rc;
	*out = NULL;
	if (sqlite3_step(q) == SQLITE_ROW && !(*out = col_str(q, 0)))
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	release(q);
	if (!rc && !*out)
		rc = zf_fail(err, ZF_ENOTFOUND, "ledger_key_missing", "key", "找不到账本密钥");
	return rc;
}

static int sq_checkpoint_put(struct store *st, const char *org_id, int64_t size,
			     const uint8_t root[LEDGER_HASH_LEN], const char *key_id,
			     const char *note, int64_t now, struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "INSERT OR IGNORE INTO ledger_checkpoint (org_id, size, root, key_id, "
		    "note, created_at) VALUES (?, ?, ?, ?, ?, ?)", "tixtti", org_id, size,
		    root, LEDGER_HASH_LEN, key_id, note, now);
}

static int sq_checkpoints(struct store *st, const char *org_id, store_text_fn fn,
			  void *arg, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT note FROM ledger_checkpoint WHERE org_id = ? "
		      "ORDER BY size", "t", org_id);
	return rc ? rc : each_text(db, q, fn, arg, err);
}

static int sq_key_pems(struct store *st, const char *org_id, store_text_fn fn,
		       void *arg, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT public_pem FROM ledger_key WHERE org_id = ? "
		      "ORDER BY created_at, rowid", "t", org_id);
	return rc ? rc : each_text(db, q, fn, arg, err);
}

static int sq_case_row_json(struct store *st, const char *org_id, const char *id,
			    char **out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT json_object('number', number, 'procedure', procedure, 'state', "
		      "state, 'violation', violation, 'party_id', party_id, 'year', year, "
		      "'filed_date', filed_date, 'decided_date', decided_date) FROM enf_case "
		      "WHERE org_id = ? AND id = ?", "tt", org_id, id);
	if (rc)
		return rc;
	*out = NULL;
	if (sqlite3_step(q) == SQLITE_ROW && !(*out = col_str(q, 0)))
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	sqlite3_finalize(q);
	if (!rc && !*out)
		rc = zf_fail(err, ZF_ENOTFOUND, "case_not_found", "case", "找不到案件");
	return rc;
}

static void sq_read_snapshot(struct store *st, bool begin)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	if (!db || db == s->w)
		return;
	if (begin && sqlite3_get_autocommit(db))
		sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	else if (!begin && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

static int sq_calendar_stamp(struct store *st, const char *org_id, int64_t *count,
			     int64_t *last, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT count(*), coalesce(max(loaded_at), 0) FROM "
		      "calendar_year WHERE org_id = ?", "t", org_id);
	if (rc)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW) {
		*count = sqlite3_column_int64(q, 0);
		*last = sqlite3_column_int64(q, 1);
	} else {
		rc = db_fail(err, db, "calendar");
	}
	release(q);
	return rc;
}

static void sq_maintenance(struct store *st, bool on)
{
#ifdef ZF_TEST_BUILD
	downcast(st)->hook_bypass = on;
#else
	(void)st;
	(void)on;
#endif
}

/* ---- users and idempotency -------------------------------------------- */

#define USER_COLS "id, org_id, username, display_name, officer_id, roles, " \
		  "password_hash, totp_secret, status, locked_until, created_at"

static int user_row(sqlite3_stmt *s, void *elem)
{
	struct user *u = elem;
	struct zf_error ignored;
	col_id(s, 0, u->id);
	col_id(s, 1, u->org_id);
	u->username = col_str(s, 2);
	u->display_name = col_str(s, 3);
	u->officer_id = col_str(s, 4);
	const char *roles = (const char *)sqlite3_column_text(s, 5);
	if (auth_roles_parse(roles, &u->roles, &ignored))
		u->roles = 0;
	u->password_hash = col_str(s, 6);
	u->totp_secret = col_str(s, 7);
	u->status = col_str(s, 8);
	u->locked_until = sqlite3_column_int64(s, 9);
	u->created_at = sqlite3_column_int64(s, 10);
	return u->username && u->password_hash && u->status ? ZF_OK : ZF_ENOMEM;
}

static int sq_user_put(struct store *st, const struct user *u, bool insert, int64_t now,
		       struct zf_error *err)
{
	static const struct conflict cf = {"user_exists", "username", "该用户名已被使用"};
	struct buf roles;
	buf_init(&roles, 256);
	if (auth_roles_format(u->roles, &roles)) {
		buf_release(&roles);
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	}
	int rc = insert
		? exec(downcast(st)->w, err, &cf,
		       "INSERT INTO app_user (" USER_COLS ", updated_at) VALUES "
		       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ttttttttti" "ii", u->id,
		       u->org_id, u->username, u->display_name, u->officer_id,
		       buf_cstr(&roles), u->password_hash, u->totp_secret,
		       u->status ? u->status : "active", u->locked_until, u->created_at, now)
		: exec(downcast(st)->w, err, &cf,
		       "UPDATE app_user SET display_name = ?, officer_id = ?, roles = ?, "
		       "password_hash = ?, totp_secret = ?, status = ?, locked_until = ?, "
		       "updated_at = ? WHERE org_id = ? AND id = ?", "ttttttiitt",
		       u->display_name, u->officer_id, buf_cstr(&roles), u->password_hash,
		       u->totp_secret, u->status ? u->status : "active", u->locked_until, now,
		       u->org_id, u->id);
	buf_release(&roles);
	return rc;
}

static int sq_user_get(struct store *st, const char *key, struct user *out,
		       struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " USER_COLS " FROM app_user WHERE id = ?1 OR "
		      "username = ?1", "t", key);
	return rc ? rc : one(db, q, user_row, out, err, "user_not_found", "user", "用户", key);
}

static int sq_user_list(struct store *st, const char *org_id, struct user **out,
			size_t *n, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " USER_COLS " FROM app_user WHERE org_id = ? "
		      "ORDER BY username", "t", org_id);
	return rc ? rc : collect(db, q, sizeof(**out), user_row, (void **)out, n, err);
}

static int sq_idem_get(struct store *st, const char *org_id, const char *key,
		       struct store_idem *out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT user_id, request_sha, status, body FROM "
		      "http_idempotency WHERE org_id = ? AND key = ?", "tt", org_id, key);
	if (rc)
		return rc;
	rc = ZF_ENOTFOUND;
	if (sqlite3_step(q) == SQLITE_ROW) {
		out->user_id = col_str(q, 0);
		out->request_sha = col_str(q, 1);
		out->status = sqlite3_column_int(q, 2);
		out->body = col_str(q, 3);
		rc = out->user_id && out->request_sha && out->body ? ZF_OK : ZF_ENOMEM;
	}
	release(q);
	return rc;
}

static int sq_idem_put(struct store *st, const char *org_id, const char *key,
		       const char *user_id, const char *request_sha, int status,
		       const char *body, int64_t now, struct zf_error *err)
{
	return exec(downcast(st)->w, err, NULL,
		    "INSERT OR IGNORE INTO http_idempotency (org_id, key, user_id, method, "
		    "path, status, body, created_at, request_sha) "
		    "VALUES (?, ?, ?, '', '', ?, ?, ?, ?)",
		    "tttntit", org_id, key, user_id, status, body, now, request_sha);
}

/* ---- evidence --------------------------------------------------------- */

#define EVIDENCE_COLS "id, org_id, case_id, step, kind, device, captured_at, " \
		      "captured_by, location, original_name, size, hash, hash_alg, " \
		      "status, hold, hold_reason, source_id, redaction, created_at, " \
		      "deleted_at"

static json_t *col_json(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return t ? json_loads(t, 0, NULL) : NULL;
}

static int evidence_row(sqlite3_stmt *s, void *elem)
{
	struct evidence_item *e = elem;
	const char *hash = (const char *)sqlite3_column_text(s, 11);
	col_id(s, 0, e->id);
	col_id(s, 1, e->org_id);
	e->case_id = col_str(s, 2);
	e->step = sqlite3_column_int64(s, 3);
	e->kind = col_str(s, 4);
	e->device = col_str(s, 5);
	e->captured_at = sqlite3_column_int64(s, 6);
	e->captured_by = col_json(s, 7);
	e->location = col_str(s, 8);
	e->original_name = col_str(s, 9);
	e->size = sqlite3_column_int64(s, 10);
	zf_strlcpy(e->hash, hash ? hash : "", sizeof(e->hash));
	e->hash_alg = col_str(s, 12);
	e->status = col_str(s, 13);
	e->hold = sqlite3_column_int(s, 14) != 0;
	e->hold_reason = col_str(s, 15);
	e->source_id = col_str(s, 16);
	e->redaction = col_json(s, 17);
	e->created_at = sqlite3_column_int64(s, 18);
	e->deleted_at = sqlite3_column_int64(s, 19);
	return e->kind && e->captured_by && e->original_name && e->hash_alg && e->status &&
			       (sqlite3_column_type(s, 17) == SQLITE_NULL || e->redaction)
		       ? ZF_OK : ZF_ENOMEM;
}

static int sq_evidence_put(struct store *st, const struct evidence_item *e, bool insert,
			   int64_t now, struct zf_error *err)
{
	static const struct conflict cf = {"evidence_exists", "hash",
		"该案件已有内容相同的证据"};
	char *by = json_dumps(e->captured_by, JSON_COMPACT);
	char *red = e->redaction ? json_dumps(e->redaction, JSON_COMPACT) : NULL;
	int rc;
	if (!by || (e->redaction && !red))
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	else if (insert)
		rc = exec(downcast(st)->w, err, &cf,
			  "INSERT INTO evidence (" EVIDENCE_COLS ", updated_at) VALUES "
			  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			  "NULLIF(?, 0), ?)",
			  "tttittitttitttntttiii", e->id, e->org_id, e->case_id, e->step,
			  e->kind, e->device, e->captured_at, by, e->location,
			  e->original_name, e->size, e->hash, e->hash_alg, e->status,
			  (int)e->hold, e->hold_reason, e->source_id, red, e->created_at,
			  e->deleted_at, now);
	else
		rc = exec(downcast(st)->w, err, &cf,
			  "UPDATE evidence SET case_id = ?, step = ?, status = ?, hold = ?, "
			  "hold_reason = ?, deleted_at = NULLIF(?, 0), updated_at = ? "
			  "WHERE org_id = ? AND id = ?", "titntiitt", e->case_id, e->step,
			  e->status, (int)e->hold, e->hold_reason, e->deleted_at, now,
			  e->org_id, e->id);
	free(by);
	free(red);
	return rc;
}

static int sq_evidence_get(struct store *st, const char *org_id, const char *id,
			   struct evidence_item *out, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " EVIDENCE_COLS " FROM evidence "
		      "WHERE org_id = ? AND id = ?", "tt", org_id, id);
	return rc ? rc : one(db, q, evidence_row, out, err, "evidence_not_found", "id",
			     "证据", id);
}

static int sq_evidence_list(struct store *st, const char *org_id, const char *case_id,
			    const char *status, int64_t limit, const char *after,
			    struct evidence_item **out, size_t *n, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT " EVIDENCE_COLS " FROM evidence "
		      "WHERE org_id = ?1 AND (?2 IS NULL OR case_id = ?2) "
		      "AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR (captured_at, id) > "
		      "(SELECT captured_at, id FROM evidence WHERE org_id = ?1 AND id = ?4)) "
		      "ORDER BY captured_at, id LIMIT ?5", "ttttn", org_id, case_id, status, after,
		      limit > 0 && limit < INT32_MAX ? (int)limit : -1);
	return rc ? rc : collect(db, q, sizeof(**out), evidence_row, (void **)out, n, err);
}

static int sq_evidence_find(struct store *st, const char *org_id, const char *case_id,
			    const char *hash, char id[REG_ID_LEN], struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT id FROM evidence WHERE org_id = ? AND "
		      "case_id = ? AND hash = ?", "ttt", org_id, case_id, hash);
	if (rc)
		return rc;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		col_id(q, 0, id);
	else if (step == SQLITE_DONE)
		rc = ZF_ENOTFOUND;
	else
		rc = db_fail(err, db, "evidence");
	release(q);
	return rc;
}

static int sq_evidence_refs(struct store *st, const char *hash, const char *alg,
			    int64_t *n, struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err, "SELECT count(*) FROM evidence WHERE hash = ? AND "
		      "hash_alg = ? AND status = 'stored'", "tt", hash, alg);
	return rc ? rc : count_one(db, q, n, err);
}

static int sq_ledger_object(struct store *st, const char *org_id, const char *type,
			    const char *id, store_entry_fn fn, void *arg,
			    struct zf_error *err)
{
	struct sq_store *s = downcast(st);
	sqlite3 *db = rconn(s);
	sqlite3_stmt *q;
	int rc = prep(db, &q, err,
		      "SELECT seq, entry, leaf_hash FROM ledger_entry WHERE org_id = ? "
		      "AND object_type = ? AND object_id = ? ORDER BY seq",
		      "ttt", org_id, type, id);
	if (rc)
		return rc;
	rc = each_entry(db, q, fn, arg, err);
	release(q);
	return rc;
}

static int sq_file_path(struct store *st, char **out, struct zf_error *err)
{
	*out = zf_strdup(downcast(st)->path);
	return *out ? ZF_OK : zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.caps = STORE_CAP_FTS,
	.version = 1,
	.open = sq_open,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.tx_begin = sq_tx_begin,
	.tx_commit = sq_tx_commit,
	.tx_rollback = sq_tx_rollback,
	.ledger_head = sq_ledger_head,
	.ledger_insert = sq_ledger_insert,
	.ledger_read = sq_ledger_read,
	.objects = sq_objects,
	.org_insert = sq_org_insert,
	.org_find = sq_org_find,
	.org_list = sq_org_list,
	.setting_put = sq_setting_put,
	.setting_get = sq_setting_get,
	.officer_insert = sq_officer_insert,
	.officer_update = sq_officer_update,
	.officer_get = sq_officer_get,
	.officer_list = sq_officer_list,
	.party_insert = sq_party_insert,
	.party_get = sq_party_get,
	.party_list = sq_party_list,
	.party_erase = sq_party_erase,
	.vehicle_insert = sq_vehicle_insert,
	.vehicle_get = sq_vehicle_get,
	.vehicle_list = sq_vehicle_list,
	.device_insert = sq_device_insert,
	.device_get = sq_device_get,
	.device_list = sq_device_list,
	.calendar_insert = sq_calendar_insert,
	.calendar_texts = sq_calendar_texts,
	.deadline_insert = sq_deadline_insert,
	.deadline_update_due = sq_deadline_update_due,
	.deadline_get = sq_deadline_get,
	.deadline_list = sq_deadline_list,
	.case_put = sq_case_put,
	.case_get = sq_case_get,
	.case_list = sq_case_list,
	.step_insert = sq_step_insert,
	.steps_json = sq_steps_json,
	.documents_json = sq_documents_json,
	.reviews_by = sq_reviews_by,
	.counter_next = sq_counter_next,
	.document_insert = sq_document_insert,
	.document_find = sq_document_find,
	.document_void = sq_document_void,
	.stock_insert = sq_stock_insert,
	.stocks_json = sq_stocks_json,
	.stock_json = sq_stock_json,
	.clocks = sq_clocks,
	.import_insert = sq_import_insert,
	.import_texts = sq_import_texts,
	.import_json = sq_import_json,
	.node_get = sq_node_get,
	.node_put = sq_node_put,
	.node_count = sq_node_count,
	.node_cursor_open = sq_node_cursor_open,
	.node_cursor_next = sq_node_cursor_next,
	.node_cursor_close = sq_node_cursor_close,
	.key_put = sq_key_put,
	.key_latest = sq_key_latest,
	.key_json = sq_key_json,
	.checkpoint_put = sq_checkpoint_put,
	.checkpoints = sq_checkpoints,
	.key_pems = sq_key_pems,
	.case_row_json = sq_case_row_json,
	.maintenance = sq_maintenance,
	.read_snapshot = sq_read_snapshot,
	.calendar_stamp = sq_calendar_stamp,
	.user_put = sq_user_put,
	.user_get = sq_user_get,
	.user_list = sq_user_list,
	.idem_get = sq_idem_get,
	.idem_put = sq_idem_put,
	.evidence_put = sq_evidence_put,
	.evidence_get = sq_evidence_get,
	.evidence_list = sq_evidence_list,
	.evidence_find = sq_evidence_find,
	.evidence_refs = sq_evidence_refs,
	.ledger_object = sq_ledger_object,
	.file_path = sq_file_path,
	.calibration_insert = sq_calibration_insert,
	.calibration_json = sq_calibration_json,
	.calibrations_json = sq_calibrations_json,
	.calibration_valid = sq_calibration_valid,
	.weighing_insert = sq_weighing_insert,
	.weighing_update = sq_weighing_update,
	.weighing_json = sq_weighing_json,
	.weighing_list_json = sq_weighing_list_json,
	.weighing_rows = sq_weighing_rows,
	.weighing_history = sq_weighing_history,
	.weigh_import_put = sq_weigh_import_put,
	.weigh_import_json = sq_weigh_import_json,
	.weigh_imports_json = sq_weigh_imports_json,
	.overload_stats_json = sq_overload_stats_json,
};
