package io.jsworkflows.refresher.service;

import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.TokenState;

/**
 * Where the refresher's results go: the tokens topic (compacted, key = connection id), the events topic and the
 * refresher's own refresh chain topic (compacted, key = connection id).
 */
public interface StatePublisher {

    /** A record that could not be written within its deadline (the broker did not acknowledge it). */
    final class WriteFailedException extends RuntimeException {
        public WriteFailedException(String message) {
            super(message);
        }
    }

    void token(TokenState state);

    /** Removes a deleted connection's token from the compacted topic. */
    void tokenTombstone(String connectionId);

    void event(ConnectionEvent event);

    /**
     * Writes a rotated refresh token and returns only once every in-sync replica has it (acks=all), so that the token
     * state that follows can never be on the topic without it.
     *
     * @throws WriteFailedException when the broker did not acknowledge it in time
     */
    void chain(RefreshChainState state);

    /** Removes a deleted connection's refresh chain. */
    void chainTombstone(String connectionId);

    /** Blocks until everything sent so far is acknowledged (before handing partitions to another replica). */
    void flush();
}
