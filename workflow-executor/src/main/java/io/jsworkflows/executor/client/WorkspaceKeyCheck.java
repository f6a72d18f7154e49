package io.jsworkflows.executor.client;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;

import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Asks connections-service which workspace an API key belongs to. Answers, a refused key included, are cached by the
 * key's SHA-256 (the key itself is never a cache key) in the {@code workspace-keys} cache: bounded, so a flood of bogus
 * keys evicts by frequency (W-TinyLFU) and keys in use stay, and expiring after {@code jsw.executor.api-key-cache-ttl}.
 * A failed check is not cached: it is retried once, and while connections-service keeps failing the breaker answers at
 * once instead of making every deploy wait for a timeout.
 */
@ApplicationScoped
public class WorkspaceKeyCheck {

    /** Thrown when connections-service could not answer (unreachable, 5xx, an answer without an id). */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String why) {
            super(why, null, false, false);
        }
    }

    private final Optional<ConnectionsWorkspaceApi> api;

    public WorkspaceKeyCheck(ExecutorConfig config) {
        this.api = config.connectionsUrl().map(url -> QuarkusRestClientBuilder.newBuilder().baseUri(url)
                .connectTimeout(3, TimeUnit.SECONDS).readTimeout(5, TimeUnit.SECONDS)
                // a 4xx is the answer "not a valid key", read from the response rather than thrown
                .disableDefaultMapper(true).build(ConnectionsWorkspaceApi.class));
    }

    /** Whether keys can be checked at all (jsw.connections-url is set). */
    public boolean enabled() {
        return api.isPresent();
    }

    /** The key's workspace, or empty when connections-service refused the key (any 4xx). */
    @CacheResult(cacheName = "workspace-keys")
    @Retry(maxRetries = 1, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 5_000)
    public Optional<String> workspaceOf(@CacheKey String keyHash, String key) {
        try (Response r = api.orElseThrow().workspace("Bearer " + key)) {
            if (r.getStatus() >= 400 && r.getStatus() < 500) {
                return Optional.empty(); // the check refused this key (401/403/404, or 431 for a header it would not read)
            }
            if (r.getStatus() != 200) {
                throw new Unavailable("key check answered HTTP " + r.getStatus());
            }
            String id = ContractsJson.mapper().readTree(r.readEntity(String.class)).path("id").asText(null);
            if (id == null || id.isBlank()) {
                throw new Unavailable("key check answered without a workspace id");
            }
            return Optional.of(id);
        } catch (ProcessingException e) {
            throw new Unavailable("key check failed: " + e.getClass().getSimpleName());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Unavailable("key check answered unreadable JSON");
        }
    }
}
