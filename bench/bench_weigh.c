/*
 * bench_weigh: SQLite's own ceilings for `zhifa weigh import` and for the
 * rows-digest part of `zhifa ledger verify` (issue 8 "Performance" (b) and
 * (c); bench/weigh.sh compares zhifa with them in the same run).
 *
 *   bench_weigh ref FILE DB key
 *       A fresh database DB (WAL, synchronous=FULL, as zhifa opens its
 *       own) with one table of the weighing table's columns, STRICT, no
 *       CHECK, no foreign key, no primary key, and only the unique index
 *       (org_id, station, weighed_at, plate): the ceiling for rows of this
 *       width with this key.
 *   bench_weigh ref FILE DB schema
 *       DB made by `zhifa init` + `zhifa org add`: zhifa's own weighing
 *       table (migration 0007: CHECKs, primary key, five indexes, foreign
 *       keys on) and zhifa's own INSERT OR IGNORE statement
 *       (sq_weighing_insert).  The gap between key and schema is the
 *       schema's price; the gap between schema and zhifa is the code's.
 *
 *   Both read FILE with zhifa's parser and classifier (wim_scan_feed),
 *   outside the timed part, 4,096 records at a time, and bind exactly the
 *   values zhifa's import binds (same ids, import id, review, times).
 *   Timed: open, BEGIN IMMEDIATE, the inserts, COMMIT and close (which
 *   checkpoints the WAL into the database, as zhifa's exit does).  Then the
 *   same again with the same rows, which the unique index ignores: the
 *   re-import's ceiling.  BENCH_WEIGH_CACHE_KB sets PRAGMA cache_size
 *   (default: SQLite's, 2,000 KiB, as zhifa).  For experiments only:
 *   BENCH_WEIGH_KEY_EXTRA is SQL run after the key table is made (say, one
 *   more of zhifa's indexes), BENCH_WEIGH_FK=0 turns foreign keys off in
 *   schema mode, and BENCH_WEIGH_TXN_ROWS=K commits every K rows (about:
 *   after the batch of 4,096 that reaches K) instead of once, so that the
 *   WAL is checkpointed as it goes.  The output also gives the largest
 *   RssAnon and RssFile (which counts the mapped WAL index) seen at each commit.
 *
 *   bench_weigh lines DB
 *       The rows of the import that added the most rows, read with
 *       zhifa's digest-line query (sq_weighing_lines, same SQL) in line
 *       order: once only reading, once hashing every line with the
 *       organisation's algorithm through EVP (SM3 or SHA-256).  The
 *       ceiling for the part of `ledger verify` that recomputes an
 *       import's rows digest.  A third pass reads the columns instead and
 *       formats each line in C (cols_hash_s), and says whether it gave the
 *       same digest (cols_same_digest).
 *
 * Each prints one JSON object; peak memory is VmHWM from /proc/self/status.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "overload.h"
#include "uuid.h"
#include "wim.h"

#define BATCH 4096
#define CHUNK (1u << 20)
#define ID_LEN 37

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char l[256];
	long v = -1;
	size_t k = strlen(key);

	if (!f)
		return -1;
	while (fgets(l, sizeof(l), f))
		if (strncmp(l, key, k) == 0 && l[k] == ':')
			v = strtol(l + k + 1, NULL, 10);
	fclose(f);
	return v;
}

static void die_db(sqlite3 *db, const char *what)
{
	fprintf(stderr, "bench_weigh: %s: %s\n", what, db ? sqlite3_errmsg(db) : "no database");
	exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die_db(db, sql);
}

/* ---- ref: inserts ---- */

/* The weighing table's columns (migration 0007) without its constraints. */
static const char key_ddl[] =
	"CREATE TABLE weighing (org_id TEXT NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL, "
	"station TEXT NOT NULL, weighed_at INTEGER NOT NULL, plate TEXT NOT NULL, "
	"trailer_plate TEXT, plate_colour TEXT, lane INTEGER, axles INTEGER NOT NULL, "
	"config TEXT NOT NULL, gross_kg INTEGER NOT NULL, height_mm INTEGER, width_mm INTEGER, "
	"length_mm INTEGER, speed_kmh INTEGER, device_id TEXT, calibrated_until TEXT, "
	"officers TEXT, image_sha256 TEXT, video_sha256 TEXT, limit_kg INTEGER NOT NULL, "
	"tolerance_kg INTEGER NOT NULL, over_kg INTEGER NOT NULL, over INTEGER NOT NULL, "
	"import_id TEXT, line INTEGER, review TEXT NOT NULL, review_reason TEXT, "
	"reviewed_by TEXT, reviewed_at INTEGER, case_id TEXT, unload_goods TEXT, "
	"unloaded_kg INTEGER, unload_place TEXT, reweigh_kg INTEGER, unloaded_at INTEGER, "
	"calc TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL) STRICT;"
	"CREATE UNIQUE INDEX weighing_key ON weighing (org_id, station, weighed_at, plate);";

