-- Read model of the executor's run events, dead letters and workflow definitions, for the workspace's pages and API.
-- Rows carry the workspace the executor established on each record; purged after jsw.runs.retention.

-- One row per run: its latest event (by attempt, then the event's place within an attempt) sets status and attempt.
CREATE TABLE run (
    run_id           VARCHAR(64)   PRIMARY KEY,
    workspace_id     VARCHAR(64)   NOT NULL,
    workflow_id      VARCHAR(128)  NOT NULL,
    workflow_version BIGINT        NOT NULL,
    status           VARCHAR(32)   NOT NULL,
    status_rank      INT           NOT NULL,
    attempt          INT           NOT NULL,
    idempotency_key  VARCHAR(512),
    trigger          VARCHAR(512),
    error            TEXT,
    duration_millis  BIGINT,
    started_at       TIMESTAMPTZ   NOT NULL,
    finished_at      TIMESTAMPTZ,
    last_event_at    TIMESTAMPTZ   NOT NULL
);
CREATE INDEX run_workspace_started ON run (workspace_id, started_at DESC);
CREATE INDEX run_last_event ON run (last_event_at);

-- Every event of a run once (event_id is the executor's), with the attempt's console lines and HTTP calls as JSON.
CREATE TABLE run_event (
    event_id         VARCHAR(64)   PRIMARY KEY,
    run_id           VARCHAR(64)   NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    workspace_id     VARCHAR(64)   NOT NULL,
    type             VARCHAR(32)   NOT NULL,
    attempt          INT           NOT NULL,
    duration_millis  BIGINT,
    error            TEXT,
    console          TEXT          NOT NULL,
    http_calls       TEXT          NOT NULL,
    occurred_at      TIMESTAMPTZ   NOT NULL
);
CREATE INDEX run_event_run ON run_event (run_id, occurred_at);

-- Dead letters with the whole DeadLetter value (its original record is what a replay publishes again).
CREATE TABLE dead_letter (
    id                VARCHAR(64)   PRIMARY KEY,
    workspace_id      VARCHAR(64)   NOT NULL,
    run_id            VARCHAR(64),
    workflow_id       VARCHAR(128),
    workflow_version  BIGINT,
    idempotency_key   VARCHAR(512),
    reason            TEXT,
    record            TEXT          NOT NULL,
    dead_lettered_at  TIMESTAMPTZ   NOT NULL,
    replayed_at       TIMESTAMPTZ,
    replayed_by       VARCHAR(128),
    replay_run_id     VARCHAR(64)
);
CREATE INDEX dead_letter_workspace ON dead_letter (workspace_id, dead_lettered_at DESC);

-- The compacted definitions topic as a table (a tombstone deletes the row); the source itself is not kept.
CREATE TABLE workflow (
    workflow_id    VARCHAR(128)  PRIMARY KEY,
    workspace_id   VARCHAR(64)   NOT NULL,
    version        BIGINT        NOT NULL,
    trigger_topic  VARCHAR(255),
    handles        TEXT          NOT NULL,
    updated_at     TIMESTAMPTZ
);
CREATE INDEX workflow_workspace ON workflow (workspace_id);
