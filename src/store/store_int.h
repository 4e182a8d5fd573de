/*
 * store_int.h: internals shared by the generic store layer (store.c) and the
 * backends (store_sqlite.c, later store_pg.c).  Outside src/store/, include
 * store.h only.
 *
 * The generic layer validates, builds states and ledger entries, and runs
 * the transaction; a backend only carries out row reads and writes.  Each
 * member says from which ops version it exists and whether a backend MUST
 * or MAY implement it.
 */
#ifndef ZF_STORE_INT_H
#define ZF_STORE_INT_H

#include <pthread.h>

#include "auth.h"
#include "ledger.h"
#include "procedure.h"
#include "store.h"

enum store_caps {
	STORE_CAP_FTS = 1u << 0,		/* full-text search */
	STORE_CAP_SKIP_LOCKED = 1u << 1,	/* SELECT ... SKIP LOCKED */
};

struct store_ops;

struct store_case_row {
	const char *org_id, *id, *number, *procedure, *state, *violation, *party_id;
	int year;
	const char *filed_date, *decided_date;	/* NULL until then */
	const char *doc;			/* JSON text */
	int64_t now;
};

/* A weighing row as inserted; 0 / NULL are "not measured" / none. */
struct store_weighing_row {
	const char *org_id, *id, *source, *station;
	int64_t weighed_at;
	const char *plate, *trailer_plate, *plate_colour;
	int lane, axles;
	const char *config;
	int64_t gross_kg, height_mm, width_mm, length_mm;
	int speed_kmh;			/* -1: not measured */
	const char *device_id, *calibrated_until, *officers;	/* officers: JSON text */
	const char *image_sha256, *video_sha256;
	int64_t limit_kg, tolerance_kg, over_kg;
	bool over;
	const char *import_id;
	int64_t line;
	const char *review, *calc;	/* calc: JSON text of the engine's result */
	int64_t now;
};

/* The mutable part of a weighing, written whole. */
struct store_weighing_change {
	const char *org_id, *id;
	const char *review, *review_reason, *reviewed_by;
	int64_t reviewed_at;
	const char *case_id;
	const char *unload_goods, *unload_place;
	int64_t unloaded_kg, reweigh_kg, unloaded_at;
	int64_t now;
};

typedef int (*store_weighing_fn)(void *arg, const struct store_weighing_row *r);

/* The digest line of a loaded row (docs/wim-csv.md "Import") into buf;
 * its length, or -1 when it does not fit. */
int store__weighing_line(const struct store_weighing_row *r, char *buf, size_t size);

struct store_weigh_import_row {
	const char *org_id, *id, *name, *file_sha256, *rows_digest, *device_id;
	int64_t rows, accepted, added, rejected, over_limit, now;
	int64_t first_pos, last_pos;	/* of the added rows; 0, -1 when none */
	const char *status;		/* loading | done */
};

struct store_step_row {
	const char *org_id, *id, *case_id;
	int64_t n;
	const char *transition, *from_state, *to_state, *on_date;
	int64_t recorded_at;
	const char *actor;
	const char *officers;	/* JSON array text of officer ids */
	const char *approver, *reviewer;
	const char *params;	/* JSON object text */
	int64_t ledger_seq;
};

/* Backends embed this first in their own struct. */
struct store_tree_cache;
struct store_node_cursor;
struct store_calendar_cache;

struct store {
	const struct store_ops *ops;
	struct ledger_hasher *sm3;
	struct ledger_hasher *sha256;
	/* the last frontier appended to; trusted only when the head read
	 * inside the next write transaction matches it (store_ledger.c) */
	struct store_tree_cache *tree_cache;
	/* organisations' calendars, each valid while its stamp (number of
	 * years loaded and the last load time) is unchanged */
	pthread_mutex_t cache_mu;
	struct store_calendar_cache *calendars;
	size_t ncalendars;
};

typedef int (*store_entry_fn)(void *arg, int64_t seq, const char *bytes,
			      size_t len, const uint8_t leaf[LEDGER_HASH_LEN]);
typedef int (*store_text_fn)(void *arg, const char *text, size_t len);
typedef int (*store_object_fn)(void *arg, const char *type, const char *id);

