package io.jsworkflows.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.jsworkflows.gateway.config.GatewayConfig;
import io.jsworkflows.gateway.service.Rejection;
import io.jsworkflows.gateway.service.WebhookIngress;
import io.jsworkflows.gateway.service.WebhookIngress.Answer;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /webhooks/shopify/{sourceId}} as a Vert.x route rather than a JAX-RS resource: the body must be read as
 * raw bytes with the size limit enforced while it streams in (JAX-RS buffers it whole first), and the answer is written
 * when Kafka acknowledges, without holding a thread. Small bodies are verified on the event loop (microseconds of
 * CPU); large ones on the worker pool.
 */
@ApplicationScoped
public class WebhookRoute {

    public static final String PATH = "/webhooks/shopify/:sourceId";
    /**
     * Before Quarkus' own body-size check (order -2, the same limit, kept for every other path), so that a declared
     * Content-Length over the limit is refused here with a problem+json body rather than a bare 413.
     */
    static final int ORDER = -3;
    private static final int INITIAL_BUFFER_MAX = 64 * 1024;

    private final WebhookIngress ingress;
    private final long maxBody;
    private final long workerThreshold;
    private final int retryAfter;

    public WebhookRoute(WebhookIngress ingress, GatewayConfig config) {
        this.ingress = ingress;
        this.maxBody = config.maxBodySize().asLongValue();
        this.workerThreshold = config.workerThreshold().asLongValue();
        this.retryAfter = config.publish().retryAfterSeconds();
    }

    void install(@Observes Router router) {
        router.post(PATH).order(ORDER).handler(this::receive);
    }

    private void receive(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String sourceId = rc.pathParam("sourceId");
        long declared = contentLength(request);
        if (declared > maxBody) {
            respond(rc, ingress.tooLarge(sourceId), true);
            return;
        }
        // sized from Content-Length, but a declared length only reserves up to 64 KiB: a client that declares 1 MiB and
        // sends slowly must not hold 1 MiB per connection; larger bodies grow as their bytes arrive
        Buffer body = Buffer.buffer((int) Math.min(declared >= 0 ? declared : 16 * 1024, INITIAL_BUFFER_MAX));
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBody) {
                refused[0] = true;
                respond(rc, ingress.tooLarge(sourceId), true);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> refused[0] = true);
        request.endHandler(v -> {
            if (!refused[0]) {
                verify(rc, sourceId, request.headers(), body.getBytes());
            }
        });
        request.resume();
    }

    private void verify(RoutingContext rc, String sourceId, MultiMap headers, byte[] body) {
        if (body.length <= workerThreshold) {
            decide(rc, ingress.check(sourceId, headers, body));
            return;
        }
        rc.vertx().<WebhookIngress.Checked>executeBlocking(() -> ingress.check(sourceId, headers, body), false)
                .onSuccess(checked -> decide(rc, checked))
                .onFailure(e -> respond(rc, Answer.problem(Rejection.PUBLISH_FAILED, "The delivery could not be verified; retry."), false));
    }

    private void decide(RoutingContext rc, WebhookIngress.Checked checked) {
        if (checked.answer() != null) {
            respond(rc, checked.answer(), false);
            return;
        }
        Context context = Vertx.currentContext();
        ingress.deliver(checked.delivery()).whenComplete((answer, failure) -> {
            Answer a = failure == null ? answer : Answer.problem(Rejection.PUBLISH_FAILED, "The delivery could not be stored; retry later.");
            if (context != null) {
                context.runOnContext(v -> respond(rc, a, false));
            } else {
                respond(rc, a, false);
            }
        });
    }

    private void respond(RoutingContext rc, Answer a, boolean close) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(a.status());
        if (close) {
            // the rest of an oversized body is not read: the connection cannot be reused
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        if (a.rejection() == null) {
            response.end();
            return;
        }
        if (a.status() == 503) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfter));
        }
        String problem = new JsonObject()
                .put("type", "about:blank")
                .put("title", a.rejection().title())
                .put("status", a.status())
                .put("detail", a.detail())
                .encode();
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json").end(problem);
    }

    private static long contentLength(HttpServerRequest request) {
        String v = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
