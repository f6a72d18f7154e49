package io.jsworkflows.connections.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.connections.service.ApiProblem;
import io.jsworkflows.connections.service.SourceService;
import io.jsworkflows.connections.service.SourceView;

/** Trigger sources of the caller's workspace under /api/v1/sources (workspace API key, like every /api/v1 call). */
@Path("/api/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
@WorkspaceKey
public class SourceResource {

    /** The body of a create; the secret is write-only and kept out of toString. */
    public record CreateSource(String kind, String shopDomain, String webhookSecret) {
        @Override
        public String toString() {
            return "CreateSource[kind=" + kind + ", shopDomain=" + shopDomain + ", webhookSecret=***]";
        }
    }

    private final SourceService sources;
    private final CallerWorkspace caller;

    public SourceResource(SourceService sources, CallerWorkspace caller) {
        this.sources = sources;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateSource body) {
        String workspaceId = caller.id();
        if (body == null) {
            throw ApiProblem.badRequest("missing-body", "Missing body",
                    "Send {\"kind\":\"shopify\",\"shopDomain\":\"acme-store.myshopify.com\",\"webhookSecret\":\"...\"}.");
        }
        SourceView v = sources.create(workspaceId, body.kind(), body.shopDomain(), body.webhookSecret());
        return Response.created(URI.create("/api/v1/sources/" + v.id())).entity(v).build();
    }

    @GET
    public Map<String, List<SourceView>> list() {
        return Map.of("sources", sources.list(caller.id()));
    }

    @GET
    @Path("/{id}")
    public SourceView get(@PathParam("id") String id) {
        return sources.get(caller.id(), id);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        sources.delete(caller.id(), id);
        return Response.noContent().build();
    }
}
