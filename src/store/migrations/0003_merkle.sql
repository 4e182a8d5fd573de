-- 0003: the ledger's Merkle tree (RFC 9162), its signed checkpoints and the
-- organisation's public keys.  Level-0 nodes are the leaf hashes already in
-- ledger_entry (leaf index = seq - 1); ledger_node holds every completed
-- perfect subtree above them: node (level, idx) covers leaves
-- [idx * 2^level, (idx + 1) * 2^level).  A store opened on a log without
-- its nodes rebuilds them from the entries (store_ledger.c).

CREATE TABLE ledger_node (
	org_id TEXT NOT NULL,
	level INTEGER NOT NULL CHECK (level >= 1),
	idx INTEGER NOT NULL,
	hash BLOB NOT NULL,
	PRIMARY KEY (org_id, level, idx)
) STRICT;
CREATE TRIGGER ledger_node_no_update BEFORE UPDATE ON ledger_node
BEGIN SELECT RAISE(ABORT, 'ledger nodes are append-only'); END;
CREATE TRIGGER ledger_node_no_delete BEFORE DELETE ON ledger_node
BEGIN SELECT RAISE(ABORT, 'ledger nodes are append-only'); END;

CREATE TABLE ledger_key (
	org_id TEXT NOT NULL,
	id TEXT NOT NULL,
	alg TEXT NOT NULL CHECK (alg IN ('sm2', 'ed25519')),
	key_name TEXT NOT NULL,
	public_pem TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, org_id) REFERENCES org (org_id, id)
) STRICT;

CREATE TABLE ledger_checkpoint (
	org_id TEXT NOT NULL,
	size INTEGER NOT NULL CHECK (size >= 1),
	root BLOB NOT NULL,
	key_id TEXT NOT NULL,
	note TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, size),
	FOREIGN KEY (org_id, key_id) REFERENCES ledger_key (org_id, id)
) STRICT;
