-- Read model of the executor's run events, dead letters and workflow definitions, for the workspace's pages and API.
-- Rows carry the workspace the executor established on each record; purged after jsw.runs.retention. Values taken
-- from the records are TEXT: a longer value than expected must never stop the consumer.

-- One row per run: its latest event (by attempt, then the event's place within an attempt) sets status and attempt.
CREATE TABLE run (
    run_id           TEXT          PRIMARY KEY,
    workspace_id     TEXT          NOT NULL,
    workflow_id      TEXT          NOT NULL,
    workflow_version BIGINT        NOT NULL,
    status           VARCHAR(32)   NOT NULL,
    status_rank      INT           NOT NULL,
    attempt          INT           NOT NULL,
    idempotency_key  TEXT,
    trigger          TEXT,
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
    event_id         TEXT          PRIMARY KEY,
    run_id           TEXT          NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    workspace_id     TEXT          NOT NULL,
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
    id                TEXT          PRIMARY KEY,
    workspace_id      TEXT          NOT NULL,
    run_id            TEXT,
    workflow_id       TEXT,
    workflow_version  BIGINT,
    idempotency_key   TEXT,
    reason            TEXT,
    record            TEXT          NOT NULL,
    dead_lettered_at  TIMESTAMPTZ   NOT NULL,
    replayed_at       TIMESTAMPTZ,
    replayed_by       TEXT,
    replay_run_id     TEXT
);
CREATE INDEX dead_letter_workspace ON dead_letter (workspace_id, dead_lettered_at DESC);

-- The compacted definitions topic as a table (a tombstone deletes the row); the source itself is not kept.
-- Keyed like the topic: workspaceId/workflowId (workflow ids are per workspace), or the bare workflowId of a record
-- written before they were.
CREATE TABLE workflow (
    definition_key TEXT          PRIMARY KEY,
    workflow_id    TEXT          NOT NULL,
    workspace_id   TEXT          NOT NULL,
    version        BIGINT        NOT NULL,
    trigger_topic  TEXT,
    handles        TEXT          NOT NULL,
    updated_at     TIMESTAMPTZ
);
CREATE INDEX workflow_workspace ON workflow (workspace_id);
