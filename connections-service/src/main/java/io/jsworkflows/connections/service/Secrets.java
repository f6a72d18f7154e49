package io.jsworkflows.connections.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random values (API keys, OAuth states) and their one-way hashes. */
public final class Secrets {

    public static final String API_KEY_PREFIX = "jsw_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 256 random bits, base64url without padding. */
    public static String random256() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String newApiKey() {
        return API_KEY_PREFIX + random256();
    }

    /** SHA-256 hex: enough for 256-bit random secrets, which cannot be guessed from a dictionary. */
    public static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison through the hashes, so neither length nor prefix leaks through timing. */
    public static boolean sameSecret(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(a).getBytes(StandardCharsets.UTF_8), sha256(b).getBytes(StandardCharsets.UTF_8));
    }
}