struct store_ops {
	const char *name;
	unsigned caps;
	int version;	/* 1 */

	/* v1 MUST: lifecycle and the write transaction (one writer). */
	int (*open)(const char *path, const struct store_opts *opts,
		    struct store **out, struct zf_error *err);
	void (*close)(struct store *st);
	int (*schema_version)(struct store *st);
	int (*tx_begin)(struct store *st, struct zf_error *err);
	int (*tx_commit)(struct store *st, struct zf_error *err);
	void (*tx_rollback)(struct store *st);

	/* v1 MUST: the ledger.  head gives seq 0 and zero hash when empty;
	 * alg is the organisation's hash algorithm. */
	int (*ledger_head)(struct store *st, const char *org_id, int64_t *seq,
			   uint8_t leaf[LEDGER_HASH_LEN], enum ledger_alg *alg,
			   struct zf_error *err);
	int (*ledger_insert)(struct store *st, const char *org_id, int64_t seq,
			     int64_t recorded_at, const char *action,
			     const char *object_type, const char *object_id,
			     const char *bytes, size_t len,
			     const uint8_t leaf[LEDGER_HASH_LEN],
			     struct zf_error *err);
	int (*ledger_read)(struct store *st, const char *org_id, int64_t after,
			   int64_t limit, store_entry_fn fn, void *arg,
			   struct zf_error *err);
	/* Every ledgered object the organisation's rows hold, as (type, id)
	 * with the ids the entries use, so verify finds rows no entry made. */
	int (*objects)(struct store *st, const char *org_id, store_object_fn fn,
		       void *arg, struct zf_error *err);

	/* v1 MUST: registry rows. */
	int (*org_insert)(struct store *st, const struct org *o,
			  struct zf_error *err);
	int (*org_find)(struct store *st, const char *key, struct org *out,
			struct zf_error *err);
	int (*org_list)(struct store *st, struct org **out, size_t *n,
			struct zf_error *err);
	int (*setting_put)(struct store *st, const char *org_id, const char *key,
			   const char *value, int64_t now, struct zf_error *err);
	/* *value is NULL when unset; caller frees. */
	int (*setting_get)(struct store *st, const char *org_id, const char *key,
			   char **value, struct zf_error *err);
	int (*officer_insert)(struct store *st, const struct officer *o,
			      struct zf_error *err);
	int (*officer_update)(struct store *st, const struct officer *o,
			      int64_t now, struct zf_error *err);
	int (*officer_get)(struct store *st, const char *org_id, const char *key,
			   struct officer *out, struct zf_error *err);
	int (*officer_list)(struct store *st, const char *org_id,
			    const struct officer_filter *f, struct zf_date today,
			    struct officer **out, size_t *n, struct zf_error *err);
	int (*party_insert)(struct store *st, const struct party *p,
			    struct zf_error *err);
	int (*party_get)(struct store *st, const char *org_id, const char *key,
			 struct party *out, struct zf_error *err);
	int (*party_list)(struct store *st, const char *org_id, const char *kind,
			  struct party **out, size_t *n, struct zf_error *err);
	int (*party_erase)(struct store *st, const char *org_id, const char *id,
			   int64_t now, struct zf_error *err);
	int (*vehicle_insert)(struct store *st, const struct vehicle *v,
			      struct zf_error *err);
	int (*vehicle_get)(struct store *st, const char *org_id, const char *key,
			   struct vehicle *out, struct zf_error *err);
	int (*vehicle_list)(struct store *st, const char *org_id,
			    struct vehicle **out, size_t *n, struct zf_error *err);
	int (*device_insert)(struct store *st, const struct device *d,
			     struct zf_error *err);
	int (*device_get)(struct store *st, const char *org_id, const char *key,
			  struct device *out, struct zf_error *err);
	int (*device_list)(struct store *st, const char *org_id,
			   struct device **out, size_t *n, struct zf_error *err);

