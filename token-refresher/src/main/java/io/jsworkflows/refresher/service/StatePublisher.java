package io.jsworkflows.refresher.service;

import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.TokenState;

/** Where the refresher's results go: the tokens topic (compacted, key = connection id) and the events topic. */
public interface StatePublisher {

    void token(TokenState state);

    /** Removes a deleted connection's token from the compacted topic. */
    void tokenTombstone(String connectionId);

    void event(ConnectionEvent event);

    /** Blocks until everything sent so far is acknowledged (before handing partitions to another replica). */
    void flush();
}
