package io.jsworkflows.refresher.service;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * One span per token refresh (docs/observability.md, "Traces"): the connection, its workspace (from the grant, never
 * from a request) and how it ended. Never a token or a provider's error text. A refresh asked for by a refresh request
 * that carried a {@code traceparent} continues the requester's trace; a scheduled one starts a trace of its own.
 */
public final class RefreshTracing {

    public static final String SPAN_NAME = "token refresh";
    public static final AttributeKey<String> CONNECTION_ID = AttributeKey.stringKey("jsw.connection.id");
    public static final AttributeKey<String> WORKSPACE_ID = AttributeKey.stringKey("jsw.workspace.id");
    /** The refresh's classification: the {@code outcome} tag of {@code jsw_refresher_refreshes_total}. */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("jsw.outcome");

    private final Tracer tracer;

    public RefreshTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.jsworkflows.token-refresher");
    }

    public static RefreshTracing off() {
        return new RefreshTracing(OpenTelemetry.noop());
    }

    /** @param requestedBy the requester's context, or null for a scheduled refresh (a new trace) */
    Span start(String connectionId, String workspaceId, Context requestedBy) {
        return tracer.spanBuilder(SPAN_NAME).setSpanKind(SpanKind.INTERNAL)
                .setParent(requestedBy != null ? requestedBy : Context.root())
                .setAttribute(CONNECTION_ID, connectionId).setAttribute(WORKSPACE_ID, workspaceId).startSpan();
    }

    static void end(Span span, RefresherStats.Outcome outcome) {
        span.setAttribute(OUTCOME, outcome.tag());
        if (outcome != RefresherStats.Outcome.SUCCESS && outcome != RefresherStats.Outcome.DISCARDED) {
            span.setStatus(StatusCode.ERROR, outcome.tag());
        }
        span.end();
    }
}
