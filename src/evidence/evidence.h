/*
 * evidence: the content-addressed file store for evidence (photos,
 * body-camera video and audio, scans, documents), and the evidence item's
 * record as the store keeps it.
 *
 * Blobs live under one directory, named by their hash with the
 * organisation's algorithm (SM3 or SHA-256, as its ledger):
 *
 *     <dir>/<alg>/<first 2 hex digits>/<64 hex digits>
 *
 * A blob is written by an incremental writer: open -> write any number of
 * times -> commit (or abort).  The bytes go to a temporary file under
 * <dir>/tmp/ and are hashed as they pass, in chunks, so memory stays flat
 * whatever the size (a 4 GB video is never read into memory).  Commit
 * fsyncs the file, renames it to its hash name and fsyncs the directory, so
 * a crash leaves either no blob or a whole one, never a half-written blob
 * under a hash name.  A blob already stored is not written twice (dedup).
 * Committed blobs are made read-only (0440); `evidence_blob_verify()`
 * re-hashes one to find it missing or altered.
 *
 * This module depends on lib/ and ledger/ (hashing) only: no database type
 * appears here.  The store (src/store/store_evidence.c) keeps the metadata
 * and writes the chain of custody to the ledger.
 */
#ifndef ZF_EVIDENCE_H
#define ZF_EVIDENCE_H

#include <jansson.h>

#include "buf.h"
#include "ledger.h"
#include "zf.h"

#define EVIDENCE_ID_LEN 37
/* Chunk read and hashed at a time: the writer's whole memory. */
#define EVIDENCE_CHUNK ((size_t)1 << 20)
/* Earliest credible capture time: 2000-01-01T00:00:00+08:00 (UTC µs). */
#define EVIDENCE_EARLIEST_US INT64_C(946656000000000)
/* How far a camera's clock may run ahead of ours (5 minutes). */
#define EVIDENCE_CLOCK_SKEW_US INT64_C(300000000)

/* ---- the blob directory ---------------------------------------------- */

struct evidence_blobs;
/* Called after each chunk read with the bytes done so far. */
typedef void (*evidence_progress_fn)(void *arg, uint64_t done);

/* Use dir (created with its parents if missing, mode 0750).  Code
 * "evidence_dir_unavailable" naming field "evidence_dir" on failure. */
int evidence_blobs_open(const char *dir, struct evidence_blobs **out,
			struct zf_error *err) ZF_WUR;
void evidence_blobs_free(struct evidence_blobs *b);
const char *evidence_blobs_dir(const struct evidence_blobs *b);

/* A stored (or about to be stored) blob. */
struct evidence_blob {
	enum ledger_alg alg;
	char hash[LEDGER_HEX_LEN];	/* lowercase hex */
	uint64_t size;
	bool existed;			/* commit: it was stored already (dedup) */
};

/* Is s 64 lowercase hex digits (a hash that can name a blob)? */
bool evidence_hash_valid(const char *s);
/* The blob's path into out (cleared first).  "invalid_hash" if hash is
 * not 64 lowercase hex digits, so no caller can name a path outside dir. */
int evidence_blob_path(const struct evidence_blobs *b, enum ledger_alg alg,
		       const char *hash, struct buf *out, struct zf_error *err) ZF_WUR;
bool evidence_blob_exists(const struct evidence_blobs *b, enum ledger_alg alg,
			  const char *hash);
/*
 * Re-hash the stored blob.  ZF_OK if it is there with this hash (and, when
 * size > 0, this size); ZF_ENOTFOUND "evidence_blob_missing"; ZF_EIO
 * "evidence_blob_altered" when its bytes no longer hash to its name;
 * "evidence_unreadable" when it cannot be read.  *bytes (may be NULL) gets
 * how many bytes were read; fn (may be NULL) sees them as they are.
 */
int evidence_blob_verify(const struct evidence_blobs *b, enum ledger_alg alg,
			 const char *hash, uint64_t size, evidence_progress_fn fn, void *arg,
			 uint64_t *bytes, struct zf_error *err) ZF_WUR;
/*
 * Copy the stored blob to a new file dest (created 0444; an existing dest
 * is "file_exists"), re-hashing it on the way: a blob that no longer
 * matches its hash is "evidence_blob_altered" and dest is removed.  Errors
 * as evidence_blob_verify(); fn (may be NULL) sees the bytes copied.
 */
int evidence_blob_copy(const struct evidence_blobs *b, enum ledger_alg alg,
		       const char *hash, uint64_t size, const char *dest,
		       evidence_progress_fn fn, void *arg, struct zf_error *err) ZF_WUR;
/* Remove the blob (gone already: ZF_OK) and fsync its directory. */
int evidence_blob_delete(const struct evidence_blobs *b, enum ledger_alg alg,
			 const char *hash, struct zf_error *err) ZF_WUR;

/* ---- the incremental writer ------------------------------------------ */

struct evidence_writer;

/*
 * Start a blob of at most max_size bytes (0: no limit).  The writer owns a
 * temporary file under <dir>/tmp/ until commit or abort.
 */
int evidence_writer_open(struct evidence_blobs *b, enum ledger_alg alg,
			 uint64_t max_size, struct evidence_writer **out,
			 struct zf_error *err) ZF_WUR;
/* Append n bytes.  ZF_ETOOBIG "evidence_too_big" past max_size; ZF_EIO
 * "evidence_write_failed" when the disk refuses.  After an error the only
 * call left is commit (which fails) or abort. */
int evidence_writer_write(struct evidence_writer *w, const void *p, size_t n,
			  struct zf_error *err) ZF_WUR;
