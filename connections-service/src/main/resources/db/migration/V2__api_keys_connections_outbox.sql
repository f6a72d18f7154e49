-- Workspace API keys: only a SHA-256 hash is stored (keys are 256-bit random, so a plain hash is enough); the key
-- itself is shown once, when it is created.
CREATE TABLE api_key (
    id            VARCHAR(64)  PRIMARY KEY,
    workspace_id  VARCHAR(64)  NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    key_hash      VARCHAR(64)   NOT NULL UNIQUE,
    key_prefix    VARCHAR(16)  NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX api_key_workspace ON api_key (workspace_id);

-- One OAuth grant to one HubSpot portal. Tokens are stored sealed (AES-GCM, associated data = id), never in clear.
CREATE TABLE connection (
    id                    VARCHAR(64)   PRIMARY KEY,
    workspace_id          VARCHAR(64)   NOT NULL REFERENCES workspace (id),
    handle                VARCHAR(64)   NOT NULL,
    provider              VARCHAR(32)   NOT NULL DEFAULT 'hubspot',
    status                VARCHAR(20)   NOT NULL,
    status_reason         VARCHAR(1000),
    requested_resources   TEXT[]        NOT NULL,
    requested_scopes      TEXT[]        NOT NULL,
    granted_scopes        TEXT[],
    hub_id                BIGINT,
    hub_domain            VARCHAR(255),
    authorized_user       VARCHAR(320),
    sealed_refresh_token  TEXT,
    sealed_access_token   TEXT,
    expires_at            TIMESTAMPTZ,
    last_refresh_at       TIMESTAMPTZ,
    authorized_at         TIMESTAMPTZ,
    grant_version         BIGINT        NOT NULL DEFAULT 0,
    token_version         BIGINT        NOT NULL DEFAULT 0,
    created_at            TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ   NOT NULL DEFAULT now(),
    row_version           BIGINT        NOT NULL DEFAULT 0,
    CONSTRAINT connection_handle_unique UNIQUE (workspace_id, handle)
);

-- Single-use OAuth states (random 256-bit; stored as a hash), bound to a workspace and a connection.
CREATE TABLE oauth_state (
    state_hash           VARCHAR(64)    PRIMARY KEY,
    workspace_id         VARCHAR(64)   NOT NULL REFERENCES workspace (id),
    connection_id        VARCHAR(64)   NOT NULL REFERENCES connection (id) ON DELETE CASCADE,
    requested_resources  TEXT[]        NOT NULL,
    requested_scopes     TEXT[]        NOT NULL,
    redirect_uri         VARCHAR(2000) NOT NULL,
    created_at           TIMESTAMPTZ   NOT NULL DEFAULT now(),
    expires_at           TIMESTAMPTZ   NOT NULL,
    used_at              TIMESTAMPTZ
);
CREATE INDEX oauth_state_connection ON oauth_state (connection_id);

-- Transactional outbox: written in the same transaction as the change, relayed to Kafka in id order.
-- payload NULL is a tombstone.
CREATE TABLE outbox (
    id             BIGSERIAL     PRIMARY KEY,
    connection_id  VARCHAR(64)   NOT NULL,
    topic          VARCHAR(249)  NOT NULL,
    record_key     VARCHAR(200)  NOT NULL,
    payload        TEXT,
    ce_type        VARCHAR(200)  NOT NULL,
    ce_id          VARCHAR(64)   NOT NULL,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    published_at   TIMESTAMPTZ
);
CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL;

-- What was deleted, when, and whether HubSpot confirmed the refresh token's revocation. No tokens.
CREATE TABLE connection_audit (
    id                  BIGSERIAL     PRIMARY KEY,
    connection_id       VARCHAR(64)   NOT NULL,
    workspace_id        VARCHAR(64)   NOT NULL,
    handle              VARCHAR(64)   NOT NULL,
    action              VARCHAR(32)   NOT NULL,
    hub_id              BIGINT,
    grant_version       BIGINT        NOT NULL,
    revoked_at_hubspot  BOOLEAN       NOT NULL,
    detail              VARCHAR(1000),
    occurred_at         TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX connection_audit_workspace ON connection_audit (workspace_id, occurred_at);
