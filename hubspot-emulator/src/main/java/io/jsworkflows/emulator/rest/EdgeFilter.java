package io.jsworkflows.emulator.rest;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jsworkflows.emulator.service.Faults;
import io.jsworkflows.emulator.service.HubSpotErrors;
import io.jsworkflows.emulator.service.HubSpotException;
import io.jsworkflows.emulator.service.Portal;
import io.jsworkflows.emulator.service.Portals;
import io.jsworkflows.emulator.service.RequestCounters;
import io.jsworkflows.emulator.service.RollingRateWindow;
import io.jsworkflows.emulator.service.Settings;
import io.jsworkflows.emulator.service.Tokens;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs in front of every HubSpot path, on the event loop: request counters, injected faults, Bearer authentication and
 * the per-portal rate limit. Resources find the caller's token and portal in the routing context.
 */
@ApplicationScoped
public class EdgeFilter {

    public static final String TOKEN = "emulator.token";
    public static final String PORTAL = "emulator.portal";
    static final String JSON = "application/json;charset=utf-8";
    /** Marks the emulator's own loopback call when it replays a request to send its body slowly. */
    static final String INNER_HEADER = "x-emulator-inner";
    static final String CORRELATION_HEADER = "x-hubspot-correlation-id";

    private final Faults faults;
    private final RequestCounters counters;
    private final Tokens tokens;
    private final Portals portals;
    private final Settings settings;
    private final ObjectMapper mapper;
    private final SlowBodyProxy slowBodies;

    public EdgeFilter(Faults faults, RequestCounters counters, Tokens tokens, Portals portals, Settings settings,
            ObjectMapper mapper, SlowBodyProxy slowBodies) {
        this.faults = faults;
        this.counters = counters;
        this.tokens = tokens;
        this.portals = portals;
        this.settings = settings;
        this.mapper = mapper;
        this.slowBodies = slowBodies;
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(this::edge);
    }

    void edge(RoutingContext rc) {
        String path = rc.request().path();
        if (path.startsWith("/q/") || path.startsWith("/_emulator")) {
            rc.next();
            return;
        }
        HttpServerRequest req = rc.request();
        String method = req.method().name();
        boolean inner = slowBodies.isInner(req.getHeader(INNER_HEADER));
        if (!inner) {
            Faults.Action action = faults.decide(method, path);
            if (action.kind() == Faults.Kind.SLOW_BODY) {
                // the replayed inner request is counted; this outer one is not
                delay(rc, action.latencyMillis(), () -> slowBodies.replay(rc, action.slowBytesPerSecond()));
                return;
            }
            rc.addHeadersEndHandler(v -> {
                HttpServerResponse r = rc.response();
                if (!r.headers().contains(CORRELATION_HEADER)) {
                    r.headers().add(CORRELATION_HEADER, HubSpotErrors.correlationId());
                }
                counters.count(method, path, r.getStatusCode());
            });
            switch (action.kind()) {
                case RESET -> delay(rc, action.latencyMillis(), () -> reset(rc, method, path));
                case ERROR -> delay(rc, action.latencyMillis(), () -> injectedError(rc, action.status()));
                default -> delay(rc, action.latencyMillis(), () -> authenticated(rc, method, path));
            }
            return;
        }
        rc.addHeadersEndHandler(v -> counters.count(method, path, rc.response().getStatusCode()));
        authenticated(rc, method, path);
    }

    private static void delay(RoutingContext rc, long millis, Runnable then) {
        if (millis <= 0) {
            then.run();
            return;
        }
        Vertx.currentContext().owner().setTimer(millis, id -> then.run());
    }

    private void reset(RoutingContext rc, String method, String path) {
        counters.count(method, path, 0);
        var conn = rc.request().connection();
        if (conn instanceof ConnectionBase cb) {
            // SO_LINGER 0 turns the close into a TCP RST, which is what "connection reset by peer" means
            cb.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        }
        conn.close();
    }

