/*
 * store: the only door to zhifa's data.
 *
 * An opaque struct store with a backend table (struct store_ops) so that a
 * PostgreSQL backend can be added without touching callers.  SQLite is the
 * first backend (store_sqlite.c).  No SQLite or libpq type appears outside
 * src/store/.
 *
 * Invariants (docs/ledger-invariants.md numbers them):
 *   - every mutation is one transaction that writes its rows and appends
 *     exactly one ledger entry for the organisation it acts on;
 *   - the entry commits to the object's new state by its state hash; personal
 *     fields only by their salted digest;
 *   - ledger entries are never updated or deleted;
 *   - the ledger's head (last seq and leaf hash) is read inside the write
 *     transaction, never cached, because the CLI and the server may both
 *     write the same database.
 *
 * Calling sequence:
 *   store_open() -> any number of store_* operations -> store_close().
 * Each mutating operation validates its input first and writes nothing when
 * it fails: the error names the field (code, Chinese message).  Operations
 * take a struct zf_ctx for the organisation, the actor and "now".
 * Ownership: out-structs are filled with strings the caller owns and frees
 * with the type's X_release(); lists come as arrays freed with the matching
 * store_*_list_free().
 */
#ifndef ZF_STORE_H
#define ZF_STORE_H

#include <jansson.h>

#include "buf.h"
#include "auth.h"
#include "calendar.h"
#include "ctx.h"
#include "evidence.h"
#include "registry.h"
#include "violation.h"
#include "zf.h"

struct store;

#define STORE_SCHEMA_VERSION 7

struct store_opts {
	bool create;		/* create the file if missing (zhifa init) */
	bool must_exist_empty;	/* unused for now: reserved */
};

/* Open (and migrate) the database at path.  "database_too_new" when the
 * file was written by a newer zhifa. */
int store_open(const char *path, const struct store_opts *opts,
	       struct store **out, struct zf_error *err) ZF_WUR;
void store_close(struct store *st);
const char *store_backend_name(const struct store *st);
/* Reads on this thread between begin and end see one snapshot (a server
 * wraps each read-only request in them). */
void store_read_begin(struct store *st);
void store_read_end(struct store *st);
int store_schema_version(struct store *st);

/* ---- organisations ---- */
/* Creates the organisation (its first ledger entry) and loads the built-in
 * holiday calendars into it (one entry per year).  Fills o->id. */
int store_org_create(struct store *st, struct zf_ctx *ctx, struct org *o,
		     struct zf_error *err) ZF_WUR;
/* key: the id, the division code, or the exact name. */
int store_org_find(struct store *st, const char *key, struct org *out,
		   struct zf_error *err) ZF_WUR;
/* The organisation commands act on when none is named: the only one
 * without subordinates.  "org_required" when that is ambiguous. */
int store_org_default(struct store *st, struct org *out,
		      struct zf_error *err) ZF_WUR;
int store_org_list(struct store *st, struct org **out, size_t *n,
		   struct zf_error *err) ZF_WUR;
void store_org_list_free(struct org *list, size_t n);
int store_org_setting_set(struct store *st, struct zf_ctx *ctx,
			  const char *key, const char *value,
			  struct zf_error *err) ZF_WUR;
/* {"key": "value", ...} including defaults, owned by the caller. */
int store_org_settings(struct store *st, const char *org_id, json_t **out,
		       struct zf_error *err) ZF_WUR;

/* ---- officers ---- */
int store_officer_add(struct store *st, struct zf_ctx *ctx, struct officer *o,
		      struct zf_error *err) ZF_WUR;
/* key: id or certificate number. */
int store_officer_get(struct store *st, struct zf_ctx *ctx, const char *key,
		      struct officer *out, struct zf_error *err) ZF_WUR;

struct officer_filter {
	bool by_date;			/* only those who may act on `date` */
	struct zf_date date;
	int expiring_within_days;	/* > 0: certificates expiring within N days of today */
	const char *status;		/* NULL: any */
};

int store_officer_list(struct store *st, struct zf_ctx *ctx,
		       const struct officer_filter *f, struct officer **out,
		       size_t *n, struct zf_error *err) ZF_WUR;
void store_officer_list_free(struct officer *list, size_t n);

/* Fields to change; NULL / unset leaves the field as it is. */
struct officer_patch {
	const char *status;
	const char *roles;
	bool set_valid_to;
	struct zf_date valid_to;
	bool set_legal_qualification;
	bool legal_qualification;
	const char *reason;		/* recorded in the entry's detail */
};

