-- 0002: the penalty procedure: cases, their steps, documents with their
-- numbers, pre-printed form stock, case clocks, imported discretion standards.

CREATE TABLE enf_case (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	number TEXT,
	procedure TEXT NOT NULL CHECK (procedure IN ('general', 'simplified')),
	state TEXT NOT NULL,
	violation TEXT NOT NULL,
	party_id TEXT NOT NULL,
	year INTEGER NOT NULL,
	filed_date TEXT,
	decided_date TEXT,
	doc TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, party_id) REFERENCES party (org_id, id)
) STRICT;
CREATE INDEX enf_case_state ON enf_case (org_id, state, updated_at, id);
CREATE INDEX enf_case_year ON enf_case (org_id, year, procedure, state);
CREATE INDEX enf_case_number ON enf_case (org_id, number);

CREATE TABLE case_step (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	case_id TEXT NOT NULL,
	n INTEGER NOT NULL,
	transition TEXT NOT NULL,
	from_state TEXT NOT NULL,
	to_state TEXT NOT NULL,
	on_date TEXT NOT NULL,
	recorded_at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	officers TEXT NOT NULL,
	approver TEXT,
	reviewer TEXT,
	params TEXT NOT NULL,
	ledger_seq INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	UNIQUE (org_id, case_id, n),
	FOREIGN KEY (org_id, case_id) REFERENCES enf_case (org_id, id)
) STRICT;
CREATE INDEX case_step_reviewer ON case_step (org_id, reviewer) WHERE reviewer IS NOT NULL;

CREATE TABLE document (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	case_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	year INTEGER NOT NULL,
	seq INTEGER,
	number TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('issued', 'void')),
	issued_on TEXT NOT NULL,
	void_reason TEXT,
	stock_id TEXT,
	PRIMARY KEY (org_id, id),
	UNIQUE (org_id, number),
	FOREIGN KEY (org_id, case_id) REFERENCES enf_case (org_id, id)
) STRICT;
CREATE INDEX document_case ON document (org_id, case_id);

CREATE TABLE doc_counter (
	org_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	year INTEGER NOT NULL,
	last_seq INTEGER NOT NULL,
	PRIMARY KEY (org_id, kind, year)
) STRICT;

CREATE TABLE doc_stock (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	kind TEXT NOT NULL,
	prefix TEXT NOT NULL,
	first_no INTEGER NOT NULL,
	last_no INTEGER NOT NULL,
	width INTEGER NOT NULL,
	registered_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;

CREATE TABLE violation_import (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	text TEXT NOT NULL,
	imported_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;

-- Case clocks are deadlines that belong to a case (case_id set); they are
-- part of the case's state and change only with its transitions.
ALTER TABLE deadline ADD COLUMN case_id TEXT;
ALTER TABLE deadline ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE deadline ADD COLUMN met_on TEXT;
ALTER TABLE deadline ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deadline ADD COLUMN paused_since TEXT;
ALTER TABLE deadline ADD COLUMN extended_days INTEGER NOT NULL DEFAULT 0;
CREATE INDEX deadline_case ON deadline (org_id, case_id, kind);
CREATE INDEX deadline_open ON deadline (org_id, status, due_date);
