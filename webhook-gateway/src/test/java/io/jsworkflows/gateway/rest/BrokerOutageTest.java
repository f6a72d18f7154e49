package io.jsworkflows.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jsworkflows.gateway.support.Deliveries;
import io.jsworkflows.gateway.support.Deliveries.Delivery;
import io.jsworkflows.gateway.support.Kafka;
import io.jsworkflows.gateway.support.PrivateBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The broker goes away: a delivery is answered 503 with Retry-After (Shopify retries it), readiness goes down; once
 * the broker is back, Shopify's retry of the same delivery is answered 200 and leaves exactly one record.
 */
@QuarkusTest
@WithTestResource(PrivateBrokerResource.class)
class BrokerOutageTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SOURCE = "src_outage_" + RUN;
    private static final String SHOP = "outage-" + RUN + ".myshopify.com";
    private static final String SECRET = "shpss_outage_" + RUN;

    @TestHTTPResource("/")
    URL base;

    private HttpResponse<String> post(Delivery d) {
        return Deliveries.post(base.toString(), SOURCE, d);
    }

    @Test
    void aDeliveryDuringAnOutageIs503AndItsRetryAfterwardsIsStoredOnce() throws Exception {
        String bootstrap = PrivateBrokerResource.bootstrapServers();
        Kafka.publishSource(bootstrap, SOURCE, "ws-outage", SHOP, SECRET, 1);
        Delivery before = Deliveries.order(SHOP, SECRET, Deliveries.orderJson("before the outage"));
        await().atMost(Duration.ofSeconds(60)).until(() -> post(before).statusCode() == 200);

        PrivateBrokerResource.stopBroker();
        Delivery during = Deliveries.order(SHOP, SECRET, Deliveries.orderJson("during the outage"));
        HttpResponse<String> r = post(during);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(r.body()).doesNotContain("during the outage");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(503));
        assertThat(post(during).statusCode()).as("a retry while still down").isEqualTo(503);

        PrivateBrokerResource.startBroker();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(200));
        // Shopify's retry: the very same delivery (same webhook id, body and signature)
        await().atMost(Duration.ofSeconds(60)).until(() -> post(during).statusCode() == 200);
        assertThat(post(during).statusCode()).as("a second retry is a duplicate").isEqualTo(200);
        assertThat(Kafka.recordsWithWebhookId(bootstrap, during.webhookId())).hasSize(1);
        assertThat(Kafka.recordsWithWebhookId(bootstrap, before.webhookId())).hasSize(1);
    }
}
