-- An OAuth state completes only in the browser that started it: the connect page sets a one-time nonce cookie and
-- stores the nonce's hash here; the callback must bring the cookie (and the workspace's sign-in).
ALTER TABLE oauth_state ADD COLUMN nonce_hash VARCHAR(64);
ALTER TABLE oauth_state ADD COLUMN started_at TIMESTAMPTZ;
