package io.jsworkflows.contracts.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Value of {@code jsw.workflows.definitions} (compacted, key = workflowId). A tombstone removes the workflow.
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
}
