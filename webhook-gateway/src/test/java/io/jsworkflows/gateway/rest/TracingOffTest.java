package io.jsworkflows.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.jsworkflows.gateway.support.Deliveries;
import io.jsworkflows.gateway.support.Deliveries.Delivery;
import io.jsworkflows.gateway.support.GatewayTopicsResource;
import io.jsworkflows.gateway.support.Kafka;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.SharedKafka;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Without an OTLP endpoint the OpenTelemetry SDK is off (TracingSwitch): no span reaches an exporter, so nothing is
 * exported and no export can fail. (SmallRye's producer instrumentation may still write a {@code traceparent}: the
 * context of a span that is never exported, harmless to consumers.)
 */
@QuarkusTest
@TestProfile(TracingOffTest.NoEndpoint.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(GatewayTopicsResource.class)
class TracingOffTest {

    /** The test profile's endpoint removed: configured as nothing, like a deployment that sets none. */
    public static class NoEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "");
        }
    }

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    InMemorySpanExporter spans;

    @TestHTTPResource("/")
    URL base;

    @Test
    void noEndpointNoTracing() {
        assertThat(ConfigProvider.getConfig().getValue("quarkus.otel.sdk.disabled", Boolean.class)).isTrue();
        String source = "src_off_" + RUN;
        String shop = "off-" + RUN + ".myshopify.com";
        Kafka.publishSource(SharedKafka.bootstrapServers(), source, "ws-off", shop, "secret-" + RUN, 1);
        Delivery d = Deliveries.order(shop, "secret-" + RUN, Deliveries.orderJson("off"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Deliveries.post(base.toString(), source, d).statusCode() == 200);
        List<ConsumerRecord<String, String>> records = Kafka.recordsWithWebhookId(SharedKafka.bootstrapServers(), d.webhookId());
        assertThat(records).hasSize(1);
        // the test exporter is a simple (synchronous) one: a span that ended before the 200 would be here already
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
}
