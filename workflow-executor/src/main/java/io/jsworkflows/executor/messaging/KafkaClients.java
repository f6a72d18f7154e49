package io.jsworkflows.executor.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.messaging.CloudEventHeaders;
import io.jsworkflows.contracts.messaging.ProducerSettings;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.kafka.KafkaConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.smallrye.common.annotation.Identifier;

/**
 * Kafka clients of the executor. Plain clients rather than reactive-messaging channels: trigger topics change at run
 * time with deployments, offsets commit per batch only after runs were handed off, and the token and definition views
 * read every partition from the beginning without a consumer group. Connection settings come from Quarkus'
 * {@code kafka.*} configuration.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> base;
    private final Map<String, Object> groupSettings;
    private final KafkaProducer<String, String> producer;
    private final Tracer tracer;
    /** The producer's and the group consumers' client metrics (lag, sends) in /q/metrics; null in tests and benchmarks. */
    private final MeterRegistry meters;
    private final List<KafkaClientMetrics> clientMetrics = new CopyOnWriteArrayList<>();

    /** Clients without tracing (tests and benchmarks). */
    public KafkaClients(Map<String, Object> kafkaConfig) {
        this(kafkaConfig, OpenTelemetry.noop(), null);
    }

    @Inject
    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, OpenTelemetry otel, MeterRegistry meters) {
        this.tracer = otel.getTracer("io.jsworkflows.executor");
        this.meters = meters;
        this.base = KafkaConnection.of(kafkaConfig);
        this.groupSettings = new HashMap<>();
        // a replica killed with SIGKILL never leaves its group: its partitions move after the session timeout, which is
        // 45 s by Kafka's default. 10 s bounds how long trigger records wait for a takeover.
        groupSettings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, kafkaConfig.getOrDefault(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000));
        groupSettings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, kafkaConfig.getOrDefault(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000));
        Map<String, Object> p = ProducerSettings.reliable(base, "workflow-executor-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2); // run events wait for their ack on the run path: shorter than the platform's 5 ms
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        bind(new KafkaClientMetrics(producer));
    }

    public String bootstrapServers() {
        return String.valueOf(base.get("bootstrap.servers"));
    }

    /** Publishes a contract value with CloudEvents binary-mode headers; null value = tombstone. */
    public CompletableFuture<RecordMetadata> send(String topic, String key, Object value, String ceType) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.of(ceType, CloudEventTypes.SOURCE_EXECUTOR).forEach((k, v) -> headers.add(k, bytes(v)));
        headers.add("content-type", bytes("application/json"));
        // written within a run's trace: a producer span, named in the record's traceparent (docs/observability.md)
        Context parent = Context.current();
        Span span = Span.fromContext(parent).getSpanContext().isValid()
                ? tracer.spanBuilder(topic + " publish").setSpanKind(SpanKind.PRODUCER).setParent(parent)
                        .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", topic).startSpan()
                : null;
        if (span != null) {
            W3CTraceContextPropagator.getInstance().inject(parent.with(span), headers, (h, k, v) -> h.add(k, bytes(v)));
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, key, value == null ? null : ContractsJson.write(value),
                headers);
        CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
        producer.send(record, (md, e) -> {
            if (span != null) {
                span.end();
            }
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(md);
            }
        });
        return f;
    }

    /** How to reach the cluster (bootstrap servers, security): what the topic views start from. */
    public Map<String, Object> connection() {
        return Map.copyOf(base);
    }

    /** A consumer without a group for reading an offset range (assign + seek). */
    public KafkaConsumer<String, byte[]> rangeConsumer(String clientId) {
        Map<String, Object> c = new HashMap<>(base);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + UUID.randomUUID().toString().substring(0, 8));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A group member that commits by hand. */
    public KafkaConsumer<String, byte[]> groupConsumer(String groupId, String clientId, int maxPollRecords, java.time.Duration maxPollInterval) {
        Map<String, Object> c = new HashMap<>(base);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.putAll(groupSettings);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + UUID.randomUUID().toString().substring(0, 8));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxPollInterval.toMillis());
        c.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000); // see newly created trigger topics soon
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        bind(new KafkaClientMetrics(consumer)); // records-lag-max of the trigger and retry groups
        return consumer;
    }

    /** Puts a topic view's client metrics (lag, fetch rates) beside the others. */
    public void bindMetrics(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer));
    }

    private void bind(KafkaClientMetrics m) {
        if (meters != null) {
            m.bindTo(meters);
            clientMetrics.add(m);
        }
    }

    /** An admin client with the same connection settings (the caller closes it). */
    public org.apache.kafka.clients.admin.Admin admin() {
        return org.apache.kafka.clients.admin.Admin.create(new HashMap<>(base));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    public void close() {
        clientMetrics.forEach(KafkaClientMetrics::close);
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
