package io.jsworkflows.connections.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
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
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jsworkflows.connections.persistence.Workspace;
import io.jsworkflows.connections.service.ApiProblem;
import io.jsworkflows.connections.service.ConnectionService;
import io.jsworkflows.connections.service.ConnectionView;
import io.jsworkflows.connections.service.WorkspaceService;
import io.jsworkflows.contracts.HandleRule;
import io.jsworkflows.contracts.hubspot.ScopeCatalog;

/** The JSON API under /api/v1; every call carries a workspace API key (admin calls: the bootstrap admin key). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ApiResource {

    public record CreateWorkspace(String name) {
    }

    public record WorkspaceCreated(String id, String name, String apiKey) {
    }

    public record WorkspaceInfo(String id, String name) {
    }

    public record ConnectRequest(String handle, List<ScopeCatalog.Selection> resources) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Issued(String id, String handle, String status, List<String> scopes, String authorizeUrl,
            Instant authorizeUrlExpiresAt) {
        static Issued of(ConnectionService.Issued i) {
            return new Issued(i.connection().id(), i.connection().handle(), i.connection().status().name(),
                    i.connection().scopes(), i.authorizeUrl(), i.authorizeUrlExpiresAt());
        }
    }

    public record Operation(String operation, String label, List<String> scopes) {
    }

    public record ResourceRow(String resource, String label, List<Operation> operations) {
    }

    public record Catalog(String provider, List<String> alwaysRequestedScopes, List<ResourceRow> resources, String handleRule,
            String handlePattern) {
    }

    private final WorkspaceService workspaces;
    private final ConnectionService connections;
    private final Auth auth;
    private final CallerWorkspace caller;
    private final ObjectMapper mapper;

    public ApiResource(WorkspaceService workspaces, ConnectionService connections, Auth auth, CallerWorkspace caller, ObjectMapper mapper) {
        this.workspaces = workspaces;
        this.connections = connections;
        this.auth = auth;
        this.caller = caller;
        this.mapper = mapper;
    }

    @POST
    @Path("/admin/workspaces")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createWorkspace(CreateWorkspace body, @Context HttpHeaders headers) {
        workspaces.requireAdmin(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        WorkspaceService.Created c = workspaces.create(body == null ? null : body.name());
        return Response.created(URI.create("/api/v1/workspace"))
                .entity(new WorkspaceCreated(c.workspace().id, c.workspace().name, c.apiKey())).build();
    }

    @GET
    @Path("/workspace")
    public WorkspaceInfo workspace(@Context HttpHeaders headers) {
        // the key check of the other services: the only resource a delegated key (a page's deploy) is good for
        Workspace w = auth.checkedKey(headers);
        return new WorkspaceInfo(w.id, w.name);
    }

    @GET
    @Path("/providers/hubspot/resources")
    @WorkspaceKey
    public Catalog catalogOfTheCaller() {
        return catalog();
    }

    public static Catalog catalog() {
        List<ResourceRow> rows = ScopeCatalog.resources().stream().map(r -> {
            List<ScopeCatalog.Entry> entries = ScopeCatalog.entries().stream().filter(e -> e.resource().equals(r)).toList();
            return new ResourceRow(r, entries.getFirst().resourceLabel(),
                    entries.stream().map(e -> new Operation(e.operation(), e.operationLabel(), e.scopes())).toList());
        }).toList();
        return new Catalog("hubspot", List.of(ScopeCatalog.OAUTH_SCOPE), rows, HandleRule.RULE, HandleRule.PATTERN.pattern());
    }

    @GET
    @Path("/connections")
    @WorkspaceKey
    public Map<String, List<ConnectionView>> list() {
        return Map.of("connections", connections.list(caller.id()));
    }

    @POST
    @Path("/connections")
    @Consumes(MediaType.APPLICATION_JSON)
    @WorkspaceKey
    public Response create(ConnectRequest body, @Context UriInfo uri) {
        Workspace w = caller.get();
        if (body == null) {
            throw ApiProblem.badRequest("missing-body", "Missing body",
                    "Send {\"handle\":\"my-hubspot\",\"resources\":[{\"resource\":\"contacts\",\"operation\":\"read\"}]}.");
        }
        ConnectionService.Issued i = connections.create(w.id, body.handle(), body.resources(), baseUrl(uri));
        return Response.created(URI.create("/api/v1/connections/" + i.connection().handle())).entity(Issued.of(i)).build();
    }

    @GET
    @Path("/connections/{handle}")
    @WorkspaceKey
    public ConnectionView get(@PathParam("handle") String handle) {
        return connections.get(caller.id(), handle);
    }

    /**
     * Body optional: {"resources":[...]} changes the selection; without it (whatever the content type, since clients
     * often send an empty form) the previous selection is asked again.
     */
    @POST
    @Path("/connections/{handle}/reconnect")
    @Consumes(MediaType.WILDCARD)
    @WorkspaceKey
    public Issued reconnect(@PathParam("handle") String handle, String body, @Context UriInfo uri) {
        Workspace w = caller.get();
        List<ScopeCatalog.Selection> selection = null;
        if (body != null && !body.isBlank()) {
            try {
                ConnectRequest req = mapper.readValue(body, ConnectRequest.class);
                selection = req == null ? null : req.resources();
            } catch (JsonProcessingException e) {
                throw ApiProblem.badRequest("invalid-body", "Invalid body", "The body must be empty or JSON such as "
                        + "{\"resources\":[{\"resource\":\"contacts\",\"operation\":\"read\"}]}.");
            }
        }
        return Issued.of(connections.reconnect(w.id, handle, selection, baseUrl(uri)));
    }

    @DELETE
    @Path("/connections/{handle}")
    @WorkspaceKey
    public Response delete(@PathParam("handle") String handle) {
        ConnectionService.Deleted d = connections.delete(caller.id(), handle);
        if (d.revocationUnconfirmed()) {
            // deleted here, but HubSpot did not confirm the revocation: the caller must know the grant may still be valid
            return Response.ok(Map.of("deleted", true, "revokedAtHubspot", false, "detail", d.detail())).build();
        }
        return Response.noContent().build();
    }

    static String baseUrl(UriInfo uri) {
        return uri.getBaseUri().toString();
    }
}
