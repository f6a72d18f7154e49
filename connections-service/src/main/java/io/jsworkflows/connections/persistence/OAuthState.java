package io.jsworkflows.connections.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A single-use OAuth state, bound to a workspace and a connection, and carrying the selection of that authorization
 * attempt (a reconnect may change it). Only the state's hash is stored.
 */
@Entity
@Table(name = "oauth_state")
public class OAuthState extends PanacheEntityBase {

    @Id
    @Column(name = "state_hash")
    public String stateHash;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(name = "connection_id", nullable = false)
    public String connectionId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "requested_resources", nullable = false)
    public List<String> requestedResources;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "requested_scopes", nullable = false)
    public List<String> requestedScopes;

    /** The exact redirect_uri of the authorize URL: the token endpoint requires the same value. */
    @Column(name = "redirect_uri", nullable = false)
    public String redirectUri;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** Hash of the one-time nonce whose cookie the starting browser holds; null until a browser started the flow. */
    @Column(name = "nonce_hash")
    public String nonceHash;

    @Column(name = "started_at")
    public Instant startedAt;
}
