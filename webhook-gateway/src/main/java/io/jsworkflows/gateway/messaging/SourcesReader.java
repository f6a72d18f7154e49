package io.jsworkflows.gateway.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.SourceState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.gateway.service.SourceDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Follows {@code jsw.sources} from the beginning on every replica and feeds {@link SourceDirectory}.
 *
 * <p>A plain consumer rather than a reactive-messaging channel, as the executor's views do: every replica must read
 * every partition (assign, no group, nothing committed), and readiness needs to know when the view reached the end
 * offsets the topic had at start, which a channel does not tell. Connection settings come from Quarkus' {@code kafka.*}.
 */
@ApplicationScoped
public class SourcesReader {

    private final SourceDirectory directory;
    private final Map<String, Object> kafka;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile long lastFetchNanos;
    private KafkaConsumer<String, String> consumer;
    private final MeterRegistry registry;
    private KafkaClientMetrics clientMetrics;
    private Thread thread;
    private Metric fetchTotal;
    private double fetches;

    public SourcesReader(SourceDirectory directory, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            MeterRegistry registry) {
        this.directory = directory;
        this.registry = registry;
        this.kafka = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (k.equals("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                kafka.put(k, v);
            }
        });
    }

    void start(@Observes StartupEvent event) {
        directory.size(); // creates the directory now: a missing or malformed source key ring fails the start, not each record
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "webhook-gateway-sources-" + UUID.randomUUID().toString().substring(0, 8));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // created by deployment, with its partitions
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        clientMetrics = new KafkaClientMetrics(consumer); // lag and fetch rates of the view (a plain client: not bound by Quarkus)
        clientMetrics.bindTo(registry);
        thread = Thread.ofPlatform().daemon().name("jsw-view-" + Topics.SOURCES).start(this::loop);
    }

    /** Completes once every partition reached the end offset it had when the reader started. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /**
     * Whether the broker answered one of this reader's fetches within {@code window}. An idle topic still gets an answer
     * every {@code fetch.max.wait.ms} (500 ms), so silence means the broker is unreachable.
     */
    public boolean fetchedWithin(Duration window) {
        long last = lastFetchNanos;
        return last != 0 && System.nanoTime() - last <= window.toNanos();
    }

    private void loop() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(200));
                noteFetches();
                for (ConsumerRecord<String, String> r : polled) {
                    apply(r);
                }
                if (!caughtUp.isDone() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    Log.infof("view of %s caught up (%d sources)", Topics.SOURCES, directory.size());
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            Log.errorf("the view of %s stopped: %s", Topics.SOURCES, e.getClass().getSimpleName());
            caughtUp.completeExceptionally(e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        try {
            directory.apply(r.key(), r.value() == null ? null : ContractsJson.read(r.value(), SourceState.class));
        } catch (RuntimeException e) {
            // one bad record never stops the view; the message names the type, never the value (it holds a sealed secret)
            Log.warnf("skipping record %d/%d of %s: %s", r.partition(), r.offset(), Topics.SOURCES, e.getMessage());
        }
    }

    private void noteFetches() {
        if (fetchTotal == null) {
            consumer.metrics().forEach((name, metric) -> {
                if (name.name().equals("fetch-total") && name.group().equals("consumer-fetch-manager-metrics")
                        && !name.tags().containsKey("topic")) {
                    fetchTotal = metric;
                }
            });
        }
        if (fetchTotal != null && fetchTotal.metricValue() instanceof Number n && n.doubleValue() > fetches) {
            fetches = n.doubleValue();
            lastFetchNanos = System.nanoTime();
        }
    }

    private List<TopicPartition> partitions() {
        while (running) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.SOURCES, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(Topics.SOURCES, i.partition())).toList();
            }
            Log.infof("waiting for topic %s to exist", Topics.SOURCES);
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        throw new WakeupException();
    }

    @PreDestroy
    void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (clientMetrics != null) {
            clientMetrics.close();
        }
    }
}
