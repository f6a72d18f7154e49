package io.jsworkflows.refresher.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jsworkflows.contracts.events.RefreshRequest;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.refresher.RefresherLifecycle;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * {@code jsw.connections.refresh-requests}: every replica reads every request (its own consumer group) and acts on
 * the connections it owns; the others ignore it. Requests are few, so broadcasting is cheaper than co-assignment.
 * The request's {@code traceparent} (if any) is kept for the refresh it causes, which may start much later on another
 * thread, so the channel's own receive span (which would end at once) is off and the header is read here.
 */
@ApplicationScoped
public class RefreshRequestConsumer {

    static final String CHANNEL = "refresh-requests";
    private static final Logger LOG = Logger.getLogger(RefreshRequestConsumer.class);

    private final RefresherLifecycle lifecycle;
    private final TextMapPropagator propagator;

    public RefreshRequestConsumer(RefresherLifecycle lifecycle, OpenTelemetry openTelemetry) {
        this.lifecycle = lifecycle;
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Incoming(CHANNEL)
    public void onRequest(ConsumerRecord<String, String> record) {
        String value = record.value();
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
            // a malformed or absent traceparent extracts nothing: the refresh then starts a trace of its own
            Context requester = propagator.extract(Context.root(), record.headers(), TraceHeaders.GETTER);
            lifecycle.replica().node().onRefreshRequest(request,
                    Span.fromContext(requester).getSpanContext().isValid() ? requester : null);
        }
    }
}