/* sq_weighing_insert's statement for imported rows, verbatim. */
static const char insert_sql[] =
	"INSERT OR IGNORE INTO weighing (org_id, id, source, station, weighed_at, "
	"plate, trailer_plate, plate_colour, lane, axles, config, gross_kg, "
	"height_mm, width_mm, length_mm, speed_kmh, device_id, calibrated_until, "
	"officers, image_sha256, video_sha256, limit_kg, tolerance_kg, over_kg, "
	"over, import_id, line, review, calc, created_at, updated_at) VALUES (?1, ?2, "
	"?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
	"?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?30)";

struct ref {
	const char *path;
	bool schema, fk;
	int cache_kb;
	unsigned long long txn_rows, in_txn;
	long anon_kb, file_kb;
	char org_id[ID_LEN], import_id[ID_LEN];
	int64_t now_us;
	sqlite3 *db;
	sqlite3_stmt *ins;
	struct wim_record recs[BATCH];
	size_t lines[BATCH], n;
	unsigned long long rows, added;
	double t;		/* seconds spent in SQLite */
	double t_commit, t_close;	/* of which COMMIT, and close (the checkpoint) */
};

static void ref_open(struct ref *r)
{
	char pragma[64];
	double t0 = now_s();

	if (sqlite3_open_v2(r->path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		die_db(r->db, r->path);
	exec(r->db, r->fk ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			    "PRAGMA foreign_keys=ON;"
			  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
	if (r->cache_kb) {
		snprintf(pragma, sizeof(pragma), "PRAGMA cache_size=-%d;", r->cache_kb);
		exec(r->db, pragma);
	}
	if (sqlite3_prepare_v3(r->db, insert_sql, -1, SQLITE_PREPARE_PERSISTENT, &r->ins, NULL) !=
	    SQLITE_OK)
		die_db(r->db, "prepare");
	exec(r->db, "BEGIN IMMEDIATE");
	r->t += now_s() - t0;
}

static void ref_mem(struct ref *r)
{
	long a = status_kb("RssAnon"), m = status_kb("RssFile");

	if (a > r->anon_kb)
		r->anon_kb = a;
	if (m > r->file_kb)
		r->file_kb = m;
}

static void ref_close(struct ref *r)
{
	double t0, t1;

	ref_mem(r);
	t0 = now_s();
	exec(r->db, "COMMIT");
	t1 = now_s();
	sqlite3_finalize(r->ins);
	if (sqlite3_close(r->db) != SQLITE_OK)
		die_db(r->db, "close");
	r->t_close = now_s() - t1;
	r->t_commit = t1 - t0;
	r->t += now_s() - t0;
	r->db = NULL;
}

static int bind_text(sqlite3_stmt *q, int k, const char *v)
{
	return v ? sqlite3_bind_text(q, k, v, -1, SQLITE_STATIC) : sqlite3_bind_null(q, k);
}

static void ref_flush(struct ref *r)
{
	static const char *const colour[] = {"", "yellow", "blue", "green", "yellow_green",
					     "white", "black"};
	char id[ID_LEN];
	sqlite3_stmt *q = r->ins;
	double t0 = now_s();

	for (size_t i = 0; i < r->n; i++) {
		const struct wim_record *w = &r->recs[i];
		int k = 1, b = SQLITE_OK;

		/* as import_on_record: the import id with the line as its last 12 hex digits */
		snprintf(id, sizeof(id), "%.24s%012llx", r->import_id, (unsigned long long)r->lines[i]);
#define BT(v) (b = b ? b : bind_text(q, k, (v)), k++)
#define BI(v) (b = b ? b : sqlite3_bind_int64(q, k, (v)), k++)
		BT(r->org_id); BT(id); BT("import"); BT(w->station); BI(w->time_us);
		BT(w->plate); BT(NULL); BT(colour[w->plate_colour]); BI(w->lane);
		BI(w->axles); BT(w->config == OVERLOAD_TRAIN ? "train" : "truck");
		BI(w->gross_kg); BT(NULL); BT(NULL); BT(NULL); BI(w->speed_kmh);
		BT(NULL); BT(NULL); BT(NULL);
		BT(w->image_sha256[0] ? w->image_sha256 : NULL);
		BT(w->video_sha256[0] ? w->video_sha256 : NULL);
		BI(w->limit_kg); BI(w->tolerance_kg); BI(w->over_kg); BI(w->over ? 1 : 0);
		BT(r->import_id); BI((int64_t)r->lines[i]); BT(w->over ? "pending" : "none");
		BT(NULL); BI(r->now_us);
#undef BT
#undef BI
		if (b != SQLITE_OK || sqlite3_step(q) != SQLITE_DONE)
			die_db(r->db, "insert");
		r->added += sqlite3_changes(r->db) > 0;
		sqlite3_reset(q);
	}
	r->rows += r->n;
	r->in_txn += r->n;
	r->n = 0;
	if (r->txn_rows && r->in_txn >= r->txn_rows) {
		double t1 = now_s();

		r->t += t1 - t0;
		ref_mem(r);	/* not timed */
		t0 = now_s();
		exec(r->db, "COMMIT");
		exec(r->db, "BEGIN IMMEDIATE");
		r->in_txn = 0;
	}
	r->t += now_s() - t0;
}

static int ref_record(void *arg, size_t line, const struct wim_record *rec)
{
	struct ref *r = arg;

	r->recs[r->n] = *rec;
	r->lines[r->n] = line;
	if (++r->n == BATCH)
		ref_flush(r);
	return 0;
}

/* One pass over FILE: every accepted record inserted in one transaction. */
static void ref_pass(struct ref *r, const char *file, const struct wim_classifier *cls)
{
	static char buf[CHUNK];
	struct wim_scan sc;
	struct zf_error err;
	size_t have = 0, used;
	bool eof = false;
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		perror(file);
		exit(1);
	}
	r->rows = r->added = r->in_txn = 0;
	r->t = 0;
	ref_open(r);
	wim_scan_init(&sc, cls, ref_record, NULL, r);
	for (;;) {
		ssize_t n = eof ? 0 : read(fd, buf + have, sizeof(buf) - have);

		if (n < 0) {
			perror(file);
			exit(1);
		}
		eof = n == 0;
		have += (size_t)n;
		if (wim_scan_feed(&sc, buf, have, eof, &used, &err)) {
			fprintf(stderr, "bench_weigh: %s: %s\n", file, err.message);
			exit(1);
		}
		memmove(buf, buf + used, have - used);
		have -= used;
		if (eof)
			break;
	}
	close(fd);
	ref_flush(r);
	ref_close(r);
}

static int ref(const char *file, const char *path, const char *mode)
{
	static struct ref r;
	struct overload_rules rules;
	struct overload_settings set = {OVERLOAD_WHOLE_TONNES, 0, 0};
	struct wim_classifier cls;
	struct zf_error err;
	const char *cache = getenv("BENCH_WEIGH_CACHE_KB"), *fk = getenv("BENCH_WEIGH_FK");
	const char *extra = getenv("BENCH_WEIGH_KEY_EXTRA"), *txn = getenv("BENCH_WEIGH_TXN_ROWS");
	double t_ins, t_re, t_commit, t_close;
	unsigned long long rows, added;

	r.path = path;
	r.schema = strcmp(mode, "schema") == 0;
	r.fk = r.schema && !(fk && strcmp(fk, "0") == 0);
	r.cache_kb = cache ? (int)strtol(cache, NULL, 10) : 0;
	r.txn_rows = txn ? strtoull(txn, NULL, 10) : 0;
	r.now_us = 1782792000000000LL;	/* 2026-06-30T12:00:00+08:00 */
	if (!r.schema && strcmp(mode, "key") != 0) {
		fprintf(stderr, "bench_weigh ref: mode is key or schema\n");
		return 2;
	}
	if (uuid_v7(r.now_us, r.import_id) || uuid_v7(r.now_us, r.org_id)) {
		fprintf(stderr, "bench_weigh: no randomness\n");
		return 1;
	}
	if (r.schema) {		/* the organisation zhifa registered */
		sqlite3 *db;
		sqlite3_stmt *q;

		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, "SELECT id FROM org", -1, &q, NULL) != SQLITE_OK)
			die_db(db, path);
		if (sqlite3_step(q) != SQLITE_ROW)
			die_db(db, "no organisation (zhifa init, zhifa org add first)");
		snprintf(r.org_id, sizeof(r.org_id), "%s", (const char *)sqlite3_column_text(q, 0));
		sqlite3_finalize(q);
		sqlite3_close(db);
	} else {
		sqlite3 *db;

		unlink(path);
		if (sqlite3_open(path, &db) != SQLITE_OK)
			die_db(db, path);
		exec(db, "PRAGMA journal_mode=WAL;");
		exec(db, key_ddl);
		if (extra && *extra)
			exec(db, extra);
		sqlite3_close(db);
	}
	overload_rules_init(&rules);
	zf_error_clear(&err);
	if (overload_rules_load_builtin(&rules, &err) ||
	    wim_classifier_init(&cls, &rules, &set, &err)) {
		fprintf(stderr, "rules: %s\n", err.message);
		return 1;
	}
	ref_pass(&r, file, &cls);
	t_ins = r.t, rows = r.rows, added = r.added, t_commit = r.t_commit, t_close = r.t_close;
	ref_pass(&r, file, &cls);
	t_re = r.t;
	printf("{\"mode\":\"%s\",\"fk\":%d,\"extra\":%d,\"cache_kb\":%d,\"txn_rows\":%llu,\"rows\":%llu,\"added\":%llu,"
	       "\"insert_s\":%.3f,\"insert_rows_per_s\":%.0f,\"commit_s\":%.3f,\"close_s\":%.3f,"
	       "\"reinsert_added\":%llu,\"reinsert_s\":%.3f,\"reinsert_rows_per_s\":%.0f,"
	       "\"vmhwm_kb\":%ld,\"rss_anon_kb\":%ld,\"rss_file_kb\":%ld}\n",
	       mode, r.fk, extra && *extra, r.cache_kb, r.txn_rows, rows, added, t_ins, (double)rows / t_ins, t_commit, t_close, r.added, t_re,
	       (double)r.rows / t_re, status_kb("VmHWM"), r.anon_kb, r.file_kb);
	wim_classifier_release(&cls);
	overload_rules_release(&rules);
	return 0;
}

