package io.jsworkflows.connections.rest;

import jakarta.enterprise.context.RequestScoped;

import io.jsworkflows.connections.persistence.Workspace;

/** The workspace the request's API key belongs to, as {@link WorkspaceKeyFilter} established it. */
@RequestScoped
public class CallerWorkspace {

    private Workspace workspace;

    void set(Workspace w) {
        this.workspace = w;
    }

    public Workspace get() {
        if (workspace == null) {
            // a resource method without @WorkspaceKey asked: a programming error, never a caller's
            throw new IllegalStateException("no workspace established for this request: the resource lacks @WorkspaceKey");
        }
        return workspace;
    }

    public String id() {
        return get().id;
    }
}
