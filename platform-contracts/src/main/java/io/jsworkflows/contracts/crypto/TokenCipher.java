package io.jsworkflows.contracts.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM sealing of tokens at rest and on topics. A sealed value reads {@code <keyId>:<base64url(nonce ‖ ciphertext ‖ tag)>}
 * with a random 96-bit nonce; the caller's associated data (the connection id) binds a value to its connection, so a
 * sealed token copied onto another connection does not open. The first key seals, every key opens: rotate by putting
 * the new key first and keeping the old one until nothing sealed with it remains.
 */
public final class TokenCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String sealingKeyId;
    private final Map<String, SecretKey> keys;

    private TokenCipher(Map<String, SecretKey> keys) {
        this.keys = Map.copyOf(keys);
        this.sealingKeyId = keys.keySet().iterator().next();
    }

    /**
     * Parses a key ring from configuration: {@code id:base64key[,id:base64key...]}, each key 32 bytes; the first seals.
     *
     * @param purpose what the keys protect, for error messages (e.g. "grant key", property name)
     */
    public static TokenCipher fromConfig(String keyRing, String purpose) {
        if (keyRing == null || keyRing.isBlank()) {
            throw new IllegalStateException("The " + purpose + " is not configured. Set it to 'keyId:base64-of-32-random-bytes' "
                    + "(for example: k1:$(openssl rand -base64 32)); several keys are separated by commas, the first one seals.");
        }
        Map<String, SecretKey> ring = new LinkedHashMap<>();
        for (String entry : keyRing.split(",")) {
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new IllegalStateException("The " + purpose + " has an entry that is not 'keyId:base64key' (entry "
                        + (ring.size() + 1) + ").");
            }
            String id = e.substring(0, colon);
            if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalStateException("The " + purpose + " has an invalid key id '" + id
                        + "': use 1-32 letters, digits, '-' or '_'.");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(e.substring(colon + 1).trim());
            } catch (IllegalArgumentException ex) {
                throw new IllegalStateException("The " + purpose + " key '" + id + "' is not valid base64.");
            }
            if (raw.length != 32) {
                throw new IllegalStateException("The " + purpose + " key '" + id + "' has " + raw.length
                        + " bytes; AES-256 needs exactly 32.");
            }
            if (ring.put(id, new SecretKeySpec(raw, "AES")) != null) {
                throw new IllegalStateException("The " + purpose + " lists key id '" + id + "' twice.");
            }
        }
        return new TokenCipher(ring);
    }

    /** A fresh random key in configuration form, e.g. for {@code jsw} to generate local keys. */
    public static String generateKey(String keyId) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return keyId + ":" + Base64.getEncoder().encodeToString(raw);
    }

    public String sealingKeyId() {
        return sealingKeyId;
    }

    public String seal(String plaintext, String associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(sealingKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return sealingKeyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** Opens a sealed value; any mismatch (tampering, other associated data, unknown key) is a {@link SealedValueException}. */
    public String open(String sealed, String associatedData) {
        Objects.requireNonNull(associatedData, "associatedData");
        if (sealed == null) {
            throw new SealedValueException("no sealed value");
        }
        int colon = sealed.indexOf(':');
        if (colon <= 0) {
            throw new SealedValueException("not a sealed value (no key id prefix)");
        }
        String keyId = sealed.substring(0, colon);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new SealedValueException("sealed with key id '" + keyId + "', which is not configured (known: "
                    + String.join(", ", keys.keySet()) + ")");
        }
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(sealed.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new SealedValueException("sealed value is not base64url");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealedValueException("sealed value is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] pt = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(pt, StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealedValueException("sealed value failed authentication (tampered, or sealed for another connection)");
        } catch (GeneralSecurityException e) {
            throw new SealedValueException("sealed value cannot be opened: " + e.getClass().getSimpleName());
        }
    }

    /** A sealed value could not be opened. The message never contains key material or plaintext. */
    public static final class SealedValueException extends RuntimeException {
        public SealedValueException(String message) {
            super(message);
        }
    }
}
