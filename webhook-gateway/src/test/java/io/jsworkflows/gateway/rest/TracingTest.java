package io.jsworkflows.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.gateway.support.Deliveries;
import io.jsworkflows.gateway.support.Deliveries.Delivery;
import io.jsworkflows.gateway.support.GatewayTopicsResource;
import io.jsworkflows.gateway.support.Kafka;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.SharedKafka;
import io.jsworkflows.testsupport.TopicRecords;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each delivery starts a trace (HTTP server span, then the record's producer span) and its record carries that trace
 * as a W3C {@code traceparent} header; trace context sent by the caller is untrusted and never continued or copied.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(GatewayTopicsResource.class)
class TracingTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String SOURCE = "src_trace_" + RUN;
    static final String WORKSPACE = "ws-trace";
    static final String SHOP = "trace-" + RUN + ".myshopify.com";
    static final String SECRET = "shpss_trace_secret_" + RUN;
    static final String TRACEPARENT = "00-([0-9a-f]{32})-([0-9a-f]{16})-01";
    static final String FORGED_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Inject
    InMemorySpanExporter spans;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void source() {
        Kafka.publishSource(SharedKafka.bootstrapServers(), SOURCE, WORKSPACE, SHOP, SECRET, 1);
    }

    @Test
    void aDeliveryStartsATraceAndItsRecordCarriesIt() {
        Delivery d = Deliveries.order(SHOP, SECRET, Deliveries.orderJson("traced-" + RUN));
        ConsumerRecord<String, String> rec = deliver(d);

        String traceparent = TopicRecords.header(rec, "traceparent");
        assertThat(traceparent).matches(TRACEPARENT);
        String traceId = traceparent.substring(3, 35);
        String parentSpanId = traceparent.substring(36, 52);

        List<SpanData> trace = trace(traceId, 2);
        SpanData server = only(trace, SpanKind.SERVER);
        SpanData producer = only(trace, SpanKind.PRODUCER);
        assertThat(server.getParentSpanContext().isValid()).as("the delivery's span is a root").isFalse();
        assertThat(server.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo(WebhookRoute.PATH);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("jsw.source.id"))).isEqualTo(SOURCE);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("jsw.workspace.id"))).isEqualTo(WORKSPACE);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("jsw.outcome"))).isEqualTo("accepted");
        assertThat(producer.getName()).isEqualTo(Topics.SHOPIFY_ORDERS + " publish");
        assertThat(producer.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(producer.getSpanId()).as("the record's parent is the producer span").isEqualTo(parentSpanId);
    }

    @Test
    void traceContextSentByTheCallerIsNeitherContinuedNorCopied() {
        Delivery d = Deliveries.order(SHOP, SECRET, Deliveries.orderJson("forged-context-" + RUN))
                .header("traceparent", "00-" + FORGED_TRACE + "-00f067aa0ba902b7-01")
                .header("tracestate", "attacker=1")
                .header("baggage", PlatformHeaders.WORKSPACE + "=ws-attacker");
        ConsumerRecord<String, String> rec = deliver(d);

        String traceparent = TopicRecords.header(rec, "traceparent");
        assertThat(traceparent).matches(TRACEPARENT).doesNotContain(FORGED_TRACE);
        assertThat(headerNames(rec)).doesNotContain("tracestate", "baggage");
        assertThat(TopicRecords.header(rec, PlatformHeaders.WORKSPACE)).isEqualTo(WORKSPACE);
        assertThat(spans.getFinishedSpanItems()).noneMatch(s -> s.getTraceId().equals(FORGED_TRACE));
        SpanData server = only(trace(traceparent.substring(3, 35), 2), SpanKind.SERVER);
        assertThat(server.getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void aMalformedTraceparentJustStartsANewTrace() {
        for (String malformed : List.of("garbage", "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01",
                "ff-" + FORGED_TRACE + "-00f067aa0ba902b7-01", "00-" + FORGED_TRACE.toUpperCase() + "-00f067aa0ba902b7-01",
                "00-" + FORGED_TRACE + "-00f067aa0ba902b7-01-" + "x".repeat(4000))) {
            Delivery d = Deliveries.order(SHOP, SECRET, Deliveries.orderJson("malformed-" + RUN)).header("traceparent", malformed);
            ConsumerRecord<String, String> rec = deliver(d);
            assertThat(TopicRecords.header(rec, "traceparent")).as(malformed).matches(TRACEPARENT).doesNotContain(FORGED_TRACE);
        }
    }

    /** Posts until the source is in the gateway's view, expects 200 and returns the one record. */
    private ConsumerRecord<String, String> deliver(Delivery d) {
        List<HttpResponse<String>> last = new ArrayList<>(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> r = Deliveries.post(base.toString(), SOURCE, d);
            last.clear();
            last.add(r);
            return r.statusCode() != 404 && r.statusCode() != 503;
        });
        assertThat(last.get(0).statusCode()).as(last.get(0).body()).isEqualTo(200);
        List<ConsumerRecord<String, String>> records = Kafka.recordsWithWebhookId(SharedKafka.bootstrapServers(), d.webhookId());
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private List<SpanData> trace(String traceId, int atLeast) {
        List<SpanData> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            found.clear();
            spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).forEach(found::add);
            return found.size() >= atLeast;
        });
        return found;
    }

    private static SpanData only(List<SpanData> trace, SpanKind kind) {
        List<SpanData> of = trace.stream().filter(s -> s.getKind() == kind).toList();
        assertThat(of).as(kind + " spans of " + trace).hasSize(1);
        return of.get(0);
    }

    private static List<String> headerNames(ConsumerRecord<String, String> rec) {
        List<String> names = new ArrayList<>();
        for (Header h : rec.headers()) {
            names.add(h.key().toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }
}
