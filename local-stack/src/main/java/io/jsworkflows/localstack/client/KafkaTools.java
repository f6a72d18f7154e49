package io.jsworkflows.localstack.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.messaging.ProducerSettings;
import io.jsworkflows.localstack.stack.StackException;

/** Kafka plumbing of the CLI: the platform topics, and short-lived producers and consumers. */
public final class KafkaTools {

    private KafkaTools() {
    }

    /** workflow-executor's own crash-detection topic (docs/events.md); it creates it itself when missing, deployment does too. */
    public static final Topics.Spec RUNS_INFLIGHT = new Topics.Spec("jsw.runs.inflight", 6, true, null);

    /**
     * Every topic deployment creates: the platform's ({@link Topics#ALL}, with {@code jsw.sources}), the executor's own,
     * and the shared Shopify source topics webhook-gateway writes ({@link Topics#SOURCE_TOPICS}).
     */
    public static List<Topics.Spec> allTopics() {
        List<Topics.Spec> all = new ArrayList<>(Topics.ALL);
        if (all.stream().noneMatch(t -> t.name().equals(RUNS_INFLIGHT.name()))) {
            all.add(RUNS_INFLIGHT);
        }
        all.addAll(Topics.SOURCE_TOPICS);
        return all;
    }

    public static Map<String, String> topicConfig(Topics.Spec s) {
        Map<String, String> config = new HashMap<>();
        config.put("cleanup.policy", s.compacted() ? "compact" : "delete");
        if (s.retention() != null) {
            config.put("retention.ms", Long.toString(s.retention().toMillis()));
        }
        return config;
    }

    /** Creates the topics that are missing; returns how many it created. */
    public static int createPlatformTopics(String bootstrap) {
        try (Admin admin = Admin.create(adminProps(bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = allTopics().stream().filter(s -> !existing.contains(s.name()))
                    .map(s -> new NewTopic(s.name(), s.partitions(), (short) 1).configs(topicConfig(s))).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return missing.size();
        } catch (ExecutionException | TimeoutException e) {
            throw new StackException("cannot create the topics at " + bootstrap + ": " + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while creating topics");
        }
    }

    public static void awaitReachable(String bootstrap, Duration timeout) {
        try (Admin admin = Admin.create(adminProps(bootstrap))) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new StackException("Kafka at " + bootstrap + " does not answer (" + rootMessage(e)
                    + "). Is the stack running? Start it with ./jsw up.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    public static KafkaProducer<String, String> producer(String bootstrap) {
        Map<String, Object> p = ProducerSettings.reliable(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), "jsw-cli");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** A consumer without a group (manual assignment) unless {@code groupId} is given. */
    public static KafkaConsumer<String, String> consumer(String bootstrap, String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "jsw-cli-" + UUID.randomUUID());
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        }
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private static Properties adminProps(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return p;
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
