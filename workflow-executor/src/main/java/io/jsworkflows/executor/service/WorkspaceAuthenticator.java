package io.jsworkflows.executor.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;

/**
 * Resolves a workspace API key ({@code Authorization: Bearer <key>}) to its workspace id: first the static keys of
 * {@code jsw.executor.api-keys} (single-tenant deployments), else connections-service's {@code GET /api/v1/workspace},
 * whose answers are cached briefly by the key's SHA-256 (never the key itself) in a bounded cache.
 */
@ApplicationScoped
public class WorkspaceAuthenticator {

    /** A key check's answer; {@code workspaceId} null = invalid key. */
    private record Answer(String workspaceId) {
    }

    /** Entries kept at most: a flood of bogus keys evicts by frequency (W-TinyLFU), so keys in use stay cached. */
    static final int MAX_CACHED = 10_000;

    private final ExecutorConfig config;
    private final Map<String, String> staticKeys = new HashMap<>();
    private final Cache<String, Answer> cache;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public WorkspaceAuthenticator(ExecutorConfig config) {
        this.config = config;
        // a plain Caffeine cache rather than quarkus-cache's @CacheResult: answers are cached by the key's hash while
        // the check itself needs the key, and invalid keys are cached as answers too
        this.cache = Caffeine.newBuilder().maximumSize(MAX_CACHED).expireAfterWrite(config.executor().apiKeyCacheTtl())
                .executor(Runnable::run).build();
        config.executor().apiKeys().ifPresent(keys -> {
            for (String entry : keys.split(",")) {
                int colon = entry.indexOf(':');
                if (colon <= 0 || colon == entry.trim().length() - 1) {
                    throw new IllegalStateException("jsw.executor.api-keys must read 'workspaceId:apiKey[,...]'");
                }
                staticKeys.put(hash(entry.substring(colon + 1).trim()), entry.substring(0, colon).trim());
            }
        });
    }

    /** Workspace keys are far shorter; anything longer is refused before it reaches connections-service. */
    static final int MAX_AUTHORIZATION_CHARS = 1024;

    /** The workspace of the request's key; a {@link ProblemException} (401 or 503) otherwise. */
    public String workspaceOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
            throw new ProblemException(401, "Missing API key", "Send the workspace API key as 'Authorization: Bearer <key>'.");
        }
        if (authorization.length() > MAX_AUTHORIZATION_CHARS) {
            // longer than any key connections-service issues: invalid, without asking (and without a 431 from it)
            throw invalid();
        }
        String h = hash(authorization.substring(7).trim());
        String ws = staticKeys.get(h);
        if (ws != null) {
            return ws;
        }
        Answer c = cache.getIfPresent(h);
        if (c != null) {
            if (c.workspaceId() == null) {
                throw invalid();
            }
            return c.workspaceId();
        }
        URI base = config.connectionsUrl().orElse(null);
        if (base == null) {
            throw invalid();
        }
        String workspaceId = ask(base, authorization.substring(7).trim());
        cache.put(h, new Answer(workspaceId));
        if (workspaceId == null) {
            throw invalid();
        }
        return workspaceId;
    }

    private String ask(URI base, String key) {
        String b = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
        HttpRequest req = HttpRequest.newBuilder(URI.create(b + "/api/v1/workspace")).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + key).header("Accept", "application/json").GET().build();
        HttpResponse<String> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (Exception e) {
            throw unavailable();
        }
        if (r.statusCode() >= 400 && r.statusCode() < 500) {
            return null; // the check refused this key (401/403/404, or 431 for a header it would not read): invalid
        }
        if (r.statusCode() != 200) {
            throw unavailable();
        }
        try {
            String id = ContractsJson.mapper().readTree(r.body()).path("id").asText(null);
            if (id == null || id.isBlank()) {
                throw unavailable();
            }
            return id;
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            throw unavailable();
        }
    }

    private static ProblemException invalid() {
        return new ProblemException(401, "Invalid API key", "The API key is not valid. Use a workspace API key from connections-service.");
    }

    private static ProblemException unavailable() {
        return new ProblemException(503, "Cannot check the API key", "connections-service did not answer the key check; try again shortly.");
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
