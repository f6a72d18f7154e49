package io.jsworkflows.emulator.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.jsworkflows.emulator.service.CrmAssociations;
import io.jsworkflows.emulator.service.CrmObject;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portal;
import io.jsworkflows.emulator.service.Portals;
import io.smallrye.common.annotation.NonBlocking;

/** Operator API: inspects CRM records and their associations in any portal, without a token or the rate budget. */
@Path("/_emulator/objects")
@NonBlocking
@Produces(MediaType.APPLICATION_JSON)
public class OperatorObjectsResource {

    private final Portals portals;
    private final CrmAssociations associations;

    public OperatorObjectsResource(Portals portals, CrmAssociations associations) {
        this.portals = portals;
        this.associations = associations;
    }

    @GET
    @Path("/{type}/{id}")
    public Response object(@RestPath String type, @RestPath String id) {
        ObjectType t = OperatorProblems.objectType(type);
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return OperatorProblems.problem(404, "Record ids are numbers; '" + id + "' is not one.");
        }
        for (Portals.Located hit : portals.findAnywhere(t, n)) {
            return Response.ok(inspect(hit.portal(), hit.object())).build();
        }
        return OperatorProblems.problem(404, "No " + t.path() + " record with id " + id + " in any portal.");
    }

    /** All records of a type (optionally of one portal, optionally where property equals value, case-insensitive). */
    @GET
    @Path("/{type}")
    public Map<String, Object> objects(@RestPath String type, @RestQuery Long portalId, @RestQuery String property,
            @RestQuery String value, @RestQuery Boolean archived) {
        ObjectType t = OperatorProblems.objectType(type);
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
        m.put("object", CrmObjectViews.full(o, null, null));
        return m;
    }

    @GET
    @Path("/{type}/{id}/associations/{toType}")
    public Map<String, Object> associations(@RestPath String type, @RestPath long id, @RestPath String toType) {
        ObjectType t = OperatorProblems.objectType(type);
        ObjectType to = OperatorProblems.objectType(toType);
        List<Object> out = new ArrayList<>();
        for (Portals.Located hit : portals.findAnywhere(t, id)) {
            associations.associations(hit.portal(), t, id, to)
                    .forEach(a -> out.add(Map.of("toObjectId", Long.toString(a.toId()), "associationTypeId", a.typeId())));
        }
        return Map.of("results", out);
    }
}
