package io.jsworkflows.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.SourceKind;
import io.jsworkflows.contracts.events.SourceState;

/** The sources view: highest version wins, tombstones delete, a secret opens only for its own source id. */
class SourceDirectoryTest {

    private static final String RING = TokenCipher.generateKey("k1");
    private static final TokenCipher CIPHER = TokenCipher.fromConfig(RING, "test");
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private final SourceDirectory directory = new SourceDirectory(Optional.of(RING));

    private static SourceState state(String id, String secret, long version) {
        return new SourceState(1, id, "ws-1", SourceKind.shopify, "shop.myshopify.com", CIPHER.seal(secret, id), version, Instant.now());
    }

    private boolean opensWith(String id, String secret) {
        SourceDirectory.Source s = directory.find(id).orElseThrow();
        return directory.key(s).map(k -> ShopifyHmac.verify(k, BODY, ShopifyHmac.header(secret, BODY))).orElse(false);
    }

    @Test
    void theHighestVersionWinsWhateverTheOrder() {
        directory.apply("s1", state("s1", "v2-secret", 2));
        directory.apply("s1", state("s1", "v1-secret", 1));
        assertThat(directory.find("s1").orElseThrow().version()).isEqualTo(2);
        assertThat(opensWith("s1", "v2-secret")).isTrue();
        directory.apply("s1", state("s1", "v3-secret", 3));
        assertThat(opensWith("s1", "v3-secret")).isTrue();
        assertThat(opensWith("s1", "v2-secret")).isFalse();
    }

    @Test
    void aTombstoneDeletes() {
        directory.apply("s2", state("s2", "x", 1));
        directory.apply("s2", null);
        assertThat(directory.find("s2")).isEmpty();
        assertThat(directory.size()).isZero();
    }

    @Test
    void aSecretSealedForAnotherSourceDoesNotOpen() {
        SourceState theirs = state("s-victim", "victims-secret", 1);
        // the attacker's source carries the victim's sealed secret: the associated data (source id) does not match
        directory.apply("s-attacker", new SourceState(1, "s-attacker", "ws-attacker", SourceKind.shopify, "a.myshopify.com",
                theirs.sealedSecret(), 1, Instant.now()));
        SourceDirectory.Source s = directory.find("s-attacker").orElseThrow();
        assertThat(directory.key(s)).isEmpty();
    }

    @Test
    void incompleteStatesAreIgnored() {
        directory.apply("s3", new SourceState(1, "s3", null, SourceKind.shopify, "shop.myshopify.com", "k1:x", 1, Instant.now()));
        directory.apply("s4", new SourceState(1, "s4", "ws", SourceKind.shopify, null, "k1:x", 1, Instant.now()));
        assertThat(directory.size()).isZero();
    }
}