	/* v1 MUST: calendar years (the file text as loaded) and deadlines. */
	int (*calendar_insert)(struct store *st, const char *org_id, int year,
			       const char *source, const char *text, size_t len,
			       int64_t now, struct zf_error *err);
	int (*calendar_texts)(struct store *st, const char *org_id,
			      store_text_fn fn, void *arg, struct zf_error *err);
	/* What changes whenever a year is loaded: count and last load time. */
	int (*calendar_stamp)(struct store *st, const char *org_id, int64_t *count,
			      int64_t *last, struct zf_error *err);
	int (*deadline_insert)(struct store *st, const struct deadline *d,
			       int64_t now, struct zf_error *err);
	int (*deadline_update_due)(struct store *st, const struct deadline *d,
				   int64_t now, struct zf_error *err);
	int (*deadline_get)(struct store *st, const char *org_id, const char *id,
			    struct deadline *out, struct zf_error *err);
	int (*deadline_list)(struct store *st, const char *org_id,
			     bool provisional_only, struct deadline **out,
			     size_t *n, struct zf_error *err);

	/* v1 MUST: penalty cases (procedure issue).  JSON travels as text. */
	int (*case_put)(struct store *st, const struct store_case_row *r,
			bool insert, struct zf_error *err);
	/* key: id or number; *doc is the document text (caller frees). */
	int (*case_get)(struct store *st, const char *org_id, const char *key,
			char id[REG_ID_LEN], char **doc, struct zf_error *err);
	int (*case_list)(struct store *st, const char *org_id,
			 const struct case_filter *f, const char *today,
			 store_text_fn fn, void *arg, struct zf_error *err);
	int (*step_insert)(struct store *st, const struct store_step_row *r,
			   struct zf_error *err);
	/* The case's steps / documents as a JSON array text (caller frees). */
	int (*steps_json)(struct store *st, const char *org_id, const char *case_id,
			  char **out, struct zf_error *err);
	int (*documents_json)(struct store *st, const char *org_id,
			      const char *case_id, char **out, struct zf_error *err);
	int (*reviews_by)(struct store *st, const char *org_id, const char *officer_id,
			  int64_t *n, struct zf_error *err);
	int (*counter_next)(struct store *st, const char *org_id, const char *kind,
			    int year, int64_t *seq, struct zf_error *err);
	int (*document_insert)(struct store *st, const char *org_id, const char *id,
			       const char *case_id, const char *kind, int year,
			       int64_t seq, const char *number, const char *issued_on,
			       const char *stock_id, struct zf_error *err);
	/* The case a number belongs to, and whether it is void. */
	int (*document_find)(struct store *st, const char *org_id, const char *number,
			     char case_id[REG_ID_LEN], bool *is_void,
			     struct zf_error *err);
	int (*document_void)(struct store *st, const char *org_id, const char *number,
			     const char *reason, struct zf_error *err);
	int (*stock_insert)(struct store *st, const char *org_id, const char *id,
			    const char *kind, const char *prefix, int64_t first,
			    int64_t last, int width, int64_t now, struct zf_error *err);
	int (*stocks_json)(struct store *st, const char *org_id, char **out,
			   struct zf_error *err);
	int (*stock_json)(struct store *st, const char *org_id, const char *id,
			  char **out, struct zf_error *err);
	/* Clocks of one case (case_id) or, with case_id NULL, every open clock
	 * of the organisation due on or before `until`. */
	int (*clocks)(struct store *st, const char *org_id, const char *case_id,
		      const struct zf_date *until, struct deadline **out, size_t *n,
		      struct zf_error *err);
	int (*import_insert)(struct store *st, const char *org_id, const char *id,
			     const char *name, const char *text, size_t len,
			     int64_t now, struct zf_error *err);
	int (*import_texts)(struct store *st, const char *org_id, store_text_fn fn,
			    void *arg, struct zf_error *err);
	int (*import_json)(struct store *st, const char *org_id, const char *id,
			   char **out, struct zf_error *err);

