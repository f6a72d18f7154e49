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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.connections.service.ApiProblem;
import io.jsworkflows.connections.service.SourceService;
import io.jsworkflows.connections.service.SourceView;

/** Trigger sources of the caller's workspace under /api/v1/sources (workspace API key, like every /api/v1 call). */
@Path("/api/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    /** The body of a create; the secret is write-only and kept out of toString. */
    public record CreateSource(String kind, String shopDomain, String webhookSecret) {
        @Override
        public String toString() {
            return "CreateSource[kind=" + kind + ", shopDomain=" + shopDomain + ", webhookSecret=***]";
        }
    }

    private final SourceService sources;
    private final Auth auth;

    public SourceResource(SourceService sources, Auth auth) {
        this.sources = sources;
        this.auth = auth;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateSource body, @Context HttpHeaders headers) {
        String workspaceId = auth.workspace(headers).id;
        if (body == null) {
            throw ApiProblem.badRequest("missing-body", "Missing body",
                    "Send {\"kind\":\"shopify\",\"shopDomain\":\"acme-store.myshopify.com\",\"webhookSecret\":\"...\"}.");
        }
        SourceView v = sources.create(workspaceId, body.kind(), body.shopDomain(), body.webhookSecret());
        return Response.created(URI.create("/api/v1/sources/" + v.id())).entity(v).build();
    }

    @GET
    public Map<String, List<SourceView>> list(@Context HttpHeaders headers) {
        return Map.of("sources", sources.list(auth.workspace(headers).id));
    }

    @GET
    @Path("/{id}")
    public SourceView get(@PathParam("id") String id, @Context HttpHeaders headers) {
        return sources.get(auth.workspace(headers).id, id);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @Context HttpHeaders headers) {
        sources.delete(auth.workspace(headers).id, id);
        return Response.noContent().build();
    }
}
