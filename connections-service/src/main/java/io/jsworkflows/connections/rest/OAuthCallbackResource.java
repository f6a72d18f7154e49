package io.jsworkflows.connections.rest;

import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.connections.service.ApiProblem;
import io.jsworkflows.connections.service.ConnectionService;
import io.jsworkflows.connections.service.Secrets;
import io.jsworkflows.connections.service.ConnectionView;
import io.jsworkflows.connections.service.OAuthCallbackService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Where HubSpot sends the browser back: the web page's result view, or JSON for clients that ask for it. */
@Path("/oauth/hubspot/callback")
public class OAuthCallbackResource {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance result(ConnectionView connection, String title, String detail, int status);
    }

    private final OAuthCallbackService callbacks;
    private final Auth auth;
    private final Cookies cookies;

    public OAuthCallbackResource(OAuthCallbackService callbacks, Auth auth, Cookies cookies) {
        this.callbacks = callbacks;
        this.auth = auth;
        this.cookies = cookies;
    }

    @GET
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code, @QueryParam("error") String error,
            @QueryParam("error_description") String errorDescription, @Context HttpHeaders headers) {
        boolean json = wantsJson(headers);
        Optional<String> caller = auth.optional(headers).map(w -> w.id);
        String cookieName = state == null || state.isBlank() ? null : ConnectionService.nonceCookieName(Secrets.sha256(state));
        Optional<String> nonce = Optional.ofNullable(cookieName == null ? null : headers.getCookies().get(cookieName)).map(Cookie::getValue);
        try {
            ConnectionView v = callbacks.complete(state, code, error, errorDescription, caller, nonce);
            // the nonce has done its job: the browser forgets it
            NewCookie spent = cookies.nonce(cookieName, "", 0);
            if (json) {
                return Response.ok(Map.of("id", v.id(), "handle", v.handle(), "status", v.status().name()), MediaType.APPLICATION_JSON)
                        .cookie(spent).build();
            }
            return Response.ok(Templates.result(v, "Connected", null, 200), MediaType.TEXT_HTML).cookie(spent).build();
        } catch (ApiProblem p) {
            if (json) {
                return Problems.of(p);
            }
            return Response.status(p.status()).type(MediaType.TEXT_HTML).entity(Templates.result(null, p.title(), p.detail(), p.status()))
                    .build();
        }
    }

    static boolean wantsJson(HttpHeaders headers) {
        for (MediaType m : headers.getAcceptableMediaTypes()) {
            if (m.isCompatible(MediaType.TEXT_HTML_TYPE) && !m.isWildcardType()) {
                return false;
            }
            if (m.getSubtype().endsWith("json")) {
                return true;
            }
        }
        return false;
    }

}
