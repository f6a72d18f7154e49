package io.jsworkflows.connections.runs.service;

import java.time.Instant;
import java.util.List;

import io.jsworkflows.connections.runs.persistence.WorkflowEntry;

/** A deployed workflow of the workspace. */
public record WorkflowView(String workflowId, long version, String triggerTopic, List<String> handles, Instant updatedAt) {

    static WorkflowView of(WorkflowEntry w) {
        return new WorkflowView(w.workflowId, w.version, w.triggerTopic, RunReadModel.split(w.handles), w.updatedAt);
    }
}
