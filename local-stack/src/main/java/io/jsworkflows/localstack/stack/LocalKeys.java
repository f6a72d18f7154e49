package io.jsworkflows.localstack.stack;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jsworkflows.contracts.crypto.TokenCipher;

/**
 * The local stack's secrets, generated on first {@code jsw up} and kept in {@code .jsw/keys.env} so that sealed
 * grants, tokens and source secrets in Kafka and PostgreSQL stay readable across restarts: grant, token and source
 * key rings, admin key.
 */
public final class LocalKeys {

    public static final String GRANT_KEYS = "JSW_CRYPTO_GRANT_KEYS";
    public static final String TOKEN_KEYS = "JSW_CRYPTO_TOKEN_KEYS";
    /** Seals Shopify webhook secrets on jsw.sources: held by connections-service and webhook-gateway only. */
    public static final String SOURCE_KEYS = "JSW_CRYPTO_SOURCE_KEYS";
    public static final String ADMIN_KEY = "JSW_ADMIN_KEY";

    private LocalKeys() {
    }

    public static Map<String, String> loadOrCreate(StackSettings s) throws IOException {
        Map<String, String> keys = EnvFile.read(s.keysFile());
        boolean changed = false;
        if (!keys.containsKey(GRANT_KEYS)) {
            keys.put(GRANT_KEYS, TokenCipher.generateKey("local-grant-1"));
            changed = true;
        }
        if (!keys.containsKey(TOKEN_KEYS)) {
            keys.put(TOKEN_KEYS, TokenCipher.generateKey("local-token-1"));
            changed = true;
        }
        if (!keys.containsKey(SOURCE_KEYS)) {
            // added to an existing keys.env too: a stack from before sources gets its ring on the next jsw up
            keys.put(SOURCE_KEYS, TokenCipher.generateKey("local-source-1"));
            changed = true;
        }
        if (!keys.containsKey(ADMIN_KEY)) {
            byte[] raw = new byte[24];
            new SecureRandom().nextBytes(raw);
            keys.put(ADMIN_KEY, "jsw_admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
            changed = true;
        }
        if (changed) {
            EnvFile.write(s.keysFile(), "jsw local stack keys: generated once, keep them with the data under .jsw/", keys);
        }
        // the format check the services would make at startup, but here with a pointer to the file
        TokenCipher.fromConfig(keys.get(GRANT_KEYS), "grant key (" + s.keysFile() + ")");
        TokenCipher.fromConfig(keys.get(TOKEN_KEYS), "token key (" + s.keysFile() + ")");
        TokenCipher.fromConfig(keys.get(SOURCE_KEYS), "source key (" + s.keysFile() + ")");
        return new LinkedHashMap<>(keys);
    }

    public static String adminKey(StackSettings s) throws IOException {
        String k = EnvFile.read(s.keysFile()).get(ADMIN_KEY);
        if (k == null) {
            throw new IllegalStateException("no admin key in " + s.keysFile() + ": start the stack once with ./jsw up");
        }
        return k;
    }
}