/* ---- lines: the rows digest's ceiling ---- */

/* sq_weighing_lines' statement, verbatim. */
static const char lines_sql[] =
	"SELECT line || '|' || id || '|' || station || '|' || weighed_at || '|' || "
	"plate || '|' || ifnull(plate_colour, '') || '|' || ifnull(lane, '') || "
	"'|' || axles || '|' || config || '|' || gross_kg || '|' || "
	"ifnull(speed_kmh, '') || '|' || ifnull(image_sha256, '') || '|' || "
	"ifnull(video_sha256, '') || '|' || limit_kg || '|' || tolerance_kg || "
	"'|' || over_kg || '|' || over || char(10) FROM weighing "
	"WHERE org_id = ? AND import_id = ? ORDER BY line";

static double lines_pass(sqlite3 *db, const char *org, const char *imp, EVP_MD_CTX *ctx,
			 const EVP_MD *md, unsigned long long *rows, unsigned long long *bytes,
			 unsigned char d[EVP_MAX_MD_SIZE])
{
	sqlite3_stmt *q;
	double t0 = now_s();
	int rc;

	*rows = *bytes = 0;
	if (sqlite3_prepare_v2(db, lines_sql, -1, &q, NULL) != SQLITE_OK)
		die_db(db, "prepare lines");
	sqlite3_bind_text(q, 1, org, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, imp, -1, SQLITE_STATIC);
	if (ctx && !EVP_DigestInit_ex(ctx, md, NULL))
		exit(1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(q, 0);
		int n = sqlite3_column_bytes(q, 0);

		if (ctx && !EVP_DigestUpdate(ctx, t, (size_t)n))
			exit(1);
		(*rows)++;
		*bytes += (unsigned long long)n;
	}
	if (rc != SQLITE_DONE)
		die_db(db, "lines");
	if (ctx && !EVP_DigestFinal_ex(ctx, d, NULL))
		exit(1);
	sqlite3_finalize(q);
	return now_s() - t0;
}

