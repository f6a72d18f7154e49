package io.jsworkflows.emulator.rest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.jsworkflows.emulator.service.Portal;
import io.jsworkflows.emulator.service.Portals;
import io.jsworkflows.emulator.service.Settings;
import io.smallrye.common.annotation.NonBlocking;

/** Operator API: the settings that can change while the emulator runs (token lifetimes, rotation, rate limit, ...). */
@Path("/_emulator/config")
@NonBlocking
@Produces(MediaType.APPLICATION_JSON)
public class OperatorConfigResource {

    private final Settings settings;
    private final Portals portals;

    public OperatorConfigResource(Settings settings, Portals portals) {
        this.settings = settings;
        this.portals = portals;
    }

    @GET
    public Map<String, Object> config() {
        return view(settings);
    }

    /** The current settings; also part of {@code GET /_emulator/state}. */
    static Map<String, Object> view(Settings settings) {
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
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> patch(ConfigPatch in) {
        if (in == null) {
            throw new IllegalArgumentException("Send a JSON object with the settings to change, e.g. {\"accessTokenLifetimeSeconds\":5}.");
        }
        // everything is checked before anything changes, so a bad field leaves the settings as they were
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
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> put(ConfigPatch in) {
        return patch(in);
    }

    /** Settings back to the start-up configuration; records and tokens stay. */
    @POST
    @Path("/reset")
    public Map<String, Object> reset() {
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
}
