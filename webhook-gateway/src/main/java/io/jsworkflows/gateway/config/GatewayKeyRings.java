package io.jsworkflows.gateway.config;

import io.jsworkflows.contracts.config.KeyRings;
import io.smallrye.config.ConfigMapping;

/** The one key ring the gateway holds: the source ring, to open webhook signing secrets; no token or grant ring. */
@ConfigMapping(prefix = "jsw.crypto")
public interface GatewayKeyRings extends KeyRings.SourceKeys {
}
