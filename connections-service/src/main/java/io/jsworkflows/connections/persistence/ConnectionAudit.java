package io.jsworkflows.connections.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The record of a deleted connection, kept after its row is gone. Never holds a token. */
@Entity
@Table(name = "connection_audit")
public class ConnectionAudit extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "connection_id", nullable = false)
    public String connectionId;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String handle;

    @Column(nullable = false)
    public String action;

    @Column(name = "hub_id")
    public Long hubId;

    @Column(name = "grant_version", nullable = false)
    public long grantVersion;

    @Column(name = "revoked_at_hubspot", nullable = false)
    public boolean revokedAtHubspot;

    @Column
    public String detail;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
}