/* The same digest from the columns, the line formatted in C (as
 * import_flush formats it when importing; NULL as the SQL's ifnull gives). */
static const char cols_sql[] =
	"SELECT line, id, station, weighed_at, plate, plate_colour, lane, axles, config, "
	"gross_kg, speed_kmh, image_sha256, video_sha256, limit_kg, tolerance_kg, over_kg, over "
	"FROM weighing WHERE org_id = ? AND import_id = ? ORDER BY line";

static double cols_pass(sqlite3 *db, const char *org, const char *imp, EVP_MD_CTX *ctx,
			const EVP_MD *md, unsigned char d[EVP_MAX_MD_SIZE])
{
	sqlite3_stmt *q;
	double t0 = now_s();
	char line[2048];
	int rc;

	if (sqlite3_prepare_v2(db, cols_sql, -1, &q, NULL) != SQLITE_OK)
		die_db(db, "prepare cols");
	sqlite3_bind_text(q, 1, org, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, imp, -1, SQLITE_STATIC);
	if (!EVP_DigestInit_ex(ctx, md, NULL))
		exit(1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *t[17];
		int n;

		for (int i = 0; i < 17; i++) {
			t[i] = (const char *)sqlite3_column_text(q, i);
			if (!t[i])
				t[i] = "";
		}
		n = snprintf(line, sizeof(line),
			     "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", t[0], t[1],
			     t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12],
			     t[13], t[14], t[15], t[16]);
		if (n < 0 || (size_t)n >= sizeof(line) || !EVP_DigestUpdate(ctx, line, (size_t)n))
			exit(1);
	}
	if (rc != SQLITE_DONE)
		die_db(db, "cols");
	if (!EVP_DigestFinal_ex(ctx, d, NULL))
		exit(1);
	sqlite3_finalize(q);
	return now_s() - t0;
}

