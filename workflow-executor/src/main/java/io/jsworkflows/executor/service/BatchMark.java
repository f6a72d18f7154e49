package io.jsworkflows.executor.service;

import java.time.Instant;

/**
 * Value of {@code jsw.runs.inflight} under key {@code batch/<group>/<topic>/<partition>}: a trigger loop of
 * {@code replica} may have records of this partition up to offset {@code to} in flight. Written (acknowledged) before
 * the loop runs records beyond the previous mark's {@code to}, removed when the partition leaves the loop cleanly. A
 * replica that is assigned the partition and still finds the mark, with the group's committed offset at or below
 * {@code to}, knows that the previous owner stopped mid-batch: it replays those records one at a time, each with its
 * own {@link RunStart}, so that a record that stops executors is still found and dead-lettered.
 */
public record BatchMark(int schemaVersion, String group, String topic, int partition, long to, String replica, Instant markedAt) {

    public static final int SCHEMA_VERSION = 1;
    public static final String CE_TYPE = "io.jsworkflows.run.inflight-batch.v1";
    static final String KEY_PREFIX = "batch/";

    public static String key(String group, String topic, int partition) {
        return KEY_PREFIX + group + "/" + topic + "/" + partition;
    }
}