int store_officer_update(struct store *st, struct zf_ctx *ctx, const char *key,
			 const struct officer_patch *patch, struct officer *out,
			 struct zf_error *err) ZF_WUR;

/* ---- parties ---- */
int store_party_add(struct store *st, struct zf_ctx *ctx, struct party *p,
		    struct zf_error *err) ZF_WUR;
/* key: id, ID number or credit code. */
int store_party_get(struct store *st, struct zf_ctx *ctx, const char *key,
		    struct party *out, struct zf_error *err) ZF_WUR;
int store_party_list(struct store *st, struct zf_ctx *ctx, const char *kind,
		     struct party **out, size_t *n, struct zf_error *err) ZF_WUR;
void store_party_list_free(struct party *list, size_t n);
/* Erase the personal fields (and their salt); the digest stays, so the
 * ledger still verifies.  reason is required. */
int store_party_erase(struct store *st, struct zf_ctx *ctx, const char *key,
		      const char *reason, struct party *out,
		      struct zf_error *err) ZF_WUR;

/* ---- vehicles and devices ---- */
int store_vehicle_add(struct store *st, struct zf_ctx *ctx, struct vehicle *v,
		      struct zf_error *err) ZF_WUR;
int store_vehicle_list(struct store *st, struct zf_ctx *ctx,
		       struct vehicle **out, size_t *n, struct zf_error *err) ZF_WUR;
void store_vehicle_list_free(struct vehicle *list, size_t n);
int store_device_add(struct store *st, struct zf_ctx *ctx, struct device *d,
		     struct zf_error *err) ZF_WUR;
int store_device_list(struct store *st, struct zf_ctx *ctx,
		      struct device **out, size_t *n, struct zf_error *err) ZF_WUR;
void store_device_list_free(struct device *list, size_t n);

/* ---- calendar and deadlines ---- */
/* Load one year's calendar file into the organisation (one entry), then
 * recompute every provisional deadline, one entry per deadline that moved
 * (law.md §9.0a).  *moved (may be NULL) gets how many moved. */
int store_calendar_load(struct store *st, struct zf_ctx *ctx, const char *text,
			size_t len, size_t *moved, struct zf_error *err) ZF_WUR;
/* Load the built-in years (data/calendar/) the organisation lacks; each is
 * one entry.  store_org_create() calls it. */
int store_calendar_load_builtin(struct store *st, struct zf_ctx *ctx,
				size_t *loaded, struct zf_error *err) ZF_WUR;
/* Recompute every provisional deadline against the loaded calendar, one
 * entry per deadline that moved.  Safe to repeat. */
int store_deadline_recompute(struct store *st, struct zf_ctx *ctx, size_t *moved,
			     struct zf_error *err) ZF_WUR;
/* The organisation's calendar, built from the years loaded into it. */
int store_calendar_get(struct store *st, const char *org_id,
		       struct calendar *out, struct zf_error *err) ZF_WUR;

struct deadline {
	char id[REG_ID_LEN];
	char org_id[REG_ID_LEN];
	char *object_type;	/* what the deadline belongs to, e.g. case */
	char *object_id;
	char *kind;		/* e.g. decision_due */
	struct zf_date start;
	int unit;		/* enum calendar_unit */
	int count;
	struct zf_date due;
	bool provisional;
	char *basis;		/* the article, e.g. 行政处罚法第六十条 */
	/* case clocks (procedure issue) */
	char *case_id;		/* NULL for a standalone deadline */
	char *status;		/* open | met | cancelled */
	bool has_met_on;
	struct zf_date met_on;
	int paused_days;	/* excluded days already over */
	bool has_paused_since;
	struct zf_date paused_since;	/* an excluded period running since */
	int extended_days;	/* days added by approved extensions */
};

void deadline_release(struct deadline *d);
json_t *deadline_to_json(const struct deadline *d);
/* Compute due from start/unit/count with the organisation's calendar
 * (provisional where a year is missing) and store it. */
int store_deadline_add(struct store *st, struct zf_ctx *ctx, struct deadline *d,
		       struct zf_error *err) ZF_WUR;
int store_deadline_list(struct store *st, struct zf_ctx *ctx,
			struct deadline **out, size_t *n,
			struct zf_error *err) ZF_WUR;
void store_deadline_list_free(struct deadline *list, size_t n);

