package io.jsworkflows.executor.service;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.executor.client.OutboundHttpClient;
import io.jsworkflows.executor.client.OutboundRequest;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.runtime.ErrorCategory;
import io.jsworkflows.executor.runtime.RunHost.FetchException;
import io.jsworkflows.executor.runtime.RunHost.FetchRequest;
import io.jsworkflows.executor.runtime.RunHost.FetchResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * The platform side of a workflow's {@code fetch}: the egress guard (the request connects to the address it checked),
 * size caps and HubSpot handling, over the pooled {@link OutboundHttpClient}. Requests to {@code https://api.hubapi.com} go to the configured
 * HubSpot base URL; a Bearer token in such a request names its connection and portal, which drives the per-portal
 * budget (wait instead of a 429), the 429 retry, and the 401 rule (ask for a refresh, wait, retry once).
 */
@ApplicationScoped
public class FetchGateway {

    static final URI HUBSPOT_PUBLIC = URI.create("https://api.hubapi.com");
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade", "te", "trailer",
            "transfer-encoding", "keep-alive", "proxy-connection");

    private final ExecutorConfig config;
    private final TokenView tokens;
    private final RateBudgets budgets;
    private final EgressGuard guard;
    private final FetchBudget budget;
    private final ScopeErrors scopes = new ScopeErrors();
    private final OutboundHttpClient http;
    private final RunTracing tracing;
    private final URI hubspotBase;
    private final Executor blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final Timer budgetWaits;
    private final Counter tooManyRequests;
    private final Counter foreignRequests;

    public FetchGateway(ExecutorConfig config, TokenView tokens, FetchBudget budget, OutboundHttpClient http, RunTracing tracing,
            MeterRegistry registry) {
        this.tracing = tracing;
        this.config = config;
        this.budget = budget;
        this.tokens = tokens;
        var rl = config.executor().rateLimit();
        this.budgets = new RateBudgets(rl.max(), rl.interval(), rl.margin());
        this.guard = new EgressGuard(config.executor().egress().allow().orElse(List.of()));
        URI base = URI.create(config.hubspot().apiUrl());
        this.hubspotBase = base.getPath() != null && base.getPath().endsWith("/")
                ? URI.create(base.toString().substring(0, base.toString().length() - 1)) : base;
        this.http = http;
        this.budgetWaits = Timer.builder("jsw.hubspot.budget.wait").description("time HubSpot requests waited for the portal's budget")
                .register(registry);
        this.tooManyRequests = Counter.builder("jsw.hubspot.429").description("429 responses HubSpot returned").register(registry);
        this.foreignRequests = Counter.builder("jsw.hubspot.budget.foreign")
                .description("requests HubSpot counted against a portal beyond this replica's own (other replicas, other apps)")
                .register(registry);
    }

    /** Per-attempt facts the gateway reports back (HTTP call summaries, transient failures). */
    public interface CallSink {
        void call(String method, String host, String path, int status, long millis);

        void transientFailure(ErrorCategory category);

        /** Time left before the run's deadline. */
        Duration remaining();

        /** The run's share of the executor's memory for response bodies (see {@link FetchGateway#openShare}). */
        FetchBudget.Share share();

        /** The run's trace context: each call is a client span under it. */
        default Context trace() {
            return Context.root();
        }
    }

    /** A run's share of the bytes of response bodies the executor may hold; close it when the run ends. */
    public FetchBudget.Share openShare() {
        return budget.open();
    }

    public CompletableFuture<FetchResponse> fetch(FetchRequest req, CallSink sink) {
        URI original;
        try {
            original = new URI(req.url());
        } catch (URISyntaxException | NullPointerException e) {
            return CompletableFuture.failedFuture(new FetchException(ErrorCategory.INVALID, "invalid URL: " + req.url()));
        }
        String scheme = original.getScheme() == null ? "" : original.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return CompletableFuture.failedFuture(new FetchException(ErrorCategory.INVALID, "only http and https URLs can be fetched"));
        }
        if (original.getHost() == null) {
            return CompletableFuture.failedFuture(new FetchException(ErrorCategory.INVALID, "invalid URL: no host"));
        }
        if (operatorPath(original)) {
            return CompletableFuture.failedFuture(new FetchException(ErrorCategory.EGRESS_DENIED,
                    "requests to the emulator's operator API (/_emulator) are refused"));
        }
        if (req.body() != null && req.body().length() > config.executor().limits().requestBodyBytes()) {
            return CompletableFuture.failedFuture(new FetchException(ErrorCategory.LIMIT, "limit reached: the request body is larger than "
                    + config.executor().limits().requestBodyBytes() + " bytes (jsw.executor.limits.request-body-bytes)"));
        }
        boolean hubspot = sameOrigin(original, HUBSPOT_PUBLIC) || sameOrigin(original, hubspotBase);
        URI target = sameOrigin(original, HUBSPOT_PUBLIC) ? rebase(original) : original;
        // HubSpot's base URL is the operator's; any other destination is checked, and connected to at the checked address
        CompletableFuture<InetAddress> checked = hubspot ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> guard.check(target), blocking);
        return checked.thenCompose(address -> new Call(req, original, target, hubspot, sink, address).send(bearer(req.headers()), 0, false));
    }

    private final class Call {
        final FetchRequest req;
        final URI original;
        final URI target;
        final boolean hubspot;
        final CallSink sink;
        final InetAddress connectTo;

        Call(FetchRequest req, URI original, URI target, boolean hubspot, CallSink sink, InetAddress connectTo) {
            this.req = req;
            this.original = original;
            this.target = target;
            this.hubspot = hubspot;
            this.sink = sink;
            this.connectTo = connectTo;
        }

        CompletableFuture<FetchResponse> send(String token, int retries429, boolean retried401) {
            Optional<TokenView.Entry> conn = hubspot ? tokens.byToken(token) : Optional.empty();
            if (conn.isPresent()) {
                FetchException missing = scopes.missingBeforeSending(conn.get().state(), req.method(), target);
                if (missing != null) {
                    return CompletableFuture.failedFuture(missing);
                }
            }
            Long hubId = conn.map(e -> e.state().hubId()).orElse(null);
            Duration wait = hubId == null ? Duration.ZERO : budgets.reserve(hubId);
            if (hubId != null) {
                budgetWaits.record(wait);
            }
            if (wait.compareTo(sink.remaining()) > 0) {
                return CompletableFuture.failedFuture(new FetchException(ErrorCategory.TIMEOUT, "HubSpot's request budget for this portal has no "
                        + "room before the run's deadline"));
            }
            CompletableFuture<Void> slot = wait.isZero() ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS));
            RateBudgets.Send[] sent = new RateBudgets.Send[1];
            return slot.thenCompose(x -> {
                if (hubId != null) {
                    sent[0] = budgets.sent(hubId, System.nanoTime());
                }
                return once(token);
            }).thenCompose(r -> {
                if (hubId != null) {
                    int foreign = budgets.observe(hubId, sent[0], intHeader(r, "x-hubspot-ratelimit-max"),
                            intHeader(r, "x-hubspot-ratelimit-remaining"), longHeader(r, "x-hubspot-ratelimit-interval-milliseconds"));
                    if (foreign > 0) {
                        foreignRequests.increment(foreign);
                    }
                }
                if (hubspot && r.status() == 429) {
                    tooManyRequests.increment();
                    Duration pause = hubId != null ? budgets.blockAfter429(hubId) : Duration.ofSeconds(10);
                    Long retryAfter = longHeader(r, "retry-after");
                    if (retryAfter != null) {
                        pause = Duration.ofSeconds(retryAfter);
                    }
                    if (retries429 < config.executor().rateLimit().retries429() && pause.compareTo(sink.remaining()) < 0) {
                        sink.share().releaseBody(r); // dropped: the retry's answer replaces it
                        Duration p = pause;
                        return CompletableFuture.runAsync(() -> { },
                                CompletableFuture.delayedExecutor(p.toNanos(), TimeUnit.NANOSECONDS))
                                .thenCompose(y -> send(token, retries429 + 1, retried401));
                    }
                    sink.transientFailure(ErrorCategory.HTTP_429);
                }
                if (hubspot && r.status() == 401 && !retried401 && token != null && conn.isPresent()) {
                    return tokens.refreshAfter401(token).thenCompose(fresh -> {
                        if (fresh.isEmpty()) {
                            return CompletableFuture.completedFuture(r);
                        }
                        sink.share().releaseBody(r);
                        return send(fresh.get(), retries429, true);
                    });
                }
                if (hubspot && r.status() == 403 && conn.isPresent()) {
                    FetchException refused = scopes.missingInAnswer(conn.get().state(), r.body());
                    if (refused != null) {
                        sink.share().releaseBody(r);
                        return CompletableFuture.failedFuture(refused);
                    }
                }
                if (r.status() >= 500) {
                    sink.transientFailure(ErrorCategory.HTTP_5XX);
                }
                return CompletableFuture.completedFuture(r);
            });
        }

        CompletableFuture<FetchResponse> once(String token) {
            Duration timeout = config.executor().http().requestTimeout();
            Duration left = sink.remaining();
            if (left.compareTo(timeout) < 0) {
                timeout = left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
            }
            List<List<String>> headers = new ArrayList<>();
            for (List<String> h : req.headers() == null ? List.<List<String>>of() : req.headers()) {
                if (h.size() == 2 && !RESTRICTED.contains(h.get(0).toLowerCase(Locale.ROOT))) {
                    String value = h.get(0).equalsIgnoreCase("authorization") && token != null ? "Bearer " + token : h.get(1);
                    headers.add(List.of(h.get(0), value));
                }
            }
            String method = req.method() == null ? "GET" : req.method();
            long t0 = System.nanoTime();
            String path = original.getRawPath() == null || original.getRawPath().isEmpty() ? "/" : original.getRawPath();
            Span span = tracing.startCall(sink.trace(), method, original.getHost());
            return http.send(new OutboundRequest(method, target, connectTo, headers, req.body(), timeout), sink.share())
                    .handle((r, t) -> {
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        if (t != null) {
                            Throwable c = t.getCause() != null && t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
                            FetchException fe = c instanceof FetchException f ? f : new FetchException(ErrorCategory.NETWORK, "network error talking to " + original.getHost());
                            tracing.endCall(span, 0, fe.category().name());
                            if (fe.category() != ErrorCategory.INVALID) {
                                sink.call(method, original.getHost(), path, 0, ms);
                            }
                            if (fe.category() == ErrorCategory.TIMEOUT || fe.category() == ErrorCategory.NETWORK) {
                                sink.transientFailure(fe.category());
                            }
                            throw fe;
                        }
                        sink.call(method, original.getHost(), path, r.status(), ms);
                        tracing.endCall(span, r.status(), null);
                        FetchResponse response = new FetchResponse(r.status(), "", original.toString(), r.headers(), r.body().text());
                        sink.share().attach(response, r.body().reserved());
                        return response;
                    });
        }
    }

    /**
     * Whether the path reaches the HubSpot emulator's operator API ({@code /_emulator/...}), on any host: the emulator
     * may be the HubSpot base URL (dev, test, the local stack) or allow-listed. Checked on the decoded path, per segment
     * and before any matrix parameter, so encodings, dot segments and doubled slashes do not get past it.
     */
    static boolean operatorPath(URI u) {
        String path = u.getPath();
        if (path == null) {
            return false;
        }
        for (String segment : path.split("/")) {
            if (segment.toLowerCase(Locale.ROOT).startsWith("_emulator")) {
                return true;
            }
        }
        return false;
    }

    private URI rebase(URI u) {
        String raw = u.getRawPath() == null ? "" : u.getRawPath();
        String q = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
        return URI.create(hubspotBase.toString() + raw + q);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String bearer(List<List<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (List<String> h : headers) {
            if (h.size() == 2 && h.get(0).equalsIgnoreCase("authorization") && h.get(1).regionMatches(true, 0, "Bearer ", 0, 7)) {
                return h.get(1).substring(7).trim();
            }
        }
        return null;
    }

    private static Integer intHeader(FetchResponse r, String name) {
        Long l = longHeader(r, name);
        return l == null ? null : (int) Math.min(Integer.MAX_VALUE, l);
    }

    private static Long longHeader(FetchResponse r, String name) {
        for (List<String> h : r.headers()) {
            if (h.get(0).equals(name)) {
                try {
                    return Long.parseLong(h.get(1).trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
