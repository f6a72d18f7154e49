package io.jsworkflows.connections.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.connections.service.WorkspaceService;

/** The workspace's API keys: list (prefixes only), add (shown once), revoke. Rotate = add, switch clients, revoke. */
@Path("/api/v1/workspace/keys")
@Produces(MediaType.APPLICATION_JSON)
@WorkspaceKey
public class KeyResource {

    private final WorkspaceService workspaces;
    private final CallerWorkspace caller;

    public KeyResource(WorkspaceService workspaces, CallerWorkspace caller) {
        this.workspaces = workspaces;
        this.caller = caller;
    }

    @GET
    public Map<String, List<WorkspaceService.KeyView>> list() {
        return Map.of("keys", workspaces.keys(caller.id()));
    }

    @POST
    public Response add() {
        WorkspaceService.NewKey k = workspaces.addKey(caller.id());
        return Response.created(URI.create("/api/v1/workspace/keys/" + k.id())).entity(k).build();
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") String id) {
        workspaces.revokeKey(caller.id(), id);
        return Response.noContent().build();
    }
}
