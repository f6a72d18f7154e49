package io.jsworkflows.connections.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.connections.persistence.Workspace;
import io.jsworkflows.connections.service.ApiProblem;
import io.jsworkflows.connections.service.ConnectionService;

/**
 * The platform's connect page, the link that Add Connection and Reconnect (web or API) hand out: in a browser signed
 * in to the workspace it sets the flow's one-time nonce cookie and redirects to HubSpot, so that only this browser can
 * complete the callback. A signed-out browser is asked to sign in first and comes back here.
 */
@Path(ConnectionService.CONNECT_PATH + "{state}")
@Produces(MediaType.TEXT_HTML)
public class ConnectWebResource {

    private final Auth auth;
    private final ConnectionService connections;
    private final Cookies cookies;

    public ConnectWebResource(Auth auth, ConnectionService connections, Cookies cookies) {
        this.auth = auth;
        this.connections = connections;
        this.cookies = cookies;
    }

    @GET
    public Response start(@PathParam("state") String state, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.optional(headers);
        if (w.isEmpty()) {
            String next = ConnectionService.CONNECT_PATH + state;
            return Response.seeOther(URI.create("/ui?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8))).build();
        }
        try {
            ConnectionService.Started s = connections.start(w.get().id, state);
            int maxAge = (int) Math.max(1, Duration.between(Instant.now(), s.expiresAt()).toSeconds());
            return Response.seeOther(URI.create(s.hubspotUrl())).cookie(cookies.nonce(s.cookieName(), s.nonce(), maxAge)).build();
        } catch (ApiProblem p) {
            return Response.status(p.status()).type(MediaType.TEXT_HTML)
                    .entity(OAuthCallbackResource.Templates.result(null, p.title(), p.detail(), p.status())).build();
        }
    }
}
