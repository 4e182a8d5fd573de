/*
 * bench_ledger: what the ledger costs, against physical references of the
 * same machine measured in the same run.
 *
 *   append:  N device registrations through store.h, each its own durable
 *            transaction (synchronous=FULL) with its ledger entry, against
 *            N bare one-row SQLite commits with the same settings;
 *   batched: 20 N entries through zhifa's own append path (entry, chain,
 *            state hash, tree nodes), 1,000 per transaction, against the
 *            same count of bare SM3 log appends (entry row, leaf hash, one
 *            node row);
 *   verify:  zhifa's ledger verification (leaves, chain, canonical form,
 *            tree, checkpoints, current states of every object), in MB/s of
 *            entry bytes, against SM3 over 256-byte messages in this
 *            process (the figure `openssl speed -evp sm3 -bytes 256` gives;
 *            bench/run.sh runs that too).
 *
 * With BENCH_BIG=M (1 means 10,000,000) it also builds an M-entry log
 * through the batched path in DIR/big.db, verifies it, and times inclusion
 * proofs at that size.  That takes minutes and several GB of disk.
 *
 * Usage: bench_ledger DIR N   (prints one JSON object on stdout, progress on
 * stderr)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "ledger.h"
#include "merkle.h"
#include "b64.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double raw_commits(const char *path, int n)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT;",
		     NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t (v) VALUES (?)", -1, &s, NULL);
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_text(s, 1, "DSJ-00000 执法记录仪", -1, SQLITE_STATIC);
		sqlite3_step(s);
		sqlite3_reset(s);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	double dt = now_s() - t0;
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n / dt;
}

/*
 * Reference for batched appends: the bare work of a Merkle log append as
 * ceilings.md measured it: a ~258-byte entry row, its SM3 leaf hash, one
 * node row, 1,000 rows per transaction.
 */
static double raw_batched(const char *path, int n)
{
	sqlite3 *db;
	sqlite3_stmt *e, *nd;
	struct ledger_hasher *h = ledger_hasher_new(LEDGER_SM3);
	char entry[258];
	uint8_t leaf[LEDGER_HASH_LEN];
	memset(entry, 'x', sizeof(entry));
	if (!h || sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		     "CREATE TABLE e (seq INTEGER PRIMARY KEY, entry BLOB, leaf BLOB) STRICT;"
		     "CREATE TABLE n (level INTEGER, idx INTEGER, hash BLOB, "
		     "PRIMARY KEY (level, idx)) STRICT;", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO e VALUES (?, ?, ?)", -1, &e, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO n VALUES (1, ?, ?)", -1, &nd, NULL);
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		if (i % 1000 == 0)
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		if (ledger_leaf_hash(h, entry, sizeof(entry), leaf))
			return -1;
		sqlite3_bind_int64(e, 1, i + 1);
		sqlite3_bind_blob(e, 2, entry, sizeof(entry), SQLITE_STATIC);
		sqlite3_bind_blob(e, 3, leaf, sizeof(leaf), SQLITE_STATIC);
		sqlite3_step(e);
		sqlite3_reset(e);
		sqlite3_bind_int64(nd, 1, i);
		sqlite3_bind_blob(nd, 2, leaf, sizeof(leaf), SQLITE_STATIC);
		sqlite3_step(nd);
		sqlite3_reset(nd);
		if (i % 1000 == 999 || i == n - 1)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	double dt = now_s() - t0;
	sqlite3_finalize(e);
	sqlite3_finalize(nd);
	sqlite3_close(db);
	ledger_hasher_free(h);
	return n / dt;
}

/* SM3 over 256-byte messages, one core, fetched digest and reused context:
 * what `openssl speed -evp sm3 -bytes 256` measures, in MB/s. */
static double sm3_256_mb_per_s(double seconds)
{
	struct ledger_hasher *h = ledger_hasher_new(LEDGER_SM3);
	uint8_t msg[256], out[LEDGER_HASH_LEN];
	long n = 0;
	memset(msg, 'x', sizeof(msg));
	double t0 = now_s(), t;
	do {
		for (int i = 0; i < 1000; i++, n++)
			if (ledger_hash2(h, msg, sizeof(msg), NULL, 0, out))
				return -1;
		msg[0] = out[0];
	} while ((t = now_s() - t0) < seconds);
	ledger_hasher_free(h);
	return n * 256.0 / t / 1e6;
}

/* zhifa's own append path (entry, chain, state hash, tree nodes), batched:
 * what an import that writes many entries in one transaction would cost.
 * The entries all record the state of one real device row, so the log
 * verifies without problems. */