	/* v1 MUST: the Merkle tree (ledger issue).  node_get answers level 0
	 * from the entries' leaf hashes; node_put stores levels >= 1. */
	int (*node_get)(struct store *st, const char *org_id, unsigned level,
			uint64_t idx, uint8_t out[LEDGER_HASH_LEN]);
	int (*node_put)(struct store *st, const char *org_id, unsigned level,
			uint64_t idx, const uint8_t hash[LEDGER_HASH_LEN],
			struct zf_error *err);
	int (*node_count)(struct store *st, const char *org_id, int64_t *n,
			  struct zf_error *err);
	/* v1 MAY (NULL: node_get per node): the organisation's stored nodes
	 * (level >= 1) in the order they were stored, read by a cursor while
	 * verification walks the entries on the same thread (so in the same
	 * read snapshot).  next gives ZF_OK and a node, or ZF_ENOTFOUND at the
	 * end; *hash_ok is false when the stored hash is not LEDGER_HASH_LEN
	 * bytes (as node_get then finds nothing). */
	int (*node_cursor_open)(struct store *st, const char *org_id,
				struct store_node_cursor **out, struct zf_error *err);
	int (*node_cursor_next)(struct store_node_cursor *c, int64_t *level,
				int64_t *idx, uint8_t hash[LEDGER_HASH_LEN], bool *hash_ok);
	void (*node_cursor_close)(struct store_node_cursor *c);
	int (*key_put)(struct store *st, const char *org_id, const char *id,
		       const char *alg, const char *key_name, const char *pem,
		       int64_t now, struct zf_error *err);
	/* The newest key: id, name and public PEM (caller frees). */
	int (*key_latest)(struct store *st, const char *org_id, char id[REG_ID_LEN],
			  char **name, char **pem, struct zf_error *err);
	int (*key_json)(struct store *st, const char *org_id, const char *id,
			char **out, struct zf_error *err);
	int (*checkpoint_put)(struct store *st, const char *org_id, int64_t size,
			      const uint8_t root[LEDGER_HASH_LEN], const char *key_id,
			      const char *note, int64_t now, struct zf_error *err);
	/* Checkpoints by size, oldest first: fn gets the note text. */
	int (*checkpoints)(struct store *st, const char *org_id, store_text_fn fn,
			   void *arg, struct zf_error *err);
	/* Every public key PEM of the organisation, oldest first. */
	int (*key_pems)(struct store *st, const char *org_id, store_text_fn fn,
			void *arg, struct zf_error *err);
	/* The case row's index columns as a JSON object text (caller frees). */
	int (*case_row_json)(struct store *st, const char *org_id, const char *id,
			     char **out, struct zf_error *err);
	/* v1 MAY: hold one read snapshot on this thread's read connection
	 * from begin to end (fewer lock calls, a consistent view). */
	void (*read_snapshot)(struct store *st, bool begin);
	/* Turn the test build's commit hook off for rebuilding derived rows. */
	void (*maintenance)(struct store *st, bool on);

	/* v1 MUST: users (server issue).  user_get finds by id or user name
	 * across organisations (a login names no organisation). */
	int (*user_put)(struct store *st, const struct user *u, bool insert, int64_t now,
			struct zf_error *err);
	int (*user_get)(struct store *st, const char *key, struct user *out,
			struct zf_error *err);
	int (*user_list)(struct store *st, const char *org_id, struct user **out,
			 size_t *n, struct zf_error *err);
	int (*idem_get)(struct store *st, const char *org_id, const char *key,
			struct store_idem *out, struct zf_error *err);
	int (*idem_put)(struct store *st, const char *org_id, const char *key,
			const char *user_id, const char *request_sha, int status,
			const char *body, int64_t now, struct zf_error *err);

