package io.jsworkflows.emulator.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.jsworkflows.emulator.service.Faults;
import io.jsworkflows.emulator.service.OAuthService;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portals;
import io.jsworkflows.emulator.service.RequestCounters;
import io.jsworkflows.emulator.service.Settings;
import io.jsworkflows.emulator.service.Tokens;
import io.smallrye.common.annotation.NonBlocking;

/**
 * The operator API, off HubSpot's paths: the emulator's whole state and its reset, custom properties, and tokens
 * issued or revoked without the OAuth flow. Portals, settings, request counts, faults and record inspection have their
 * own {@code Operator*Resource}s under {@code /_emulator}. Errors are application/problem+json.
 */
@Path("/_emulator")
@NonBlocking
@Produces(MediaType.APPLICATION_JSON)
public class OperatorResource {

    private final Settings settings;
    private final Portals portals;
    private final Tokens tokens;
    private final OAuthService oauth;
    private final RequestCounters counters;
    private final Faults faults;

    public OperatorResource(Settings settings, Portals portals, Tokens tokens, OAuthService oauth, RequestCounters counters,
            Faults faults) {
        this.settings = settings;
        this.portals = portals;
        this.tokens = tokens;
        this.oauth = oauth;
        this.counters = counters;
        this.faults = faults;
    }

    // ---------------------------------------------------------------- state

    @GET
    @Path("/state")
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("portals", OperatorPortalsResource.view(portals));
        m.put("accessTokens", tokens.accessTokenCount());
        m.put("refreshTokens", tokens.refreshTokenCount());
        m.put("authCodes", tokens.codeCount());
        m.put("config", OperatorConfigResource.view(settings));
        m.put("faults", faults.rules().stream().map(OperatorFaultsResource::view).toList());
        return m;
    }

    /** Everything back to start-up: records, tokens, codes, counters, faults and settings. */
    @POST
    @Path("/reset")
    public Response reset() {
        portals.reset();
        tokens.reset();
        counters.reset();
        faults.clear();
        settings.reset();
        return Response.noContent().build();
    }

    public record NewProperty(String name) {
    }

    /** Adds a custom property to an object type in every portal (otherwise writes get PROPERTY_DOESNT_EXIST). */
    @POST
    @Path("/properties/{type}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addProperty(@RestPath String type, NewProperty in) {
        ObjectType t = OperatorProblems.objectType(type);
        if (in == null || in.name() == null || !in.name().matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("'name' is required: lower case letters, digits and '_', starting with a letter.");
        }
        portals.customProperties(t).add(in.name());
        return Response.status(201).entity(Map.of("objectType", t.path(), "name", in.name())).build();
    }

    // ---------------------------------------------------------------- tokens

    public record IssueRequest(Long portalId, List<String> scopes) {
    }

    /** A fresh grant (same body as the token endpoint) without the consent flow. */
    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(IssueRequest in) {
        if (in == null || in.portalId() == null) {
            throw new IllegalArgumentException("'portalId' is required, e.g. {\"portalId\":12345678,\"scopes\":[\"crm.objects.contacts.read\"]}.");
        }
        return Response.status(201).entity(oauth.issueDirect(in.portalId(), in.scopes() == null ? List.of() : in.scopes())).build();
    }

    @POST
    @Path("/access-tokens/expire-all")
    public Response expireAll() {
        tokens.expireAllAccessTokens();
        return Response.noContent().build();
    }

    @DELETE
    @Path("/refresh-tokens/{token}")
    public Response revoke(@RestPath String token) {
        return tokens.revokeRefreshToken(token) ? Response.noContent().build()
                : OperatorProblems.problem(404, "No such refresh token (already revoked, or never issued).");
    }
}
