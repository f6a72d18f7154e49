package io.jsworkflows.connections.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A tenant of the platform: it owns connections and workflows. */
@Entity
@Table(name = "workspace")
public class Workspace extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static Workspace create(String id, String name) {
        Workspace w = new Workspace();
        w.id = id;
        w.name = name;
        w.createdAt = Instant.now();
        w.persist();
        return w;
    }
}