/* ---- penalty cases (procedure issue) ---- */

/* One step of the procedure as a caller asks for it. */
struct case_step_in {
	const char *transition;		/* code, see src/domain/procedure.h */
	struct zf_date date;		/* when it happened (today unless entered afterwards) */
	const char *const *officers;	/* ids or certificate numbers */
	size_t nofficers;
	const char *approver;		/* head: id or certificate number */
	const char *reviewer;		/* legal reviewer: id or certificate number */
	const json_t *params;		/* transition parameters, borrowed */
	const char *party;		/* creating transitions: party id or ID number */
	const char *vehicle;		/* optional: vehicle id or plate */
	const char *client_id;		/* creating: a client-chosen UUID, or NULL */
};

/*
 * Apply one step to the case `key` (id or number), or create a case when
 * key is NULL (transitions register and decide_on_spot), with the id the
 * client chose (in->client_id) if any: a client that resends a creation
 * gets "case_exists" (409) and can read the case by that id.  Guards, documents
 * and clocks as src/domain/procedure.h describes; one transaction, one
 * ledger entry (action "case.<transition>").  *out (may be NULL) gets the
 * case view as store_case_get() returns it.
 */
int store_case_step(struct store *st, struct zf_ctx *ctx, const char *key,
		    const struct case_step_in *in, json_t **out,
		    struct zf_error *err) ZF_WUR;
/* The case document with "steps" (each with its ledger seq), "documents",
 * and "clocks" (each with due date and explanation). */
int store_case_get(struct store *st, struct zf_ctx *ctx, const char *key,
		   json_t **out, struct zf_error *err) ZF_WUR;

struct case_filter {
	int year;		/* 0: any; else cases decided (or filed, if undecided) that year */
	const char *state;
	const char *procedure;
	const char *violation;
	const char *officer;	/* officer id */
	bool overdue;		/* only cases with an open clock past due */
	int64_t limit;		/* 0: 1000 */
	const char *after;	/* keyset cursor: the last id of the previous page */
};

/* An array of case summaries (id, number, procedure, state, violation,
 * party_id, dates, decision). */
int store_case_list(struct store *st, struct zf_ctx *ctx,
		    const struct case_filter *f, json_t **out,
		    struct zf_error *err) ZF_WUR;
/* Open clocks (case and standalone) due within `days` of today, overdue
 * first, each with its explanation. */
int store_clock_list(struct store *st, struct zf_ctx *ctx, int days, json_t **out,
		     struct zf_error *err) ZF_WUR;
/* Record a document number as void (作废); it is never issued again. */
int store_document_void(struct store *st, struct zf_ctx *ctx, const char *number,
			const char *reason, struct zf_error *err) ZF_WUR;
/* Register pre-printed numbered forms (Art. 52), e.g. prefix 蒙交当 0001-0500. */
int store_stock_add(struct store *st, struct zf_ctx *ctx, const char *kind,
		    const char *prefix, int64_t first, int64_t last, int width,
		    json_t **out, struct zf_error *err) ZF_WUR;
/* The organisation's violation catalogue: built-in data/violations/ plus
 * the standards it imported (which override codes they define). */
int store_violation_catalogue(struct store *st, const char *org_id,
			      struct violation_catalogue *out,
			      struct zf_error *err) ZF_WUR;
/* Import a province's discretion standard (same JSON format) through the ledger. */
int store_violation_import(struct store *st, struct zf_ctx *ctx, const char *name,
			   const char *text, size_t len, json_t **out,
			   struct zf_error *err) ZF_WUR;

/* ---- the ledger's tree, checkpoints and proofs (ledger issue) ---- */

/* The log's origin line, also the signing key's name: zhifa/<division>/<org id>. */
int store_ledger_origin(struct store *st, const char *org_id, char **out,
			struct zf_error *err) ZF_WUR;
/* Current size and root hash (hex) and algorithm, as JSON. */
int store_ledger_head(struct store *st, const char *org_id, json_t **out,
		      struct zf_error *err) ZF_WUR;
/*
 * A new signing key for the organisation: SM2 for an SM3 log, Ed25519 for a
 * SHA-256 log.  The public key goes into the database (one entry,
 * "ledger.key"); the private key comes back as PEM in *private_pem for the
 * caller to write to a file only it can read.
 */
int store_ledger_keygen(struct store *st, struct zf_ctx *ctx,
			struct buf *private_pem, json_t **out,
			struct zf_error *err) ZF_WUR;
