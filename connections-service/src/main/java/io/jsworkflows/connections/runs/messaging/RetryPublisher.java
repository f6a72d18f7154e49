package io.jsworkflows.connections.runs.messaging;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.messaging.CloudEventHeaders;
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
        CloudEventHeaders.of(CloudEventTypes.RETRY_RECORD, CloudEventTypes.SOURCE_CONNECTIONS).forEach((k, v) -> h.add(k, bytes(v)));
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
