package io.jsworkflows.refresher.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.messaging.CloudEventHeaders;
import io.jsworkflows.contracts.messaging.ProducerSettings;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.refresher.service.RefreshChainState;
import io.jsworkflows.refresher.service.StatePublisher;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * Writes TokenState and ConnectionEvent records with CloudEvents binary-mode headers. A plain producer (not a SmallRye
 * emitter) because partition hand-over must flush exactly this replica's sends before the partitions move; so the
 * tracing SmallRye would add is done here: a record written during a refresh gets a producer span, child of the
 * refresh span, and that span's {@code traceparent} header.
 */
public final class KafkaStatePublisher implements StatePublisher, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaStatePublisher.class);

    private final KafkaProducer<String, String> producer;
    private final Duration chainAckTimeout;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    /** @param chainAckTimeout how long a refresh chain write waits for the broker's acknowledgement */
    public KafkaStatePublisher(Map<String, Object> kafka, String clientId, Duration chainAckTimeout, OpenTelemetry openTelemetry) {
        this.chainAckTimeout = chainAckTimeout;
        this.tracer = openTelemetry.getTracer("io.jsworkflows.token-refresher");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        Map<String, Object> props = ProducerSettings.reliable(KafkaClientConfig.producer(kafka), clientId);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @Override
    public void token(TokenState state) {
        send(Topics.CONNECTION_TOKENS, state.connectionId(), ContractsJson.write(state), CloudEventTypes.TOKEN_STATE);
    }

    @Override
    public void tokenTombstone(String connectionId) {
        send(Topics.CONNECTION_TOKENS, connectionId, null, CloudEventTypes.TOKEN_STATE);
    }

    @Override
    public void event(ConnectionEvent event) {
        send(Topics.CONNECTION_EVENTS, event.connectionId(), ContractsJson.write(event), CloudEventTypes.CONNECTION_EVENT);
    }

    @Override
    public void chain(RefreshChainState state) {
        Future<RecordMetadata> ack = send(Topics.REFRESH_CHAIN, state.connectionId(), ContractsJson.write(state),
                RefreshChainState.CE_TYPE);
        try {
            ack.get(chainAckTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new WriteFailedException("the broker refused the refresh chain record of " + state.connectionId() + " ("
                    + e.getCause().getClass().getSimpleName() + ")");
        } catch (TimeoutException e) {
            throw new WriteFailedException("the broker did not acknowledge the refresh chain record of " + state.connectionId()
                    + " within " + chainAckTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WriteFailedException("interrupted while writing the refresh chain record of " + state.connectionId());
        }
    }

    @Override
    public void chainTombstone(String connectionId) {
        send(Topics.REFRESH_CHAIN, connectionId, null, RefreshChainState.CE_TYPE);
    }

    private Future<RecordMetadata> send(String topic, String key, String value, String type) {
        RecordHeaders h = new RecordHeaders();
        CloudEventHeaders.of(type, CloudEventTypes.SOURCE_REFRESHER).forEach((k, v) -> h.add(k, bytes(v)));
        if (value != null) {
            h.add("content-type", bytes("application/json"));
        }
        Span span = producerSpan(topic, h);
        return producer.send(new ProducerRecord<>(topic, null, key, value, h), (md, ex) -> {
            if (ex != null) {
                // the value holds a sealed token: name the topic and key only
                LOG.errorf("could not publish to %s (key %s): %s", topic, key, ex.getClass().getSimpleName());
                span.setStatus(StatusCode.ERROR, ex.getClass().getSimpleName());
            }
            span.end();
        });
    }

    /** A producer span when a span is current (a refresh), its context injected into the headers; otherwise none. */
    private Span producerSpan(String topic, RecordHeaders h) {
        Context parent = Context.current();
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return Span.getInvalid();
        }
        Span span = tracer.spanBuilder(topic + " publish").setSpanKind(SpanKind.PRODUCER).setParent(parent)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.operation.type", "send").startSpan();
        propagator.inject(parent.with(span), h, TraceHeaders.SETTER);
        return span;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** For its client metrics only. */
    public org.apache.kafka.clients.producer.Producer<String, String> producer() {
        return producer;
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
