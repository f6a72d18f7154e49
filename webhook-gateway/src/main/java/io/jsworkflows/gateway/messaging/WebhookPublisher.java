package io.jsworkflows.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes verified deliveries to the source topics through the {@code source-records} channel (acks=all,
 * idempotent, bounded timeouts: see application.properties). The topic, key and headers of each record come with
 * the message; the returned Uni completes when Kafka acknowledged the record and fails when it did not.
 */
@ApplicationScoped
public class WebhookPublisher {

    public static final String CHANNEL = "source-records";

    private final MutinyEmitter<byte[]> emitter;

    public WebhookPublisher(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** The raw body bytes as the value: exactly what Shopify signed, never re-serialised. */
    public Uni<Void> publish(String topic, String key, RecordHeaders headers, byte[] body) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(key).withHeaders(headers).build();
        return emitter.sendMessage(Message.of(body).addMetadata(metadata));
    }
}