/* {"key_id", "key_name", "alg", "public_pem"} of the newest key. */
int store_ledger_pubkey(struct store *st, const char *org_id, json_t **out,
			struct zf_error *err) ZF_WUR;
/*
 * Sign the current tree head with the private key (PEM) and store the
 * checkpoint, after checking that it is consistent with the previous one.
 * Returns {"size", "root", "note"}; a head already checkpointed is returned
 * as it is.
 */
int store_ledger_checkpoint(struct store *st, struct zf_ctx *ctx,
			    const char *private_pem, size_t len, json_t **out,
			    struct zf_error *err) ZF_WUR;
/* The newest checkpoint note (caller frees), or ZF_ENOTFOUND. */
int store_ledger_checkpoint_latest(struct store *st, const char *org_id,
				   char **note, struct zf_error *err) ZF_WUR;
/* Inclusion proof of entry seq (1-based) in the tree of `size` entries
 * (0: the newest checkpoint's size, else the current size):
 * {"leaf_index", "tree_size", "leaf_hash", "hashes": [base64...]}. */
int store_ledger_prove(struct store *st, const char *org_id, int64_t seq,
		       int64_t size, json_t **out, struct zf_error *err) ZF_WUR;
/* Consistency proof between tree sizes m < n: {"first", "second", "hashes"}. */
int store_ledger_consistency(struct store *st, const char *org_id, int64_t m,
			     int64_t n, json_t **out, struct zf_error *err) ZF_WUR;
/* One entry: {"seq", "entry" (decoded), "canonical" (the exact bytes as a
 * string), "leaf_hash" (base64)}. */
int store_ledger_entry(struct store *st, const char *org_id, int64_t seq,
		       json_t **out, struct zf_error *err) ZF_WUR;

/* ---- users (server issue) ---- */

/* Creates the user (one entry "user.add"); u->password_hash is the argon2id
 * string the caller computed (hashing is slow, and not done in the
 * transaction).  u->officer_id may be an id or certificate number. */
int store_user_add(struct store *st, struct zf_ctx *ctx, struct user *u,
		   struct zf_error *err) ZF_WUR;
/* By id or user name, in any organisation (a login names none). */
int store_user_get(struct store *st, const char *key, struct user *out,
		   struct zf_error *err) ZF_WUR;
int store_user_list(struct store *st, struct zf_ctx *ctx, struct user **out, size_t *n,
		    struct zf_error *err) ZF_WUR;
void store_user_list_free(struct user *list, size_t n);

struct user_patch {
	bool set_roles;
	unsigned roles;
	const char *status;		/* active | locked | disabled */
	const char *password_hash;
	bool set_totp;
	const char *totp_secret;	/* NULL with set_totp: remove */
	bool set_locked_until;
	int64_t locked_until;
};

/* Change a user of ctx's organisation (patch NULL: record the event only,
 * e.g. "user.login") with one entry `action` carrying `detail`. */
int store_user_update(struct store *st, struct zf_ctx *ctx, const char *key,
		      const struct user_patch *patch, const char *action,
		      const json_t *detail, struct user *out,
		      struct zf_error *err) ZF_WUR;
/* The saved answer to an idempotent write, with the user and the request
 * digest it belongs to (strings for the caller to free). */
struct store_idem {
	char *user_id, *request_sha, *body;
	int status;
};
int store_idem_get(struct store *st, const char *org_id, const char *key,
		   struct store_idem *out, struct zf_error *err) ZF_WUR;
void store_idem_release(struct store_idem *i);
int store_idem_put(struct store *st, const char *org_id, const char *key,
		   const char *user_id, const char *request_sha, int status,
		   const char *body, int64_t now, struct zf_error *err) ZF_WUR;

/* ---- evidence (evidence issue) ----
 *
 * Files live in the organisation's evidence directory (src/evidence/), the
 * database holds their metadata, and every act on an item is one ledger
 * entry on it (object type "evidence") carrying its state: that is its
 * chain of custody.
 *   evidence.collect   stored (store_evidence_commit)
 *   evidence.redact    a redacted copy stored, linked to its source
 *   evidence.attach    attached to a case or one of its steps
 *   evidence.view      looked at (by the entry's actor)
 *   evidence.download  its file handed out
 *   evidence.export    put into an evidence bundle
 *   evidence.hold / evidence.release   retention hold (复议, litigation) on / off
 *   evidence.delete    blob removed after the retention period; metadata,
 *                      entries and proofs stay
 */

