package io.jsworkflows.executor.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a running workflow may ask of the platform. Futures complete on any thread; the runtime hands their results
 * to the run's own JavaScript thread. Neither method's future ever carries a token in an exception message.
 */
public interface RunHost {

    /** {@code api.getOAuthToken(handle)}: never fails; the result has either a token or a sentence for people. */
    CompletableFuture<TokenResult> getOAuthToken(String handle);

    /**
     * The token {@code getOAuthToken(handle)} would resolve to at once, without waiting and without side effects (no
     * refresh request, no flag on the run); null when the run has to ask. Lets a worker receive the tokens of the
     * handles a workflow names together with the run, instead of asking for each over its channel.
     */
    default String tokenNow(String handle) {
        return null;
    }

    /** The global {@code fetch}: fails with {@link FetchException} when no HTTP response could be obtained. */
    CompletableFuture<FetchResponse> fetch(FetchRequest request);

    /** A response of {@link #fetch} was handed to the worker running the workflow: the host no longer needs to hold its body. */
    default void handedOver(FetchResponse response) {
    }

    /**
     * Where this host's answers arrive when they are read on the run's own thread (a worker's lane) instead of completing
     * on other threads; null (the default) for the latter.
     */
    default Inbox inbox() {
        return null;
    }

    /** Answers read on the run's thread: the run's event loop waits in {@link #pump} instead of on its queue. */
    interface Inbox {
        /** On the run's thread: waits at most {@code nanos} for answers and completes their futures; returns early after {@link #wakeup}. */
        void pump(long nanos);

        /** From any thread: ends a {@link #pump} in progress (a timer fired). */
        void wakeup();
    }

    /** Result of {@code getOAuthToken}: exactly one of token and error is set. */
    record TokenResult(String token, String error) {
        public static TokenResult ok(String token) {
            return new TokenResult(token, null);
        }

        public static TokenResult error(String error) {
            return new TokenResult(null, error);
        }
    }

    /** A request as the workflow made it; header names are lower case. */
    record FetchRequest(String url, String method, List<List<String>> headers, String body) {
    }

    /** A response as the workflow sees it; header names are lower case. */
    record FetchResponse(int status, String statusText, String url, List<List<String>> headers, String body) {
    }

    /** fetch rejected: network error, timeout, refused destination, size limit. The message is shown to the workflow. */
    class FetchException extends RuntimeException {
        private final ErrorCategory category;

        public FetchException(ErrorCategory category, String message) {
            super(message, null, false, false);
            this.category = category;
        }

        public ErrorCategory category() {
            return category;
        }
    }
}
