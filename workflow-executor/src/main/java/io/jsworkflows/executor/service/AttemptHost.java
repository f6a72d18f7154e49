package io.jsworkflows.executor.service;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.executor.runtime.ErrorCategory;
import io.jsworkflows.executor.runtime.RunHost;
import io.micrometer.core.instrument.Timer;

/**
 * The platform side of one attempt, as the runtime sees it: token lookups in the workflow's workspace (never another),
 * fetch through the gateway with the run's share of the body memory, and what happened (HTTP calls with redacted paths,
 * whether the connection needs re-authorization, the last transient failure). Why a class of its own: it is the only
 * object a run's code can reach the platform through.
 */
final class AttemptHost implements RunHost, FetchGateway.CallSink {

    final String workspaceId;
    final Duration timeout;
    final long deadline;
    final List<RunEvent.HttpCall> calls = Collections.synchronizedList(new ArrayList<>());
    /** Tokens this attempt obtained: never published, even where a workflow put one into a request path. */
    final Set<String> secrets = ConcurrentHashMap.newKeySet();
    /** The run's share of the memory for response bodies. */
    final FetchBudget.Share share;
    volatile boolean needsReauth;
    volatile ErrorCategory transientCategory;

    private final TokenView tokens;
    private final FetchGateway gateway;
    private final Timer tokenLatency;

    /** The run's trace: its calls' spans and the records it causes (refresh requests) are children of it. */
    final Context trace;

    AttemptHost(String workspaceId, Duration timeout, FetchBudget.Share share, TokenView tokens, FetchGateway gateway, Timer tokenLatency,
            Context trace) {
        this.trace = trace;
        this.tokens = tokens;
        this.gateway = gateway;
        this.tokenLatency = tokenLatency;
        this.workspaceId = workspaceId;
        this.share = share;
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    @Override
    public CompletableFuture<TokenResult> getOAuthToken(String handle) {
        long t0 = System.nanoTime();
        CompletableFuture<TokenView.Lookup> lookup;
        try (Scope s = trace.makeCurrent()) {
            lookup = tokens.lookup(workspaceId, handle, timeout); // a refresh request it sends joins the run's trace
        }
        return lookup.handle((l, t) -> {
            tokenLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            if (t != null) {
                return TokenResult.error("The token lookup failed unexpectedly; the run will be retried.");
            }
            if (l.needsReauth()) {
                needsReauth = true;
            }
            if (l.token() != null) {
                secrets.add(l.token());
                return TokenResult.ok(l.token());
            }
            return TokenResult.error(l.error());
        });
    }

    @Override
    public String tokenNow(String handle) {
        long t0 = System.nanoTime();
        String token = tokens.tokenNow(workspaceId, handle, timeout).orElse(null);
        if (token != null) {
            secrets.add(token);
            tokenLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS); // the run gets it at once, if it asks
        }
        return token;
    }

    @Override
    public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
        return gateway.fetch(request, this);
    }

    @Override
    public void handedOver(FetchResponse response) {
        share.releaseBody(response);
    }

    @Override
    public FetchBudget.Share share() {
        return share;
    }

    @Override
    public void call(String method, String host, String path, int status, long millis) {
        calls.add(new RunEvent.HttpCall(method, host, PathRedactor.redact(path, secrets), status, millis));
    }

    @Override
    public void transientFailure(ErrorCategory category) {
        transientCategory = category;
    }

    @Override
    public Context trace() {
        return trace;
    }

    @Override
    public Duration remaining() {
        return Duration.ofNanos(deadline - System.nanoTime());
    }

    List<RunEvent.HttpCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }
}