/* The organisation's evidence directory: the setting evidence_dir (a
 * relative one is taken from the database's directory), else beside the
 * database file, <database>.evidence.  Caller frees *out. */
int store_evidence_dir(struct store *st, const char *org_id, char **out,
		       struct zf_error *err) ZF_WUR;

/* What is known of an item before its bytes arrive (all borrowed). */
struct evidence_meta {
	const char *case_key;		/* case id or number; NULL: not attached */
	int64_t step;			/* the case step's n; 0: the case itself */
	const char *kind;		/* NULL: from original_name's extension */
	const char *device;		/* device code (DSJ-01) or id; NULL: none */
	int64_t captured_at;		/* UTC µs; not before 2000, not in the future */
	const json_t *captured_by;	/* array of officer ids or certificate numbers */
	const char *location;		/* optional */
	const char *original_name;	/* required; only its last component is kept */
	int64_t declared_size;		/* > 0: refused at once if over the limit */
};

/* An item being received. */
struct store_evidence_upload;

/*
 * Receive one item incrementally, from a file or an HTTP upload:
 *
 *   store_evidence_begin() -> store_evidence_write()... -> store_evidence_commit()
 *                                                    or store_evidence_abort()
 *
 * begin validates the metadata (case, step, kind, device, officers, capture
 * time) and the declared size against the organisation's
 * evidence_max_size_mb, so a bad upload is refused before its first byte.
 * write streams bytes into a temporary file, hashing as they pass (memory
 * stays flat whatever the size); any error leaves abort as the only call.
 * commit stores the blob under its hash, then inserts the item and its
 * evidence.collect entry in one transaction; if that fails, the blob is
 * removed unless another item uses it, so nothing is half-stored.  When
 * the case already has an item with this content, commit stores nothing
 * and returns ZF_ECONFLICT "evidence_exists" with that item in *out (a
 * re-run import skips it).  commit and abort consume the upload; ctx is
 * copied at begin.
 */
int store_evidence_begin(struct store *st, const struct zf_ctx *ctx,
			 const struct evidence_meta *m,
			 struct store_evidence_upload **out, struct zf_error *err) ZF_WUR;
/* A redacted copy of item source_key: its metadata is the source's, named
 * original_name (NULL: the source's); removed and reason (required) say
 * what was taken out and why.  commit makes a new item linked to the
 * source, with entry evidence.redact. */
int store_evidence_redact_begin(struct store *st, const struct zf_ctx *ctx,
				const char *source_key, const char *removed,
				const char *reason, const char *original_name,
				struct store_evidence_upload **out,
				struct zf_error *err) ZF_WUR;
int store_evidence_write(struct store_evidence_upload *u, const void *p, size_t n,
			 struct zf_error *err) ZF_WUR;
/* Everything from fd to its end; expect is its size (UINT64_MAX: unknown),
 * fewer bytes is "evidence_truncated".  fn (may be NULL) sees progress. */
int store_evidence_write_fd(struct store_evidence_upload *u, int fd, uint64_t expect,
			    evidence_progress_fn fn, void *arg, const char *field,
			    struct zf_error *err) ZF_WUR;
/* Bytes received so far. */
uint64_t store_evidence_received(const struct store_evidence_upload *u);
/* out (may be NULL) gets the item; the caller releases it. */
int store_evidence_commit(struct store_evidence_upload *u, struct evidence_item *out,
			  struct zf_error *err) ZF_WUR;
void store_evidence_abort(struct store_evidence_upload *u);
/* begin + the file's bytes + commit; refuses what is not a regular file,
 * unreadable, empty or over the limit, naming field "file". */
int store_evidence_add_file(struct store *st, const struct zf_ctx *ctx,
			    const struct evidence_meta *m, const char *path,
			    evidence_progress_fn fn, void *arg, struct evidence_item *out,
			    struct zf_error *err) ZF_WUR;

int store_evidence_get(struct store *st, const struct zf_ctx *ctx, const char *id,
		       struct evidence_item *out, struct zf_error *err) ZF_WUR;

struct evidence_filter {
	const char *case_key;	/* case id or number; NULL: any */
	const char *status;	/* stored | deleted; NULL: any */
	int64_t limit;		/* 0: all */
	const char *after;	/* keyset cursor: the last id of the previous page */
};

