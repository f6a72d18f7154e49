package io.jsworkflows.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Reading a topic as it is now, and recording it from now on, on the real broker. */
class TopicRecordsTest {

    @Test
    void nowReadsEveryPartitionToItsEndAndNoFurther() {
        try (KafkaCompanion kafka = new KafkaCompanion(SharedKafka.bootstrapServers())) {
            kafka.topics().createAndWait("it.now", 3);
            assertThat(TopicRecords.now("it.now")).isEmpty();
            ProducerRecord<String, String> tagged = new ProducerRecord<>("it.now", "b", "2");
            tagged.headers().add("jsw-workspace", "ws-1".getBytes(StandardCharsets.UTF_8));
            kafka.produceStrings().fromRecords(new ProducerRecord<>("it.now", "a", "1"), tagged,
                    new ProducerRecord<>("it.now", "a", "3"), new ProducerRecord<>("it.now", "c", null)).awaitCompletion();

            assertThat(TopicRecords.now("it.now")).extracting(r -> r.key() + "=" + r.value())
                    .containsExactlyInAnyOrder("a=1", "b=2", "a=3", "c=null");
            assertThat(TopicRecords.forKey("it.now", "a")).extracting(r -> r.value()).containsExactly("1", "3");
            assertThat(TopicRecords.withHeader(SharedKafka.bootstrapServers(), List.of("it.now"), "jsw-workspace", "ws-1"))
                    .extracting(r -> r.key()).containsExactly("b");
            assertThat(TopicRecords.header(TopicRecords.forKey("it.now", "b").getFirst(), "jsw-workspace")).isEqualTo("ws-1");
            assertThat(TopicRecords.header(TopicRecords.forKey("it.now", "a").getFirst(), "jsw-workspace")).isNull();
        }
    }

    @Test
    void aRecordingHoldsOnlyWhatCameAfterItsStart() {
        try (KafkaCompanion kafka = new KafkaCompanion(SharedKafka.bootstrapServers())) {
            kafka.topics().createAndWait("it.recording", 2);
            kafka.produceStrings().fromRecords(new ProducerRecord<>("it.recording", "k", "before")).awaitCompletion();
            try (TopicRecords.Recording<Integer> rec = TopicRecords.fromNow("it.recording", String::length)) {
                kafka.produceStrings().fromRecords(new ProducerRecord<>("it.recording", "k", "after"),
                        new ProducerRecord<>("it.recording", "k", null)).awaitCompletion();
                await().atMost(Duration.ofSeconds(30)).until(() -> rec.of("k").size() == 2);
                assertThat(rec.of("k")).extracting(TopicRecords.Received::value).containsExactly(5, null);
                assertThat(rec.byKey()).containsOnlyKeys("k");
            }
        }
    }
}
