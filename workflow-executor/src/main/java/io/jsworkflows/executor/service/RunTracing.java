package io.jsworkflows.executor.service;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.executor.runtime.RunResult;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The executor's spans (docs/observability.md, "Traces"): a run continues the trace of its trigger record's
 * {@code traceparent} (so a Shopify order's trace runs gateway → executor), and each HubSpot or other call of the run
 * is a client span under it. Hand-written spans: the executor's Kafka clients and its fetch client are not the
 * instrumented SmallRye channels or REST clients. Ids only as attributes; never a token, a body or a header.
 */
@ApplicationScoped
public class RunTracing {

    public static final AttributeKey<String> WORKSPACE_ID = AttributeKey.stringKey("jsw.workspace.id");
    public static final AttributeKey<String> WORKFLOW_ID = AttributeKey.stringKey("jsw.workflow.id");
    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("jsw.run.id");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("jsw.run.attempt");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("jsw.outcome");
    static final String RUN_SPAN = "workflow run";

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    public RunTracing(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.jsworkflows.executor");
    }

    /** Starts the run's span, under the record's trace if it carries a valid {@code traceparent}; a bad one starts a new trace. */
    public Context startRun(Attempt a) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), a.record().headers(), HEADERS);
        Span span = tracer.spanBuilder(RUN_SPAN).setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute(WORKSPACE_ID, a.workspaceId()).setAttribute(WORKFLOW_ID, a.workflowId())
                .setAttribute(RUN_ID, a.runId()).setAttribute(ATTEMPT, (long) a.number()).startSpan();
        return parent.with(span);
    }

    /** Ends the run's span with its outcome ({@code succeeded}, {@code failed}, {@code timeout}, {@code limit}, {@code crashed}). */
    public void endRun(Context run, RunResult result) {
        Span span = Span.fromContext(run);
        String outcome = result.succeeded() ? "succeeded" : result.outcome().name().toLowerCase(java.util.Locale.ROOT);
        span.setAttribute(OUTCOME, outcome);
        if (!result.succeeded()) {
            span.setStatus(StatusCode.ERROR, outcome);
        }
        span.end();
    }

    /** A client span for one outgoing call of the run: method and host, never the path (it may hold ids or tokens). */
    public Span startCall(Context run, String method, String host) {
        return tracer.spanBuilder(method).setSpanKind(SpanKind.CLIENT).setParent(run)
                .setAttribute("http.request.method", method).setAttribute("server.address", host).startSpan();
    }

    /** Ends a call's span: its status code, or 0 and an error status when no answer came. */
    public void endCall(Span call, int status, String failure) {
        if (status > 0) {
            call.setAttribute("http.response.status_code", (long) status);
        }
        if (failure != null || status >= 500) {
            call.setStatus(StatusCode.ERROR, failure != null ? failure : "HTTP " + status);
        }
        call.end();
    }
}
