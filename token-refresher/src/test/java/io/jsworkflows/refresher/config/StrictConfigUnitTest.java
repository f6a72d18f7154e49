package io.jsworkflows.refresher.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.testsupport.StrictConfig;

/** A misspelt {@code jsw.*} key fails the start; the properties file holds no key the mapping does not know. */
class StrictConfigUnitTest {

    static final Map<String, String> OPERATOR = Map.of();

    @Test
    void thePropertiesFileHasNoUnknownKey() {
        StrictConfig.assertStarts(RefresherConfig.class, OPERATOR);
    }

    @Test
    void aMisspeltKeyFailsTheStart() {
        StrictConfig.assertMisspeltKeyFails(RefresherConfig.class, OPERATOR, "jsw.refresher.leed");
    }

    @Test
    void aRingTheRefresherMustNotHoldFailsTheStart() {
        StrictConfig.assertMisspeltKeyFails(RefresherConfig.class, OPERATOR, "jsw.crypto.source-keys");
    }
}
