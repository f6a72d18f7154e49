package io.jsworkflows.contracts.config;

import java.util.Optional;

/**
 * The platform's key rings ({@code jsw.crypto.*}), each defined once. A service's configuration maps only the rings its
 * job needs, by extending these in its own {@code Crypto} group: with SmallRye's unknown-key check on, a ring handed to a
 * service that must not hold it fails that service's start. Format of every ring: {@code id:base64-32-bytes[,...]},
 * the first key seals, all open (rotation); checked at start by {@code TokenCipher.fromConfig}.
 */
public final class KeyRings {

    private KeyRings() {
    }

    /** {@code jsw.crypto.token-keys}: seals access tokens (refresher) and opens them (connections-service, executors). */
    public interface TokenKeys {
        Optional<String> tokenKeys();
    }

    /** {@code jsw.crypto.grant-keys}: seals refresh tokens (connections-service, refresher; never an executor). */
    public interface GrantKeys {
        Optional<String> grantKeys();
    }

    /** {@code jsw.crypto.source-keys}: seals trigger sources' webhook signing secrets (connections-service, webhook-gateway). */
    public interface SourceKeys {
        Optional<String> sourceKeys();
    }
}
