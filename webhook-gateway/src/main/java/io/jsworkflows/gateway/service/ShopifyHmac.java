package io.jsworkflows.gateway.service;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shopify's webhook signature: {@code X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(secret, raw body bytes))}, compared
 * in constant time on the decoded bytes. One {@link Mac} per thread: creating one per request costs a provider lookup.
 */
public final class ShopifyHmac {

    private static final String ALGORITHM = "HmacSHA256";
    /** A key no source has: unknown sources are checked against it so that they cost what a known one costs. */
    private static final SecretKeySpec DUMMY_KEY = new SecretKeySpec(new byte[32], ALGORITHM);
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    });

    private ShopifyHmac() {
    }

    public static SecretKeySpec key(String secret) {
        return new SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The raw HMAC of {@code body} under {@code key}. */
    public static byte[] sign(SecretKeySpec key, byte[] body) {
        Mac mac = MAC.get();
        try {
            mac.init(key);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC key rejected", e);
        }
        return mac.doFinal(body);
    }

    /** The header value Shopify sends for {@code body} signed with {@code secret}. */
    public static String header(String secret, byte[] body) {
        return Base64.getEncoder().encodeToString(sign(key(secret), body));
    }

    /**
     * Whether {@code headerValue} is the signature of {@code body} under {@code key}. A missing or non-base64 header is
     * simply false; the HMAC is computed either way so that every rejection costs the same.
     */
    public static boolean verify(SecretKeySpec key, byte[] body, String headerValue) {
        byte[] expected = sign(key, body);
        byte[] given = decode(headerValue);
        return given != null && MessageDigest.isEqual(expected, given);
    }

    /** Computes an HMAC with a key no source has and always answers false: the work of a bad signature. */
    public static boolean verifyUnknown(byte[] body, String headerValue) {
        byte[] expected = sign(DUMMY_KEY, body);
        byte[] given = decode(headerValue);
        MessageDigest.isEqual(expected, given == null ? new byte[expected.length] : given);
        return false;
    }

    private static byte[] decode(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(headerValue.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
