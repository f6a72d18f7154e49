package io.jsworkflows.connections.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/** Deletes delegated keys whose call never ended them (the service stopped in between); they are expired already. */
@ApplicationScoped
public class DelegationPurge {

    private final WorkspaceService workspaces;

    public DelegationPurge(WorkspaceService workspaces) {
        this.workspaces = workspaces;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        workspaces.purgeDelegations(Instant.now());
    }
}
