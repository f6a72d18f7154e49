package io.jsworkflows.connections.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.testsupport.StrictConfig;

/** A misspelt {@code jsw.*} key fails the start; the properties file holds no key the mapping does not know. */
class StrictConfigUnitTest {

    static final Map<String, String> OPERATOR = Map.of("jsw.ingress.public-url", "https://hooks.example.com"); // what the mapping requires

    @Test
    void thePropertiesFileHasNoUnknownKey() {
        StrictConfig.assertStarts(JswConfig.class, OPERATOR);
    }

    @Test
    void aMisspeltKeyFailsTheStart() {
        StrictConfig.assertMisspeltKeyFails(JswConfig.class, OPERATOR, "jsw.public-ulr");
    }
}
