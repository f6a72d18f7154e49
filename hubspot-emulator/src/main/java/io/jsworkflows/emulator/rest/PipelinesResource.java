package io.jsworkflows.emulator.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;

import org.jboss.resteasy.reactive.RestPath;

import io.jsworkflows.emulator.service.HubSpotErrors;
import io.jsworkflows.emulator.service.HubSpotException;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Pipelines;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.ext.web.RoutingContext;

/** GET /crm/v3/pipelines/{deals|tickets}[/{id}[/stages]]: the default pipelines; created at the epoch, as HubSpot's are. */
@Path("/crm/v3/pipelines/{type}")
@NonBlocking
@Produces(EdgeFilter.JSON)
public class PipelinesResource {

    static final String EPOCH = "1970-01-01T00:00:00Z";
    /** Reading pipelines takes any of many read scopes at HubSpot. */
    static final List<String> READ_SCOPES = List.of("crm.objects.deals.read", "crm.objects.contacts.read",
            "crm.objects.companies.read", "tickets", "crm.schemas.deals.read", "crm.objects.deals.write", "e-commerce");

    private final Pipelines pipelines;

    public PipelinesResource(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    @GET
    public Map<String, Object> all(@RestPath String type, @Context RoutingContext rc) {
        CrmAccess.require(rc, READ_SCOPES);
        List<Object> out = new ArrayList<>();
        for (Pipelines.Pipeline p : of(type).values()) {
            out.add(pipeline(p));
        }
        return Map.of("results", out);
    }

    @GET
    @Path("/{id}")
    public Map<String, Object> one(@RestPath String type, @RestPath String id, @Context RoutingContext rc) {
        CrmAccess.require(rc, READ_SCOPES);
        return pipeline(find(type, id));
    }

    @GET
    @Path("/{id}/stages")
    public Map<String, Object> stages(@RestPath String type, @RestPath String id, @Context RoutingContext rc) {
        CrmAccess.require(rc, READ_SCOPES);
        return Map.of("results", find(type, id).stages().stream().map(PipelinesResource::stage).toList());
    }

    private Pipelines.Pipeline find(String type, String id) {
        Pipelines.Pipeline p = of(type).get(id);
        if (p == null) {
            throw HubSpotErrors.notFound(id);
        }
        return p;
    }

    private Map<String, Pipelines.Pipeline> of(String type) {
        ObjectType t = CrmAccess.objectType(type);
        Map<String, Pipelines.Pipeline> ps = pipelines.forType(t);
        if (ps == null) {
            throw new HubSpotException(400, Map.of("status", "error", "message", "Object type " + t.path()
                    + " has no pipelines.", "correlationId", HubSpotErrors.correlationId(), "category", "VALIDATION_ERROR"));
        }
        return ps;
    }

    static Map<String, Object> pipeline(Pipelines.Pipeline p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", p.label());
        m.put("displayOrder", 0);
        m.put("id", p.id());
        m.put("stages", p.stages().stream().map(PipelinesResource::stage).toList());
        m.put("createdAt", EPOCH);
        m.put("updatedAt", EPOCH);
        m.put("archived", false);
        return m;
    }

    static Map<String, Object> stage(Pipelines.Stage s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", s.label());
        m.put("displayOrder", s.displayOrder());
        m.put("metadata", s.metadata());
        m.put("id", s.id());
        m.put("createdAt", EPOCH);
        m.put("updatedAt", EPOCH);
        m.put("archived", false);
        m.put("writePermissions", "CRM_PERMISSIONS_ENFORCEMENT");
        return m;
    }
}
