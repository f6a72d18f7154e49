package io.jsworkflows.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

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
import org.jboss.logging.Logger;

/**
 * Reads every partition of a (compacted) topic from the beginning, without a consumer group, and keeps following it:
 * the executor's token, definition and crash views and the gateway's source directory.
 *
 * <p>Hand-written because a reactive-messaging channel cannot do what a view needs: every replica reads every partition
 * (assign, no group, nothing committed), and readiness must know when the view reached the end offsets the topic had at
 * start ({@link #caughtUp()}) and whether the broker still answers ({@link #fetchedWithin}).
 */
public final class TopicViewReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicViewReader.class);

    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final Consumer<ConsumerRecord<String, String>> apply;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** The consumer's count of fetch responses, and when it last grew: the broker answered (0 = never). */
    private Metric fetchTotal;
    private double fetches;
    private volatile long lastFetchNanos;

    /**
     * A view of {@code topic} reached through {@code connection} (see {@link KafkaConnection}); {@code apply} gets each
     * record in order per partition, a tombstone as a null value. A record {@code apply} throws on is skipped.
     */
    public TopicViewReader(Map<String, ?> connection, String topic, Consumer<ConsumerRecord<String, String>> apply) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(consumerSettings(connection, "jsw-view-" + topic), new StringDeserializer(),
                new StringDeserializer());
        this.apply = apply;
        this.thread = Thread.ofPlatform().daemon().name("jsw-view-" + topic).unstarted(this::loop);
    }

    static Map<String, Object> consumerSettings(Map<String, ?> connection, String clientId) {
        Map<String, Object> c = new HashMap<>(connection);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + UUID.randomUUID().toString().substring(0, 8));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // platform topics are created by deployment, with their partitions
        return c;
    }

    public TopicViewReader start() {
        thread.start();
        return this;
    }

    /** Completes once every partition reached the end offset it had when the reader started. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /** The consumer, for binding its client metrics (lag, fetch rates) to a registry. */
    public KafkaConsumer<String, String> consumer() {
        return consumer;
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
                    try {
                        apply.accept(r);
                    } catch (RuntimeException e) {
                        // one bad record never stops the view; named by its type only, as a message could quote the
                        // value (sealed tokens and secrets live on these topics)
                        LOG.warnf("skipping record %d/%d of %s: %s", r.partition(), r.offset(), topic, e.getClass().getSimpleName());
                    }
                }
                if (!caughtUp.isDone() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    LOG.infof("view of %s caught up (%d partitions)", topic, partitions.size());
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf("the view of %s stopped: %s", topic, e.getClass().getSimpleName());
            caughtUp.completeExceptionally(e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    /**
     * Whether the broker answered one of this reader's fetches within {@code window}. An idle topic still gets an
     * answer every {@code fetch.max.wait.ms} (500 ms), so silence means the broker is unreachable.
     */
    public boolean fetchedWithin(Duration window) {
        long last = lastFetchNanos;
        return last != 0 && System.nanoTime() - last <= window.toNanos();
    }

    private void noteFetches() {
        if (fetchTotal == null) {
            consumer.metrics().forEach((name, metric) -> {
                if (name.name().equals("fetch-total") && name.group().equals("consumer-fetch-manager-metrics") && !name.tags().containsKey("topic")) {
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
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            }
            LOG.infof("waiting for topic %s to exist", topic);
            try {
                Thread.sleep(1000); // a topic created by deployment: nothing to wait on but time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        throw new WakeupException();
    }

    /** False once the view stopped by itself (not closed): its map no longer follows the topic. */
    public boolean alive() {
        return thread.isAlive() || !running;
    }

    public String name() {
        return thread.getName();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (thread.isAlive()) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (thread.getState() == Thread.State.NEW) {
            consumer.close(CloseOptions.timeout(Duration.ZERO)); // never started: the loop's finally will not run
        }
    }
}
