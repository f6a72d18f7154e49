package io.jsworkflows.contracts.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class TokenCipherTest {

    private static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = TokenCipher.generateKey("k2");

    @Test
    void roundTripWithFreshNonceEachTime() {
        TokenCipher cipher = TokenCipher.fromConfig(K1, "token key");
        String a = cipher.seal("access-token-value", "conn-1");
        String b = cipher.seal("access-token-value", "conn-1");
        assertThat(a).startsWith("k1:").doesNotContain("access-token-value").isNotEqualTo(b);
        assertThat(cipher.open(a, "conn-1")).isEqualTo("access-token-value");
        assertThat(cipher.open(b, "conn-1")).isEqualTo("access-token-value");
    }

    @Test
    void tamperedValueIsRejected() {
        TokenCipher cipher = TokenCipher.fromConfig(K1, "token key");
        String sealed = cipher.seal("secret", "conn-1");
        byte[] raw = Base64.getUrlDecoder().decode(sealed.substring(3));
        raw[raw.length - 5] ^= 1;
        String tampered = "k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertThatThrownBy(() -> cipher.open(tampered, "conn-1"))
                .isInstanceOf(TokenCipher.SealedValueException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void otherAssociatedDataIsRejected() {
        TokenCipher cipher = TokenCipher.fromConfig(K1, "token key");
        String sealed = cipher.seal("secret", "conn-1");
        assertThatThrownBy(() -> cipher.open(sealed, "conn-2"))
                .isInstanceOf(TokenCipher.SealedValueException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void unknownKeyIdIsRejectedByName() {
        String sealed = TokenCipher.fromConfig(K2, "token key").seal("secret", "c");
        assertThatThrownBy(() -> TokenCipher.fromConfig(K1, "token key").open(sealed, "c"))
                .isInstanceOf(TokenCipher.SealedValueException.class)
                .hasMessageContaining("'k2'").hasMessageContaining("known: k1");
    }

    @Test
    void rotationFirstKeySealsAllKeysOpen() {
        String old = TokenCipher.fromConfig(K1, "grant key").seal("refresh", "c");
        TokenCipher rotated = TokenCipher.fromConfig(K2 + "," + K1, "grant key");
        assertThat(rotated.sealingKeyId()).isEqualTo("k2");
        assertThat(rotated.open(old, "c")).isEqualTo("refresh");
        String fresh = rotated.seal("refresh", "c");
        assertThat(fresh).startsWith("k2:");
        assertThatThrownBy(() -> TokenCipher.fromConfig(K1, "grant key").open(fresh, "c"))
                .isInstanceOf(TokenCipher.SealedValueException.class);
    }

    @Test
    void missingOrMalformedKeysAreClearStartupErrors() {
        assertThatThrownBy(() -> TokenCipher.fromConfig(null, "grant key (JSW_GRANT_KEYS)"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("grant key (JSW_GRANT_KEYS) is not configured");
        assertThatThrownBy(() -> TokenCipher.fromConfig("k1:" + Base64.getEncoder().encodeToString(new byte[16]), "token key"))
                .hasMessageContaining("16 bytes").hasMessageContaining("exactly 32");
        assertThatThrownBy(() -> TokenCipher.fromConfig("nokeyid", "token key")).hasMessageContaining("keyId:base64key");
        assertThatThrownBy(() -> TokenCipher.fromConfig("k1:%%%", "token key")).hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> TokenCipher.fromConfig(K1 + "," + K1, "token key")).hasMessageContaining("twice");
    }

    @Test
    void garbageIsRejected() {
        TokenCipher cipher = TokenCipher.fromConfig(K1, "token key");
        assertThatThrownBy(() -> cipher.open("plaintext-token", "c")).isInstanceOf(TokenCipher.SealedValueException.class);
        assertThatThrownBy(() -> cipher.open("k1:abc", "c")).hasMessageContaining("too short");
    }
}
