package io.jsworkflows.gateway.service;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import io.jsworkflows.contracts.ShopifyHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.gateway.config.GatewayConfig;
import io.jsworkflows.gateway.messaging.SourcesReader;
import io.jsworkflows.gateway.messaging.WebhookPublisher;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.vertx.core.MultiMap;

/**
 * One Shopify delivery, from raw bytes to an answer: the source, the signature, the headers, the shop, the body, then
 * the record (once per webhook id) and 200 only after Kafka acknowledged it. Nothing here logs or echoes the body or
 * the secret; rejections are logged at debug only, so that a flood of bad deliveries cannot flood the log.
 */
@ApplicationScoped
public class WebhookIngress {

    /** The answer to a delivery: 200 ({@code rejection} null) or a problem. */
    public record Answer(int status, Rejection rejection, String detail, ReplayGuard.Result result) {

        static Answer ok(ReplayGuard.Result result) {
            return new Answer(200, null, null, result);
        }

        public static Answer problem(Rejection rejection, String detail) {
            return new Answer(rejection.status(), rejection, detail, null);
        }
    }

    /** A verified delivery, ready to publish. */
    public record Delivery(SourceDirectory.Source source, String topic, String webhookId, RecordHeaders headers, byte[] body) {
    }

    /** What {@link #check} decided: a delivery to publish or an answer now. */
    public record Checked(Delivery delivery, Answer answer) {
    }

    /** Shopify's ids are UUIDs; the bound keeps the replay memory bounded in bytes, not only in entries. */
    static final int MAX_WEBHOOK_ID = 256;
    /** How the log names a source id that is not in the view (such ids are the caller's, not ours to repeat). */
    static final String UNKNOWN = "unknown";
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
    private static final String SUPPORTED = Topics.SHOPIFY_SOURCE_TOPICS.stream().map(t -> t.substring("shopify.".length()) + "/*")
            .collect(Collectors.joining(", "));

    private final SourceDirectory sources;
    private final SourcesReader reader;
    private final WebhookPublisher publisher;
    private final ReplayGuard replay;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;

    public WebhookIngress(SourceDirectory sources, SourcesReader reader, WebhookPublisher publisher, ReplayGuard replay,
            GatewayMetrics metrics, GatewayConfig config) {
        this.sources = sources;
        this.reader = reader;
        this.publisher = publisher;
        this.replay = replay;
        this.metrics = metrics;
        this.config = config;
    }

    /** A body over the limit, refused while it was read. */
    public Answer tooLarge(String sourceId) {
        return reject(known(sourceId), Rejection.TOO_LARGE, "The body exceeds " + config.maxBodySize().asLongValue() + " bytes.");
    }

