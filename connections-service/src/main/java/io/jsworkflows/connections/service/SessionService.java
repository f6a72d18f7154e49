package io.jsworkflows.connections.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.jsworkflows.connections.persistence.ApiKey;
import io.jsworkflows.connections.persistence.WebSession;
import io.jsworkflows.connections.persistence.Workspace;
import io.quarkus.scheduler.Scheduled;

/**
 * Web page sessions: signing in with an API key opens a server-side session whose random token is the cookie (the
 * key never leaves the sign-in form). A session ends when it expires, on sign-out, or when its key is revoked.
 */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);
    public static final Duration LIFETIME = Duration.ofHours(8);

    /** An opened session: the token for the cookie. */
    public record Opened(String token, Workspace workspace) {
    }

    @Transactional
    public Optional<Opened> open(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            return Optional.empty();
        }
        return ApiKey.findActiveByHash(Secrets.sha256(apiKey.strip())).map(k -> {
            String token = Secrets.random256();
            WebSession s = new WebSession();
            s.sessionHash = Secrets.sha256(token);
            s.workspaceId = k.workspaceId;
            s.apiKeyId = k.id;
            s.createdAt = Instant.now();
            s.expiresAt = s.createdAt.plus(LIFETIME);
            s.persist();
            return new Opened(token, Workspace.findById(k.workspaceId));
        });
    }

    /** The workspace of a live session: not expired, its key not revoked. */
    @Transactional
    public Optional<Workspace> workspaceOf(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        WebSession s = WebSession.findById(Secrets.sha256(token));
        if (s == null || !s.expiresAt.isAfter(Instant.now())) {
            return Optional.empty();
        }
        ApiKey k = ApiKey.findById(s.apiKeyId);
        if (k == null || k.revokedAt != null) {
            return Optional.empty();
        }
        return Optional.ofNullable(Workspace.findById(s.workspaceId));
    }

    @Transactional
    public void close(String token) {
        if (token != null && !token.isBlank()) {
            WebSession.deleteById(Secrets.sha256(token));
        }
    }

    @Transactional
    void endSessionsOf(String apiKeyId) {
        WebSession.delete("apiKeyId", apiKeyId);
    }

    @Scheduled(every = "1h", delayed = "5m")
    @Transactional
    void purgeExpired() {
        long n = WebSession.delete("expiresAt < ?1", Instant.now());
        if (n > 0) {
            LOG.infof("purged %d expired web sessions", n);
        }
    }
}
