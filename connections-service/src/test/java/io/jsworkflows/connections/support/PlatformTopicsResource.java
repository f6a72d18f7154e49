package io.jsworkflows.connections.support;

import java.util.Map;

import io.jsworkflows.testsupport.PlatformTopics;
import io.jsworkflows.testsupport.SharedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Creates the platform topics with their real partition counts before the app subscribes to them. */
public class PlatformTopicsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        PlatformTopics.create(SharedKafka.bootstrapServers());
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
