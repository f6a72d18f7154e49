package io.jsworkflows.localstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.localstack.client.KafkaTools;

/** The topics that Kubernetes (Strimzi) and docker compose create are exactly Topics.ALL, the executor's own and Topics.SOURCE_TOPICS. */
class TopicsDeploymentTest {

    /** name -> "partitions|config" as the contract wants it. */
    private static Map<String, String> expected() {
        Map<String, String> m = new TreeMap<>();
        for (Topics.Spec s : KafkaTools.allTopics()) {
            m.put(s.name(), s.partitions() + "|" + new TreeMap<>(KafkaTools.topicConfig(s)));
        }
        return m;
    }

    @Test
    void strimziKafkaTopicsMatchTheContract() throws IOException {
        Map<String, String> actual = new TreeMap<>();
        for (JsonNode t : Repo.documents(Repo.root().resolve("deploy/kubernetes/base/kafka-topics.yaml"))) {
            assertThat(t.path("kind").asText()).isEqualTo("KafkaTopic");
            String name = t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText());
            Map<String, String> config = new TreeMap<>();
            t.path("spec").path("config").fields().forEachRemaining(e -> {
                if (e.getKey().equals("cleanup.policy") || e.getKey().equals("retention.ms")) {
                    config.put(e.getKey(), e.getValue().asText());
                }
            });
            actual.put(name, t.path("spec").path("partitions").asInt() + "|" + config);
        }
        assertThat(actual).isEqualTo(expected());
    }

    @Test
    void theSourcesTopicAndEveryShopifySourceTopicAreDeployed() {
        List<String> names = KafkaTools.allTopics().stream().map(Topics.Spec::name).toList();

        assertThat(names).contains(Topics.SOURCES, Topics.REFRESH_CHAIN).containsAll(Topics.SHOPIFY_SOURCE_TOPICS).doesNotHaveDuplicates();
        assertThat(KafkaTools.allTopics()).filteredOn(t -> t.name().equals(Topics.SOURCES)).singleElement()
                .satisfies(t -> assertThat(t.compacted()).isTrue());
    }

    @Test
    void grantsAndTokensAreCoPartitioned() throws IOException {
        Map<String, Integer> partitions = new HashMap<>();
        for (JsonNode t : Repo.documents(Repo.root().resolve("deploy/kubernetes/base/kafka-topics.yaml"))) {
            partitions.put(t.path("spec").path("topicName").asText(), t.path("spec").path("partitions").asInt());
        }
        assertThat(partitions.get(Topics.CONNECTION_GRANTS)).isEqualTo(partitions.get(Topics.CONNECTION_TOKENS));
    }

    @Test
    void composeTopicInitMatchesTheContract() throws IOException {
        JsonNode compose = Repo.YAML.readTree(Files.readString(Repo.root().resolve("docker-compose.yml")));
        String script = compose.path("services").path("kafka-topics").path("command").get(0).asText();
        Pattern line = Pattern.compile("^\\s*t --topic (\\S+) --partitions (\\d+)((?: --config \\S+)*)\\s*$", Pattern.MULTILINE);
        Matcher m = line.matcher(script);
        Map<String, String> actual = new TreeMap<>();
        while (m.find()) {
            Map<String, String> config = new TreeMap<>();
            for (String c : m.group(3).trim().split("\\s*--config\\s+")) {
                if (!c.isBlank()) {
                    String[] kv = c.split("=", 2);
                    config.put(kv[0], kv[1]);
                }
            }
            actual.put(m.group(1), m.group(2) + "|" + config);
        }
        assertThat(actual).isEqualTo(expected());
        assertThat(List.copyOf(actual.keySet())).hasSize(KafkaTools.allTopics().size()).contains(Topics.RUN_DLQ, Topics.SOURCES, Topics.SHOPIFY_ORDERS);
    }
}
