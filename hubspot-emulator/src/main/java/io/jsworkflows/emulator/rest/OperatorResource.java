package io.jsworkflows.emulator.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.jsworkflows.emulator.service.CrmObject;
import io.jsworkflows.emulator.service.CrmAssociations;
import io.jsworkflows.emulator.service.Faults;
import io.jsworkflows.emulator.service.OAuthService;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portal;
import io.jsworkflows.emulator.service.Portals;
import io.jsworkflows.emulator.service.RequestCounters;
import io.jsworkflows.emulator.service.Settings;
import io.jsworkflows.emulator.service.Tokens;
import io.smallrye.common.annotation.NonBlocking;

/**
 * The operator API, off HubSpot's paths: inspect and reset state, change settings at run time, issue and revoke tokens,
 * count requests, inject faults. Errors are application/problem+json.
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
    private final CrmAssociations associations;

    public OperatorResource(Settings settings, Portals portals, Tokens tokens, OAuthService oauth, RequestCounters counters,
            Faults faults, CrmAssociations associations) {
        this.settings = settings;
        this.portals = portals;
        this.tokens = tokens;
        this.oauth = oauth;
        this.counters = counters;
        this.faults = faults;
        this.associations = associations;
    }

    // ---------------------------------------------------------------- state

    @GET
    @Path("/state")
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("portals", portalsView());
        m.put("accessTokens", tokens.accessTokenCount());
        m.put("refreshTokens", tokens.refreshTokenCount());
        m.put("authCodes", tokens.codeCount());
        m.put("config", config());
        m.put("faults", faults.rules().stream().map(OperatorResource::rule).toList());
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

    @GET
    @Path("/portals")
    public List<Map<String, Object>> portalsView() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Portal p : portals.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hubId", p.id());
            m.put("domain", p.domain());
            m.put("user", p.user());
            m.put("userId", p.userId());
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (ObjectType t : ObjectType.values()) {
                counts.put(t.path(), (int) p.objects(t).values().stream().filter(o -> !o.archived()).count());
            }
            m.put("objects", counts);
            out.add(m);
        }
        return out;
    }

    public record NewPortal(Long hubId, String domain, String user, Long userId) {
    }

    @POST
    @Path("/portals")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addPortal(NewPortal in) {
        if (in == null || in.hubId() == null || in.hubId() <= 0) {
            throw new IllegalArgumentException("'hubId' (a positive number) is required.");
        }
        Portal p = portals.add(in.hubId(), in.domain() == null ? "portal-" + in.hubId() + ".hubspot.com" : in.domain(),
                in.user() == null ? "user@portal-" + in.hubId() + ".example" : in.user(),
                in.userId() == null ? 3_000_000L + in.hubId() % 1_000_000 : in.userId());
        return Response.status(201).entity(Map.of("hubId", p.id(), "domain", p.domain(), "user", p.user())).build();
    }

    public record NewProperty(String name) {
    }

    /** Adds a custom property to an object type in every portal (otherwise writes get PROPERTY_DOESNT_EXIST). */
    @POST
    @Path("/properties/{type}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addProperty(@RestPath String type, NewProperty in) {
        ObjectType t = objectType(type);
        if (in == null || in.name() == null || !in.name().matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("'name' is required: lower case letters, digits and '_', starting with a letter.");
        }
        portals.customProperties(t).add(in.name());
        return Response.status(201).entity(Map.of("objectType", t.path(), "name", in.name())).build();
    }

    // ---------------------------------------------------------------- objects

    @GET
    @Path("/objects/{type}/{id}")
    public Response object(@RestPath String type, @RestPath String id) {
        ObjectType t = objectType(type);
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return problem(404, "Record ids are numbers; '" + id + "' is not one.");
        }
        for (Portals.Located hit : portals.findAnywhere(t, n)) {
            return Response.ok(inspect(hit.portal(), hit.object())).build();
        }
        return problem(404, "No " + t.path() + " record with id " + id + " in any portal.");
    }

    /** All records of a type (optionally of one portal, optionally where property equals value, case-insensitive). */
    @GET
    @Path("/objects/{type}")
    public Map<String, Object> objects(@RestPath String type, @RestQuery Long portalId, @RestQuery String property,
            @RestQuery String value, @RestQuery Boolean archived) {
        ObjectType t = objectType(type);
        List<Object> out = new ArrayList<>();
        for (Portal p : portals.all()) {
            if (portalId != null && p.id() != portalId) {
                continue;
            }
            for (CrmObject o : p.objects(t).values()) {
                if (o.archived() != Boolean.TRUE.equals(archived)) {
                    continue;
                }
                if (property != null) {
                    String v = o.properties().get(property);
                    if (value == null ? v == null : v == null || !v.equalsIgnoreCase(value)) {
                        continue;
                    }
                }
                out.add(inspect(p, o));
            }
        }
        return Map.of("results", out, "total", out.size());
    }

    private static Map<String, Object> inspect(Portal p, CrmObject o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("portalId", p.id());
        m.put("object", CrmResource.full(o, null, null));
        return m;
    }

    @GET
    @Path("/objects/{type}/{id}/associations/{toType}")
    public Map<String, Object> associations(@RestPath String type, @RestPath long id, @RestPath String toType) {
        ObjectType t = objectType(type);
        ObjectType to = objectType(toType);
        List<Object> out = new ArrayList<>();
        for (Portals.Located hit : portals.findAnywhere(t, id)) {
            associations.associations(hit.portal(), t, id, to)
                    .forEach(a -> out.add(Map.of("toObjectId", Long.toString(a.toId()), "associationTypeId", a.typeId())));
        }
        return Map.of("results", out);
    }

    // ---------------------------------------------------------------- settings

    @GET
    @Path("/config")
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientId", settings.config().app().clientId());
        m.put("redirectUris", settings.config().app().redirectUris());
        m.put("autoApprove", settings.autoApprove());
        m.put("accessTokenLifetimeSeconds", settings.accessTokenLifetime().toMillis() / 1000.0);
        m.put("authCodeLifetimeSeconds", settings.authCodeLifetime().toMillis() / 1000.0);
        m.put("refreshTokenRotation", settings.refreshTokenRotation());
        m.put("v1Rfc6749ErrorFields", settings.v1Rfc6749ErrorFields());
        m.put("rateLimitMax", settings.rateLimit().max());
        m.put("rateLimitIntervalMillis", settings.rateLimit().interval().toMillis());
        m.put("retryAfter", settings.retryAfter());
        m.put("searchRateLimitHeaders", settings.searchRateLimitHeaders());
        return m;
    }

    /** Changes only the fields given. Durations as seconds (fractions allowed) or ISO-8601 strings ("PT5S"). */
    public record ConfigPatch(Boolean autoApprove, Object accessTokenLifetimeSeconds, Object authCodeLifetimeSeconds,
            Boolean refreshTokenRotation, Boolean v1Rfc6749ErrorFields, Integer rateLimitMax, Long rateLimitIntervalMillis,
            Boolean retryAfter, Boolean searchRateLimitHeaders) {
    }

    @PATCH
    @Path("/config")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> patchConfig(ConfigPatch in) {
        if (in == null) {
            throw new IllegalArgumentException("Send a JSON object with the settings to change, e.g. {\"accessTokenLifetimeSeconds\":5}.");
        }
        Duration atl = in.accessTokenLifetimeSeconds() == null ? null : duration("accessTokenLifetimeSeconds", in.accessTokenLifetimeSeconds());
        Duration acl = in.authCodeLifetimeSeconds() == null ? null : duration("authCodeLifetimeSeconds", in.authCodeLifetimeSeconds());
        if (in.rateLimitIntervalMillis() != null && in.rateLimitIntervalMillis() <= 0) {
            throw new IllegalArgumentException("'rateLimitIntervalMillis' must be positive.");
        }
        if (in.autoApprove() != null) {
            settings.autoApprove(in.autoApprove());
        }
        if (atl != null) {
            settings.accessTokenLifetime(atl);
        }
        if (acl != null) {
            settings.authCodeLifetime(acl);
        }
        if (in.refreshTokenRotation() != null) {
            settings.refreshTokenRotation(in.refreshTokenRotation());
        }
        if (in.v1Rfc6749ErrorFields() != null) {
            settings.v1Rfc6749ErrorFields(in.v1Rfc6749ErrorFields());
        }
        if (in.rateLimitMax() != null || in.rateLimitIntervalMillis() != null) {
            var cur = settings.rateLimit();
            settings.rateLimit(new Settings.RateLimitSetting(in.rateLimitMax() == null ? cur.max() : in.rateLimitMax(),
                    in.rateLimitIntervalMillis() == null ? cur.interval() : Duration.ofMillis(in.rateLimitIntervalMillis())));
            portals.all().forEach(Portal::resetBudget);
        }
        if (in.retryAfter() != null) {
            settings.retryAfter(in.retryAfter());
        }
        if (in.searchRateLimitHeaders() != null) {
            settings.searchRateLimitHeaders(in.searchRateLimitHeaders());
        }
        return config();
    }

    @PUT
    @Path("/config")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> putConfig(ConfigPatch in) {
        return patchConfig(in);
    }

    /** Settings back to the start-up configuration; records and tokens stay. */
    @POST
    @Path("/config/reset")
    public Map<String, Object> resetConfig() {
        settings.reset();
        portals.all().forEach(Portal::resetBudget);
        return config();
    }

    static Duration duration(String name, Object v) {
        if (v instanceof Number n) {
            if (n.doubleValue() <= 0) {
                throw new IllegalArgumentException("'" + name + "' must be positive.");
            }
            return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        }
        String s = v.toString().trim();
        try {
            Duration d = s.toUpperCase(Locale.ROOT).startsWith("P") ? Duration.parse(s)
                    : Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("'" + name + "' must be positive.");
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + name + "' must be seconds or an ISO-8601 duration such as PT5S; got '" + s + "'.");
        }
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
                : problem(404, "No such refresh token (already revoked, or never issued).");
    }

    @DELETE
    @Path("/portals/{portalId}/refresh-tokens")
    public Map<String, Object> revokePortal(@RestPath long portalId) {
        return Map.of("revoked", tokens.revokeRefreshTokens(portalId));
    }

    // ---------------------------------------------------------------- counters

    @GET
    @Path("/requests")
    public List<RequestCounters.Entry> requests() {
        return counters.entries();
    }

    /** {@code ?method=POST&path=/oauth/v1/token&status=200}; every parameter optional, path is a prefix. */
    @GET
    @Path("/requests/count")
    public Map<String, Object> count(@RestQuery String method, @RestQuery String path, @RestQuery Integer status) {
        return Map.of("count", counters.sum(method, path, status));
    }

    @DELETE
    @Path("/requests")
    public Response clearRequests() {
        counters.reset();
        return Response.noContent().build();
    }

    // ---------------------------------------------------------------- faults

    public record FaultRequest(String method, String path, Long latencyMs, Integer errorStatus, Double errorRate,
            Double resetRate, Integer slowBodyBytesPerSecond, Double slowBodyRate, Long times) {
    }

    @POST
    @Path("/faults")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addFault(FaultRequest in) {
        if (in == null) {
            throw new IllegalArgumentException("Send a fault rule, e.g. {\"path\":\"/oauth/v1/token\",\"errorStatus\":503,\"times\":2}.");
        }
        Faults.Rule r = faults.add(in.method(), in.path(), in.latencyMs(), in.errorStatus(), in.errorRate(), in.resetRate(),
                in.slowBodyBytesPerSecond(), in.slowBodyRate(), in.times());
        return Response.status(201).entity(rule(r)).build();
    }

    @GET
    @Path("/faults")
    public List<Map<String, Object>> listFaults() {
        return faults.rules().stream().map(OperatorResource::rule).toList();
    }

    @DELETE
    @Path("/faults")
    public Response clearFaults() {
        faults.clear();
        return Response.noContent().build();
    }

    @DELETE
    @Path("/faults/{id}")
    public Response deleteFault(@RestPath String id) {
        return faults.remove(id) ? Response.noContent().build() : problem(404, "No fault rule with id " + id + ".");
    }

    static Map<String, Object> rule(Faults.Rule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("method", r.method());
        m.put("path", r.path());
        m.put("latencyMs", r.latencyMillis());
        m.put("errorStatus", r.errorStatus());
        m.put("errorRate", r.errorRate());
        m.put("resetRate", r.resetRate());
        m.put("slowBodyBytesPerSecond", r.slowBodyBytesPerSecond());
        m.put("slowBodyRate", r.slowBodyRate());
        m.put("times", r.times());
        m.put("applied", r.applied().get());
        return m;
    }

    // ---------------------------------------------------------------- helpers

    private static ObjectType objectType(String type) {
        ObjectType t = ObjectType.fromPath(type);
        if (t == null) {
            throw new IllegalArgumentException("Unknown object type '" + type + "'. Use contacts, companies, deals or tickets.");
        }
        return t;
    }

    static Response problem(int status, String detail) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase());
        p.put("status", status);
        p.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(p).build();
    }
}
