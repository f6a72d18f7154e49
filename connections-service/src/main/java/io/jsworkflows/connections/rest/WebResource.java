package io.jsworkflows.connections.rest;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import io.jsworkflows.connections.persistence.Workspace;
import io.jsworkflows.connections.service.ApiProblem;
import io.jsworkflows.connections.service.ConnectionService;
import io.jsworkflows.connections.service.ConnectionView;
import io.jsworkflows.connections.service.SessionService;
import io.jsworkflows.contracts.HandleRule;
import io.jsworkflows.contracts.hubspot.ScopeCatalog;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The server-rendered web page: sign in with a workspace API key (which opens a server-side session; its token is kept
 * in an HttpOnly, SameSite=Lax cookie), list connections, add one, reconnect (choosing the rows again), delete. Every
 * form carries a CSRF token.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class WebResource {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance login(String error, String next);

        public static native TemplateInstance connections(Workspace workspace, List<ConnectionView> connections, String notice);

        public static native TemplateInstance add(Workspace workspace, List<Row> rows, String handle, String handleRule,
                String handlePattern, String error);

        public static native TemplateInstance reconnect(Workspace workspace, String handle, List<Row> rows, String error);
    }

    /** One checkbox of the catalog table. */
    public record Row(String value, String resource, String operation, String scopes, boolean checked, boolean firstOfResource) {
        /** A stable element id, e.g. {@code row-deals-create}. */
        public String id() {
            return "row-" + value.replace(':', '-');
        }
    }

    /** The page's own path for the Reconnect page: fixed, so that quarkus-rest-csrf can issue the form's token there. */
    static final String RECONNECT_PAGE = "/ui/connections/reconnect";

    private final Auth auth;
    private final ConnectionService connections;
    private final Cookies cookies;
    private final SessionService sessions;

    public WebResource(Auth auth, ConnectionService connections, Cookies cookies, SessionService sessions) {
        this.auth = auth;
        this.connections = connections;
        this.cookies = cookies;
        this.sessions = sessions;
    }

    @GET
    public Response root() {
        return seeOther("/ui");
    }

    @GET
    @Path("/ui")
    public Response home(@QueryParam("next") String next, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return Response.ok(Templates.login(null, safeNext(next))).build();
        }
        return Response.ok(Templates.connections(w.get(), connections.list(w.get().id), null)).build();
    }

    @POST
    @Path("/ui/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@FormParam("apiKey") String apiKey, @FormParam("next") String next) {
        String back = safeNext(next);
        Optional<SessionService.Opened> opened = sessions.open(apiKey);
        if (opened.isEmpty()) {
            return Response.status(401).entity(Templates.login(
                    "That API key is unknown or revoked. Paste the workspace API key you were given when the workspace was created.",
                    back)).build();
        }
        // the cookie holds the session's token, never the key
        return Response.seeOther(URI.create(back == null ? "/ui" : back))
                .cookie(session(opened.get().token(), (int) SessionService.LIFETIME.toSeconds())).build();
    }

    /** Only the connect page may be a sign-in's next stop: no open redirect. */
    static String safeNext(String next) {
        return next != null && next.matches("/ui/connect/[A-Za-z0-9_-]{1,64}") ? next : null;
    }

    @POST
    @Path("/ui/logout")
    public Response logout(@Context HttpHeaders headers) {
        sessions.close(Auth.sessionToken(headers));
        return Response.seeOther(URI.create("/ui")).cookie(session("", 0)).build();
    }

    @GET
    @Path("/ui/connections/new")
    public Response addForm(@Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return seeOther("/ui");
        }
        return Response.ok(addPage(w.get(), Set.of(), "", null)).build();
    }

    /** Add Connection → Sign in with HubSpot: creates the PENDING connection and sends the browser to HubSpot. */
    @POST
    @Path("/ui/connections")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@FormParam("handle") String handle, @FormParam("resource") List<String> resources,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return seeOther("/ui");
        }
        List<String> picked = resources == null ? List.of() : resources;
        try {
            ConnectionService.Issued i = connections.create(w.get().id, handle == null ? null : handle.strip(), selections(picked),
                    ApiResource.baseUrl(uri));
            // through the connect page, which binds the flow to this browser before it goes to HubSpot
            return seeOther(i.connectPath());
        } catch (ApiProblem p) {
            return Response.status(p.status()).entity(addPage(w.get(), Set.copyOf(picked), handle, p.detail())).build();
        }
    }

    /** The Reconnect page's address by handle: on to the page at a fixed path (see {@link #RECONNECT_PAGE}). */
    @GET
    @Path("/ui/connections/{handle}/reconnect")
    public Response reconnectLink(@PathParam("handle") String handle) {
        return Response.seeOther(UriBuilder.fromPath(RECONNECT_PAGE).queryParam("handle", handle).build()).build();
    }

    /** Reconnect: the catalog rows, ticked where the connection already holds every scope of the row. */
    @GET
    @Path(RECONNECT_PAGE)
    public Response reconnectForm(@QueryParam("handle") String handle, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return seeOther("/ui");
        }
        try {
            Set<String> granted = Set.copyOf(connections.get(w.get().id, handle).scopes());
            Set<String> held = new HashSet<>();
            for (ScopeCatalog.Entry e : ScopeCatalog.entries()) {
                if (granted.containsAll(e.scopes())) {
                    held.add(e.resource() + ":" + e.operation());
                }
            }
            return Response.ok(Templates.reconnect(w.get(), handle, rows(held), null)).build();
        } catch (ApiProblem p) {
            return Response.status(p.status()).entity(Templates.connections(w.get(), connections.list(w.get().id), p.detail())).build();
        }
    }

    /** Reconnect with the ticked rows: a new connect link for the same connection, then on to HubSpot as Add does. */
    @POST
    @Path("/ui/connections/{handle}/reconnect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reconnect(@PathParam("handle") String handle, @FormParam("resource") List<String> resources,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return seeOther("/ui");
        }
        List<String> picked = resources == null ? List.of() : resources;
        if (picked.isEmpty()) {
            // an empty selection would mean "the same scopes" to the service: on the page it is a mistake
            return Response.status(400).entity(Templates.reconnect(w.get(), handle, rows(Set.of()),
                    "Tick at least one row: the connection is granted exactly the ticked rows.")).build();
        }
        try {
            return seeOther(connections.reconnect(w.get().id, handle, selections(picked), ApiResource.baseUrl(uri)).connectPath());
        } catch (ApiProblem p) {
            if (p.status() == 404) {
                return Response.status(404).entity(Templates.connections(w.get(), connections.list(w.get().id), p.detail())).build();
            }
            return Response.status(p.status()).entity(Templates.reconnect(w.get(), handle, rows(Set.copyOf(picked)), p.detail())).build();
        }
    }

    @POST
    @Path("/ui/connections/{handle}/delete")
    public Response delete(@PathParam("handle") String handle, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return seeOther("/ui");
        }
        String notice;
        try {
            ConnectionService.Deleted d = connections.delete(w.get().id, handle);
            notice = !d.hadGrant() ? "Connection '" + handle + "' was deleted (it was never authorized: nothing to revoke)."
                    : d.revokedAtHubspot() ? "Connection '" + handle + "' was deleted and its refresh token revoked at HubSpot."
                    : "Connection '" + handle + "' was deleted, but the revocation at HubSpot was not confirmed: " + d.detail()
                            + " Uninstall the app from the HubSpot portal to be sure.";
        } catch (ApiProblem p) {
            notice = p.detail();
        }
        return Response.ok(Templates.connections(w.get(), connections.list(w.get().id), notice)).build();
    }

    private TemplateInstance addPage(Workspace w, Set<String> selected, String handle, String error) {
        return Templates.add(w, rows(selected), handle == null ? "" : handle, HandleRule.RULE, HandleRule.PATTERN.pattern(), error);
    }

    private static List<Row> rows(Set<String> selected) {
        List<Row> rows = new ArrayList<>();
        String previous = null;
        for (ScopeCatalog.Entry e : ScopeCatalog.entries()) {
            String value = e.resource() + ":" + e.operation();
            rows.add(new Row(value, e.resourceLabel(), e.operationLabel(), String.join(" ", e.scopes()), selected.contains(value),
                    !e.resource().equals(previous)));
            previous = e.resource();
        }
        return rows;
    }

    private static List<ScopeCatalog.Selection> selections(List<String> picked) {
        List<ScopeCatalog.Selection> out = new ArrayList<>();
        for (String p : picked) {
            int i = p.indexOf(':');
            out.add(i < 0 ? new ScopeCatalog.Selection(p, "") : new ScopeCatalog.Selection(p.substring(0, i), p.substring(i + 1)));
        }
        return out;
    }

    private NewCookie session(String value, int maxAge) {
        return cookies.session(value, maxAge);
    }

    private static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

}