/* Items by capture time (then id); after: the last id of the previous page. */
int store_evidence_list(struct store *st, const struct zf_ctx *ctx,
			const struct evidence_filter *f, struct evidence_item **out,
			size_t *n, struct zf_error *err) ZF_WUR;
void store_evidence_list_free(struct evidence_item *list, size_t n);
/* Attach to case case_key (step n, 0: the case).  An item attached to
 * another case is "evidence_already_attached": store it again for that
 * case instead (the blob is shared). */
int store_evidence_attach(struct store *st, const struct zf_ctx *ctx, const char *id,
			  const char *case_key, int64_t step, struct evidence_item *out,
			  struct zf_error *err) ZF_WUR;
/* A custody event that changes nothing: action evidence.view,
 * evidence.download or evidence.export (any other action is a programmer
 * error: ZF_BUG), with detail (borrowed, no personal data; may be NULL),
 * the actor being ctx's.  *seq (may be NULL) gets the entry's number. */
int store_evidence_log(struct store *st, const struct zf_ctx *ctx, const char *id,
		       const char *action, const json_t *detail, int64_t *seq,
		       struct zf_error *err) ZF_WUR;
/* Put on (hold) or take off a retention hold; reason required. */
int store_evidence_hold(struct store *st, const struct zf_ctx *ctx, const char *id,
			bool hold, const char *reason, struct evidence_item *out,
			struct zf_error *err) ZF_WUR;
/*
 * Delete the item's file at the end of its retention period (setting
 * evidence_retention_days_<kind>, counted from capture; 0 = permanent):
 * refused while held ("evidence_on_hold"), while its case has an appeal
 * pending ("evidence_case_under_appeal"), for a permanent kind
 * ("evidence_retention_permanent") or before the period ends
 * ("evidence_retention_not_over").  The row and its entries stay.  The blob
 * is removed after the commit unless another item still uses it;
 * *blob_removed (may be NULL) says whether it was.
 */
int store_evidence_delete(struct store *st, const struct zf_ctx *ctx, const char *id,
			  const char *reason, struct evidence_item *out,
			  bool *blob_removed, struct zf_error *err) ZF_WUR;
/* Where the stored item's file is, to read it (a download logs
 * evidence.download itself); "evidence_deleted" once deleted.  Caller frees
 * *path; out (may be NULL) gets the item. */
int store_evidence_path(struct store *st, const struct zf_ctx *ctx, const char *id,
			char **path, struct evidence_item *out,
			struct zf_error *err) ZF_WUR;
/*
 * Re-hash every stored item's blob (each blob once).  *out:
 * {"ok", "items", "blobs", "bytes", "problems": [{"id", "case_id",
 * "original_name", "hash", "code", "message"}]}; ZF_OK even when problems
 * are found.  fn (may be NULL) gets the bytes hashed so far.
 */
int store_evidence_verify(struct store *st, const struct zf_ctx *ctx,
			  evidence_progress_fn fn, void *arg, json_t **out,
			  struct zf_error *err) ZF_WUR;
/* The item's chain of custody: its ledger entries, oldest first, as
 * [{"seq", "action", "recorded_at", "effective_at", "actor", "state_hash",
 * "detail"?}]. */
int store_evidence_custody(struct store *st, const char *org_id, const char *id,
			   json_t **out, struct zf_error *err) ZF_WUR;

/* ---- overload control (issue 8; law.md §3) ----
 *
 * Scales and their calibration, weighings (at a station by officers, or
 * loaded from a weigh-in-motion file), unloading, review of machine records
 * (行政处罚法 Art. 41) and the case opened from a weighing.  Ledger objects:
 *   calibration   scale.calibrate
 *   weighing      weigh.record, weigh.unload, weigh.case (a case opened from
 *                 it; for a loaded record: reviewed and confirmed),
 *                 weigh.dismiss
 *   weigh_import  weigh.import: one entry per file, committing to the file's
 *                 SHA-256 and to the digest of the rows it added
 *                 (docs/wim-csv.md), so 10^6 rows cost one entry.
 */

struct overload_settings;
/* The organisation's part-tonne mode and weigh-in-motion tolerance
 * (settings overload_part_tonne_mode, wim_tolerance_kg; a setting not made
 * reads as its default: whole tonnes, 0 kg), as every calculation uses them. */
int store_overload_settings(struct store *st, const char *org_id,
			    struct overload_settings *s, struct zf_error *err) ZF_WUR;

