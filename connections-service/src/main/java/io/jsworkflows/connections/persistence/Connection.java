package io.jsworkflows.connections.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.jsworkflows.contracts.events.ConnectionStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One OAuth grant of a workspace to one HubSpot portal, named by its handle. Tokens only ever sealed. */
@Entity
@Table(name = "connection")
public class Connection extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String handle;

    @Column(nullable = false)
    public String provider = "hubspot";

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ConnectionStatus status;

    /** Why the status is what it is, in words a person can act on (never a token or code). */
    @Column(name = "status_reason")
    public String statusReason;

    /** The user's selection as {@code resource:operation}. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "requested_resources", nullable = false)
    public List<String> requestedResources;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "requested_scopes", nullable = false)
    public List<String> requestedScopes;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "granted_scopes")
    public List<String> grantedScopes;

    @Column(name = "hub_id")
    public Long hubId;

    @Column(name = "hub_domain")
    public String hubDomain;

    @Column(name = "authorized_user")
    public String authorizedUser;

    @Column(name = "sealed_refresh_token")
    public String sealedRefreshToken;

    @Column(name = "sealed_access_token")
    public String sealedAccessToken;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "last_refresh_at")
    public Instant lastRefreshAt;

    @Column(name = "authorized_at")
    public Instant authorizedAt;

    @Column(name = "grant_version", nullable = false)
    public long grantVersion;

    @Column(name = "token_version", nullable = false)
    public long tokenVersion;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;

    public static Optional<Connection> findByHandle(String workspaceId, String handle) {
        return find("workspaceId = ?1 and handle = ?2", workspaceId, handle).firstResultOptional();
    }

    public static List<Connection> listByWorkspace(String workspaceId) {
        return list("workspaceId = ?1 order by handle", workspaceId);
    }
}
