package io.jsworkflows.refresher.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jsworkflows.contracts.events.RefreshRequest;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.refresher.RefresherLifecycle;

/**
 * {@code jsw.connections.refresh-requests}: every replica reads every request (its own consumer group) and acts on
 * the connections it owns; the others ignore it. Requests are few, so broadcasting is cheaper than co-assignment.
 */
@ApplicationScoped
public class RefreshRequestConsumer {

    static final String CHANNEL = "refresh-requests";
    private static final Logger LOG = Logger.getLogger(RefreshRequestConsumer.class);

    private final RefresherLifecycle lifecycle;

    public RefreshRequestConsumer(RefresherLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Incoming(CHANNEL)
    public void onRequest(String value) {
        if (value == null) {
            return;
        }
        RefreshRequest request;
        try {
            request = ContractsJson.read(value, RefreshRequest.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable refresh request: %s", e.getMessage());
            return;
        }
        if (request.connectionId() != null) {
            lifecycle.replica().node().onRefreshRequest(request);
        }
    }
}
