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

import io.jsworkflows.contracts.events.SourceKind;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A trigger source of a workspace, e.g. a Shopify store; its webhook signing secret is stored sealed only. */
@Entity
@Table(name = "trigger_source")
public class TriggerSource extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SourceKind kind;

    @Column(name = "shop_domain", nullable = false)
    public String shopDomain;

    /** Sealed with the source key ring, associated data = id. */
    @Column(name = "sealed_secret", nullable = false)
    public String sealedSecret;

    @Column(nullable = false)
    public long version;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static List<TriggerSource> listByWorkspace(String workspaceId) {
        return list("workspaceId = ?1 order by createdAt, id", workspaceId);
    }

    /** The workspace's own source with this id; another workspace's id finds nothing. */
    public static Optional<TriggerSource> findOwned(String workspaceId, String id) {
        return find("workspaceId = ?1 and id = ?2", workspaceId, id).firstResultOptional();
    }

    public static Optional<TriggerSource> findByShop(String workspaceId, SourceKind kind, String shopDomain) {
        return find("workspaceId = ?1 and kind = ?2 and shopDomain = ?3", workspaceId, kind, shopDomain).firstResultOptional();
    }
}
