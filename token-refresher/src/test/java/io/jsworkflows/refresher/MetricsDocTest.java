package io.jsworkflows.refresher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jsworkflows.refresher.support.Fixture;
import io.jsworkflows.testsupport.MetricsDoc;
import io.jsworkflows.refresher.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every metric docs/observability.md lists as exposed by token-refresher is in its /q/metrics (after one refresh). */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class MetricsDocTest {

    @Test
    void everyDocumentedMetricIsScrapedAndTheSoonestExpiryIsAGauge() throws Exception {
        try (Fixture fx = new Fixture()) {
            List<Fixture.Conn> conns = fx.connect(1, i -> Duration.ofSeconds(14));
            await().atMost(Duration.ofSeconds(60)).until(() -> fx.latest(conns.getFirst().id()) != null
                    && fx.latest(conns.getFirst().id()).tokenVersion() >= 2);

            List<String> documented = MetricsDoc.exposedBy("token-refresher");
            assertThat(documented).contains("jsw_refresher_tokens_expiry_min_seconds", "kafka_consumer_fetch_manager_records_lag_max");
            String scrape = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
            Files.writeString(Path.of("target", "token-refresher-metrics.txt"), scrape); // what an operator gets, for reference
            assertThat(documented).allSatisfy(name -> assertThat(MetricsDoc.scraped(scrape, name)).as(name).isTrue());
            // an owned, usable token: the gauge is a number of seconds, not NaN
            assertThat(scrape).containsPattern("(?m)^jsw_refresher_tokens_expiry_min_seconds -?[0-9]");
            fx.deleteAll(conns);
        }
    }
}