    /** The CPU-only part: verification and the record to write. Never blocks. */
    public Checked check(String sourceId, MultiMap headers, byte[] body) {
        if (!reader.caughtUp().isDone()) {
            return answer(reject(UNKNOWN, Rejection.NOT_READY, "The gateway is still loading its sources; retry."));
        }
        Optional<SourceDirectory.Source> found = sources.find(sourceId);
        String hmac = headers.get(ShopifyHeaders.HMAC);
        if (found.isEmpty()) {
            ShopifyHmac.verifyUnknown(body, hmac); // the same work as a bad signature: timing tells nothing
            return answer(reject(UNKNOWN, Rejection.UNKNOWN_SOURCE, "No such source."));
        }
        SourceDirectory.Source source = found.get();
        // the delivery's server span (docs/observability.md): which source and workspace, never the body or a secret
        Span.current().setAttribute(Tracing.SOURCE_ID, source.id()).setAttribute(Tracing.WORKSPACE_ID, source.workspaceId());
        Optional<SecretKeySpec> key = sources.key(source);
        boolean valid = key.isPresent() ? ShopifyHmac.verify(key.get(), body, hmac) : ShopifyHmac.verifyUnknown(body, hmac);
        if (!valid) {
            return answer(reject(source.id(), Rejection.BAD_HMAC, "The " + ShopifyHeaders.HMAC + " header is missing or does not match "
                    + "the body signed with this source's webhook secret."));
        }
        List<String> missing = DeliveryHeaders.missing(headers);
        if (!missing.isEmpty()) {
            return answer(reject(source.id(), Rejection.MISSING_HEADERS, "Missing required headers: " + String.join(", ", missing) + "."));
        }
        String webhookId = headers.get(ShopifyHeaders.WEBHOOK_ID).trim();
        if (webhookId.length() > MAX_WEBHOOK_ID) {
            return answer(reject(source.id(), Rejection.INVALID_HEADER, "The " + ShopifyHeaders.WEBHOOK_ID + " is longer than "
                    + MAX_WEBHOOK_ID + " characters."));
        }
        String topic = Topics.shopifySourceTopic(headers.get(ShopifyHeaders.TOPIC));
        if (topic == null) {
            return answer(reject(source.id(), Rejection.UNSUPPORTED_TOPIC, "The " + ShopifyHeaders.TOPIC
                    + " has no source topic. Supported: " + SUPPORTED + "."));
        }
        String shop = headers.get(ShopifyHeaders.SHOP_DOMAIN).trim().toLowerCase(Locale.ROOT);
        if (!shop.equals(source.shopDomain())) {
            return answer(reject(source.id(), Rejection.SHOP_MISMATCH, "The " + ShopifyHeaders.SHOP_DOMAIN
                    + " is not the shop this source belongs to."));
        }
        if (!isJson(body)) {
            return answer(reject(source.id(), Rejection.NOT_JSON, "The body is not a single JSON value in UTF-8."));
        }
        RecordHeaders recordHeaders = DeliveryHeaders.recordHeaders(headers, source.workspaceId(), source.id());
        return new Checked(new Delivery(source, topic, webhookId, recordHeaders, body), null);
    }

    /** Publishes a verified delivery once per webhook id; completes with 200 after the ack, or 503. */
    public CompletionStage<Answer> deliver(Delivery d) {
        String sourceId = d.source().id();
        Span span = Span.current(); // the callback below runs on a producer thread
        return replay.once(sourceId, d.webhookId(), () -> publish(d)).handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                Log.warnf("source %s: a delivery to %s was not stored (%s: %s); answered 503 so Shopify retries", sourceId, d.topic(),
                        cause.getClass().getSimpleName(), cause.getMessage());
                return reject(span, sourceId, Rejection.PUBLISH_FAILED, "The delivery could not be stored; retry later.");
            }
            if (result == ReplayGuard.Result.DUPLICATE) {
                metrics.duplicate();
                span.setAttribute(Tracing.OUTCOME, "duplicate");
            } else {
                metrics.accepted();
                span.setAttribute(Tracing.OUTCOME, "accepted");
            }
            return Answer.ok(result);
        });
    }

    private CompletableFuture<Void> publish(Delivery d) {
        long t0 = System.nanoTime();
        return publisher.publish(d.topic(), d.source().shopDomain(), d.headers(), d.body())
                .ifNoItem().after(config.publish().timeout()).fail()
                .subscribeAsCompletionStage()
                .whenComplete((x, failure) -> metrics.publishLatency(failure == null, System.nanoTime() - t0));
    }

    private String known(String sourceId) {
        return sources.find(sourceId).map(SourceDirectory.Source::id).orElse(UNKNOWN);
    }

    private Answer reject(String logSource, Rejection rejection, String detail) {
        return reject(Span.current(), logSource, rejection, detail);
    }

    private Answer reject(Span span, String logSource, Rejection rejection, String detail) {
        metrics.rejected(rejection);
        span.setAttribute(Tracing.OUTCOME, rejection.tag());
        if (Log.isDebugEnabled()) {
            Log.debugf("delivery for source %s rejected: %s", logSource, rejection.tag());
        }
        return Answer.problem(rejection, detail);
    }

    private static Checked answer(Answer a) {
        return new Checked(null, a);
    }

    /**
     * Exactly one JSON value, every string decoded (so invalid UTF-8 fails too). Parse errors are swallowed: their
     * messages would quote the body.
     */
    static boolean isJson(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return false;
            }
            int depth = 0;
            do {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME, VALUE_STRING -> p.getTextLength();
                    default -> {
                    }
                }
                if (depth == 0) {
                    break;
                }
                t = p.nextToken();
            } while (t != null);
            return depth == 0 && p.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