/* Record a scale's verification certificate: device (id or code) must be a
 * scale; valid_from <= valid_until.  *out: the calibration. */
int store_calibration_add(struct store *st, struct zf_ctx *ctx, const char *device,
			  const char *cert_no, struct zf_date valid_from,
			  struct zf_date valid_until, json_t **out,
			  struct zf_error *err) ZF_WUR;
/* Certificates of a scale (device NULL: of every scale), latest first. */
int store_calibration_list(struct store *st, struct zf_ctx *ctx, const char *device,
			   json_t **out, struct zf_error *err) ZF_WUR;

/* A weighing at a station, as the officers enter it (all borrowed). */
struct weigh_in {
	const char *station;
	int64_t weighed_at;		/* UTC µs; not in the future */
	const char *plate;		/* the tractor's or truck's plate */
	const char *trailer_plate;	/* NULL: none */
	int axles;
	const char *config;		/* truck | train */
	bool single_drive_axle;
	int single_tyre_axles;
	int64_t gross_kg;
	int64_t height_mm, width_mm, length_mm;	/* 0: not measured */
	const char *device;		/* the scale: id or code */
	const char *const *officers;	/* ids or certificate numbers */
	size_t nofficers;
	const char *client_id;		/* a client-chosen UUID, or NULL */
};

/*
 * Record a station weighing: the scale must hold a certificate valid on the
 * weighing's day ("scale_not_calibrated": 62号令, equipment not legally
 * calibrated cannot give evidence), the officers must be active enforcers;
 * the engine's calculation (limit, excess, penalty range, explanation) is
 * stored with it.  *out: the weighing as store_weigh_get() gives it.
 */
int store_weigh_record(struct store *st, struct zf_ctx *ctx, const struct weigh_in *in,
		       json_t **out, struct zf_error *err) ZF_WUR;
/* The weighing with its calculation, case, unloading and review. */
int store_weigh_get(struct store *st, struct zf_ctx *ctx, const char *id, json_t **out,
		    struct zf_error *err) ZF_WUR;

struct weigh_filter {
	const char *review;	/* none | pending | confirmed | dismissed; NULL: any */
	bool over_only;
	const char *station;
	const char *plate;
	int year;		/* 0: any (local calendar year) */
	int64_t limit;		/* 0: 100 */
	const char *after;	/* keyset cursor: the last id of the previous page */
};

/* Weighings by time, newest first. */
int store_weigh_list(struct store *st, struct zf_ctx *ctx, const struct weigh_filter *f,
		     json_t **out, struct zf_error *err) ZF_WUR;

/* 卸载 (unloading) of an over-limit weighing, once: goods, kg unloaded
 * (> 0, < gross), where they are stored, the re-weighed gross mass (> 0,
 * < gross) and when.  The weighing then says whether the re-weighed
 * vehicle is within the limit ("cleared"). */
struct unload_in {
	const char *goods;
	int64_t unloaded_kg;
	const char *place;
	int64_t reweigh_kg;
	int64_t at;		/* UTC µs */
};
int store_weigh_unload(struct store *st, struct zf_ctx *ctx, const char *id,
		       const struct unload_in *in, json_t **out,
		       struct zf_error *err) ZF_WUR;

/*
 * Open the general-procedure case for an over-limit weighing (线索登记,
 * prefilled): violation overload_mass or overload_dimension, act date,
 * place (the station), facts with the measurements and the engine's
 * calculation, the weighing (id, measurements, calculation, and the
 * first-offence / repeat-offence counts of the vehicle and the party over
 * the year before: 公路安全保护条例 Art. 66), source "inspection", or
 * "monitoring" for a loaded record, which this also marks reviewed and
 * confirmed by the officers (Art. 41).  in gives party (NULL: the
 * registered owner of the vehicle), vehicle (NULL: by the weighing's plate
 * when registered), officers and date; in->params
 * (may be NULL) may add "level", "flags" and "place" (the
 * station's name; default its code).  Two transactions: the case's
 * register step, then weigh.case on the weighing.  *out: the case.
 */
int store_weigh_open_case(struct store *st, struct zf_ctx *ctx, const char *id,
			  const struct case_step_in *in, json_t **out,
			  struct zf_error *err) ZF_WUR;
/* Attach a weighing to an over-limit case already opened (e.g. a case
 * filed on the spot before the record was entered); a loaded record is
 * thereby reviewed and confirmed by `reviewer` (an officer; required for
 * a pending machine record, ignored otherwise).  Entry weigh.case. */
