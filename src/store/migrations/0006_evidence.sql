-- 0006: evidence items (photos, body-camera video and audio, scans,
-- documents).  The files are blobs named by their hash under the evidence
-- directory (src/evidence/); a row holds the metadata only.  Every change
-- and every access (view, download, export) is a ledger entry on the item:
-- that is its chain of custody.  A deleted item keeps its row and its
-- entries; only the blob is removed.
CREATE TABLE evidence (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	case_id TEXT,
	step INTEGER NOT NULL DEFAULT 0 CHECK (step >= 0),
	kind TEXT NOT NULL CHECK (kind IN ('photo', 'video', 'audio', 'scan', 'document')),
	device TEXT,
	captured_at INTEGER NOT NULL,
	captured_by TEXT NOT NULL,		-- JSON array of officer ids
	location TEXT,
	original_name TEXT NOT NULL,
	size INTEGER NOT NULL CHECK (size > 0),
	hash TEXT NOT NULL,
	hash_alg TEXT NOT NULL CHECK (hash_alg IN ('sm3', 'sha256')),
	status TEXT NOT NULL CHECK (status IN ('stored', 'deleted')),
	hold INTEGER NOT NULL DEFAULT 0 CHECK (hold IN (0, 1)),
	hold_reason TEXT,
	source_id TEXT,				-- a redacted copy: its source item
	redaction TEXT,				-- JSON {source_hash, removed, reason}
	created_at INTEGER NOT NULL,
	deleted_at INTEGER,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id),
	FOREIGN KEY (org_id, case_id) REFERENCES enf_case (org_id, id),
	FOREIGN KEY (org_id, source_id) REFERENCES evidence (org_id, id)
) STRICT;
-- one item per content and case: a re-run import finds what it did
CREATE UNIQUE INDEX evidence_case_hash ON evidence (org_id, case_id, hash)
	WHERE case_id IS NOT NULL;
CREATE INDEX evidence_case ON evidence (org_id, case_id, captured_at);
-- whether a blob is still needed by any item (dedup across items)
CREATE INDEX evidence_blob ON evidence (hash, hash_alg, status);
