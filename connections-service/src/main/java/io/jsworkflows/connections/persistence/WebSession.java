package io.jsworkflows.connections.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A signed-in browser of the web page; only the hash of its cookie's token is stored. */
@Entity
@Table(name = "web_session")
public class WebSession extends PanacheEntityBase {

    @Id
    @Column(name = "session_hash")
    public String sessionHash;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    /** The key the session was opened with: revoking it ends the session. */
    @Column(name = "api_key_id", nullable = false)
    public String apiKeyId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
