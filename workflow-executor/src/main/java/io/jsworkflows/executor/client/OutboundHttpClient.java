package io.jsworkflows.executor.client;

import java.net.ConnectException;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.runtime.RunHost.FetchException;
import io.jsworkflows.executor.service.FetchBudget;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;

/**
 * The HTTP client of workflows' {@code fetch}: Quarkus's Vert.x, pooled keep-alive connections, non-blocking, redirects
 * never followed. Hand-written on the core Vert.x client rather than the REST Client or Web Client because it must (1)
 * connect to the very address the egress guard checked ({@link RequestOptions#setServer}) while the Host header, SNI and
 * certificate check still use the URL's name, so a name that resolves differently a moment later (DNS rebinding) cannot
 * lead inside, and (2) count each body byte against the run's budget before keeping it, pausing the socket meanwhile
 * ({@link BoundedBody}).
 */
@ApplicationScoped
public class OutboundHttpClient {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final Vertx vertx;
    private final HttpClient http;
    private final int maxBody;

    public OutboundHttpClient(Vertx vertx, ExecutorConfig config) {
        this.vertx = vertx;
        var h = config.executor().http();
        this.maxBody = config.executor().limits().responseBodyBytes();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, h.connectTimeout().toMillis()))
                .setMaxPoolSize(h.maxConnectionsPerHost())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setVerifyHost(true)
                .setDecompressionSupported(false)
                // spans are the executor's own (RunTracing), under the run: no automatic ones, no trace headers to third parties
                .setTracingPolicy(TracingPolicy.IGNORE));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** Whether a header name and value may be sent as given (no CR, LF or NUL smuggled into the request). */
    public static boolean validHeader(String name, String value) {
        return name != null && TOKEN.matcher(name).matches() && value != null && value.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0);
    }

    /**
     * Sends the request and reads the response body within {@code share}. Fails with a {@link FetchException}: INVALID
     * for a request that cannot be sent, TIMEOUT when the exchange outlives its timeout, NETWORK when the host cannot be
     * reached or the connection breaks, LIMIT when the body is too large or the run's share is spent.
     */
    public CompletableFuture<OutboundResponse> send(OutboundRequest r, FetchBudget.Share share) {
        String method = r.method() == null ? "GET" : r.method().toUpperCase(Locale.ROOT);
        if (!TOKEN.matcher(method).matches()) {
            return CompletableFuture.failedFuture(new FetchException("INVALID", "invalid request method"));
        }
        String host = r.target().getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean https = "https".equalsIgnoreCase(r.target().getScheme());
        int port = r.target().getPort() != -1 ? r.target().getPort() : https ? 443 : 80;
        String path = r.target().getRawPath() == null || r.target().getRawPath().isEmpty() ? "/" : r.target().getRawPath();
        String uri = r.target().getRawQuery() == null ? path : path + "?" + r.target().getRawQuery();
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost(host).setPort(port).setSsl(https)
                .setURI(uri).setFollowRedirects(false);
        if (r.connectTo() != null) {
            String ip = r.connectTo().getHostAddress();
            o.setServer(SocketAddress.inetSocketAddress(port, r.connectTo() instanceof Inet6Address ? "[" + ip + "]" : ip));
        }
        for (List<String> header : r.headers()) {
            if (!validHeader(header.get(0), header.get(1))) {
                return CompletableFuture.failedFuture(new FetchException("INVALID", "invalid request header '" + header.get(0) + "'"));
            }
            o.addHeader(header.get(0), header.get(1));
        }
        String shownHost = r.target().getHost();
        Promise<OutboundResponse> done = Promise.promise();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> exchange(o, r, share, shownHost, done, context));
        CompletableFuture<OutboundResponse> cf = new CompletableFuture<>();
        done.future().onComplete(ar -> {
            if (ar.succeeded()) {
                cf.complete(ar.result());
            } else {
                cf.completeExceptionally(ar.cause());
            }
        });
        return cf;
    }

    private void exchange(RequestOptions o, OutboundRequest r, FetchBudget.Share share, String shownHost, Promise<OutboundResponse> done,
            Context context) {
        HttpClientRequest[] sent = new HttpClientRequest[1];
        long timeout = Math.max(1, r.timeout().toMillis());
        long timer = vertx.setTimer(timeout, id -> {
            if (done.tryFail(new FetchException("TIMEOUT", "no response from " + shownHost + " within the request timeout")) && sent[0] != null) {
                sent[0].reset();
            }
        });
        http.request(o).compose(req -> {
            sent[0] = req;
            return r.body() == null ? req.send() : req.send(Buffer.buffer(r.body()));
        }).compose(resp -> {
            // handlers are set in this callback, before the event loop delivers any of the body
            List<List<String>> headers = headers(resp.headers());
            return BoundedBody.read(resp, context, maxBody, share).map(body -> new OutboundResponse(resp.statusCode(), headers, body));
        }).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                if (!done.tryComplete(ar.result())) {
                    share.release(ar.result().body().reserved()); // timed out as it arrived
                }
            } else {
                done.tryFail(failure(ar.cause(), shownHost));
            }
        });
    }

    private static List<List<String>> headers(io.vertx.core.MultiMap in) {
        Map<String, String> joined = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : in) {
            joined.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + ", " + b);
        }
        List<List<String>> out = new ArrayList<>(joined.size());
        joined.forEach((k, v) -> out.add(List.of(k, v)));
        return out;
    }

    private static FetchException failure(Throwable t, String host) {
        if (t instanceof FetchException fe) {
            return fe;
        }
        if (t instanceof ConnectException || t instanceof ConnectTimeoutException || t instanceof java.net.UnknownHostException) {
            return new FetchException("NETWORK", "cannot connect to " + host);
        }
        return new FetchException("NETWORK", "network error talking to " + host);
    }
}
