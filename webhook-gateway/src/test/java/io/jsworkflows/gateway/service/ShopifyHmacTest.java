package io.jsworkflows.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** The signature Shopify sends, and every way a header can fail to be it. */
class ShopifyHmacTest {

    private static final String SECRET = "shpss_0123456789abcdef";
    private static final byte[] BODY = "{\"id\":1,\"note\":\"ünïcode\"}".getBytes(StandardCharsets.UTF_8);

    /** Computed independently of the class under test, as Shopify's docs describe it. */
    private static String shopify(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    @Test
    void acceptsTheSignatureShopifySends() throws Exception {
        String header = shopify(SECRET, BODY);
        assertThat(ShopifyHmac.header(SECRET, BODY)).isEqualTo(header);
        assertThat(ShopifyHmac.verify(ShopifyHmac.key(SECRET), BODY, header)).isTrue();
        assertThat(ShopifyHmac.verify(ShopifyHmac.key(SECRET), BODY, " " + header + " ")).isTrue();
    }

    @Test
    void knownVector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        byte[] mac = ShopifyHmac.sign(ShopifyHmac.key("Jefe"), "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertThat(java.util.HexFormat.of().formatHex(mac)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void rejectsEverythingElse() throws Exception {
        SecretKeySpec key = ShopifyHmac.key(SECRET);
        String good = shopify(SECRET, BODY);
        assertThat(ShopifyHmac.verify(key, BODY, null)).isFalse();
        assertThat(ShopifyHmac.verify(key, BODY, "")).isFalse();
        assertThat(ShopifyHmac.verify(key, BODY, "not base64 !!")).isFalse();
        assertThat(ShopifyHmac.verify(key, BODY, shopify("other-secret", BODY))).isFalse();
        // one byte of the body changed, or the body re-serialised (whitespace)
        byte[] changed = BODY.clone();
        changed[changed.length - 2] ^= 1;
        assertThat(ShopifyHmac.verify(key, changed, good)).isFalse();
        assertThat(ShopifyHmac.verify(key, "{\"id\": 1, \"note\": \"ünïcode\"}".getBytes(StandardCharsets.UTF_8), good)).isFalse();
        // a truncated signature (a prefix of the right one) is not accepted either
        byte[] raw = Base64.getDecoder().decode(good);
        assertThat(ShopifyHmac.verify(key, BODY, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, 16)))).isFalse();
        // hex instead of base64
        assertThat(ShopifyHmac.verify(key, BODY, java.util.HexFormat.of().formatHex(raw))).isFalse();
    }

    @Test
    void anUnknownSourceNeverVerifies() throws Exception {
        assertThat(ShopifyHmac.verifyUnknown(BODY, shopify(SECRET, BODY))).isFalse();
        assertThat(ShopifyHmac.verifyUnknown(BODY, null)).isFalse();
        // even a body signed with the dummy key (32 zero bytes) does not pass
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        assertThat(ShopifyHmac.verifyUnknown(BODY, Base64.getEncoder().encodeToString(mac.doFinal(BODY)))).isFalse();
    }
}
