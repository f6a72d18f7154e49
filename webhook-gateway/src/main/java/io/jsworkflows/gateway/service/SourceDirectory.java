package io.jsworkflows.gateway.service;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.SourceKind;
import io.jsworkflows.contracts.events.SourceState;
import io.jsworkflows.gateway.config.GatewayKeyRings;
import io.quarkus.logging.Log;

/**
 * The sources the gateway accepts deliveries for: the latest {@link SourceState} per source id (a lower version never
 * replaces a higher one; a tombstone removes it). Secrets stay sealed until a delivery for the source first needs
 * them, and are then kept as an HMAC key; they never leave this class otherwise and are never logged.
 */
@ApplicationScoped
public class SourceDirectory {

    /** A source and its HMAC key, opened on first use (null until then, or when it cannot be opened). */
    public static final class Source {
        private final SourceState state;
        private volatile SecretKeySpec key;
        private volatile boolean unopenable;

        Source(SourceState state) {
            this.state = state;
        }

        public String id() {
            return state.sourceId();
        }

        public String workspaceId() {
            return state.workspaceId();
        }

        public String shopDomain() {
            return state.shopDomain();
        }

        public long version() {
            return state.version();
        }
    }

    private final TokenCipher cipher;
    private final Map<String, Source> sources = new ConcurrentHashMap<>();

    @Inject
    public SourceDirectory(GatewayKeyRings rings) {
        this(rings.sourceKeys());
    }

    SourceDirectory(Optional<String> sourceKeys) {
        this.cipher = TokenCipher.fromConfig(sourceKeys.orElse(null), "source key ring (jsw.crypto.source-keys)");
    }

    /** Applies one record of {@code jsw.sources}; a null state is the tombstone of {@code sourceId}. */
    public void apply(String sourceId, SourceState state) {
        if (state == null) {
            if (sourceId != null && sources.remove(sourceId) != null) {
                Log.infof("source %s deleted", sourceId);
            }
            return;
        }
        if (state.sourceId() == null || state.workspaceId() == null || state.kind() != SourceKind.shopify || state.shopDomain() == null) {
            Log.warnf("ignoring source %s: incomplete or not a Shopify source", state.sourceId());
            return;
        }
        sources.merge(state.sourceId(), new Source(state), (current, next) -> next.version() > current.version() ? next : current);
    }

    public Optional<Source> find(String sourceId) {
        return sourceId == null ? Optional.empty() : Optional.ofNullable(sources.get(sourceId));
    }

    /** The source's HMAC key, opened with the source key ring (associated data = source id), or empty if it cannot be. */
    public Optional<SecretKeySpec> key(Source source) {
        SecretKeySpec k = source.key;
        if (k == null && !source.unopenable) {
            try {
                k = ShopifyHmac.key(cipher.open(source.state.sealedSecret(), source.id()));
                source.key = k;
            } catch (TokenCipher.SealedValueException e) {
                source.unopenable = true;
                Log.errorf("cannot open the webhook secret of source %s (version %d): %s; check jsw.crypto.source-keys", source.id(),
                        source.version(), e.getMessage());
            }
        }
        return Optional.ofNullable(k);
    }

    public int size() {
        return sources.size();
    }
}
