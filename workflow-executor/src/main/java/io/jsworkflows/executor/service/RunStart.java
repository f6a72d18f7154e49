package io.jsworkflows.executor.service;

import java.time.Instant;

/**
 * Value of {@code jsw.runs.inflight} (compacted, key = workflowId:idempotencyKey): a run attempt that started and has
 * not finished. A tombstone is written when the attempt's outcome was handed on. A replica that finds an unfinished
 * start for the attempt it is about to run knows that the executor running it before stopped mid-run.
 *
 * @param crashes how many executors already stopped while running this attempt
 */
public record RunStart(int schemaVersion, String runId, String workflowId, String idempotencyKey, int attempt, int crashes,
        String replica, Instant startedAt) {

    public static final int SCHEMA_VERSION = 1;
    public static final String TOPIC = "jsw.runs.inflight";
    public static final int PARTITIONS = 6;
    public static final String CE_TYPE = "io.jsworkflows.run.inflight.v1";
}
