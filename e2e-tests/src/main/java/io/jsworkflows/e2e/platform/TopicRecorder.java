package io.jsworkflows.e2e.platform;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import io.jsworkflows.testsupport.TopicRecords;

/**
 * Records everything published to a topic from the moment it starts (or from the beginning), without a consumer group,
 * so that it never takes partitions from the services: test-support's KafkaCompanion recording on the platform's broker,
 * with the broker's timestamp, partition and offset of each record, which the drills' ledgers read.
 */
public final class TopicRecorder<T> implements AutoCloseable {

    /** One record as it was read: its value parsed (null for tombstones), its key and its broker timestamp. */
    public record Entry<T>(String key, T value, String raw, Instant timestamp, int partition, long offset) {
    }

    private final TopicRecords.Recording<T> recording;

    private TopicRecorder(TopicRecords.Recording<T> recording) {
        this.recording = recording;
    }

    public static <T> TopicRecorder<T> fromNow(String bootstrap, String topic, Function<String, T> parse) {
        return new TopicRecorder<>(TopicRecords.fromNow(bootstrap, topic, parse));
    }

    public static <T> TopicRecorder<T> fromBeginning(String bootstrap, String topic, Function<String, T> parse) {
        return new TopicRecorder<>(TopicRecords.fromBeginning(bootstrap, topic, parse));
    }

    public List<Entry<T>> entries() {
        return recording.all().stream().map(r -> new Entry<>(r.key(), r.value(), r.raw(), r.timestamp(), r.partition(), r.offset()))
                .toList();
    }

    public List<T> values() {
        return recording.all().stream().map(TopicRecords.Received::value).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public void close() {
        recording.close();
    }
}