static double zhifa_batched(struct store *st, struct zf_ctx *ctx, const struct device *d,
			    long n, bool progress)
{
	struct zf_error err;
	json_t *state = device_state_json(d);
	double t0 = now_s();
	for (long i = 0; i < n; i++) {
		if (i % 1000 == 0 && store__tx_begin(st, &err))
			return -1;
		struct store_mutation m = {ctx->org_id, "device.add", "device", d->id,
					   state, NULL};
		ctx->now_us += 1;
		if (store__append(st, ctx, &m, NULL, &err)) {
			fprintf(stderr, "%s\n", err.message);
			return -1;
		}
		if ((i % 1000 == 999 || i == n - 1) && store__tx_end(st, ZF_OK, &err))
			return -1;
		if (progress && i % 1000000 == 999999)
			fprintf(stderr, "  %ld entries, %.0f/s\n", i + 1,
				(i + 1) / (now_s() - t0));
	}
	json_decref(state);
	return n / (now_s() - t0);
}

/* Entry count and bytes, read directly from the file. */
static int entry_bytes(const char *path, const char *org_id, long *count, double *bytes)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int rc = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT count(*), total(length(entry)) FROM "
			       "ledger_entry WHERE org_id = ?", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, org_id, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW) {
			*count = (long)sqlite3_column_int64(s, 0);
			*bytes = sqlite3_column_double(s, 1);
			rc = 0;
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return rc;
}

struct verify_fig {
	long entries;
	double entries_per_s, mb_per_s, seconds;
	size_t problems, objects;
};

static int timed_verify(struct store *st, const char *path, const char *org_id,
			struct verify_fig *f)
{
	struct store_verify r;
	struct zf_error err;
	double bytes = 0;
	if (entry_bytes(path, org_id, &f->entries, &bytes))
		return -1;
	double t0 = now_s();
	if (store_ledger_verify(st, org_id, &r, &err)) {
		fprintf(stderr, "verify: %s\n", err.message);
		return -1;
	}
	f->seconds = now_s() - t0;
	f->entries_per_s = r.entries / f->seconds;
	f->mb_per_s = bytes / f->seconds / 1e6;
	f->problems = json_array_size(r.problems);
	f->objects = r.objects;
	if (f->problems) {
		char *s = json_dumps(json_array_get(r.problems, 0), JSON_COMPACT);
		fprintf(stderr, "verify problem: %s\n", s ? s : "?");
		free(s);
	}
	store_verify_release(&r);
	return 0;
}

