package io.jsworkflows.testsupport;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The records tests read back from the broker, consumed with SmallRye's {@link KafkaCompanion} (no consumer group).
 * What the companion has no call for, and so is here: a topic as it is now (from its first offsets to the end
 * offsets at the call, then stop, however many records that is), and a recording from now on that keeps when each
 * record arrived and parses it once.
 */
public final class TopicRecords {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private TopicRecords() {
    }

    /** Every record now on the topic of the shared broker, in the order each partition holds them. */
    public static List<ConsumerRecord<String, String>> now(String topic) {
        return now(SharedKafka.bootstrapServers(), List.of(topic));
    }

    /**
     * Every record on these topics from their first offsets up to the end offsets at the call. Fails (rather than
     * returning fewer) when the broker does not deliver that far in time.
     */
    public static List<ConsumerRecord<String, String>> now(String bootstrap, Collection<String> topics) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            List<TopicPartition> partitions = partitions(kafka, topics);
            Map<TopicPartition, Long> start = offsets(kafka, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> end = offsets(kafka, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> from = start.entrySet().stream().filter(e -> e.getValue() < end.get(e.getKey()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            if (from.isEmpty()) {
                return List.of();
            }
            ConsumerTask<String, String> task = kafka.consumeStrings().fromOffsets(from,
                    m -> m.select().where(r -> r.offset() < end.get(KafkaCompanion.tp(r.topic(), r.partition()))));
            // the last offset before the end is a record: compaction keeps a partition's newest, and no producer is transactional
            await("records of " + topics + " up to offsets " + end).atMost(READ_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        Map<TopicPartition, Long> seen = task.latestOffsets();
                        return from.keySet().stream().allMatch(tp -> seen.getOrDefault(tp, -1L) >= end.get(tp) - 1);
                    });
            task.stop();
            return List.copyOf(task.getRecords());
        }
    }

    /** The records of one key now on the topic of the shared broker, oldest first. */
    public static List<ConsumerRecord<String, String>> forKey(String topic, String key) {
        return now(topic).stream().filter(r -> key.equals(r.key())).toList();
    }

    /** The records now on these topics that carry this header value. */
    public static List<ConsumerRecord<String, String>> withHeader(String bootstrap, Collection<String> topics, String header,
            String value) {
        return now(bootstrap, topics).stream().filter(r -> value.equals(header(r, header))).toList();
    }

    /** The record's last value of this header as UTF-8, or null when it has none. */
    public static String header(ConsumerRecord<?, ?> r, String name) {
        return header(r.headers(), name);
    }

    static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Records every record written to the topic of the shared broker from now on; values parsed with {@code parse}. */
    public static <T> Recording<T> fromNow(String topic, Function<String, T> parse) {
        return fromNow(SharedKafka.bootstrapServers(), topic, parse);
    }

    /** Records every record of the topic of the shared broker, from its beginning on; values parsed with {@code parse}. */
    public static <T> Recording<T> fromBeginning(String topic, Function<String, T> parse) {
        return fromBeginning(SharedKafka.bootstrapServers(), topic, parse);
    }

    /** {@link #fromNow(String, Function)} on another broker (e.g. the e2e platform's). */
    public static <T> Recording<T> fromNow(String bootstrap, String topic, Function<String, T> parse) {
        return new Recording<>(bootstrap, topic, parse, OffsetSpec.latest());
    }

    /** {@link #fromBeginning(String, Function)} on another broker (e.g. the e2e platform's). */
    public static <T> Recording<T> fromBeginning(String bootstrap, String topic, Function<String, T> parse) {
        return new Recording<>(bootstrap, topic, parse, OffsetSpec.earliest());
    }

    /**
     * One record as a {@link Recording} received it; {@code value} is null for a tombstone, {@code raw} the value as
     * written, {@code timestamp} the broker's.
     */
    public record Received<T>(String key, T value, Instant receivedAt, Headers headers, String raw, Instant timestamp, int partition,
            long offset) {

        /** The last value of this header, or null. */
        public String header(String name) {
            return TopicRecords.header(headers, name);
        }
    }

    /** A running recording of a topic (all partitions) from the end (or first) offsets at its start. */
    public static final class Recording<T> implements AutoCloseable {

        private final List<Received<T>> received = new CopyOnWriteArrayList<>();
        private final KafkaCompanion kafka;
        private final ConsumerTask<String, String> task;
        private volatile RuntimeException failure;

        private Recording(String bootstrap, String topic, Function<String, T> parse, OffsetSpec from) {
            kafka = new KafkaCompanion(bootstrap);
            // the starting point is fixed here, before the test publishes anything
            Map<TopicPartition, Long> start = offsets(kafka, partitions(kafka, List.of(topic)), from);
            task = kafka.consumeStrings().withPollTimeout(Duration.ofMillis(100)).fromOffsets(start, m -> m.invoke(r -> {
                try {
                    received.add(new Received<>(r.key(), r.value() == null ? null : parse.apply(r.value()), Instant.now(), r.headers(),
                            r.value(), Instant.ofEpochMilli(r.timestamp()), r.partition(), r.offset()));
                } catch (RuntimeException e) {
                    failure = e;
                }
            }));
        }

        /** Everything received so far, in arrival order; throws if a value could not be parsed. */
        public List<Received<T>> all() {
            if (failure != null) {
                throw new IllegalStateException("a record of the recording could not be parsed", failure);
            }
            return new ArrayList<>(received);
        }

        public List<Received<T>> of(String key) {
            return all().stream().filter(r -> key.equals(r.key())).toList();
        }

        public Map<String, List<Received<T>>> byKey() {
            return all().stream().collect(Collectors.groupingBy(Received::key));
        }

        @Override
        public void close() {
            task.stop();
            kafka.close();
        }
    }

    private static List<TopicPartition> partitions(KafkaCompanion kafka, Collection<String> topics) {
        return kafka.topics().describe(topics.toArray(String[]::new)).values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> KafkaCompanion.tp(d.name(), p.partition()))).toList();
    }

    private static Map<TopicPartition, Long> offsets(KafkaCompanion kafka, List<TopicPartition> partitions, OffsetSpec spec) {
        return kafka.offsets().list(partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec))).entrySet()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