/*
 * Append everything read from fd until end of file, EVIDENCE_CHUNK at a
 * time.  expect (UINT64_MAX: unknown) is the size the file had when opened:
 * fewer bytes read is "evidence_truncated" (the file shrank while read).
 * Errors name `field`.
 */
int evidence_writer_write_fd(struct evidence_writer *w, int fd, uint64_t expect,
			     evidence_progress_fn fn, void *arg, const char *field,
			     struct zf_error *err) ZF_WUR;
/* Bytes written so far. */
uint64_t evidence_writer_size(const struct evidence_writer *w);
/*
 * Finish hashing and fsync the temporary file; out gets hash and size, so
 * the caller can decide (e.g. this content is already an item) before
 * commit or abort.  An empty blob is "evidence_empty".  Idempotent.
 */
int evidence_writer_finish(struct evidence_writer *w, struct evidence_blob *out,
			   struct zf_error *err) ZF_WUR;
/*
 * Finish if not yet done, then give the blob its hash name (dedup: when it
 * exists with that size, the temporary file is dropped and out->existed is
 * set; an existing file of another size is damaged and is replaced).
 * Consumes w whatever the result: on failure the temporary file is gone and
 * nothing was stored.
 */
int evidence_writer_commit(struct evidence_writer *w, struct evidence_blob *out,
			   struct zf_error *err) ZF_WUR;
/* Drop the temporary file and free w (NULL is fine). */
void evidence_writer_abort(struct evidence_writer *w);

/*
 * Stream the file at path into the store: refuses what is not a regular
 * file ("evidence_not_regular"), unreadable ("evidence_unreadable"), empty
 * ("evidence_empty") or larger than max_size ("evidence_too_big").  Errors
 * name `field`.
 */
int evidence_put_file(struct evidence_blobs *b, enum ledger_alg alg, const char *path,
		      uint64_t max_size, const char *field, struct evidence_blob *out,
		      struct zf_error *err) ZF_WUR;
/* Hash fd (from its current offset to the end) without storing it; same
 * errors as evidence_writer_write_fd.  out->existed is false. */
int evidence_hash_fd(enum ledger_alg alg, int fd, uint64_t expect,
		     evidence_progress_fn fn, void *arg, const char *field,
		     struct evidence_blob *out, struct zf_error *err) ZF_WUR;

/* ---- items ----------------------------------------------------------- */

/* photo video audio scan document (NULL-terminated). */
extern const char *const evidence_kinds[];
/* stored deleted */
extern const char *const evidence_statuses[];
/* The kind a file name suggests by its extension (document if unknown). */
const char *evidence_kind_of_name(const char *name);
/* The lowercase extension of name ([a-z0-9], at most 10) into out, or
 * "bin" when it has none; used to name exported files. */
void evidence_file_ext(const char *name, char out[16]);
/* The last path component of path (a pointer into it). */
const char *evidence_basename(const char *path);

/*
 * A capture time must be credible: not before EVIDENCE_EARLIEST_US and not
 * after now (plus EVIDENCE_CLOCK_SKEW_US for a camera clock running ahead).
 * Code "evidence_captured_at_impossible" naming `field`.
 */
int evidence_captured_at_check(int64_t captured_at, int64_t now, const char *field,
			       struct zf_error *err) ZF_WUR;

/* What a body camera's offload software writes beside a file, <file>.json:
 * {"captured_at": ISO 8601, "location": text, "officers": [id or cert no]}.
 * Other keys are ignored. */
struct evidence_sidecar {
	bool has_captured_at;
	int64_t captured_at;
	char *location;		/* NULL if absent */
	json_t *officers;	/* array of strings, NULL if absent */
};

/* Parse a sidecar; errors name "sidecar.<key>" ("evidence_sidecar_invalid",
 * "invalid_instant", "invalid_text"). */
int evidence_sidecar_parse(const char *text, size_t len, struct evidence_sidecar *out,
			   struct zf_error *err) ZF_WUR;
void evidence_sidecar_release(struct evidence_sidecar *s);

/*
 * One evidence item.  The blob is named by (hash_alg, hash); the row keeps
 * the metadata; a deleted item keeps everything but its blob.
 */
struct evidence_item {
	char id[EVIDENCE_ID_LEN];
	char org_id[EVIDENCE_ID_LEN];
	char *case_id;		/* NULL: not attached to a case */
	int64_t step;		/* the case step it belongs to (n), 0: the case */
	char *kind;		/* evidence_kinds */
	char *device;		/* device code (DSJ-01), NULL if none */
	int64_t captured_at;	/* UTC µs */
	json_t *captured_by;	/* array of officer ids (owned) */
	char *location;		/* NULL if none */
	char *original_name;
	int64_t size;
	char hash[LEDGER_HEX_LEN];
	char *hash_alg;		/* sm3 | sha256 */
	char *status;		/* stored | deleted */
	bool hold;		/* retention hold (复议, litigation): never deleted */
	char *hold_reason;
	char *source_id;	/* a redacted copy: the item it was made from */
	json_t *redaction;	/* {source_hash, removed, reason} (owned), or NULL */
	int64_t created_at;
	int64_t deleted_at;	/* 0 while stored */
};

void evidence_item_release(struct evidence_item *e);
/* What the ledger's state hash commits to (state hash version 1). */
json_t *evidence_item_state_json(const struct evidence_item *e);
/* The document the CLI's --json prints and the API returns: the state plus
 * captured_at_iso and kind_label. */
json_t *evidence_item_to_json(const struct evidence_item *e);

#endif
