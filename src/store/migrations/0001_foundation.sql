-- 0001: organisations, settings, the ledger, officers, parties, vehicles,
-- devices, calendars and deadlines.  Every row carries org_id; keys are
-- (org_id, id) with UUIDv7 ids; instants are UTC microseconds; legal dates
-- are local YYYY-MM-DD text.

CREATE TABLE org (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	parent_id TEXT,
	name TEXT NOT NULL,
	level TEXT NOT NULL,
	division_code TEXT NOT NULL,
	credit_code TEXT,
	doc_abbr TEXT NOT NULL,
	hash_alg TEXT NOT NULL CHECK (hash_alg IN ('sm3', 'sha256')),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	CHECK (org_id = id)
) STRICT;
CREATE UNIQUE INDEX org_name ON org (name);

CREATE TABLE org_setting (
	org_id TEXT NOT NULL,
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, key),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;

-- The ledger: one entry per mutation, append-only.  entry is the canonical
-- JSON; leaf_hash = H(0x00 || entry) with the organisation's algorithm.
CREATE TABLE ledger_entry (
	org_id TEXT NOT NULL,
	seq INTEGER NOT NULL CHECK (seq >= 1),
	recorded_at INTEGER NOT NULL,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id TEXT NOT NULL,
	entry BLOB NOT NULL,
	leaf_hash BLOB NOT NULL,
	PRIMARY KEY (org_id, seq),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;
CREATE INDEX ledger_object ON ledger_entry (org_id, object_type, object_id, seq);
CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

CREATE TABLE officer (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	id_number TEXT,
	phone TEXT,
	cert_no TEXT NOT NULL,
	category TEXT NOT NULL,
	valid_from TEXT NOT NULL,
	valid_to TEXT NOT NULL,
	status TEXT NOT NULL,
	roles TEXT NOT NULL,
	legal_qualification INTEGER NOT NULL,
	pii_salt BLOB,
	pii_digest TEXT NOT NULL,
	erased_at INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	UNIQUE (org_id, cert_no),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;
CREATE INDEX officer_valid ON officer (org_id, status, valid_to);

CREATE TABLE party (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('person', 'org')),
	name TEXT,
	id_number TEXT,
	credit_code TEXT,
	legal_rep TEXT,
	phone TEXT,
	address TEXT,
	pii_salt BLOB,
	pii_digest TEXT NOT NULL,
	erased_at INTEGER,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;
CREATE UNIQUE INDEX party_id_number ON party (org_id, id_number)
	WHERE id_number IS NOT NULL;
CREATE UNIQUE INDEX party_credit_code ON party (org_id, credit_code)
	WHERE credit_code IS NOT NULL;

CREATE TABLE vehicle (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	plate TEXT NOT NULL,
	plate_kind TEXT NOT NULL,
	config TEXT NOT NULL,
	axles INTEGER NOT NULL,
	owner_id TEXT,
	model TEXT,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	UNIQUE (org_id, plate),
	FOREIGN KEY (org_id, owner_id) REFERENCES party (org_id, id)
) STRICT;

CREATE TABLE device (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	code TEXT NOT NULL,
	kind TEXT NOT NULL,
	name TEXT,
	status TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	UNIQUE (org_id, code),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;

-- A year's holiday calendar as loaded (the file text, parsed on use).
CREATE TABLE calendar_year (
	org_id TEXT NOT NULL,
	year INTEGER NOT NULL,
	source TEXT NOT NULL,
	text TEXT NOT NULL,
	loaded_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, year),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;

CREATE TABLE deadline (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	start_date TEXT NOT NULL,
	unit INTEGER NOT NULL CHECK (unit IN (1, 2)),
	count INTEGER NOT NULL,
	due_date TEXT NOT NULL,
	provisional INTEGER NOT NULL,
	basis TEXT,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;
CREATE INDEX deadline_provisional ON deadline (org_id, provisional);
CREATE INDEX deadline_object ON deadline (org_id, object_type, object_id);
