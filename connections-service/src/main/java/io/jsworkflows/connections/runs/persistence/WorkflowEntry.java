package io.jsworkflows.connections.runs.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A deployed workflow as the compacted definitions topic has it (without its source). */
@Entity
@Table(name = "workflow")
public class WorkflowEntry extends PanacheEntityBase {

    /** The topic's key: {@code workspaceId/workflowId}, or the bare workflowId of an older record. */
    @Id
    @Column(name = "definition_key")
    public String definitionKey;

    @Column(name = "workflow_id", nullable = false)
    public String workflowId;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public long version;

    @Column(name = "trigger_topic")
    public String triggerTopic;

    /** Connection handles, space separated. */
    @Column(nullable = false)
    public String handles;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static List<WorkflowEntry> listByWorkspace(String workspaceId) {
        return list("workspaceId = ?1 order by workflowId", workspaceId);
    }
}
