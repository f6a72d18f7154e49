package io.jsworkflows.executor.runtime;

import java.util.List;

import io.jsworkflows.contracts.events.RunEvent.ConsoleLine;

/** How one attempt ended, with the workflow's bounded console output. */
public record RunResult(Outcome outcome, String error, List<ConsoleLine> console, long durationNanos) {

    /** The attempt's outcome. */
    public enum Outcome {
        /** {@code start} resolved. */
        SUCCEEDED,
        /** The workflow threw or its promise rejected. */
        FAILED,
        /** The run did not finish before its deadline and was cancelled. */
        TIMEOUT,
        /** The run hit a runtime limit (statements, pending promise that can never settle, ...). */
        LIMIT,
        /** The run killed the worker JVM hosting it (heap exhausted, stuck): counts as a crash of the executor. */
        CRASHED
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    public long durationMillis() {
        return durationNanos / 1_000_000;
    }
}
