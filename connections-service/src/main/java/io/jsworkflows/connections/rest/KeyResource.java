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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.connections.service.WorkspaceService;

/** The workspace's API keys: list (prefixes only), add (shown once), revoke. Rotate = add, switch clients, revoke. */
@Path("/api/v1/workspace/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {

    private final WorkspaceService workspaces;
    private final Auth auth;

    public KeyResource(WorkspaceService workspaces, Auth auth) {
        this.workspaces = workspaces;
        this.auth = auth;
    }

    @GET
    public Map<String, List<WorkspaceService.KeyView>> list(@Context HttpHeaders headers) {
        return Map.of("keys", workspaces.keys(auth.workspace(headers).id));
    }

    @POST
    public Response add(@Context HttpHeaders headers) {
        WorkspaceService.NewKey k = workspaces.addKey(auth.workspace(headers).id);
        return Response.created(URI.create("/api/v1/workspace/keys/" + k.id())).entity(k).build();
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") String id, @Context HttpHeaders headers) {
        workspaces.revokeKey(auth.workspace(headers).id, id);
        return Response.noContent().build();
    }
}
