package io.jsworkflows.shopifyemulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.jsworkflows.contracts.ShopifyHeaders;

/**
 * Delivers a webhook the way Shopify does: a signed JSON POST, 1 s to connect, 5 s in total, any non-2xx, timeout or
 * redirect is a failure (a redirect is never followed), then retries with the same body and headers on the retry
 * schedule.
 *
 * <p>Hand-written on the JDK's {@link HttpClient} rather than a Quarkus REST client: this is a plain library that
 * tests, the CLI and benchmarks call without a container, the JDK client has the three knobs Shopify's contract needs
 * (connect timeout, per-request timeout, {@code Redirect.NEVER}) and adds no dependency. The total timeout is also
 * enforced around the whole exchange, since the request timeout alone stops at the response headers.
 */
public final class WebhookSender {

    /** How the sender waits between attempts; tests pass one that records the waits instead of sleeping. */
    @FunctionalInterface
    public interface Waiter {
        void await(Duration duration) throws InterruptedException;
    }

    /** Shopify's user agent for webhook deliveries. */
    static final String USER_AGENT = "Shopify-Captain-Hook";

    private final DeliveryOptions options;
    private final Waiter waiter;
    private final HttpClient http;

    public WebhookSender(DeliveryOptions options) {
        this(options, d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()));
    }

    public WebhookSender(DeliveryOptions options, Waiter waiter) {
        this.options = options;
        this.waiter = waiter;
        this.http = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Delivers the webhook to {@code url}, retrying on the schedule until an attempt succeeds or none are left. */
    public DeliveryReport deliver(URI url, String secret, ShopifyWebhook webhook) throws InterruptedException {
        HttpRequest request = request(url, secret, webhook);
        List<DeliveryReport.Attempt> attempts = new ArrayList<>();
        List<Duration> waits = options.retries().delays();
        for (int i = 0; i <= waits.size(); i++) {
            Duration waited = i == 0 ? Duration.ZERO : waits.get(i - 1);
            if (i > 0) {
                waiter.await(waited);
            }
            DeliveryReport.Attempt attempt = attempt(i + 1, waited, request);
            attempts.add(attempt);
            if (attempt.succeeded()) {
                return new DeliveryReport(url, webhook.topic(), webhook.webhookId(), DeliveryReport.Outcome.DELIVERED,
                        attempts);
            }
        }
        return new DeliveryReport(url, webhook.topic(), webhook.webhookId(), DeliveryReport.Outcome.FAILED, attempts);
    }

    /** The request every attempt sends: built once, so retries carry the original payload and headers. */
    HttpRequest request(URI url, String secret, ShopifyWebhook webhook) {
        byte[] body = webhook.body();
        return HttpRequest.newBuilder(url)
                .timeout(options.totalTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header(ShopifyHeaders.TOPIC, webhook.topic())
                .header(ShopifyHeaders.HMAC, ShopifyHmac.sign(secret, body))
                .header(ShopifyHeaders.SHOP_DOMAIN, webhook.shopDomain())
                .header(ShopifyHeaders.API_VERSION, webhook.apiVersion())
                .header(ShopifyHeaders.WEBHOOK_ID, webhook.webhookId())
                .header(ShopifyHeaders.EVENT_ID, webhook.eventId())
                .header(ShopifyHeaders.TRIGGERED_AT, webhook.triggeredAtHeader())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private DeliveryReport.Attempt attempt(int number, Duration waited, HttpRequest request)
            throws InterruptedException {
        Instant started = Instant.now();
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            int status = exchange.get(options.totalTimeout().toNanos(), TimeUnit.NANOSECONDS).statusCode();
            String failure = status >= 200 && status < 300 ? null
                    : status >= 300 && status < 400 ? "redirect " + status + " (not followed)" : "HTTP " + status;
            return new DeliveryReport.Attempt(number, started, waited, status, failure);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new DeliveryReport.Attempt(number, started, waited, 0,
                    "timeout (" + options.totalTimeout().toMillis() + " ms)");
        } catch (ExecutionException e) {
            return new DeliveryReport.Attempt(number, started, waited, 0, describe(e.getCause()));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        }
    }

    private String describe(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timeout (" + options.connectTimeout().toMillis() + " ms)";
        }
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return "timeout (" + options.totalTimeout().toMillis() + " ms)";
        }
        if (cause instanceof IOException) {
            return "connection failed: " + cause.getClass().getSimpleName();
        }
        return "failed: " + cause.getClass().getSimpleName();
    }
}
