package io.jsworkflows.executor.runtime;

/**
 * Why a fetch or an attempt failed, as fetch errors, run events and dead letters name it ({@link #name()} is the wire
 * and event form). One list for the fetch gateway, the worker channel and the run's outcome, so that what counts as
 * transient (worth a retry without the workflow being at fault) is decided in one place.
 */
public enum ErrorCategory {
    /** The host could not be reached or resolved, or the connection broke. */
    NETWORK(true),
    /** No answer within the request timeout, the run's deadline, or no room in the portal's budget before it. */
    TIMEOUT(true),
    /** HubSpot answered 5xx. */
    HTTP_5XX(true),
    /** HubSpot answered 429 after the budget's own retries. */
    HTTP_429(true),
    /** The destination is not allowed (loopback, private, link-local, or no host). */
    EGRESS_DENIED(false),
    /** A limit of the run: statements, body sizes, fetch calls, the replica's fetch memory. */
    LIMIT(false),
    /** The request itself is invalid (URL, method, header). */
    INVALID(false),
    /** The connection lacks a HubSpot scope the call needs. */
    MISSING_SCOPE(false),
    /** The connection needs re-authorization: the run is parked until it is reconnected. */
    NEEDS_REAUTH(false),
    /** The workflow threw. */
    THROWN(false),
    /** The trigger record cannot be a run's input (not JSON, too large or too deep): dead-lettered without a run. */
    MALFORMED_RECORD(false),
    /** Executors kept stopping during the attempt (a poison run): dead-lettered without running again. */
    CRASH(false);

    private final boolean transientFailure;

    ErrorCategory(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    /** Whether the failure is the outside world's, not the workflow's: a retry may succeed as it is. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** The category a worker received over the channel; an unknown or missing one is a network failure of the call. */
    public static ErrorCategory ofWire(String name) {
        if (name != null) {
            for (ErrorCategory c : values()) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
        }
        return NETWORK;
    }
}
