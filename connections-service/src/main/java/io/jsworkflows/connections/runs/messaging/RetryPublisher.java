package io.jsworkflows.connections.runs.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.events.RetryRecord;
import io.jsworkflows.contracts.json.ContractsJson;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes a replay's RetryRecord on jsw.runs.retry (channel run-retry) and returns once the broker acknowledged it. */
@ApplicationScoped
public class RetryPublisher {

    static final String CHANNEL = "run-retry";

    private final MutinyEmitter<String> emitter;

    public RetryPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Key and CloudEvents headers as {@code jsw dlq replay} writes them, with this service as the source. */
    public void publish(RetryRecord r) {
        RecordHeaders h = new RecordHeaders();
        h.add("ce_specversion", bytes(CloudEventTypes.SPEC_VERSION));
        h.add("ce_id", bytes(UUID.randomUUID().toString()));
        h.add("ce_type", bytes(CloudEventTypes.RETRY_RECORD));
        h.add("ce_source", bytes(CloudEventTypes.SOURCE_CONNECTIONS));
        h.add("ce_time", bytes(Instant.now().toString()));
        h.add("content-type", bytes("application/json"));
        OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(RetryRecord.key(r.workflowId(), r.idempotencyKey()))
                .withHeaders(h)
                .build();
        emitter.sendMessageAndAwait(Message.of(ContractsJson.write(r)).addMetadata(meta));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
