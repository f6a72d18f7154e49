package io.jsworkflows.connections.runs.service;

import java.time.Instant;
import java.util.List;

import io.jsworkflows.contracts.events.RunEvent.ConsoleLine;
import io.jsworkflows.contracts.events.RunEvent.HttpCall;

/** A run with its attempts, each with what the workflow printed, its HTTP calls and its error. */
public record RunDetail(RunView run, List<Attempt> attempts) {

    /** One attempt: its latest outcome and everything its events carried. */
    public record Attempt(int attempt, String outcome, Long durationMillis, String error, List<ConsoleLine> console,
            List<HttpCall> httpCalls, Instant startedAt, Instant endedAt) {

        public String duration() {
            return Durations.human(durationMillis);
        }
    }
}
