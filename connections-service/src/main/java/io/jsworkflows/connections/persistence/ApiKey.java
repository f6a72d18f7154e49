package io.jsworkflows.connections.persistence;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A workspace API key, stored as its SHA-256 hash; the key itself is shown only when it is created. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(name = "key_hash", nullable = false)
    public String keyHash;

    /** The first characters of the key, so that a person can tell keys apart. */
    @Column(name = "key_prefix", nullable = false)
    public String keyPrefix;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /**
     * Set on a key this service minted for one service-to-service call on behalf of a web session: such a key is never
     * shown, is valid only at the key check and only until then.
     */
    @Column(name = "delegated_until")
    public Instant delegatedUntil;

    /** A workspace key (not a delegated one) that is not revoked. */
    public static Optional<ApiKey> findActiveByHash(String hash) {
        return find("keyHash = ?1 and revokedAt is null and delegatedUntil is null", hash).firstResultOptional();
    }

    /** A workspace key, or a delegated key still within its time: what the key check other services call accepts. */
    public static Optional<ApiKey> findCheckableByHash(String hash, Instant now) {
        return find("keyHash = ?1 and revokedAt is null and (delegatedUntil is null or delegatedUntil > ?2)", hash, now)
                .firstResultOptional();
    }
}
