package io.jsworkflows.executor.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.testsupport.StrictConfig;

/** A misspelt {@code jsw.*} key fails the start; the properties file holds no key the mapping does not know. */
class StrictConfigUnitTest {

    static final Map<String, String> OPERATOR = Map.of();

    @Test
    void thePropertiesFileHasNoUnknownKey() {
        StrictConfig.assertStarts(ExecutorConfig.class, OPERATOR);
    }

    @Test
    void aMisspeltKeyFailsTheStart() {
        StrictConfig.assertMisspeltKeyFails(ExecutorConfig.class, OPERATOR, "jsw.executor.default-timout");
    }

    @Test
    void aSecretTheExecutorMustNotHoldFailsTheStart() {
        // the shared groups are composed per service: the executor maps the token ring and the API URL only
        StrictConfig.assertMisspeltKeyFails(ExecutorConfig.class, OPERATOR, "jsw.hubspot.client-secret");
        StrictConfig.assertMisspeltKeyFails(ExecutorConfig.class, OPERATOR, "jsw.crypto.grant-keys");
        StrictConfig.assertMisspeltKeyFails(ExecutorConfig.class, OPERATOR, "jsw.crypto.source-keys");
    }
}
