package io.jsworkflows.refresher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.refresher.service.RefreshTracing;
import io.jsworkflows.refresher.support.Fixture;
import io.jsworkflows.refresher.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;

/**
 * A span per token refresh, its TokenState record carrying that trace as {@code traceparent}, and a refresh request's
 * trace continued by the refresh it causes.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class TracingTest {

    static final String TRACEPARENT = "00-([0-9a-f]{32})-([0-9a-f]{16})-01";

    @Inject
    InMemorySpanExporter spans;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    Fixture fx;
    final List<Fixture.Conn> conns = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new Fixture();
    }

    @AfterEach
    void tearDown() {
        fx.deleteAll(conns);
        fx.close();
    }

    @Test
    void aScheduledRefreshIsASpanAndItsTokenStateCarriesItsTrace() throws Exception {
        Fixture.Conn c = fx.connect(1, i -> Duration.ofSeconds(14)).getFirst(); // due at once (test lead: 12 s + jitter)
        conns.add(c);
        TopicRecords.Received<TokenState> refreshed = version(c, 2);
        String traceparent = refreshed.header("traceparent");
        assertThat(traceparent).matches(TRACEPARENT);
        String traceId = traceparent.substring(3, 35);
        String parentId = traceparent.substring(36, 52);

        SpanData refresh = refreshSpan(c, traceId);
        assertThat(refresh.getParentSpanContext().isValid()).as("a scheduled refresh starts a trace").isFalse();
        assertThat(refresh.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(refresh.getAttributes().get(RefreshTracing.WORKSPACE_ID)).isEqualTo("ws-test");
        assertThat(refresh.getAttributes().get(RefreshTracing.OUTCOME)).isEqualTo("success");
        String newToken = fx.open(refreshed.value());
        assertThat(refresh.getAttributes().asMap().values()).allSatisfy(v -> assertThat(String.valueOf(v))
                .doesNotContain(newToken).doesNotContain(c.tokens().accessToken()).doesNotContain(c.tokens().refreshToken()));

        SpanData producer = await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(parentId)).findFirst().orElse(null), s -> s != null);
        assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(producer.getName()).isEqualTo(Topics.CONNECTION_TOKENS + " publish");
        assertThat(producer.getParentSpanId()).isEqualTo(refresh.getSpanId());
    }

    @Test
    void aRefreshRequestsTraceIsContinuedWithTheGrantsWorkspace() throws Exception {
        Fixture.Conn c = fx.connect(1, i -> Duration.ofHours(1)).getFirst();
        conns.add(c);
        TokenState initial = await().atMost(Duration.ofSeconds(30)).until(() -> fx.latest(c.id()), t -> t != null);
        awaitRequestConsumerAssigned();

        String requesterTrace = hex(16);
        String requesterSpan = hex(8);
        // the request claims another workspace: the span says the grant's, which the platform established
        fx.grants.requestRefresh(c.id(), initial.tokenVersion(), "ws-claimed-by-the-request", "00-" + requesterTrace + "-" + requesterSpan + "-01");
        fx.grants.flush();
        TopicRecords.Received<TokenState> refreshed = version(c, initial.tokenVersion() + 1);
        assertThat(refreshed.header("traceparent")).matches(TRACEPARENT).startsWith("00-" + requesterTrace + "-");

        SpanData refresh = refreshSpan(c, requesterTrace);
        assertThat(refresh.getParentSpanId()).isEqualTo(requesterSpan);
        assertThat(refresh.getAttributes().get(RefreshTracing.WORKSPACE_ID)).isEqualTo("ws-test");
        assertThat(refresh.getAttributes().get(RefreshTracing.OUTCOME)).isEqualTo("success");
    }

    @Test
    void aMalformedTraceparentOnARequestJustStartsANewTrace() throws Exception {
        Fixture.Conn c = fx.connect(1, i -> Duration.ofHours(1)).getFirst();
        conns.add(c);
        TokenState initial = await().atMost(Duration.ofSeconds(30)).until(() -> fx.latest(c.id()), t -> t != null);
        awaitRequestConsumerAssigned();

        fx.grants.requestRefresh(c.id(), initial.tokenVersion(), "ws-test", "00-not-a-trace-" + "x".repeat(2000));
        fx.grants.flush();
        TopicRecords.Received<TokenState> refreshed = version(c, initial.tokenVersion() + 1);
        assertThat(refreshed.header("traceparent")).matches(TRACEPARENT);
        SpanData refresh = refreshSpan(c, refreshed.header("traceparent").substring(3, 35));
        assertThat(refresh.getParentSpanContext().isValid()).isFalse();
    }

    private TopicRecords.Received<TokenState> version(Fixture.Conn c, long version) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> fx.tokens.of(c.id()).stream()
                .filter(r -> r.value() != null && r.value().tokenVersion() == version).findFirst().orElse(null), r -> r != null);
    }

    private SpanData refreshSpan(Fixture.Conn c, String traceId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(RefreshTracing.SPAN_NAME) && s.getTraceId().equals(traceId)
                        && c.id().equals(s.getAttributes().get(RefreshTracing.CONNECTION_ID)))
                .findFirst().orElse(null), s -> s != null);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros
        return HexFormat.of().formatHex(b);
    }

    /** The request channel reads from the latest offset: wait until its consumer has partitions. */
    private void awaitRequestConsumerAssigned() {
        String group = ConfigProvider.getConfig().getValue("mp.messaging.incoming.refresh-requests.group.id", String.class);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafka.get("bootstrap.servers")))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of(group)).all().get().get(group)
                    .members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty()));
        }
    }
}
