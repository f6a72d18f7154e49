package io.jsworkflows.executor.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.quarkus.logging.Log;

/**
 * Reads every partition of a (compacted) topic from the beginning, without a consumer group, and keeps following it.
 * {@link #caughtUp()} completes once every partition reached the end offset it had when the reader started: the view
 * is then as current as the topic was at start, which is what readiness waits for.
 */
public final class TopicViewReader implements AutoCloseable {

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

    public TopicViewReader(KafkaClients clients, String topic, Consumer<ConsumerRecord<String, String>> apply) {
        this.topic = topic;
        this.consumer = clients.viewConsumer("jsw-view-" + topic);
        this.apply = apply;
        this.thread = Thread.ofPlatform().daemon().name("jsw-view-" + topic).unstarted(this::loop);
    }

    public TopicViewReader start() {
        thread.start();
        return this;
    }

    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
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
                        // one bad record never stops the view
                        Log.warnf("skipping record %s/%d/%d of %s: %s", r.topic(), r.partition(), r.offset(), topic, e.getMessage());
                    }
                }
                if (!caughtUp.isDone() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    Log.infof("view of %s caught up (%d partitions)", topic, partitions.size());
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            Log.errorf(e, "the view of %s stopped", topic);
            caughtUp.completeExceptionally(e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
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
            Log.infof("waiting for topic %s to exist", topic);
            try {
                Thread.sleep(1000);
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
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
