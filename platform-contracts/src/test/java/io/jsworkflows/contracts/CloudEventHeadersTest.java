package io.jsworkflows.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.messaging.CloudEventHeaders;
import io.jsworkflows.contracts.messaging.ProducerSettings;

class CloudEventHeadersTest {

    @Test
    void aNewEventHasEveryRequiredAttributeAFreshIdAndNoSubject() {
        Map<String, String> a = CloudEventHeaders.of(CloudEventTypes.RETRY_RECORD, CloudEventTypes.SOURCE_CONNECTIONS);
        Map<String, String> b = CloudEventHeaders.of(CloudEventTypes.RETRY_RECORD, CloudEventTypes.SOURCE_CONNECTIONS);
        assertThat(a).containsEntry("ce_specversion", "1.0").containsEntry("ce_type", CloudEventTypes.RETRY_RECORD)
                .containsEntry("ce_source", CloudEventTypes.SOURCE_CONNECTIONS).containsKeys("ce_id", "ce_time").doesNotContainKey("ce_subject");
        assertThat(a.get("ce_id")).isNotEqualTo(b.get("ce_id"));
        assertThat(Instant.parse(a.get("ce_time"))).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void anOutboxEventKeepsItsIdTimeAndSubject() {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        assertThat(CloudEventHeaders.of("id-1", CloudEventTypes.CONNECTION_EVENT, CloudEventTypes.SOURCE_CONNECTIONS, t, "conn-1"))
                .containsExactly(Map.entry("ce_specversion", "1.0"), Map.entry("ce_id", "id-1"),
                        Map.entry("ce_type", CloudEventTypes.CONNECTION_EVENT), Map.entry("ce_source", CloudEventTypes.SOURCE_CONNECTIONS),
                        Map.entry("ce_time", "2026-12-01T10:00:00Z"), Map.entry("ce_subject", "conn-1"));
    }

    @Test
    void everyPlatformProducerIsAcknowledgedByAllAndIdempotent() {
        Map<String, Object> p = ProducerSettings.reliable(Map.of("bootstrap.servers", "k:9092", "security.protocol", "SASL_SSL"), "me");
        assertThat(p).containsEntry("bootstrap.servers", "k:9092").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("client.id", "me").containsEntry("acks", "all").containsEntry("enable.idempotence", true);
    }
}
