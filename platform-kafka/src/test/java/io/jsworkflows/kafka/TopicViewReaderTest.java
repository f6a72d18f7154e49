package io.jsworkflows.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.jsworkflows.testsupport.SharedKafka;

/** A view against a real broker: what it holds once caught up, a bad record, and the "broker answers" signal. */
class TopicViewReaderTest {

    private final Map<String, Object> connection = Map.of("bootstrap.servers", SharedKafka.bootstrapServers());

    @Test
    void aViewHoldsTheLatestValueOfEveryKeyOnceCaughtUpSkipsWhatItCannotApplyAndFollowsOn() throws Exception {
        String topic = topic(3);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 30; i++) {
                p.send(new ProducerRecord<>(topic, "k" + (i % 10), "v" + i));
            }
            p.send(new ProducerRecord<>(topic, "bad", "not a number"));
            p.send(new ProducerRecord<>(topic, "k0", null)); // a tombstone removes the key
            p.flush();

            Map<String, String> view = new ConcurrentHashMap<>();
            try (TopicViewReader reader = new TopicViewReader(connection, topic, r -> {
                if (r.value() != null && r.value().contains(" ")) {
                    throw new IllegalArgumentException("unreadable: " + r.value());
                }
                if (r.value() == null) {
                    view.remove(r.key());
                } else {
                    view.put(r.key(), r.value());
                }
            }).start()) {
                reader.caughtUp().get(60, java.util.concurrent.TimeUnit.SECONDS);
                // caught up means everything written before the start is applied: no waiting beyond the future
                assertThat(view).hasSize(9).doesNotContainKeys("k0", "bad").containsEntry("k1", "v21").containsEntry("k9", "v29");
                assertThat(reader.alive()).isTrue(); // the bad record did not stop the view

                p.send(new ProducerRecord<>(topic, "k1", "later")).get();
                await().atMost(Duration.ofSeconds(30)).until(() -> "later".equals(view.get("k1")));
            }
        }
    }

    @Test
    void aViewKnowsWhetherTheBrokerAnswersItsFetches() throws Exception {
        String topic = topic(1);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once the socket is closed
        }
        try (TopicViewReader up = new TopicViewReader(connection, topic, r -> {
        }).start();
                TopicViewReader down = new TopicViewReader(Map.of("bootstrap.servers", "127.0.0.1:" + closedPort), topic, r -> {
                }).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> up.fetchedWithin(Duration.ofSeconds(2)));
            // an idle topic still gets an answer every fetch.max.wait.ms: the signal stays fresh without traffic
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> up.fetchedWithin(Duration.ofSeconds(2)));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !down.fetchedWithin(Duration.ofHours(1)));
            assertThat(down.caughtUp()).isNotDone();
        }
    }

    @Test
    void onlyTheConnectionPartOfQuarkusKafkaSettingsReachesAPlainClient() {
        Map<String, Object> c = KafkaConnection.of(Map.of("bootstrap.servers", "b:9092", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN", "ssl.truststore.location", "/t", "group.id", "channel-group",
                "value.deserializer", "x.Y"));
        assertThat(c).containsOnlyKeys("bootstrap.servers", "security.protocol", "sasl.mechanism", "ssl.truststore.location");
    }

    private static String topic(int partitions) throws IOException {
        String name = "view-test-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IOException(e);
        }
        return name;
    }
}
