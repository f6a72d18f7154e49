package io.jsworkflows.connections.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A Kafka record waiting to be relayed; written in the transaction of the change it reports. Null payload = tombstone. */
@Entity
@Table(name = "outbox")
public class OutboxRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The connection or source the record is about (its ce_subject). */
    @Column(name = "subject_id", nullable = false)
    public String subjectId;

    /** The workspace the record belongs to, sent as the jsw-workspace header; null only on rows older than the column. */
    @Column(name = "workspace_id")
    public String workspaceId;

    @Column(nullable = false)
    public String topic;

    @Column(name = "record_key", nullable = false)
    public String recordKey;

    @Column
    public String payload;

    @Column(name = "ce_type", nullable = false)
    public String ceType;

    @Column(name = "ce_id", nullable = false)
    public String ceId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;
}
