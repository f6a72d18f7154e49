package io.jsworkflows.executor.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

import io.jsworkflows.executor.client.WorkspaceKeyCheck;
import io.jsworkflows.executor.config.ExecutorConfig;

/**
 * Resolves a workspace API key ({@code Authorization: Bearer <key>}) to its workspace id: first the static keys of
 * {@code jsw.executor.api-keys} (single-tenant deployments), else connections-service's key check
 * ({@link WorkspaceKeyCheck}, cached by the key's hash).
 */
@ApplicationScoped
public class WorkspaceAuthenticator {

    /** Workspace keys are far shorter; anything longer is refused before it reaches connections-service. */
    static final int MAX_AUTHORIZATION_CHARS = 1024;

    private final Map<String, String> staticKeys = new HashMap<>();
    private final WorkspaceKeyCheck check;

    public WorkspaceAuthenticator(ExecutorConfig config, WorkspaceKeyCheck check) {
        this.check = check;
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

    /** The workspace of the request's key; a {@link ProblemException} (401 or 503) otherwise. */
    public String workspaceOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
            throw new ProblemException(401, "Missing API key", "Send the workspace API key as 'Authorization: Bearer <key>'.");
        }
        if (authorization.length() > MAX_AUTHORIZATION_CHARS) {
            // longer than any key connections-service issues: invalid, without asking (and without a 431 from it)
            throw invalid();
        }
        String key = authorization.substring(7).trim();
        String h = hash(key);
        String ws = staticKeys.get(h);
        if (ws != null) {
            return ws;
        }
        if (!check.enabled()) {
            throw invalid();
        }
        try {
            return check.workspaceOf(h, key).orElseThrow(WorkspaceAuthenticator::invalid);
        } catch (WorkspaceKeyCheck.Unavailable | FaultToleranceException e) {
            throw new ProblemException(503, "Cannot check the API key",
                    "connections-service did not answer the key check; try again shortly.");
        }
    }

    private static ProblemException invalid() {
        return new ProblemException(401, "Invalid API key", "The API key is not valid. Use a workspace API key from connections-service.");
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
