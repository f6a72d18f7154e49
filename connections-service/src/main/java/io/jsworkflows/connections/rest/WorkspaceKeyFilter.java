package io.jsworkflows.connections.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import io.jsworkflows.connections.service.WorkspaceService;

/**
 * Authorizes every {@link WorkspaceKey} resource by its {@code Authorization: Bearer <key>} before anything else of the
 * request is read: an unknown, revoked or delegated key is a 401 problem, and the resource reads the key's workspace
 * from {@link CallerWorkspace}, never from the request.
 */
@Provider
@WorkspaceKey
public class WorkspaceKeyFilter implements ContainerRequestFilter {

    private final WorkspaceService workspaces;
    private final CallerWorkspace caller;

    public WorkspaceKeyFilter(WorkspaceService workspaces, CallerWorkspace caller) {
        this.workspaces = workspaces;
        this.caller = caller;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        caller.set(workspaces.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
    }
}
