package io.jsworkflows.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jsworkflows.gateway.support.Deliveries;
import io.jsworkflows.gateway.support.GatewayTopicsResource;
import io.jsworkflows.gateway.support.Kafka;
import io.jsworkflows.testsupport.MetricsDoc;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.SharedKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every metric docs/observability.md lists as exposed by webhook-gateway is in its /q/metrics (after one delivery). */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(GatewayTopicsResource.class)
class MetricsDocTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @TestHTTPResource("/")
    URL base;

    @Test
    void everyDocumentedMetricIsScraped() throws Exception {
        String source = "src_metrics_" + RUN;
        String shop = "metrics-" + RUN + ".myshopify.com";
        Kafka.publishSource(SharedKafka.bootstrapServers(), source, "ws-metrics", shop, "secret-" + RUN, 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> Deliveries.post(base.toString(), source,
                Deliveries.order(shop, "secret-" + RUN, Deliveries.orderJson("m"))).statusCode() == 200);

        List<String> documented = MetricsDoc.exposedBy("webhook-gateway");
        assertThat(documented).contains("jsw_gateway_deliveries_accepted_total", "jvm_memory_used_bytes");
        String scrape = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        Files.writeString(Path.of("target", "webhook-gateway-metrics.txt"), scrape); // what an operator gets, for reference
        assertThat(documented).allSatisfy(name -> assertThat(MetricsDoc.scraped(scrape, name)).as(name).isTrue());
        assertThat(MetricsDoc.scraped(scrape, "jsw_not_a_metric")).isFalse();
    }
}