	/* v1 MUST: evidence items (evidence issue).  evidence_list takes a
	 * case id (resolved), NULL for any; limit 0 for all. */
	int (*evidence_put)(struct store *st, const struct evidence_item *e, bool insert,
			    int64_t now, struct zf_error *err);
	int (*evidence_get)(struct store *st, const char *org_id, const char *id,
			    struct evidence_item *out, struct zf_error *err);
	int (*evidence_list)(struct store *st, const char *org_id, const char *case_id,
			     const char *status, int64_t limit, const char *after,
			     struct evidence_item **out, size_t *n, struct zf_error *err);
	/* The id of case_id's item with this content, or ZF_ENOTFOUND. */
	int (*evidence_find)(struct store *st, const char *org_id, const char *case_id,
			     const char *hash, char id[REG_ID_LEN], struct zf_error *err);
	/* How many stored items of any organisation use this blob. */
	int (*evidence_refs)(struct store *st, const char *hash, const char *alg,
			     int64_t *n, struct zf_error *err);
	/* The entries that name one object, oldest first. */
	int (*ledger_object)(struct store *st, const char *org_id, const char *type,
			     const char *id, store_entry_fn fn, void *arg,
			     struct zf_error *err);
	/* v1 MAY: the database file's path (caller frees), where evidence
	 * lives by default; without it the setting evidence_dir is needed. */
	int (*file_path)(struct store *st, char **out, struct zf_error *err);

	/* ---- v7 (overload control): MUST ---- */
	int (*calibration_insert)(struct store *st, const char *org_id, const char *id,
				  const char *device_id, const char *cert_no,
				  const struct zf_date *from, const struct zf_date *until,
				  int64_t now, struct zf_error *err);
	/* JSON object text of one (id given) or array text of a device's (or
	 * every scale's, device_id NULL) certificates, latest first */
	int (*calibration_json)(struct store *st, const char *org_id, const char *id,
				char **out, struct zf_error *err);
	int (*calibrations_json)(struct store *st, const char *org_id,
				 const char *device_id, char **out, struct zf_error *err);
	/* the last valid_until of the device's certificates covering `on`,
	 * ZF_ENOTFOUND when none does */
	int (*calibration_valid)(struct store *st, const char *org_id, const char *device_id,
				 const struct zf_date *on, struct zf_date *until,
				 struct zf_error *err);
	/* rows[i] inserted unless its key is stored (added[i] false); a station
	 * record that is stored is "weighing_exists" instead.  pos (may be
	 * NULL) gets each added row's insertion position, increasing within a
	 * transaction (SQLite: its rowid) */
	int (*weighing_insert)(struct store *st, const struct store_weighing_row *rows,
			       size_t n, bool *added, int64_t *pos, struct zf_error *err);
	int (*weighing_update)(struct store *st, const struct store_weighing_change *c,
			       struct zf_error *err);
	/* the row as a JSON object (its state), "weighing_not_found" */
	int (*weighing_json)(struct store *st, const char *org_id, const char *id,
			     char **out, struct zf_error *err);
	int (*weighing_list_json)(struct store *st, const char *org_id,
				  const struct weigh_filter *f, int64_t from_us,
				  int64_t to_us, char **out, struct zf_error *err);
	/* an import's rows in insertion order (= line order), found by the
	 * import's first_pos..last_pos, with the columns of their digest line
	 * (store__weighing_line); the row is valid during the call only */
	int (*weighing_rows)(struct store *st, const char *org_id, const char *import_id,
			     store_weighing_fn fn, void *arg, struct zf_error *err);
	/* over-limit weighings with a case, in [from, to), of the plate and of
	 * the party's cases, other than weighing `except` */
	int (*weighing_history)(struct store *st, const char *org_id, const char *plate,
				const char *party_id, int64_t from_us, int64_t to_us,
				const char *except, int64_t *by_vehicle, int64_t *by_party,
				struct zf_error *err);
	/* insert, or (update) write the counts, digest, range and status */
	int (*weigh_import_put)(struct store *st, const struct store_weigh_import_row *r,
				bool update, struct zf_error *err);
	int (*weigh_import_json)(struct store *st, const char *org_id, const char *id,
				 char **out, struct zf_error *err);
	int (*weigh_imports_json)(struct store *st, const char *org_id, char **out,
				  struct zf_error *err);
	/* aggregates of weighings in [from, to) with `offset_s` local offset:
	 * {"total": {...}, "by_station": [...], "by_month": [...]} */
	int (*overload_stats_json)(struct store *st, const char *org_id, int64_t from_us,
				   int64_t to_us, int offset_s, char **out,
				   struct zf_error *err);
};

extern const struct store_ops store_sqlite_ops;

