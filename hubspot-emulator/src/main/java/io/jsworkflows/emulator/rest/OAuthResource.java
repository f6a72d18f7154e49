package io.jsworkflows.emulator.rest;

import java.net.URI;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.jsworkflows.emulator.service.HubSpotErrors;
import io.jsworkflows.emulator.service.OAuthService;
import io.jsworkflows.emulator.service.OAuthService.AuthorizeError;
import io.jsworkflows.emulator.service.OAuthService.AuthorizeRequest;
import io.jsworkflows.emulator.service.OAuthService.TokenForm;
import io.jsworkflows.emulator.service.Portals;
import io.jsworkflows.emulator.service.Settings;
import io.smallrye.common.annotation.NonBlocking;

/** HubSpot's OAuth endpoints: authorize + consent page, token (v1, v3), token metadata and revocation. */
@Path("/oauth")
@NonBlocking
public class OAuthResource {

    private final OAuthService oauth;
    private final Portals portals;
    private final Settings settings;

    public OAuthResource(OAuthService oauth, Portals portals, Settings settings) {
        this.oauth = oauth;
        this.portals = portals;
        this.settings = settings;
    }

    @GET
    @Path("/authorize")
    @Produces(MediaType.TEXT_HTML)
    public Response authorize(@RestQuery("client_id") String clientId, @RestQuery("redirect_uri") String redirectUri,
            @RestQuery String scope, @RestQuery("optional_scope") String optionalScope, @RestQuery String state) {
        return authorizePage("/oauth/authorize", clientId, redirectUri, scope, optionalScope, state, null);
    }

    @GET
    @Path("/{portalId: \\d+}/authorize")
    @Produces(MediaType.TEXT_HTML)
    public Response authorizePinned(@RestPath long portalId, @RestQuery("client_id") String clientId,
            @RestQuery("redirect_uri") String redirectUri, @RestQuery String scope,
            @RestQuery("optional_scope") String optionalScope, @RestQuery String state) {
        return authorizePage("/oauth/" + portalId + "/authorize", clientId, redirectUri, scope, optionalScope, state, portalId);
    }

    private Response authorizePage(String action, String clientId, String redirectUri, String scope, String optionalScope,
            String state, Long pinned) {
        AuthorizeRequest req;
        try {
            req = oauth.validate(clientId, redirectUri, scope, optionalScope, state, pinned);
        } catch (AuthorizeError e) {
            return errorPage(e);
        }
        if (settings.autoApprove()) {
            return Response.status(302).location(URI.create(oauth.grant(req, pinned != null ? pinned : portals.first().id())))
                    .build();
        }
        return Response.ok(ConsentPage.consent(action, req, portals.all(), "jsworkflows"), "text/html;charset=utf-8").build();
    }

    @POST
    @Path("/authorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response decide(@RestForm("client_id") String clientId, @RestForm("redirect_uri") String redirectUri,
            @RestForm String scope, @RestForm("optional_scope") String optionalScope, @RestForm String state,
            @RestForm("portal_id") Long portalId, @RestForm String decision) {
        return decision(clientId, redirectUri, scope, optionalScope, state, portalId, decision, null);
    }

    @POST
    @Path("/{pinned: \\d+}/authorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response decidePinned(@RestPath long pinned, @RestForm("client_id") String clientId,
            @RestForm("redirect_uri") String redirectUri, @RestForm String scope,
            @RestForm("optional_scope") String optionalScope, @RestForm String state, @RestForm String decision) {
        return decision(clientId, redirectUri, scope, optionalScope, state, pinned, decision, pinned);
    }

    private Response decision(String clientId, String redirectUri, String scope, String optionalScope, String state,
            Long portalId, String decision, Long pinned) {
        try {
            AuthorizeRequest req = oauth.validate(clientId, redirectUri, scope, optionalScope, state, pinned);
            String location;
            if ("grant".equalsIgnoreCase(decision)) {
                if (portalId == null) {
                    throw new AuthorizeError("Choose an account (portal_id) to grant access to.");
                }
                location = oauth.grant(req, portalId);
            } else if ("deny".equalsIgnoreCase(decision)) {
                location = oauth.deny(req);
            } else {
                throw new AuthorizeError("The form must say decision=grant or decision=deny.");
            }
            return Response.status(302).location(URI.create(location)).build();
        } catch (AuthorizeError e) {
            return errorPage(e);
        }
    }