/* A base64 hash from a JSON string. */
static bool hash_b64(json_t *j, uint8_t out[LEDGER_HASH_LEN])
{
	const char *s = json_string_value(j);
	size_t n = 0;
	return s && b64_decode(s, strlen(s), out, LEDGER_HASH_LEN, &n) &&
	       n == LEDGER_HASH_LEN;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct proof_fig {
	int64_t size;
	double mean, p50, p99, max;		/* ms, each proof on its own */
	double snap_mean, snap_p50, snap_p99;	/* ms, each in a read snapshot */
};

static void print_verify(const char *name, const struct verify_fig *f, double sm3)
{
	printf("\"%s\": {\"entries\": %ld, \"objects\": %zu, \"seconds\": %.2f, "
	       "\"entries_per_s\": %.0f, \"mb_per_s\": %.1f, \"ratio_sm3\": %.3f, "
	       "\"problems\": %zu}", name, f->entries, f->objects, f->seconds,
	       f->entries_per_s, f->mb_per_s, f->mb_per_s / sm3, f->problems);
}

static void print_proofs(const struct proof_fig *p)
{
	printf("\"proof_ms\": {\"size\": %lld, \"mean\": %.4f, \"p50\": %.4f, "
	       "\"p99\": %.4f, \"max\": %.4f, \"in_snapshot\": {\"mean\": %.4f, "
	       "\"p50\": %.4f, \"p99\": %.4f}}", (long long)p->size, p->mean, p->p50,
	       p->p99, p->max, p->snap_mean, p->snap_p50, p->snap_p99);
}

/* k inclusion proofs of random entries at the given size, each checked
 * against the root afterwards (outside the timing); with snapshot, each
 * inside its own read snapshot, as the HTTP server runs a read request. */
static int timed_proofs_1(struct store *st, const char *org_id, int64_t size, int k,
			  bool snapshot, double *mean_ms, double *p50_ms, double *p99_ms,
			  double *max_ms)
{
	struct zf_error err;
	json_t *head = NULL;
	double *t = calloc((size_t)k, sizeof(*t)), sum = 0;
	uint8_t root[LEDGER_HASH_LEN];
	struct ledger_hasher *h = ledger_hasher_new(LEDGER_SM3);
	if (!t || !h || store_ledger_head(st, org_id, &head, &err) ||
	    !hash_b64(json_object_get(head, "root"), root))
		return -1;
	json_decref(head);
	srand(42);
	for (int i = 0; i < k; i++) {
		int64_t seq = 1 + (int64_t)(((uint64_t)rand() << 31 ^ (uint64_t)rand()) %
					    (uint64_t)size);
		json_t *p = NULL;
		double t0 = now_s();
		if (snapshot)
			store_read_begin(st);
		int rc = store_ledger_prove(st, org_id, seq, size, &p, &err);
		if (snapshot)
			store_read_end(st);
		t[i] = (now_s() - t0) * 1e3;
		if (rc) {
			fprintf(stderr, "prove: %s\n", err.message);
			return -1;
		}
		sum += t[i];
		/* the proof must check: leaf + path give the root */
		uint8_t leaf[LEDGER_HASH_LEN], path[MERKLE_PROOF_MAX * LEDGER_HASH_LEN];
		json_t *hs = json_object_get(p, "hashes");
		size_t n = json_array_size(hs);
		if (n > MERKLE_PROOF_MAX || !hash_b64(json_object_get(p, "leaf_hash"), leaf))
			return -1;
		for (size_t j = 0; j < n; j++)
			if (!hash_b64(json_array_get(hs, j), path + j * LEDGER_HASH_LEN))
				return -1;
		if (!merkle_inclusion_verify(h, (uint64_t)seq - 1, (uint64_t)size, leaf,
					     path, n, root)) {
			fprintf(stderr, "proof of entry %lld does not verify\n", (long long)seq);
			return -1;
		}
		json_decref(p);
	}
	qsort(t, (size_t)k, sizeof(*t), cmp_double);
	*mean_ms = sum / k;
	*p50_ms = t[k / 2];
	*p99_ms = t[k * 99 / 100];
	*max_ms = t[k - 1];
	free(t);
	ledger_hasher_free(h);
	return 0;
}

static int timed_proofs(struct store *st, const char *org_id, int64_t size, int k,
			struct proof_fig *f)
{
	f->size = size;
	if (timed_proofs_1(st, org_id, size, k, false, &f->mean, &f->p50, &f->p99, &f->max))
		return -1;
	double max;
	return timed_proofs_1(st, org_id, size, k, true, &f->snap_mean, &f->snap_p50,
			      &f->snap_p99, &max);
}

static int open_org(const char *path, struct store **st, struct zf_ctx *ctx,
		    struct device *d)
{
	struct zf_error err = {0};
	struct store_opts opts = {.create = true};
	if (store_open(path, &opts, st, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return -1;
	}
	struct org o = {0};
	o.name = strdup("基准测试局"), o.level = strdup("county");
	o.division_code = strdup("150826"), o.doc_abbr = strdup("基");
	if (store_org_create(*st, ctx, &o, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return -1;
	}
	snprintf(ctx->org_id, sizeof(ctx->org_id), "%s", o.id);
	org_release(&o);
	/* the device the batched entries record */
	d->code = strdup("DSJ-BATCH");
	d->kind = strdup("body_camera");
	d->name = strdup("执法记录仪");
	ctx->now_us += 1000;
	if (store_device_add(*st, ctx, d, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return -1;
	}
	return 0;
}

/* The figures of one run on N (durable) and 20 N (batched) entries. */
static int small_run(const char *dir, int n)
{
	char raw[4096], zdb[4096], raw2[4096];
	snprintf(raw, sizeof(raw), "%s/raw.db", dir);
	snprintf(zdb, sizeof(zdb), "%s/zhifa.db", dir);
	snprintf(raw2, sizeof(raw2), "%s/rawbatch.db", dir);
	double sm3_ref = sm3_256_mb_per_s(1.0);
	double raw_rate = raw_commits(raw, n);

	struct store *st;
	struct zf_error err = {0};
	struct zf_ctx ctx = {.now_us = 1735689600000000LL};
	struct device bd = {0};
	snprintf(ctx.actor, sizeof(ctx.actor), "bench");
	if (open_org(zdb, &st, &ctx, &bd))
		return 1;
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		char code[32];
		struct device d = {0};
		snprintf(code, sizeof(code), "DSJ-%05d", i);
		d.code = strdup(code);
		d.kind = strdup("body_camera");
		d.name = strdup("执法记录仪");
		ctx.now_us += 1000;
		if (store_device_add(st, &ctx, &d, &err)) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
		device_release(&d);
	}
	double append_rate = n / (now_s() - t0);
	/* verify of a log where every entry is its own object (one state check
	 * per entry: the worst case for the state checks) */
	struct verify_fig v1, v2;
	if (timed_verify(st, zdb, ctx.org_id, &v1))
		return 1;
	int nb = n * 20;
	double raw_batch = raw_batched(raw2, nb);
	double zf_batch = zhifa_batched(st, &ctx, &bd, nb, false);
	/* the whole log: N objects, 21 N entries */
	if (zf_batch < 0 || timed_verify(st, zdb, ctx.org_id, &v2))
		return 1;
	struct proof_fig pf;
	if (timed_proofs(st, ctx.org_id, v2.entries, 2000, &pf))
		return 1;
	device_release(&bd);
	store_close(st);

	printf("\"n\": %d, \"sm3_256_mb_per_s\": %.1f, \"raw_commits_per_s\": %.0f, "
	       "\"ledgered_mutations_per_s\": %.0f, \"append_ratio\": %.3f, "
	       "\"batched_n\": %d, \"raw_batched_per_s\": %.0f, "
	       "\"zhifa_batched_per_s\": %.0f, \"batched_ratio\": %.3f, ",
	       n, sm3_ref, raw_rate, append_rate, append_rate / raw_rate, nb, raw_batch,
	       zf_batch, zf_batch / raw_batch);
	print_verify("verify_objects", &v1, sm3_ref);
	printf(", ");
	print_verify("verify_all", &v2, sm3_ref);
	printf(", ");
	print_proofs(&pf);
	return 0;
}

/* BENCH_BIG: an M-entry log (kept and reused if BENCH_BIG_DB names one that
 * exists), its verification and proofs at its size. */
static int big_run(const char *path, long big)
{
	struct store *bs;
	struct zf_ctx bctx = {.now_us = 1735689600000000LL};
	struct device dd = {0};
	struct verify_fig vb;
	struct proof_fig pf;
	double rate = 0;
	FILE *f = fopen(path, "rb");
	snprintf(bctx.actor, sizeof(bctx.actor), "bench");
	if (f) {
		struct zf_error err;
		struct store_opts opts = {0};
		struct org o = {0};
		fclose(f);
		fprintf(stderr, "reusing the log in %s\n", path);
		if (store_open(path, &opts, &bs, &err) || store_org_default(bs, &o, &err)) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
		snprintf(bctx.org_id, sizeof(bctx.org_id), "%s", o.id);
		org_release(&o);
	} else {
		fprintf(stderr, "building a %ld-entry log in %s\n", big, path);
		if (open_org(path, &bs, &bctx, &dd))
			return 1;
		if ((rate = zhifa_batched(bs, &bctx, &dd, big, true)) < 0)
			return 1;
	}
	double sm3_before = sm3_256_mb_per_s(1.0);
	fprintf(stderr, "verifying\n");
	if (timed_verify(bs, path, bctx.org_id, &vb))
		return 1;
	double sm3_after = sm3_256_mb_per_s(1.0);
	fprintf(stderr, "proofs\n");
	if (timed_proofs(bs, bctx.org_id, vb.entries, 10000, &pf))
		return 1;
	printf("\"big\": {\"entries\": %ld, \"batched_per_s\": %.0f, \"sm3_256_mb_per_s\": %.1f, ",
	       vb.entries, rate, (sm3_before + sm3_after) / 2);
	print_verify("verify", &vb, (sm3_before + sm3_after) / 2);
	printf(", ");
	print_proofs(&pf);
	printf("}");
	device_release(&dd);
	store_close(bs);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_ledger DIR N   (N = 0: only BENCH_BIG)\n");
		return 2;
	}
	int n = (int)strtol(argv[2], NULL, 10);
	const char *bigenv = getenv("BENCH_BIG"), *bigdb = getenv("BENCH_BIG_DB");
	long big = bigenv ? strtol(bigenv, NULL, 10) : 0;
	char bdb[4096];
	if (big == 1)
		big = 10000000;
	snprintf(bdb, sizeof(bdb), "%s/big.db", argv[1]);
	if (n < 0 || (n == 0 && big <= 0 && !bigdb)) {
		fprintf(stderr, "nothing to measure\n");
		return 2;
	}
	printf("{");
	if (n > 0 && small_run(argv[1], n))
		return 1;
	if (big > 0 || bigdb) {
		if (n > 0)
			printf(", ");
		if (big_run(bigdb ? bigdb : bdb, big))
			return 1;
	}
	printf("}\n");
	return 0;
}
