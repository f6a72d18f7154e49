package io.jsworkflows.connections.rest;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.connections.persistence.Workspace;
import io.jsworkflows.connections.service.ApiProblem;
import io.jsworkflows.connections.service.SourceService;
import io.jsworkflows.connections.service.SourceView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The web page's Shopify stores: the list with delete, the Add Shopify store form, and the result view with the
 * ingress URL and the steps in Shopify's admin. Same sign-in as the connections page.
 */
@Path("/ui/sources")
@Produces(MediaType.TEXT_HTML)
public class SourceWebResource {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance sources(Workspace workspace, List<SourceView> sources, String notice);

        public static native TemplateInstance add(Workspace workspace, String shopDomain, String error);

        public static native TemplateInstance added(Workspace workspace, SourceView source);
    }

    private final Auth auth;
    private final SourceService sources;

    public SourceWebResource(Auth auth, SourceService sources) {
        this.auth = auth;
        this.sources = sources;
    }

    @GET
    public Response list(@Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return signIn();
        }
        return Response.ok(Templates.sources(w.get(), sources.list(w.get().id), null)).build();
    }

    @GET
    @Path("/new")
    public Response addForm(@Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return signIn();
        }
        return Response.ok(Templates.add(w.get(), "", null)).build();
    }

    /** Add Shopify store: the result view shows the URL to paste into Shopify; the secret is never shown again. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@FormParam("shopDomain") String shopDomain, @FormParam("webhookSecret") String webhookSecret,
            @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return signIn();
        }
        try {
            SourceView v = sources.create(w.get().id, "shopify", shopDomain, webhookSecret);
            return Response.ok(Templates.added(w.get(), v)).build();
        } catch (ApiProblem p) {
            // the domain comes back for correction, the secret does not
            return Response.status(p.status()).entity(Templates.add(w.get(), shopDomain == null ? "" : shopDomain, p.detail())).build();
        }
    }

    @POST
    @Path("/{id}/delete")
    public Response delete(@PathParam("id") String id, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return signIn();
        }
        String notice;
        try {
            SourceView v = sources.get(w.get().id, id);
            sources.delete(w.get().id, id);
            notice = "Store " + v.shopDomain() + " was removed: webhooks sent to its URL are refused from now on.";
        } catch (ApiProblem p) {
            notice = p.detail();
        }
        return Response.ok(Templates.sources(w.get(), sources.list(w.get().id), notice)).build();
    }

    private static Response signIn() {
        return Response.seeOther(URI.create("/ui")).build();
    }
}
