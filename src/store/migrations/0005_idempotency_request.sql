-- 0005: an Idempotency-Key is bound to the request it answered: the same
-- key with another body (SHA-256 of method, path and body) is refused.
ALTER TABLE http_idempotency ADD COLUMN request_sha TEXT NOT NULL DEFAULT '';
