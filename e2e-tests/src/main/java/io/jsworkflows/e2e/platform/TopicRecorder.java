package io.jsworkflows.e2e.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.jsworkflows.localstack.client.KafkaTools;
import io.jsworkflows.localstack.client.Records;

/**
 * Records everything published to a topic from the moment it starts (or from the beginning), on its own thread and
 * without a consumer group, so that it never takes partitions from the services. Survives broker restarts: the
 * consumer simply reconnects.
 */
public final class TopicRecorder<T> implements AutoCloseable {

    /** One record as it was read: its value parsed (null for tombstones), its key and its broker timestamp. */
    public record Entry<T>(String key, T value, String raw, Instant timestamp, int partition, long offset) {
    }

    private final List<Entry<T>> entries = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private TopicRecorder(String bootstrap, String topic, boolean fromBeginning, Function<String, T> parse) {
        consumer = KafkaTools.consumer(bootstrap, null);
        List<TopicPartition> tps = Records.assignAll(consumer, topic);
        if (fromBeginning) {
            consumer.seekToBeginning(tps);
        } else {
            consumer.seekToEnd(tps);
        }
        tps.forEach(consumer::position); // pin the start now, not at the first poll
        thread = Thread.ofPlatform().daemon().name("recorder-" + topic).start(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        T v = r.value() == null ? null : parse.apply(r.value());
                        entries.add(new Entry<>(r.key(), v, r.value(), Instant.ofEpochMilli(r.timestamp()), r.partition(), r.offset()));
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        });
    }

    public static <T> TopicRecorder<T> fromNow(String bootstrap, String topic, Function<String, T> parse) {
        return new TopicRecorder<>(bootstrap, topic, false, parse);
    }

    public static <T> TopicRecorder<T> fromBeginning(String bootstrap, String topic, Function<String, T> parse) {
        return new TopicRecorder<>(bootstrap, topic, true, parse);
    }

    public List<Entry<T>> entries() {
        return List.copyOf(entries);
    }

    public List<T> values() {
        return entries.stream().map(Entry::value).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
