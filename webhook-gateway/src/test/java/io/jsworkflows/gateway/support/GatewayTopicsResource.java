package io.jsworkflows.gateway.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.testsupport.PlatformTopics;
import io.jsworkflows.testsupport.SharedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Creates the platform and source topics with their real partition counts before the gateway starts reading them. */
public class GatewayTopicsResource implements QuarkusTestResourceLifecycleManager {

    public static List<Topics.Spec> specs() {
        List<Topics.Spec> all = new ArrayList<>(Topics.ALL);
        all.addAll(Topics.SOURCE_TOPICS);
        return all;
    }

    @Override
    public Map<String, String> start() {
        PlatformTopics.create(SharedKafka.bootstrapServers(), specs());
        return Map.of();
    }

    @Override
    public void stop() {
        // topics live as long as the shared broker
    }
}
