package io.jsworkflows.emulator.rest;

import java.util.ArrayList;
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

import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portal;
import io.jsworkflows.emulator.service.Portals;
import io.jsworkflows.emulator.service.Tokens;
import io.smallrye.common.annotation.NonBlocking;

/** Operator API: the portals (HubSpot accounts) with their record counts, adding one, and an uninstall's revocation. */
@Path("/_emulator/portals")
@NonBlocking
@Produces(MediaType.APPLICATION_JSON)
public class OperatorPortalsResource {

    private final Portals portals;
    private final Tokens tokens;

    public OperatorPortalsResource(Portals portals, Tokens tokens) {
        this.portals = portals;
        this.tokens = tokens;
    }

    @GET
    public List<Map<String, Object>> list() {
        return view(portals);
    }

    /** Every portal with its live (not archived) record counts per type; also part of {@code GET /_emulator/state}. */
    static List<Map<String, Object>> view(Portals portals) {
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
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(NewPortal in) {
        if (in == null || in.hubId() == null || in.hubId() <= 0) {
            throw new IllegalArgumentException("'hubId' (a positive number) is required.");
        }
        Portal p = portals.add(in.hubId(), in.domain() == null ? "portal-" + in.hubId() + ".hubspot.com" : in.domain(),
                in.user() == null ? "user@portal-" + in.hubId() + ".example" : in.user(),
                in.userId() == null ? 3_000_000L + in.hubId() % 1_000_000 : in.userId());
        return Response.status(201).entity(Map.of("hubId", p.id(), "domain", p.domain(), "user", p.user())).build();
    }

    /** Revokes every refresh token of the portal, as an uninstall of the app would. */
    @DELETE
    @Path("/{portalId}/refresh-tokens")
    public Map<String, Object> revokeRefreshTokens(@RestPath long portalId) {
        return Map.of("revoked", tokens.revokeRefreshTokens(portalId));
    }
}
