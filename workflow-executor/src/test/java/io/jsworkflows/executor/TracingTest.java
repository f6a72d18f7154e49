package io.jsworkflows.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.testsupport.HubSpotApiTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One run's span tree: a trigger record carrying a {@code traceparent} (as the gateway writes it) is run in that trace;
 * the run's HubSpot call is a client span under the run, and the run event it writes names its producer span in its
 * own {@code traceparent}. A malformed header starts a new trace and fails nothing.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotApiTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
class TracingTest {

    static final String KEY = "test-key-trace";
    static final String WS = "ws-trace";
    static final String TOPIC = "orders.traced";

    @Inject
    InMemorySpanExporter spans;

    @BeforeAll
    static void init() {
        Fixtures.init();
        Fixtures.connect("conn-trace", WS, "my-hubspot", 1);
        Fixtures.createTopic(TOPIC, 1);
    }

    static List<RunEvent> succeeded(String key) {
        return Fixtures.runEvents().matching(e -> e.workflowId().equals("traced-contact") && key.equals(e.idempotencyKey())
                && e.type() == RunEvent.Type.SUCCEEDED);
    }

    SpanData only(String name, String traceId) {
        List<SpanData> found = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name) && s.getTraceId().equals(traceId)).toList();
        assertThat(found).as(name + " in trace " + traceId).hasSize(1);
        return found.getFirst();
    }

    @Test
    void aRunContinuesItsRecordsTraceAndItsCallAndRunEventAreItsChildren() {
        Fixtures.deploy(KEY, "traced-contact", Fixtures.example("contact-from-order.js"), TOPIC, "\"retryPolicy\":{\"maxAttempts\":1}")
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String gatewaySpan = traceId.substring(0, 16);
        String webhookId = UUID.randomUUID().toString();
        Map<String, String> headers = new HashMap<>(Fixtures.shopifyHeaders(webhookId));
        headers.put("traceparent", "00-" + traceId + "-" + gatewaySpan + "-01");
        Fixtures.send(TOPIC, "shop.myshopify.com", Fixtures.order(9101, "traced@example.com"), headers);
        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(webhookId).size() == 1);
        RunEvent done = succeeded(webhookId).getFirst();

        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getTraceId().equals(traceId) && s.getName().equals(Topics.RUN_EVENTS + " publish")));
        SpanData run = only("workflow run", traceId);
        assertThat(run.getParentSpanId()).isEqualTo(gatewaySpan);
        assertThat(run.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(run.getAttributes().asMap()).containsEntry(io.jsworkflows.executor.service.RunTracing.WORKSPACE_ID, WS)
                .containsEntry(io.jsworkflows.executor.service.RunTracing.WORKFLOW_ID, "traced-contact")
                .containsEntry(io.jsworkflows.executor.service.RunTracing.RUN_ID, done.runId())
                .containsEntry(io.jsworkflows.executor.service.RunTracing.OUTCOME, "succeeded");
        SpanData call = only("POST", traceId);
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(call.getParentSpanId()).isEqualTo(run.getSpanId());
        assertThat(call.getAttributes().asMap().toString()).contains("http.response.status_code=201", "server.address=api.hubapi.com")
                .doesNotContain("traced@example.com", "Bearer");
        SpanData publish = only(Topics.RUN_EVENTS + " publish", traceId);
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getParentSpanId()).isEqualTo(run.getSpanId());
        assertThat(traceparentOfRunEvent(done.runId())).isEqualTo("00-" + traceId + "-" + publish.getSpanId() + "-01");
    }

    @Test
    void aMalformedTraceparentStartsANewTraceAndFailsNothing() {
        Fixtures.deploy(KEY, "traced-contact", Fixtures.example("contact-from-order.js"), TOPIC, "\"retryPolicy\":{\"maxAttempts\":1}")
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        String webhookId = UUID.randomUUID().toString();
        Map<String, String> headers = new HashMap<>(Fixtures.shopifyHeaders(webhookId));
        headers.put("traceparent", "00-not-a-trace-zz");
        Fixtures.send(TOPIC, "shop.myshopify.com", Fixtures.order(9102, "untraced@example.com"), headers);
        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(webhookId).size() == 1);
        String runId = succeeded(webhookId).getFirst().runId();
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals("workflow run")
                && runId.equals(s.getAttributes().get(io.jsworkflows.executor.service.RunTracing.RUN_ID))));
        SpanData run = spans.getFinishedSpanItems().stream().filter(s -> runId.equals(s.getAttributes().get(io.jsworkflows.executor.service.RunTracing.RUN_ID)))
                .findFirst().orElseThrow();
        assertThat(run.getParentSpanContext().isValid()).isFalse();
        assertThat(run.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    }

    /** The traceparent header of the run's terminal run event, read back from jsw.runs.events. */
    static String traceparentOfRunEvent(String runId) {
        return TopicRecords.forKey(Topics.RUN_EVENTS, runId).stream()
                .filter(r -> r.value() != null && r.value().contains("\"SUCCEEDED\"") && r.headers().lastHeader("traceparent") != null)
                .map(r -> TopicRecords.header(r, "traceparent")).reduce((first, last) -> last).orElse(null);
    }
}
