package io.jsworkflows.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.Topics;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The servers test-support starts are real: a record crosses the broker between two clients; SQL runs on PostgreSQL. */
class RealServersTest {

    @Test
    void recordProducedByOneClientIsConsumedByAnother() {
        String bootstrap = SharedKafka.bootstrapServers();
        try (KafkaCompanion producer = new KafkaCompanion(bootstrap); KafkaCompanion consumer = new KafkaCompanion(bootstrap)) {
            producer.topics().createAndWait("it.handoff", 3);
            producer.produceStrings().fromRecords(
                    new ProducerRecord<>("it.handoff", "shop-1", "{\"id\":1}"),
                    new ProducerRecord<>("it.handoff", "shop-1", "{\"id\":2}")).awaitCompletion();
            ConsumerTask<String, String> task = consumer.consumeStrings()
                    .withGroupId("handoff-reader").withAutoCommit()
                    .fromTopics("it.handoff", 2).awaitCompletion(Duration.ofSeconds(30));
            assertThat(task.getRecords()).extracting(r -> r.value()).containsExactly("{\"id\":1}", "{\"id\":2}");
            assertThat(task.getRecords()).extracting(r -> r.key()).containsOnly("shop-1");
        }
    }

    @Test
    void platformTopicsAreCreatedWithTheirPolicies() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        PlatformTopics.create(bootstrap);
        PlatformTopics.create(bootstrap); // idempotent
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Map<String, TopicDescription> d = admin.describeTopics(
                    java.util.List.of(Topics.CONNECTION_GRANTS, Topics.CONNECTION_TOKENS)).allTopicNames().get();
            assertThat(d.get(Topics.CONNECTION_GRANTS).partitions()).hasSize(Topics.CONNECTION_PARTITIONS);
            assertThat(d.get(Topics.CONNECTION_TOKENS).partitions()).hasSize(Topics.CONNECTION_PARTITIONS);
            ConfigResource grants = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONNECTION_GRANTS);
            ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, Topics.RUN_EVENTS);
            var configs = admin.describeConfigs(java.util.List.of(grants, events)).all().get();
            assertThat(configs.get(grants).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(events).get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(configs.get(events).get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
        }
    }

    @Test
    void postgresIsRealAndFresh() throws Exception {
        try (Connection c = DriverManager.getConnection(SharedPostgres.jdbcUrl(), SharedPostgres.USER, SharedPostgres.PASSWORD)) {
            c.createStatement().execute("create table probe(id int primary key, v text)");
            c.createStatement().execute("insert into probe values (1, 'x')");
            ResultSet rs = c.createStatement().executeQuery("select v, current_database(), version() from probe");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("x");
            assertThat(rs.getString(2)).isEqualTo(SharedPostgres.DATABASE);
            assertThat(rs.getString(3)).startsWith("PostgreSQL " + SharedPostgres.POSTGRES_MAJOR); // the container runs the same major
        }
    }
}
