package io.jsworkflows.executor.service;

/**
 * What protects an attempt against its executor stopping mid-run (see {@link CrashGuard}). Why an enum: the trigger loop
 * knows which batch a record came in and whether that batch came back after a crash; the run service acts on it.
 */
public enum CrashCover {
    /** The record's batch is marked on jsw.runs.inflight: the attempt writes no mark of its own. */
    BATCH,
    /** The attempt records its own start (in-process isolation, retries). */
    RUN,
    /**
     * The record came back in a batch whose mark a stopped executor left: it runs alone in its partition with its own
     * start, which counts that stop as one crash already.
     */
    REPLAY
}
