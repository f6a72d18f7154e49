package io.jsworkflows.contracts.events;

import java.time.Instant;

/** Why one attempt of a run failed. {@code category} is e.g. {@code THROWN}, {@code TIMEOUT}, {@code HTTP_5XX}, {@code CRASH}. */
public record AttemptError(int attempt, String category, String message, boolean transientFailure, Instant at) {
}
