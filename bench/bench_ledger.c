/*
 * bench_ledger: what one ledgered mutation costs, against the physical
 * reference of the same machine in the same run.
 *
 *   append:  N device registrations through store.h, each its own durable
 *            transaction (synchronous=FULL) with its ledger entry, against
 *            N bare one-row SQLite commits with the same settings;
 *   verify:  zhifa's ledger verification of those entries (re-hash, chain,
 *            canonical form, current states), reported in MB/s of entry
 *            bytes, to be set against `openssl speed -evp sm3 -bytes 256`.
 *
 * Usage: bench_ledger DIR N   (prints one JSON object)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"
#include "ledger.h"

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

/* zhifa's own append path (entry, chain, state hash, tree nodes), batched:
 * what an import that writes many entries in one transaction would cost. */
static double zhifa_batched(struct store *st, struct zf_ctx *ctx, int n)
{
	struct zf_error err;
	json_t *state = json_pack("{ss si}", "kind", "bench", "n", 0);
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		if (i % 1000 == 0 && store__tx_begin(st, &err))
			return -1;
		json_object_set_new(state, "n", json_integer(i));
		struct store_mutation m = {ctx->org_id, "device.add", "device", "bench",
					   state, NULL};
		ctx->now_us += 1;
		if (store__append(st, ctx, &m, NULL, &err))
			return -1;
		if ((i % 1000 == 999 || i == n - 1) && store__tx_end(st, ZF_OK, &err))
			return -1;
	}
	json_decref(state);
	return n / (now_s() - t0);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_ledger DIR N\n");
		return 2;
	}
	int n = (int)strtol(argv[2], NULL, 10);
	char raw[4096], zdb[4096];
	snprintf(raw, sizeof(raw), "%s/raw.db", argv[1]);
	snprintf(zdb, sizeof(zdb), "%s/zhifa.db", argv[1]);
	double raw_rate = raw_commits(raw, n);

	struct store *st;
	struct zf_error err = {0};
	struct store_opts opts = {.create = true};
	struct zf_ctx ctx = {.now_us = 1735689600000000LL};
	snprintf(ctx.actor, sizeof(ctx.actor), "bench");
	if (store_open(zdb, &opts, &st, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	struct org o = {.name = "基准测试局", .level = "county", .division_code = "150826",
			.doc_abbr = "基"};
	o.name = strdup(o.name), o.level = strdup(o.level);
	o.division_code = strdup(o.division_code), o.doc_abbr = strdup(o.doc_abbr);
	if (store_org_create(st, &ctx, &o, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	snprintf(ctx.org_id, sizeof(ctx.org_id), "%s", o.id);
	org_release(&o);
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
	struct store_verify r;
	json_t *all = NULL;
	size_t bytes = 0;
	if (store_ledger_list(st, ctx.org_id, 0, INT64_MAX / 2, &all, &err))
		return 1;
	for (size_t i = 0; i < json_array_size(all); i++) {
		char *s = json_dumps(json_array_get(all, i), JSON_COMPACT);
		bytes += s ? strlen(s) - 80 : 0; /* minus the added "leaf_hash" member */
		free(s);
	}
	json_decref(all);
	t0 = now_s();
	if (store_ledger_verify(st, ctx.org_id, &r, &err))
		return 1;
	double vt = now_s() - t0;
	char raw2[4096];
	snprintf(raw2, sizeof(raw2), "%s/rawbatch.db", argv[1]);
	int nb = n * 20;
	double raw_batch = raw_batched(raw2, nb);
	double zf_batch = zhifa_batched(st, &ctx, nb);

	printf("{\"n\": %d, \"raw_commits_per_s\": %.0f, \"ledgered_mutations_per_s\": %.0f, "
	       "\"append_ratio\": %.3f, \"batched_n\": %d, \"raw_batched_per_s\": %.0f, "
	       "\"zhifa_batched_per_s\": %.0f, \"batched_ratio\": %.3f, "
	       "\"verify_entries_per_s\": %.0f, "
	       "\"verify_mb_per_s\": %.1f, \"verify_problems\": %zu}\n",
	       n, raw_rate, append_rate, append_rate / raw_rate, nb, raw_batch, zf_batch,
	       zf_batch / raw_batch, r.entries / vt,
	       bytes / vt / 1e6, json_array_size(r.problems));
	store_verify_release(&r);
	store_close(st);
	return 0;
}
