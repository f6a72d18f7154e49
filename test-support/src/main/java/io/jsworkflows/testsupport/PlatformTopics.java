package io.jsworkflows.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import io.jsworkflows.contracts.Topics;

/** Creates the platform topics (partitions, compaction, retention from {@link Topics#ALL}) on a test broker. */
public final class PlatformTopics {

    private PlatformTopics() {
    }

    public static void create(String bootstrap) {
        create(bootstrap, Topics.ALL);
    }

    public static void create(String bootstrap, List<Topics.Spec> specs) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = specs.stream().filter(s -> !existing.contains(s.name())).map(PlatformTopics::newTopic).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create platform topics", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static NewTopic newTopic(Topics.Spec s) {
        Map<String, String> config = new HashMap<>();
        config.put("cleanup.policy", s.compacted() ? "compact" : "delete");
        if (s.retention() != null) {
            config.put("retention.ms", Long.toString(s.retention().toMillis()));
        }
        return new NewTopic(s.name(), s.partitions(), (short) 1).configs(config);
    }
}