/* What one mutation appends to its organisation's ledger. */
struct store_mutation {
	const char *org_id;
	const char *action;
	const char *object_type;
	const char *object_id;
	const json_t *state;	/* the object's new state; only its hash is written */
	const json_t *detail;	/* optional, no personal data */
};

/*
 * The generic layer's helpers, shared by store.c and store_case.c.
 * store__append() runs inside the open write transaction; *seq_out (may be
 * NULL) gets the new entry's sequence number.
 */
int store__append(struct store *st, const struct zf_ctx *ctx,
		  const struct store_mutation *m, int64_t *seq_out,
		  struct zf_error *err);
int store__tx_begin(struct store *st, struct zf_error *err);
/* Commit when rc is ZF_OK, else roll back; returns rc or the commit error. */
int store__tx_end(struct store *st, int rc, struct zf_error *err);
int store__oom(struct zf_error *err);
int store__need_org(const struct zf_ctx *ctx, struct zf_error *err);
int store__new_id(const struct zf_ctx *ctx, char out[REG_ID_LEN],
		  struct zf_error *err);
/* Keep a client-chosen id (a valid UUID) or make a new one when id is "". */
int store__client_id(const struct zf_ctx *ctx, char id[REG_ID_LEN],
		     struct zf_error *err);
/* A deadline's state as its ledger entries commit to it. */
json_t *store__deadline_state(const struct deadline *d);
/* Due date from start, unit, count, extensions and excluded days. */
int store__deadline_compute(const struct calendar *cal, struct deadline *d,
			    struct zf_error *err);
/* A user's state as its entries commit to it (digests of its secrets). */
json_t *store__user_state(struct store *st, const struct user *u);
/* The procedure's legal parameters in force on a date (data/procedure/params.tsv). */
int store__proc_params(struct zf_date on, struct proc_params *p, struct zf_error *err);
/* The state of an overload object (calibration, weighing, weigh_import) as
 * verify rebuilds it from its rows, or NULL if missing (store_overload.c). */
json_t *store__overload_state(struct store *st, const char *org_id, const char *type,
			      const char *id);
/* A case's state: its document, steps, documents and clocks (NULL if missing). */
json_t *store__case_state(struct store *st, const char *org_id, const char *id);

/* Extend the organisation's Merkle tree by the new leaf (inside the
 * write transaction), storing every node the append completes. */
int store__tree_append(struct store *st, const char *org_id, int64_t size_before,
		       const uint8_t prev_leaf[LEDGER_HASH_LEN],
		       const uint8_t leaf[LEDGER_HASH_LEN], struct ledger_hasher *h,
		       struct zf_error *err);
void store__tree_cache_free(struct store *st);
/* Verification of the tree and checkpoints, fed the recomputed leaves in
 * order; problems are appended to `problems` (borrowed). */
struct store_tree_check;
struct store_tree_check *store__tree_check_new(struct store *st, const char *org_id,
					       struct ledger_hasher *h, json_t *problems,
					       const char *note, size_t note_len,
					       const char *pem, size_t pem_len);
void store__tree_check_leaf(struct store_tree_check *tc,
			    const uint8_t leaf[LEDGER_HASH_LEN]);
/* Reports checkpoints beyond the log's end and frees tc (NULL ok). */
void store__tree_check_finish(struct store_tree_check *tc);
/* Rebuild missing tree nodes of every organisation (after migration 0003). */
int store__tree_backfill(struct store *st, struct zf_error *err);

/* An evidence item's state as its entries commit to it (NULL if missing);
 * store_evidence.c, for ledger verification. */
json_t *store__evidence_state(struct store *st, const char *org_id, const char *id);

/* For backends: the hasher of an algorithm. */
struct ledger_hasher *store__hasher(struct store *st, enum ledger_alg alg);

#ifdef ZF_TEST_BUILD
/* Test build only: run raw SQL on the writer connection, bypassing the
 * generic layer, to prove that the commit hook refuses a mutation without
 * its ledger entry.  Returns ZF_OK if the statement committed. */
int store__sqlite_exec_raw(struct store *st, const char *sql);
/* How many commits the hook has refused since open. */
long store__sqlite_hook_refusals(struct store *st);
#endif

#endif
