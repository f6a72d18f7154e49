-- Trigger sources owned by workspaces (a Shopify store, for now). The webhook signing secret is stored sealed with the
-- source key ring (AES-GCM, associated data = id), never in clear. One source per shop per workspace.
CREATE TABLE trigger_source (
    id             VARCHAR(64)   PRIMARY KEY,
    workspace_id   VARCHAR(64)   NOT NULL REFERENCES workspace (id),
    kind           VARCHAR(32)   NOT NULL,
    shop_domain    VARCHAR(255)  NOT NULL,
    sealed_secret  TEXT          NOT NULL,
    version        BIGINT        NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT trigger_source_shop_unique UNIQUE (workspace_id, kind, shop_domain)
);

-- The outbox now also carries source records: its subject is a connection or a source id, and every row names the
-- workspace it belongs to (sent as the jsw-workspace header).
ALTER TABLE outbox RENAME COLUMN connection_id TO subject_id;
ALTER TABLE outbox ADD COLUMN workspace_id VARCHAR(64);
