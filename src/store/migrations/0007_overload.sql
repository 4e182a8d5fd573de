-- 0007: overload control (issue 8; law.md §3).
--
-- calibration: a scale's verification certificate (检定证书).  A weighing by
-- a scale whose certificate is not valid on the day cannot be used as
-- evidence (62号令: equipment must be legally calibrated).
CREATE TABLE calibration (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	device_id TEXT NOT NULL,
	cert_no TEXT NOT NULL,
	valid_from TEXT NOT NULL,		-- YYYY-MM-DD
	valid_until TEXT NOT NULL,		-- YYYY-MM-DD, the last valid day
	created_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	UNIQUE (org_id, device_id, cert_no),
	FOREIGN KEY (org_id, device_id) REFERENCES device (org_id, id)
) STRICT;

-- weigh_import: one loaded weigh-in-motion file.  Its ledger entry commits
-- to the file's digest and to the digest of the rows it added
-- (docs/wim-csv.md "Import"), so the rows need no entry each.
CREATE TABLE weigh_import (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	file_sha256 TEXT NOT NULL,
	rows_total INTEGER NOT NULL,
	accepted INTEGER NOT NULL,
	added INTEGER NOT NULL,			-- accepted and not already stored
	rejected INTEGER NOT NULL,
	over_limit INTEGER NOT NULL,		-- added rows over the limit
	rows_digest TEXT NOT NULL,
	device_id TEXT,
	imported_at INTEGER NOT NULL,
	-- a non-strict import commits every weigh_import_commit_rows rows, each
	-- batch with its entry: 'loading' until the last one says 'done'
	status TEXT NOT NULL DEFAULT 'done' CHECK (status = 'loading' OR status = 'done'),
	-- where the added rows are: the backend's insertion positions (SQLite:
	-- rowids) of the first and the last; one import is one transaction,
	-- so its rows are the ones in between with its id.  Not part of the
	-- ledger state: a wrong range changes the recomputed digest.
	first_pos INTEGER NOT NULL DEFAULT 0,
	last_pos INTEGER NOT NULL DEFAULT -1,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;

-- weighing: one vehicle weighed, at a station by officers (source
-- 'station') or by a weigh-in-motion system (source 'import').  The
-- measured values never change; review, unloading and the case link do,
-- each with its ledger entry on the weighing.
CREATE TABLE weighing (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('station', 'import')),
	station TEXT NOT NULL,
	weighed_at INTEGER NOT NULL,		-- UTC microseconds
	plate TEXT NOT NULL,
	trailer_plate TEXT,
	plate_colour TEXT,
	lane INTEGER,
	axles INTEGER NOT NULL,
	config TEXT NOT NULL CHECK (config IN ('truck', 'train')),
	gross_kg INTEGER NOT NULL,
	height_mm INTEGER,
	width_mm INTEGER,
	length_mm INTEGER,
	speed_kmh INTEGER,
	device_id TEXT,
	calibrated_until TEXT,
	officers TEXT,				-- JSON array of officer ids
	image_sha256 TEXT,
	video_sha256 TEXT,
	limit_kg INTEGER NOT NULL,
	tolerance_kg INTEGER NOT NULL,
	over_kg INTEGER NOT NULL,
	over INTEGER NOT NULL CHECK (over IN (0, 1)),	-- mass or dimensions
	import_id TEXT,
	line INTEGER,
	-- ORs, not IN (...): SQLite 3.40 builds a temporary table per row for an
	-- IN list of more than two values, a fifth of an import's time (bench/weigh.sh)
	review TEXT NOT NULL CHECK (review = 'none' OR review = 'pending' OR
				    review = 'confirmed' OR review = 'dismissed'),
	review_reason TEXT,
	reviewed_by TEXT,
	reviewed_at INTEGER,
	case_id TEXT,
	unload_goods TEXT,
	unloaded_kg INTEGER,
	unload_place TEXT,
	reweigh_kg INTEGER,
	unloaded_at INTEGER,
	calc TEXT,				-- the engine's result (station records; JSON)
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id),
	FOREIGN KEY (org_id, case_id) REFERENCES enf_case (org_id, id)
) STRICT;
-- idempotency of imports: one vehicle at one station at one instant
CREATE UNIQUE INDEX weighing_key ON weighing (org_id, station, weighed_at, plate);
CREATE INDEX weighing_review ON weighing (org_id, review) WHERE review = 'pending';
CREATE INDEX weighing_plate ON weighing (org_id, plate, weighed_at) WHERE over = 1;
CREATE INDEX weighing_case ON weighing (org_id, case_id) WHERE case_id IS NOT NULL;
-- No index on import_id: an import's rows are found by their rowid range
-- (weigh_import.first_pos..last_pos); an index would cost a fifth of the
-- import's time.