    private void injectedError(RoutingContext rc, int status) {
        if (status == 429) {
            Portal p = portalOf(rc.request().getHeader("Authorization"));
            var rl = settings.rateLimit();
            HttpServerResponse r = rc.response();
            r.putHeader("X-HubSpot-RateLimit-Max", Integer.toString(rl.max()));
            r.putHeader("X-HubSpot-RateLimit-Remaining", "0");
            r.putHeader("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(rl.interval().toMillis()));
            write(rc, 429, HubSpotErrors.rateLimitBody(p == null ? 0 : p.id()), Map.of());
            return;
        }
        String message = switch (status) {
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "internal error";
        };
        Map<String, Object> b = new java.util.LinkedHashMap<>();
        b.put("status", "error");
        b.put("message", message);
        b.put("correlationId", HubSpotErrors.correlationId());
        b.put("category", status == 500 ? "INTERNAL_ERROR" : "SERVICE_UNAVAILABLE");
        write(rc, status, b, Map.of());
    }

    private Portal portalOf(String authorization) {
        String token = bearer(authorization);
        Tokens.AccessToken t = tokens.accessToken(token);
        return t == null ? null : portals.get(t.portalId());
    }

    static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /** CRM paths need a valid Bearer token and take one request from the portal's budget (search excepted). */
    private void authenticated(RoutingContext rc, String method, String path) {
        if (!path.startsWith("/crm/")) {
            rc.next();
            return;
        }
        Tokens.AccessToken t = tokens.accessToken(bearer(rc.request().getHeader("Authorization")));
        if (t == null) {
            fail(rc, HubSpotErrors.invalidAuthentication());
            return;
        }
        long now = System.currentTimeMillis();
        long expiry = tokens.effectiveExpiry(t);
        if (now >= expiry) {
            fail(rc, HubSpotErrors.expiredAuthentication(java.time.Instant.ofEpochMilli(expiry), java.time.Instant.ofEpochMilli(now)));
            return;
        }
        Portal portal = portals.get(t.portalId());
        if (portal == null) {
            fail(rc, HubSpotErrors.invalidAuthentication());
            return;
        }
        rc.put(TOKEN, t);
        rc.put(PORTAL, portal);
        boolean search = path.endsWith("/search") && method.equals("POST");
        if (search && !settings.searchRateLimitHeaders()) {
            rc.next();
            return;
        }
        Settings.RateLimitSetting rl = settings.rateLimit();
        long interval = rl.interval().toMillis();
        HttpServerResponse r = rc.response();
        r.putHeader("X-HubSpot-RateLimit-Max", Integer.toString(rl.max()));
        r.putHeader("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(interval));
        if (!rl.enabled()) {
            r.putHeader("X-HubSpot-RateLimit-Remaining", Integer.toString(Math.max(0, rl.max())));
            rc.next();
            return;
        }
        RollingRateWindow.Budget b = portal.take(rl.max(), interval, now);
        r.putHeader("X-HubSpot-RateLimit-Remaining", Integer.toString(b.remaining()));
        if (!b.allowed()) {
            if (settings.retryAfter()) {
                // whole seconds until the oldest request in the rolling window leaves it
                r.putHeader("Retry-After", Long.toString(Math.max(1, (b.retryAfterMillis() + 999) / 1000)));
            }
            write(rc, 429, HubSpotErrors.rateLimitBody(portal.id()), Map.of());
            return;
        }
        rc.next();
    }

    private void fail(RoutingContext rc, HubSpotException e) {
        write(rc, e.status(), e.body(), e.headers());
    }

    private void write(RoutingContext rc, int status, Map<String, Object> body, Map<String, String> headers) {
        HttpServerResponse r = rc.response();
        if (r.ended() || r.closed()) {
            return;
        }
        r.setStatusCode(status).putHeader("Content-Type", JSON);
        if (body.get("correlationId") instanceof String id) {
            r.putHeader(CORRELATION_HEADER, id);
        }
        headers.forEach(r::putHeader);
        try {
            r.end(Buffer.buffer(mapper.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            r.setStatusCode(500).end();
        }
    }
}
