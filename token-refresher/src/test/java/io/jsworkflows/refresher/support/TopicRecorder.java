package io.jsworkflows.refresher.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Records every value written to a topic from now on (all partitions), with the time it was received. */
public final class TopicRecorder<T> implements AutoCloseable {

    /** One received record; {@code value} is null for a tombstone, {@code traceparent} when the record has none. */
    public record Received<T>(String key, T value, Instant receivedAt, String traceparent) {
    }

    private final List<Received<T>> received = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    public TopicRecorder(String bootstrap, String topic, Function<String, T> parse) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> tps = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position); // fix the starting point now, before anything is published
        thread = Thread.ofPlatform().daemon().name("recorder-" + topic).start(() -> {
            while (running) {
                try {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        org.apache.kafka.common.header.Header tp = r.headers().lastHeader("traceparent");
                        received.add(new Received<>(r.key(), r.value() == null ? null : parse.apply(r.value()), Instant.now(),
                                tp == null ? null : new String(tp.value(), java.nio.charset.StandardCharsets.UTF_8)));
                    }
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    break;
                }
            }
            consumer.close();
        });
    }

    public List<Received<T>> all() {
        return new ArrayList<>(received);
    }

    public List<Received<T>> of(String key) {
        return received.stream().filter(r -> key.equals(r.key())).toList();
    }

    public Map<String, List<Received<T>>> byKey() {
        return received.stream().collect(Collectors.groupingBy(Received::key));
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