static int lines(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	char org[ID_LEN], imp[ID_LEN], alg[16];
	unsigned long long rows, bytes, rows2, bytes2;
	double t_scan, t_hash, t_cols;
	unsigned char d0[EVP_MAX_MD_SIZE], d1[EVP_MAX_MD_SIZE], d2[EVP_MAX_MD_SIZE];
	EVP_MD *md;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT i.org_id, i.id, o.hash_alg FROM weigh_import i JOIN org o "
			       "ON o.id = i.org_id ORDER BY i.added DESC LIMIT 1", -1, &q,
			       NULL) != SQLITE_OK)
		die_db(db, path);
	if (sqlite3_step(q) != SQLITE_ROW)
		die_db(db, "no import");
	snprintf(org, sizeof(org), "%s", (const char *)sqlite3_column_text(q, 0));
	snprintf(imp, sizeof(imp), "%s", (const char *)sqlite3_column_text(q, 1));
	snprintf(alg, sizeof(alg), "%s", (const char *)sqlite3_column_text(q, 2));
	sqlite3_finalize(q);
	md = EVP_MD_fetch(NULL, strcmp(alg, "sm3") == 0 ? "SM3" : "SHA256", NULL);
	if (!md || !ctx) {
		fprintf(stderr, "bench_weigh: no %s in OpenSSL\n", alg);
		return 1;
	}
	t_scan = lines_pass(db, org, imp, NULL, NULL, &rows, &bytes, d0);
	t_hash = lines_pass(db, org, imp, ctx, md, &rows2, &bytes2, d1);
	t_cols = cols_pass(db, org, imp, ctx, md, d2);
	printf("{\"rows\":%llu,\"bytes\":%llu,\"alg\":\"%s\",\"scan_s\":%.3f,"
	       "\"scan_rows_per_s\":%.0f,\"scan_hash_s\":%.3f,\"scan_hash_rows_per_s\":%.0f,"
	       "\"cols_hash_s\":%.3f,\"cols_same_digest\":%s,\"vmhwm_kb\":%ld}\n",
	       rows, bytes, alg, t_scan, (double)rows / t_scan, t_hash, (double)rows2 / t_hash,
	       t_cols, memcmp(d1, d2, (size_t)EVP_MD_get_size(md)) ? "false" : "true",
	       status_kb("VmHWM"));
	EVP_MD_free(md);
	EVP_MD_CTX_free(ctx);
	sqlite3_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "ref") == 0)
		return ref(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "lines") == 0)
		return lines(argv[2]);
	fprintf(stderr, "usage: bench_weigh ref FILE DB key|schema | bench_weigh lines DB\n");
	return 2;
}
