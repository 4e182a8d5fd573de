-- 0004: users (logins and roles) and the replay cache of idempotent writes.

CREATE TABLE app_user (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	username TEXT NOT NULL,
	display_name TEXT,
	officer_id TEXT,
	roles TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	totp_secret TEXT,
	status TEXT NOT NULL CHECK (status IN ('active', 'locked', 'disabled')),
	locked_until INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;
CREATE UNIQUE INDEX app_user_name ON app_user (username);

-- The response to a write, kept under its Idempotency-Key so that a replay
-- (the field terminal resending after a lost answer) returns it again.
-- Derived from writes that have their own ledger entries.
CREATE TABLE http_idempotency (
	org_id TEXT NOT NULL,
	key TEXT NOT NULL,
	user_id TEXT NOT NULL,
	method TEXT NOT NULL,
	path TEXT NOT NULL,
	status INTEGER NOT NULL,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, key)
) STRICT;
