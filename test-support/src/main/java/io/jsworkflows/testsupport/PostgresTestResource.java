package io.jsworkflows.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real PostgreSQL for a {@code @QuarkusTest}: sets the default datasource, with Dev Services off. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> props = new HashMap<>(SharedPostgres.datasourceProperties());
        props.put("quarkus.datasource.devservices.enabled", "false");
        return props;
    }

    @Override
    public void stop() {
        // shared across test classes; stopped when the JVM exits
    }
}