int store_weigh_link(struct store *st, struct zf_ctx *ctx, const char *id,
		     const char *case_key, const char *reviewer, json_t **out,
		     struct zf_error *err) ZF_WUR;
/* A reviewer dismisses a loaded over-limit record (reason required, e.g.
 * the images show another vehicle); it never becomes evidence. */
int store_weigh_dismiss(struct store *st, struct zf_ctx *ctx, const char *id,
			const char *reviewer, const char *reason, json_t **out,
			struct zf_error *err) ZF_WUR;

/*
 * Loading a weigh-in-motion file (docs/wim-csv.md), fed in chunks:
 *   store_weigh_import_begin() -> store_weigh_import_feed()... ->
 *   store_weigh_import_commit() or store_weigh_import_abort()
 * A strict import is one write transaction from begin to commit; any other
 * commits every weigh_import_commit_rows added rows (setting, default
 * 100,000), each batch with its weigh.import entry (status "loading", the
 * last "done"), so memory and the write-ahead log stay flat; an import cut
 * short keeps its committed batches and the same file loaded again adds
 * the rest.  Every row is validated and
 * classified with the organisation's tolerance; refused rows are counted
 * and the first 100 kept with line, column, field, code and message; a row
 * already stored (station + time + plate) is skipped; over-limit rows
 * become review tasks.  With strict, commit refuses a file with any
 * refused row and stores nothing.  device (may be NULL) names the
 * weighing system; it must be a calibrated scale.  commit and abort
 * consume the import.
 */
struct store_weigh_import;
int store_weigh_import_begin(struct store *st, const struct zf_ctx *ctx,
			     const char *name, const char *device, bool strict,
			     struct store_weigh_import **out, struct zf_error *err) ZF_WUR;
/* As wim_scan_feed(): consumes the complete lines of buf[0..len), *used. */
int store_weigh_import_feed(struct store_weigh_import *imp, const char *buf, size_t len,
			    bool eof, size_t *used, struct zf_error *err) ZF_WUR;
/* *out: {"id", "name", "file_sha256", "rows", "accepted", "added",
 * "duplicates", "rejected", "over_limit", "errors": [...]}.  A strict
 * import refused for its bad rows returns the error and still sets *out
 * to {"name", "rows", "accepted", "rejected", "stored": false, "errors"}. */
int store_weigh_import_commit(struct store_weigh_import *imp, json_t **out,
			      struct zf_error *err) ZF_WUR;
void store_weigh_import_abort(struct store_weigh_import *imp);
/* Imports, newest first. */
int store_weigh_import_list(struct store *st, struct zf_ctx *ctx, json_t **out,
			    struct zf_error *err) ZF_WUR;

/* Vehicles checked, over-limit, rate, tonnes unloaded, cases, reviews, by
 * station, by month and for the year (local time). */
int store_overload_stats(struct store *st, struct zf_ctx *ctx, int year, json_t **out,
			 struct zf_error *err) ZF_WUR;

/* ---- ledger ---- */
struct store_verify {
	int64_t entries;	/* entries checked */
	int64_t objects;	/* current states checked */
	json_t *problems;	/* array of {"seq"|"object", "code", "message"}; owned */
};

/* Re-read the organisation's ledger: sequence, chain, leaf hashes,
 * canonical form, and that every object's current row still hashes to the
 * state its last entry committed to.  ZF_OK even when problems are found;
 * the caller reads report->problems (empty array: all good). */
int store_ledger_verify(struct store *st, const char *org_id,
			struct store_verify *report, struct zf_error *err) ZF_WUR;
/* The same, and also against a checkpoint kept outside the database (a
 * truncated or rewritten log no longer matches it): note and public key PEM. */
int store_ledger_verify_against(struct store *st, const char *org_id,
				const char *note, size_t note_len,
				const char *pubkey_pem, size_t pem_len,
				struct store_verify *report,
				struct zf_error *err) ZF_WUR;
void store_verify_release(struct store_verify *r);
/* Entries with seq > after, at most limit, as an array of the decoded
 * entries plus "leaf_hash". */
int store_ledger_list(struct store *st, const char *org_id, int64_t after,
		      int64_t limit, json_t **out, struct zf_error *err) ZF_WUR;
int store_ledger_size(struct store *st, const char *org_id, int64_t *out,
		      struct zf_error *err) ZF_WUR;

#endif
