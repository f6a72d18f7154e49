package io.jsworkflows.connections.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.jsworkflows.connections.config.ConnectionsConfig;
import io.jsworkflows.connections.persistence.ApiKey;
import io.jsworkflows.connections.persistence.Workspace;

/** Workspaces, their API keys, and the checks of the Authorization header. */
@ApplicationScoped
public class WorkspaceService {

    private static final Logger LOG = Logger.getLogger(WorkspaceService.class);

    /** A created workspace with the API key shown this once. */
    public record Created(Workspace workspace, String apiKey) {
    }

    /** A key as listed: never the key itself, only its first characters. */
    public record KeyView(String id, String prefix, Instant createdAt, Instant revokedAt) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.id, k.keyPrefix, k.createdAt, k.revokedAt);
        }
    }

    /** A new key with the key itself, shown this once. */
    public record NewKey(String id, String prefix, String apiKey, Instant createdAt) {
    }

    private final ConnectionsConfig config;
    private final SessionService sessions;

    public WorkspaceService(ConnectionsConfig config, SessionService sessions) {
        this.config = config;
        this.sessions = sessions;
    }

    @Transactional
    public List<KeyView> keys(String workspaceId) {
        return ApiKey.<ApiKey>list("workspaceId = ?1 and delegatedUntil is null order by createdAt, id", workspaceId).stream()
                .map(KeyView::of).toList();
    }

    /** Another key for the workspace, e.g. to rotate: add the new one, move clients to it, revoke the old one. */
    @Transactional
    public NewKey addKey(String workspaceId) {
        String key = Secrets.newApiKey();
        ApiKey k = newKey(workspaceId, key);
        LOG.infof("API key %s added to workspace %s", k.keyPrefix, workspaceId);
        return new NewKey(k.id, k.keyPrefix, key, k.createdAt);
    }

    /** Revokes one of the workspace's keys and ends the web sessions opened with it; the last active key stays. */
    @Transactional
    public void revokeKey(String workspaceId, String keyId) {
        ApiKey k = ApiKey.<ApiKey>find("workspaceId = ?1 and id = ?2 and delegatedUntil is null", workspaceId, keyId == null ? "" : keyId).firstResultOptional()
                .orElseThrow(() -> ApiProblem.notFound("key-not-found", "API key not found", "This workspace has no API key with id '"
                        + ApiProblem.printable(keyId) + "'. List them with GET /api/v1/workspace/keys."));
        if (k.revokedAt != null) {
            return;
        }
        if (ApiKey.count("workspaceId = ?1 and revokedAt is null and delegatedUntil is null", workspaceId) <= 1) {
            throw new ApiProblem(409, "last-key", "Last active key", "This is the workspace's only active API key: revoking it "
                    + "would lock the workspace out. Add a new key first (POST /api/v1/workspace/keys), then revoke this one.");
        }
        k.revokedAt = Instant.now();
        sessions.endSessionsOf(k.id);
        LOG.infof("API key %s of workspace %s revoked", k.keyPrefix, workspaceId);
    }

    /** A key minted for one call to another service on behalf of a signed-in page; see {@link ApiKey#delegatedUntil}. */
    public record DelegatedKey(String id, String apiKey) {
    }

    /** Mints a delegated key of the workspace, valid at the key check for {@code ttl}. */
    @Transactional
    public DelegatedKey delegate(String workspaceId, Duration ttl) {
        String key = Secrets.newApiKey();
        ApiKey k = newKey(workspaceId, key, Instant.now().plus(ttl));
        return new DelegatedKey(k.id, key);
    }

    /** Ends a delegated key once its call is done. */
    @Transactional
    public void endDelegation(String keyId) {
        ApiKey.delete("id = ?1 and delegatedUntil is not null", keyId);
    }

    /** Deletes delegated keys past their time (their call ended without {@link #endDelegation}). */
    @Transactional
    public long purgeDelegations(Instant now) {
        return ApiKey.delete("delegatedUntil is not null and delegatedUntil < ?1", now);
    }

    /**
     * The key check other services call ({@code GET /api/v1/workspace}): a workspace key, or a delegated key within its
     * time; a 401 problem otherwise.
     */
    @Transactional
    public Workspace checkKey(String authorizationHeader) {
        return ApiKey.findCheckableByHash(Secrets.sha256(bearer(authorizationHeader)), Instant.now())
                .map(k -> Workspace.<Workspace>findById(k.workspaceId)).orElseThrow(WorkspaceService::unknownKey);
    }

    private static ApiKey newKey(String workspaceId, String key) {
        return newKey(workspaceId, key, null);
    }

    private static ApiKey newKey(String workspaceId, String key, Instant delegatedUntil) {
        ApiKey k = new ApiKey();
        k.id = UUID.randomUUID().toString();
        k.workspaceId = workspaceId;
        k.keyHash = Secrets.sha256(key);
        k.keyPrefix = key.substring(0, 8);
        k.createdAt = Instant.now();
        k.delegatedUntil = delegatedUntil;
        k.persist();
        return k;
    }

    @Transactional
    public Created create(String name) {
        if (name == null || name.isBlank()) {
            throw ApiProblem.badRequest("invalid-workspace", "Invalid workspace", "The workspace needs a name, e.g. {\"name\":\"Acme\"}.");
        }
        String trimmed = name.strip();
        if (trimmed.length() > 200) {
            throw ApiProblem.badRequest("invalid-workspace", "Invalid workspace",
                    "The workspace name has " + trimmed.length() + " characters; at most 200 are allowed.");
        }
        Workspace ws = Workspace.create("ws_" + UUID.randomUUID().toString().replace("-", ""), trimmed);
        String key = Secrets.newApiKey();
        newKey(ws.id, key);
        return new Created(ws, key);
    }

    /** The workspace of a bearer API key, or a 401 problem that says what is wrong. */
    @Transactional
    public Workspace authenticate(String authorizationHeader) {
        return workspaceOfKey(bearer(authorizationHeader)).orElseThrow(WorkspaceService::unknownKey);
    }

    private static ApiProblem unknownKey() {
        return ApiProblem.unauthorized("The API key is unknown or revoked. Use a workspace API key as 'Authorization: Bearer <key>'; "
                + "an administrator creates workspaces and keys with POST /api/v1/admin/workspaces.");
    }

    /** The workspace of an API key from the web page's cookie (empty when unknown). */
    @Transactional
    public Optional<Workspace> workspaceOfKey(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        return ApiKey.findActiveByHash(Secrets.sha256(key.strip()))
                .map(k -> Workspace.<Workspace>findById(k.workspaceId));
    }

    /** Checks the bootstrap admin key; 401 for a missing or wrong key, 403 when no admin key is configured. */
    public void requireAdmin(String authorizationHeader) {
        String key = bearer(authorizationHeader);
        Optional<String> admin = config.connections().adminKey().filter(s -> !s.isBlank());
        if (admin.isEmpty()) {
            throw new ApiProblem(403, "admin-disabled", "Admin API disabled",
                    "No bootstrap admin key is configured. Set jsw.connections.admin-key (JSW_CONNECTIONS_ADMIN_KEY) to enable "
                            + "the admin API.");
        }
        if (!Secrets.sameSecret(key, admin.get())) {
            throw ApiProblem.unauthorized("This endpoint needs the bootstrap admin key (jsw.connections.admin-key) as "
                    + "'Authorization: Bearer <admin key>'; the key sent is not it.");
        }
    }

    static String bearer(String header) {
        if (header == null || header.isBlank()) {
            throw ApiProblem.unauthorized("No API key was sent. Add the header 'Authorization: Bearer <workspace API key>'.");
        }
        String h = header.strip();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7) || h.substring(7).isBlank()) {
            throw ApiProblem.unauthorized("The Authorization header must read 'Bearer <API key>'.");
        }
        return h.substring(7).strip();
    }
}
