package io.jsworkflows.emulator.rest;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

/**
 * The "slow body" fault: the request is replayed against the emulator itself over loopback (marked with a per-process
 * secret header so that it skips the faults), then the real response is sent with its headers at once and its body
 * dribbled out at the configured rate. State changes happen exactly once, as with a slow network at HubSpot.
 */
@ApplicationScoped
public class SlowBodyProxy {

    private static final Set<String> HOP_HEADERS = Set.of("content-length", "transfer-encoding", "connection", "keep-alive",
            "host");
    private static final long TICK_MILLIS = 100;

    private final String secret;
    private final Vertx vertx;
    private volatile HttpClient client;

    public SlowBodyProxy(Vertx vertx) {
        this.vertx = vertx;
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        this.secret = HexFormat.of().formatHex(b);
    }

    boolean isInner(String header) {
        return header != null && header.equals(secret);
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient();
                }
                c = client;
            }
        }
        return c;
    }

    private record Replayed(HttpClientResponse response, Buffer body) {
    }

    void replay(RoutingContext rc, int bytesPerSecond) {
        HttpServerRequest req = rc.request();
        req.body().onFailure(rc::fail).onSuccess(body -> {
            RequestOptions o = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1")
                    .setPort(req.localAddress().port()).setURI(req.uri());
            req.headers().forEach(h -> {
                if (!HOP_HEADERS.contains(h.getKey().toLowerCase())) {
                    o.addHeader(h.getKey(), h.getValue());
                }
            });
            o.putHeader(EdgeFilter.INNER_HEADER, secret);
            client().request(o)
                    .compose(creq -> creq.send(body))
                    .compose(resp -> resp.body().map(b -> new Replayed(resp, b)))
                    .onFailure(rc::fail)
                    .onSuccess(r -> dribble(rc.response(), r.response(), r.body(), bytesPerSecond));
        });
        req.resume();
    }

    private void dribble(HttpServerResponse out, HttpClientResponse in, Buffer body, int bytesPerSecond) {
        out.setStatusCode(in.statusCode());
        in.headers().forEach(h -> {
            if (!HOP_HEADERS.contains(h.getKey().toLowerCase())) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        out.putHeader("Content-Length", Integer.toString(body.length()));
        int chunk = (int) Math.max(1, bytesPerSecond * TICK_MILLIS / 1000);
        if (body.length() == 0) {
            out.end();
            return;
        }
        out.write(body.getBuffer(0, Math.min(chunk, body.length())));
        int[] pos = {Math.min(chunk, body.length())};
        if (pos[0] >= body.length()) {
            out.end();
            return;
        }
        vertx.setPeriodic(TICK_MILLIS, id -> {
            if (out.closed()) {
                vertx.cancelTimer(id);
                return;
            }
            int end = Math.min(pos[0] + chunk, body.length());
            out.write(body.getBuffer(pos[0], end));
            pos[0] = end;
            if (end >= body.length()) {
                vertx.cancelTimer(id);
                out.end();
            }
        });
    }
}
