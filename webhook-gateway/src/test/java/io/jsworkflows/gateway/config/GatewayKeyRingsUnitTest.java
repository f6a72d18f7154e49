package io.jsworkflows.gateway.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.testsupport.StrictConfig;

/** The gateway maps the source ring only: a token or grant ring handed to it fails the start instead of sitting there. */
class GatewayKeyRingsUnitTest {

    @Test
    void theSourceRingIsTheOnlyRingTheGatewayTakes() {
        StrictConfig.assertStarts(GatewayKeyRings.class, Map.of("jsw.crypto.source-keys", "s1:c291cmNlLXRlc3Qta2V5LTAwMDAwMDAwMDAwMDAwMDA="));
        StrictConfig.assertMisspeltKeyFails(GatewayKeyRings.class, Map.of(), "jsw.crypto.token-keys");
        StrictConfig.assertMisspeltKeyFails(GatewayKeyRings.class, Map.of(), "jsw.crypto.grant-keys");
    }
}
