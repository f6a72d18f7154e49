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
import io.jsworkflows.executor.runtime.ErrorCategory;
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
 * The HTTP client of workflows' {@code fetch}, redirects never followed, each body byte counted against the run's budget
 * before it is kept. Two transports, chosen by what the numbers and the egress rule need:
 * <ul>
 * <li>a request to a checked address goes over Quarkus's Vert.x client, because only it can connect to the very address
 * the egress guard checked ({@link RequestOptions#setServer}) while the Host header, SNI and certificate check keep the
 * URL's name, so a name that resolves differently a moment later (DNS rebinding) cannot lead inside
 * ({@link BoundedBody} pauses the socket while a reservation waits);</li>
 * <li>HubSpot (the operator's base URL) and hosts allow-listed by name go over the JDK client ({@link LimitedBody}):
 * measured side by side in the stack benchmark, the Vert.x client as used here cost the executor 2.54 ms of CPU per
 * run and the emulator three times its CPU, against 1.41 ms over the JDK client (docs/performance.md).</li>
 * </ul>
 * Hand-written rather than the REST Client or Web Client: neither connects to a given address or bounds a body by a
 * shared budget.
 */
@ApplicationScoped
public class OutboundHttpClient {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final Vertx vertx;
    private final HttpClient http;
    private final java.net.http.HttpClient jdk;
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
        this.jdk = java.net.http.HttpClient.newBuilder().connectTimeout(h.connectTimeout())
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
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
            return CompletableFuture.failedFuture(new FetchException(ErrorCategory.INVALID, "invalid request method"));
        }
        if (r.connectTo() == null) {
            return sendOverJdk(r, method, share);
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
                return CompletableFuture.failedFuture(new FetchException(ErrorCategory.INVALID, "invalid request header '" + header.get(0) + "'"));
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
            if (done.tryFail(new FetchException(ErrorCategory.TIMEOUT, "no response from " + shownHost + " within the request timeout")) && sent[0] != null) {
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

    /** The JDK client: HubSpot and hosts allow-listed by name, which it resolves itself (HTTP/2 where https offers it). */
    private CompletableFuture<OutboundResponse> sendOverJdk(OutboundRequest r, String method, FetchBudget.Share share) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(r.target()).timeout(r.timeout())
                .version("https".equalsIgnoreCase(r.target().getScheme()) ? java.net.http.HttpClient.Version.HTTP_2
                        : java.net.http.HttpClient.Version.HTTP_1_1);
        for (List<String> header : r.headers()) {
            if (!validHeader(header.get(0), header.get(1))) {
                return CompletableFuture.failedFuture(new FetchException(ErrorCategory.INVALID, "invalid request header '" + header.get(0) + "'"));
            }
            b.header(header.get(0), header.get(1));
        }
        java.net.http.HttpRequest request;
        try {
            request = b.method(method, r.body() == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(r.body())).build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new FetchException(ErrorCategory.INVALID, "invalid request: " + e.getMessage()));
        }
        String host = r.target().getHost();
        return jdk.sendAsync(request, LimitedBody.handler(maxBody, share)).handle((resp, t) -> {
            if (t != null) {
                Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
                if (c instanceof java.net.http.HttpTimeoutException) {
                    throw new FetchException(ErrorCategory.TIMEOUT, "no response from " + host + " within the request timeout");
                }
                throw failure(c, host);
            }
            List<List<String>> headers = new ArrayList<>();
            resp.headers().map().forEach((k, vs) -> {
                if (!k.startsWith(":")) {
                    headers.add(List.of(k.toLowerCase(Locale.ROOT), String.join(", ", vs)));
                }
            });
            return new OutboundResponse(resp.statusCode(), headers, resp.body());
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
            return new FetchException(ErrorCategory.NETWORK, "cannot connect to " + host);
        }
        return new FetchException(ErrorCategory.NETWORK, "network error talking to " + host);
    }
}
