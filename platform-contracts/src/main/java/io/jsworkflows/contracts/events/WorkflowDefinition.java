package io.jsworkflows.contracts.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Value of {@code jsw.workflows.definitions} (compacted, key = {@link #key(String, String) workspaceId/workflowId}). A
 * tombstone removes the workflow. Workflow ids are per workspace: two workspaces may each have a workflow {@code contact}.
 * Records written before ids were per workspace are keyed by the bare workflowId; readers accept both.
 *
 * @param source  the ES module source exporting {@code class Workflow}
 * @param handles connection handles the source refers to (informational; resolution happens at run time)
 */
public record WorkflowDefinition(
        int schemaVersion,
        String workflowId,
        String workspaceId,
        long version,
        String source,
        TriggerBinding trigger,
        Duration timeout,
        RetryPolicy retryPolicy,
        List<String> handles,
        Instant updatedAt) {

    public static final int SCHEMA_VERSION = 1;

    public WorkflowDefinition {
        handles = handles == null ? List.of() : List.copyOf(handles);
    }

    /** The workflow's platform-wide key: its workspace and its id, {@code workspaceId/workflowId}. */
    public static String key(String workspaceId, String workflowId) {
        return workspaceId + "/" + workflowId;
    }

    /** {@link #key(String, String)} of this definition. */
    public String key() {
        return key(workspaceId, workflowId);
    }
}
