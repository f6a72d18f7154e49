package io.jsworkflows.shopifyemulator;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What happened to one webhook: every attempt, in order, and whether one of them was accepted. */
public record DeliveryReport(URI url, String topic, String webhookId, Outcome outcome, List<Attempt> attempts) {

    /** DELIVERED: an attempt got a 2xx. FAILED: the first attempt and every retry failed. */
    public enum Outcome { DELIVERED, FAILED }

    /**
     * One attempt. {@code status} is the HTTP status, or 0 when there was none (timeout, refused connection);
     * {@code failure} says why an attempt failed (null when it succeeded); {@code waitedBefore} is the retry wait that
     * preceded it (zero for the first).
     */
    public record Attempt(int number, Instant startedAt, Duration waitedBefore, int status, String failure) {

        public boolean succeeded() {
            return failure == null;
        }
    }

    public DeliveryReport {
        attempts = List.copyOf(attempts);
    }

    public boolean delivered() {
        return outcome == Outcome.DELIVERED;
    }

    public List<Integer> statuses() {
        return attempts.stream().map(Attempt::status).toList();
    }

    /** One line per attempt and the outcome, for a terminal. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Attempt a : attempts) {
            sb.append(String.format("attempt %d: %s%n", a.number(),
                    a.succeeded() ? "HTTP " + a.status() : a.failure()));
        }
        sb.append(outcome == Outcome.DELIVERED ? "delivered" : "failed after " + attempts.size() + " attempts")
                .append(" (webhook id ").append(webhookId).append(')');
        return sb.toString();
    }
}