    private static Response errorPage(AuthorizeError e) {
        return Response.status(400).entity(ConsentPage.error(e.getMessage())).type("text/html;charset=utf-8").build();
    }

    @POST
    @Path("/v1/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(EdgeFilter.JSON)
    public Map<String, Object> tokenV1(@RestForm("grant_type") String grantType, @RestForm("client_id") String clientId,
            @RestForm("client_secret") String clientSecret, @RestForm("redirect_uri") String redirectUri,
            @RestForm String code, @RestForm("refresh_token") String refreshToken,
            @RestQuery("grant_type") String qGrantType, @RestQuery("client_id") String qClientId,
            @RestQuery("client_secret") String qClientSecret, @RestQuery("redirect_uri") String qRedirectUri,
            @RestQuery("code") String qCode, @RestQuery("refresh_token") String qRefreshToken) {
        // v1 also takes its parameters from the query string
        return oauth.token(new TokenForm(or(grantType, qGrantType), or(clientId, qClientId), or(clientSecret, qClientSecret),
                or(redirectUri, qRedirectUri), or(code, qCode), or(refreshToken, qRefreshToken)), true);
    }

    @POST
    @Path("/v3/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(EdgeFilter.JSON)
    public Map<String, Object> tokenV3(@RestForm("grant_type") String grantType, @RestForm("client_id") String clientId,
            @RestForm("client_secret") String clientSecret, @RestForm("redirect_uri") String redirectUri,
            @RestForm String code, @RestForm("refresh_token") String refreshToken) {
        return oauth.token(new TokenForm(grantType, clientId, clientSecret, redirectUri, code, refreshToken), false);
    }

    /** The dated variant of v3 (facts file §2). */
    @POST
    @Path("/2026-03/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(EdgeFilter.JSON)
    public Map<String, Object> tokenDated(@RestForm("grant_type") String grantType, @RestForm("client_id") String clientId,
            @RestForm("client_secret") String clientSecret, @RestForm("redirect_uri") String redirectUri,
            @RestForm String code, @RestForm("refresh_token") String refreshToken) {
        return tokenV3(grantType, clientId, clientSecret, redirectUri, code, refreshToken);
    }

    @POST
    @Path("/v3/token/introspect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(EdgeFilter.JSON)
    public Map<String, Object> introspect(@RestForm("client_id") String clientId, @RestForm("client_secret") String clientSecret,
            @RestForm String token, @RestForm("refresh_token") String refreshToken, @RestForm("access_token") String accessToken) {
        return oauth.introspect(clientId, clientSecret, or(token, or(accessToken, refreshToken)));
    }

    @POST
    @Path("/v3/token/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@RestForm("client_id") String clientId, @RestForm("client_secret") String clientSecret,
            @RestForm String token, @RestForm("refresh_token") String refreshToken) {
        oauth.revokeV3(clientId, clientSecret, or(token, refreshToken));
        return Response.noContent().build();
    }

    @GET
    @Path("/v1/access-tokens/{token}")
    @Produces(EdgeFilter.JSON)
    public Response accessToken(@RestPath String token) {
        Map<String, Object> info = oauth.accessTokenInfo(token);
        if (info == null) {
            return notFound("BAD_ACCESS_TOKEN", "missing, unknown or expired access token");
        }
        return Response.ok(info).build();
    }

    @GET
    @Path("/v1/refresh-tokens/{token}")
    @Produces(EdgeFilter.JSON)
    public Response refreshToken(@RestPath String token) {
        Map<String, Object> info = oauth.refreshTokenInfo(token);
        if (info == null) {
            return notFound("BAD_REFRESH_TOKEN", "missing or invalid refresh token");
        }
        return Response.ok(info).build();
    }

    @DELETE
    @Path("/v1/refresh-tokens/{token}")
    @Produces(EdgeFilter.JSON)
    public Response deleteRefreshToken(@RestPath String token) {
        if (oauth.refreshTokenInfo(token) == null) {
            return notFound("BAD_REFRESH_TOKEN", "missing or invalid refresh token");
        }
        oauth.revokeV3(settings.config().app().clientId(), settings.config().app().clientSecret(), token);
        return Response.noContent().build();
    }

    private static Response notFound(String status, String message) {
        return Response.status(404).type(EdgeFilter.JSON)
                .entity(Map.of("status", status, "message", message, "correlationId", HubSpotErrors.correlationId())).build();
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
