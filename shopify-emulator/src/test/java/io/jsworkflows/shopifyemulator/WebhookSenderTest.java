package io.jsworkflows.shopifyemulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.jsworkflows.contracts.ShopifyHeaders;

/** The sender against a real local HTTP server: what goes on the wire, what counts as a failure, and the retries. */
class WebhookSenderTest {

    private static final String SECRET = "shpss_test_secret";
    private static final ShopifyWebhook WEBHOOK = new ShopifyWebhook("orders/create", "demo-shop.myshopify.com",
            "2025-10", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", "98880550-7158-44d4-b7cd-2c97c8a091b5",
            Instant.parse("2026-03-30T14:30:00.123456789Z"), OrderBuilder.order().toJsonBytes());

    /** One request as the server saw it. */
    record Received(String path, Map<String, String> headers, byte[] body) {
    }

    private HttpServer server;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final List<Duration> waits = new ArrayList<>();
    private final WebhookSender.Waiter recordingWaiter = waits::add;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI route(String path, IntSupplier status) {
        server.createContext(path, exchange -> answer(exchange, status.getAsInt()));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void answer(HttpExchange exchange, int status) throws IOException {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        received.add(new Received(exchange.getRequestURI().getPath(), headers, exchange.getRequestBody().readAllBytes()));
        if (status >= 300 && status < 400) {
            exchange.getResponseHeaders().add("Location", "/elsewhere");
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Test
    void signsTheRawBodyAndSendsShopifysHeaders() throws Exception {
        URI url = route("/webhooks/shopify/src_1", () -> 200);

        DeliveryReport report = new WebhookSender(DeliveryOptions.shopify(), recordingWaiter).deliver(url, SECRET, WEBHOOK);

        assertThat(report.delivered()).isTrue();
        assertThat(report.statuses()).containsExactly(200);
        Received r = received.peek();
        assertThat(r.body()).isEqualTo(WEBHOOK.body());
        assertThat(r.headers())
                .containsEntry("Content-Type", "application/json")
                .containsEntry(ShopifyHeaders.TOPIC, "orders/create")
                .containsEntry(ShopifyHeaders.SHOP_DOMAIN, "demo-shop.myshopify.com")
                .containsEntry(ShopifyHeaders.API_VERSION, "2025-10")
                .containsEntry(ShopifyHeaders.WEBHOOK_ID, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
                .containsEntry(ShopifyHeaders.EVENT_ID, "98880550-7158-44d4-b7cd-2c97c8a091b5")
                .containsEntry(ShopifyHeaders.TRIGGERED_AT, "2026-03-30T14:30:00.123456789Z")
                .containsEntry(ShopifyHeaders.HMAC, ShopifyHmac.sign(SECRET, r.body()));
        assertThat(r.headers().keySet()).containsAll(ShopifyHeaders.REQUIRED);
    }

    @Test
    void theSignatureIsBase64OfHmacSha256OverTheRawBytes() {
        // reference value: printf hello | openssl dgst -sha256 -hmac secret -binary | base64
        assertThat(ShopifyHmac.sign("secret", "hello".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("iKqz7ejTrflNJquQ07r9SiCDBww7zOnAFO4EpEOEfAs=");
        assertThat(ShopifyHmac.sign("other", "hello".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo("iKqz7ejTrflNJquQ07r9SiCDBww7zOnAFO4EpEOEfAs=");
    }

    @Test
    void aFailedAttemptIsRetriedOnTheScheduleWithTheOriginalPayloadAndWebhookId() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        URI url = route("/hook", () -> calls.incrementAndGet() <= 3 ? 500 : 200);

        DeliveryReport report = new WebhookSender(DeliveryOptions.shopify(), recordingWaiter).deliver(url, SECRET, WEBHOOK);

        assertThat(report.delivered()).isTrue();
        assertThat(report.statuses()).containsExactly(500, 500, 500, 200);
        assertThat(report.attempts()).extracting(DeliveryReport.Attempt::failure)
                .containsExactly("HTTP 500", "HTTP 500", "HTTP 500", null);
        assertThat(waits).isEqualTo(RetrySchedule.shopify().delays().subList(0, 3));
        assertThat(received).hasSize(4);
        Received first = received.peek();
        assertThat(received).allSatisfy(r -> {
            assertThat(r.body()).isEqualTo(first.body());
            for (String h : List.of(ShopifyHeaders.WEBHOOK_ID, ShopifyHeaders.EVENT_ID, ShopifyHeaders.TRIGGERED_AT,
                    ShopifyHeaders.HMAC)) {
                assertThat(r.headers().get(h)).as(h).isEqualTo(first.headers().get(h));
            }
        });
    }

    @Test
    void eightRetriesThenTheDeliveryHasFailed() throws Exception {
        URI url = route("/hook", () -> 503);

        DeliveryReport report = new WebhookSender(DeliveryOptions.shopify(), recordingWaiter).deliver(url, SECRET, WEBHOOK);

        assertThat(report.outcome()).isEqualTo(DeliveryReport.Outcome.FAILED);
        assertThat(report.attempts()).hasSize(1 + RetrySchedule.SHOPIFY_RETRIES);
        assertThat(report.attempts()).extracting(DeliveryReport.Attempt::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(waits).isEqualTo(RetrySchedule.shopify().delays());
        assertThat(report.attempts().get(0).waitedBefore()).isZero();
        assertThat(received).extracting(r -> r.headers().get(ShopifyHeaders.WEBHOOK_ID)).containsOnly(WEBHOOK.webhookId());
    }

    @Test
    void aRedirectIsAFailureAndIsNotFollowed() throws Exception {
        URI url = route("/hook", () -> 302);
        AtomicInteger elsewhere = new AtomicInteger();
        route("/elsewhere", () -> {
            elsewhere.incrementAndGet();
            return 200;
        });

        DeliveryReport report = new WebhookSender(DeliveryOptions.shopify().withRetries(RetrySchedule.none()),
                recordingWaiter).deliver(url, SECRET, WEBHOOK);

        assertThat(report.delivered()).isFalse();
        assertThat(report.statuses()).containsExactly(302);
        assertThat(report.attempts().get(0).failure()).contains("redirect");
        assertThat(elsewhere).hasValue(0);
    }

    @Test
    void aReceiverSlowerThanTheTotalTimeoutFails() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.createContext("/slow", exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200);
        });
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow");
        try {
            DeliveryOptions options = DeliveryOptions.shopify().withRetries(RetrySchedule.none())
                    .withTotalTimeout(Duration.ofMillis(300));

            DeliveryReport report = new WebhookSender(options, recordingWaiter).deliver(url, SECRET, WEBHOOK);

            assertThat(report.delivered()).isFalse();
            assertThat(report.statuses()).containsExactly(0);
            assertThat(report.attempts().get(0).failure()).startsWith("timeout");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aRefusedConnectionIsAFailure() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }

        DeliveryReport report = new WebhookSender(DeliveryOptions.shopify().withRetries(RetrySchedule.none()),
                recordingWaiter).deliver(URI.create("http://127.0.0.1:" + closedPort + "/hook"), SECRET, WEBHOOK);

        assertThat(report.delivered()).isFalse();
        assertThat(report.attempts().get(0).failure()).startsWith("connection failed");
    }

    @Test
    void aScaledScheduleRunsTheWholeRetrySequenceWithRealWaits() throws Exception {
        URI url = route("/hook", () -> 500);

        // 4 hours at 1/100,000: 0.144 s of real waiting in total
        DeliveryReport report = new WebhookSender(DeliveryOptions.shopify().withTimeScale(1e-5)).deliver(url, SECRET, WEBHOOK);

        assertThat(report.attempts()).hasSize(9);
        assertThat(received).hasSize(9);
        assertThat(report.attempts().stream().skip(1).map(DeliveryReport.Attempt::waitedBefore).toList())
                .isEqualTo(RetrySchedule.shopify().scaled(1e-5).delays());
    }

    @Test
    void theReportNeverPrintsTheBodyOrSecret() throws Exception {
        URI url = route("/hook", () -> 200);
        DeliveryReport report = new WebhookSender(DeliveryOptions.shopify(), recordingWaiter).deliver(url, SECRET, WEBHOOK);

        assertThat(report.describe() + report + WEBHOOK).doesNotContain(SECRET).doesNotContain("ada.lovelace");
    }
}
