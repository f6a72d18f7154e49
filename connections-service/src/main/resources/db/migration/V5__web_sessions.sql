-- Web page sessions, apart from API keys: the cookie holds a random 256-bit token, stored here as a hash, expiring, and
-- bound to the key it was opened with, so revoking the key ends its sessions.
CREATE TABLE web_session (
    session_hash  VARCHAR(64)  PRIMARY KEY,
    workspace_id  VARCHAR(64)  NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    api_key_id    VARCHAR(64)  NOT NULL REFERENCES api_key (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX web_session_key ON web_session (api_key_id);
CREATE INDEX web_session_expiry ON web_session (expires_at);
