package io.jsworkflows.connections.config;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.quarkus.runtime.Startup;

/**
 * The key rings: the grant key seals refresh tokens, the token key access tokens, the source key webhook secrets. Built eagerly so that a
 * missing or malformed ring stops the service at start with a message that says what to set.
 */
@Startup
@ApplicationScoped
public class Ciphers {

    private final TokenCipher grant;
    private final TokenCipher token;
    private final TokenCipher source;

    public Ciphers(ConnectionsConfig config) {
        this.grant = TokenCipher.fromConfig(config.crypto().grantKeys().orElse(null),
                "grant key ring (jsw.crypto.grant-keys / JSW_CRYPTO_GRANT_KEYS)");
        this.token = TokenCipher.fromConfig(config.crypto().tokenKeys().orElse(null),
                "token key ring (jsw.crypto.token-keys / JSW_CRYPTO_TOKEN_KEYS)");
        this.source = TokenCipher.fromConfig(config.crypto().sourceKeys().orElse(null),
                "source key ring (jsw.crypto.source-keys / JSW_CRYPTO_SOURCE_KEYS)");
    }

    public TokenCipher grant() {
        return grant;
    }

    public TokenCipher token() {
        return token;
    }

    /** Seals trigger sources' webhook signing secrets (associated data = source id). */
    public TokenCipher source() {
        return source;
    }
}
