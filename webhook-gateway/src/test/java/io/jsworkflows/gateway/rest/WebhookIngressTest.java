package io.jsworkflows.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.contracts.ShopifyHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.gateway.support.Deliveries;
import io.jsworkflows.gateway.support.Deliveries.Delivery;
import io.jsworkflows.gateway.support.GatewayTopicsResource;
import io.jsworkflows.gateway.support.Kafka;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.SharedKafka;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The ingress against a real broker: what is published, what is refused, and that a refusal writes nothing. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(GatewayTopicsResource.class)
class WebhookIngressTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String SOURCE = "src_ok_" + RUN;
    static final String WORKSPACE = "ws-owner";
    static final String SHOP = "owner-" + RUN + ".myshopify.com";
    static final String SECRET = "shpss_owner_secret_" + RUN;
    /** Another workspace's source: its secret must not open the first one's URL. */
    static final String OTHER_SOURCE = "src_other_" + RUN;
    static final String OTHER_SECRET = "shpss_other_secret_" + RUN;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void sources() {
        String bootstrap = SharedKafka.bootstrapServers();
        Kafka.publishSource(bootstrap, SOURCE, WORKSPACE, SHOP, SECRET, 1);
        Kafka.publishSource(bootstrap, OTHER_SOURCE, "ws-other", "other-" + RUN + ".myshopify.com", OTHER_SECRET, 1);
    }

    private HttpResponse<String> post(String sourceId, Delivery d) {
        return Deliveries.post(base.toString(), sourceId, d);
    }

    /** Posts until the source is in the gateway's view (it reads jsw.sources asynchronously), then returns that answer. */
    private HttpResponse<String> postOnceKnown(String sourceId, Delivery d) {
        List<HttpResponse<String>> last = new ArrayList<>(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> r = post(sourceId, d);
            last.clear();
            last.add(r);
            return r.statusCode() != 404 && r.statusCode() != 503;
        });
        return last.get(0);
    }

    private static List<ConsumerRecord<String, String>> records(Delivery d) {
        return Kafka.recordsWithWebhookId(SharedKafka.bootstrapServers(), d.webhookId());
    }

    @Test
    void aSignedDeliveryIsPublishedOnceWithTheOwnersWorkspace() {
        String body = Deliveries.orderJson("marker-published-" + RUN);
        Delivery d = Deliveries.order(SHOP, SECRET, body)
                .header("jsw-workspace", "ws-attacker") // forged: must not reach the record
                .header("JSW-Source", "src_forged")
                .header("X-Shopify-Hmac-SHA256", null);
        d.header("x-shopify-hmac-sha256", Deliveries.order(SHOP, SECRET, body).headers.get(ShopifyHeaders.HMAC)); // any case
        HttpResponse<String> r = postOnceKnown(SOURCE, d);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        List<ConsumerRecord<String, String>> records = records(d);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, String> rec = records.get(0);
        assertThat(rec.topic()).isEqualTo(Topics.SHOPIFY_ORDERS);
        assertThat(rec.key()).isEqualTo(SHOP);
        assertThat(rec.value()).isEqualTo(body);
        assertThat(TopicRecords.header(rec, ShopifyHeaders.TOPIC)).isEqualTo("orders/create");
        assertThat(TopicRecords.header(rec, ShopifyHeaders.SHOP_DOMAIN)).isEqualTo(SHOP);
        assertThat(TopicRecords.header(rec, ShopifyHeaders.API_VERSION)).isEqualTo("2026-01");
        assertThat(TopicRecords.header(rec, ShopifyHeaders.EVENT_ID)).isEqualTo(d.headers.get(ShopifyHeaders.EVENT_ID));
        assertThat(TopicRecords.header(rec, ShopifyHeaders.TRIGGERED_AT)).isEqualTo("2026-12-06T10:00:00.000Z");
        assertThat(TopicRecords.header(rec, PlatformHeaders.WORKSPACE)).isEqualTo(WORKSPACE);
        assertThat(TopicRecords.header(rec, PlatformHeaders.SOURCE)).isEqualTo(SOURCE);
        List<String> names = new ArrayList<>();
        for (Header h : rec.headers()) {
            names.add(h.key());
        }
        assertThat(names).filteredOn(n -> n.equalsIgnoreCase(PlatformHeaders.WORKSPACE)).hasSize(1);
        assertThat(names).filteredOn(n -> n.equalsIgnoreCase(PlatformHeaders.SOURCE)).hasSize(1);
        assertThat(names).noneMatch(n -> n.equalsIgnoreCase(ShopifyHeaders.HMAC));
    }

    @Test
    void everyBadInputGetsItsStatusAndWritesNothing() {
        postOnceKnown(SOURCE, Deliveries.order(SHOP, SECRET, Deliveries.orderJson("warm-up")));
        String body = Deliveries.orderJson("marker-rejected-" + RUN);
        List<Delivery> sent = new ArrayList<>();

        Delivery noHmac = Deliveries.order(SHOP, SECRET, body).header(ShopifyHeaders.HMAC, null);
        expect(post(SOURCE, noHmac), 401, "X-Shopify-Hmac-Sha256");
        sent.add(noHmac);

        Delivery wrongSecret = Deliveries.order(SHOP, "not-the-secret", body);
        expect(post(SOURCE, wrongSecret), 401, null);
        sent.add(wrongSecret);

        Delivery tampered = Deliveries.order(SHOP, SECRET, body);
        tampered.body = body.replace("19.99", "0.01").getBytes(StandardCharsets.UTF_8);
        expect(post(SOURCE, tampered), 401, null);
        sent.add(tampered);

        // another workspace's valid signature does not open this source
        Delivery crossTenant = Deliveries.order(SHOP, OTHER_SECRET, body);
        expect(post(SOURCE, crossTenant), 401, null);
        sent.add(crossTenant);

        Delivery unknown = Deliveries.order(SHOP, SECRET, body);
        expect(post("src_does_not_exist_" + RUN, unknown), 404, null);
        sent.add(unknown);

        Delivery missing = Deliveries.order(SHOP, SECRET, body).header(ShopifyHeaders.TOPIC, null).header(ShopifyHeaders.API_VERSION, null);
        expect(post(SOURCE, missing), 400, "X-Shopify-Topic, X-Shopify-API-Version");
        sent.add(missing);

        Delivery longId = Deliveries.order(SHOP, SECRET, body).header(ShopifyHeaders.WEBHOOK_ID, "w".repeat(300));
        expect(post(SOURCE, longId), 400, "X-Shopify-Webhook-Id");
        sent.add(longId);

        Delivery notJson = Deliveries.order(SHOP, SECRET, "this is not json " + body);
        expect(post(SOURCE, notJson), 400, null);
        sent.add(notJson);

        Delivery otherShop = Deliveries.order("someone-else.myshopify.com", SECRET, body);
        expect(post(SOURCE, otherShop), 401, null);
        sent.add(otherShop);

        Delivery unsupported = Deliveries.order(SHOP, SECRET, body).header(ShopifyHeaders.TOPIC, "shop/update");
        expect(post(SOURCE, unsupported), 400, "orders/*");
        sent.add(unsupported);

        String big = "{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}"; // the test limit is 64 KiB
        Delivery tooLarge = Deliveries.order(SHOP, SECRET, big);
        expect(post(SOURCE, tooLarge), 413, null);
        sent.add(tooLarge);

        Delivery tooLargeChunked = Deliveries.order(SHOP, SECRET, big);
        tooLargeChunked.chunked = true;
        expect(post(SOURCE, tooLargeChunked), 413, null);
        sent.add(tooLargeChunked);

        for (Delivery d : sent) {
            assertThat(records(d)).as("records of a refused delivery").isEmpty();
        }
    }

    @Test
    void aBodyAtTheLimitIsAccepted() {
        String prefix = "{\"pad\":\"";
        String body = prefix + "y".repeat(64 * 1024 - prefix.length() - 2) + "\"}";
        assertThat(body.length()).isEqualTo(64 * 1024);
        Delivery d = Deliveries.order(SHOP, SECRET, body);
        d.chunked = true;
        assertThat(postOnceKnown(SOURCE, d).statusCode()).isEqualTo(200);
        assertThat(records(d)).hasSize(1);
    }

    private static void expect(HttpResponse<String> r, int status, String detailContains) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(r.body()).contains("\"status\":" + status);
        assertThat(r.body()).doesNotContain("marker-rejected").doesNotContain(SECRET);
        if (detailContains != null) {
            assertThat(r.body()).contains(detailContains);
        }
    }

    @Test
    void aReplayedWebhookIdIsAnswered200WithoutASecondRecord() {
        Delivery d = Deliveries.order(SHOP, SECRET, Deliveries.orderJson("replayed"));
        assertThat(postOnceKnown(SOURCE, d).statusCode()).isEqualTo(200);
        assertThat(post(SOURCE, d).statusCode()).isEqualTo(200);
        assertThat(post(SOURCE, d).statusCode()).isEqualTo(200);
        assertThat(records(d)).hasSize(1);
    }

    @Test
    void concurrentIdenticalDeliveriesProduceOneRecord() {
        postOnceKnown(SOURCE, Deliveries.order(SHOP, SECRET, Deliveries.orderJson("warm-up")));
        Delivery d = Deliveries.order(SHOP, SECRET, Deliveries.orderJson("concurrent"));
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(CompletableFuture.supplyAsync(() -> post(SOURCE, d)));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            assertThat(f.join().statusCode()).isEqualTo(200);
        }
        assertThat(records(d)).hasSize(1);
    }

    @Test
    void aDeletedSourceIsNotFound() {
        String id = "src_deleted_" + RUN;
        String shop = "deleted-" + RUN + ".myshopify.com";
        Kafka.publishSource(SharedKafka.bootstrapServers(), id, "ws-deleted", shop, "secret-d", 1);
        Delivery before = Deliveries.order(shop, "secret-d", Deliveries.orderJson("before delete"));
        assertThat(postOnceKnown(id, before).statusCode()).isEqualTo(200);

        Kafka.deleteSource(SharedKafka.bootstrapServers(), id);
        Delivery after = Deliveries.order(shop, "secret-d", Deliveries.orderJson("after delete"));
        await().atMost(Duration.ofSeconds(30)).until(() -> post(id, after).statusCode() == 404);
        assertThat(records(after)).isEmpty();
    }

    @Test
    void aRotatedSecretAcceptsOnlyTheNewSignature() {
        String id = "src_rotated_" + RUN;
        String shop = "rotated-" + RUN + ".myshopify.com";
        String bootstrap = SharedKafka.bootstrapServers();
        Kafka.publishSource(bootstrap, id, "ws-rotated", shop, "old-secret", 1);
        assertThat(postOnceKnown(id, Deliveries.order(shop, "old-secret", Deliveries.orderJson("old"))).statusCode()).isEqualTo(200);

        Kafka.publishSource(bootstrap, id, "ws-rotated", shop, "new-secret", 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> post(id, Deliveries.order(shop, "new-secret", Deliveries.orderJson("new"))).statusCode() == 200);
        Delivery old = Deliveries.order(shop, "old-secret", Deliveries.orderJson("old again"));
        assertThat(post(id, old).statusCode()).isEqualTo(401);

        // a late copy of the older version does not bring the old secret back
        Kafka.publishSource(bootstrap, id, "ws-rotated", shop, "old-secret", 1);
        Delivery marker = Deliveries.order(shop, "new-secret", Deliveries.orderJson("after stale"));
        Kafka.publishSource(bootstrap, "src_marker_" + RUN, "ws-marker", "marker-" + RUN + ".myshopify.com", "m", 1);
        postOnceKnown("src_marker_" + RUN, Deliveries.order("marker-" + RUN + ".myshopify.com", "m", "{}")); // the view passed the stale copy
        assertThat(post(id, marker).statusCode()).isEqualTo(200);
        assertThat(post(id, Deliveries.order(shop, "old-secret", Deliveries.orderJson("old once more"))).statusCode()).isEqualTo(401);
        assertThat(records(old)).isEmpty();
    }

    @Test
    void noSourceOrWorkspaceIdBecomesAMetricLabel() {
        postOnceKnown(SOURCE, Deliveries.order(SHOP, SECRET, Deliveries.orderJson("metrics")));
        String random = "src_random_" + UUID.randomUUID();
        assertThat(post(random, Deliveries.order(SHOP, SECRET, "{}")).statusCode()).isEqualTo(404);
        assertThat(post(SOURCE, Deliveries.order(SHOP, "bad", "{}")).statusCode()).isEqualTo(401);
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain(random).doesNotContain(SOURCE).doesNotContain(OTHER_SOURCE).doesNotContain(WORKSPACE)
                .doesNotContain(SHOP);
        assertThat(metrics).contains("jsw_gateway_deliveries_rejected_total{reason=\"unknown_source\"}");
        assertThat(metrics).contains("jsw_gateway_deliveries_rejected_total{reason=\"bad_hmac\"}");
        assertThat(metrics).containsPattern("(?m)^jsw_gateway_deliveries_accepted_total [1-9]");
        assertThat(metrics).contains("jsw_gateway_publish_seconds_bucket{outcome=\"ok\"");
        // the path's source id is templated in the HTTP server metrics
        assertThat(metrics).contains("uri=\"/webhooks/shopify/{sourceId}\"");
    }

    @Test
    void readyOnceTheSourcesAreLoaded() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> io.restassured.RestAssured.get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void neitherSecretsNorBodiesReachTheLog() throws Exception {
        Delivery ok = Deliveries.order(SHOP, SECRET, Deliveries.orderJson("marker-logged-" + RUN));
        assertThat(postOnceKnown(SOURCE, ok).statusCode()).isEqualTo(200);
        Delivery bad = Deliveries.order(SHOP, "wrong", Deliveries.orderJson("marker-logged-" + RUN));
        assertThat(post(SOURCE, bad).statusCode()).isEqualTo(401);
        assertThat(post(SOURCE, Deliveries.order(SHOP, SECRET, "not json marker-logged-" + RUN)).statusCode()).isEqualTo(400);
        Path file = Path.of("target/webhook-gateway-test.log");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(file).contains("rejected: not_json"));
        String log = Files.readString(file);
        assertThat(log).contains("rejected: bad_hmac"); // the log is written at debug, so the check below means something
        assertThat(log).doesNotContain(SECRET).doesNotContain(OTHER_SECRET).doesNotContain("marker-logged-")
                .doesNotContain(ok.headers.get(ShopifyHeaders.HMAC));
    }
}
