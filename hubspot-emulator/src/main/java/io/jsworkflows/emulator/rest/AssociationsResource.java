package io.jsworkflows.emulator.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.jsworkflows.emulator.service.AssociationTypes;
import io.jsworkflows.emulator.service.CrmAssociations;
import io.jsworkflows.emulator.service.CrmObjectStore;
import io.jsworkflows.emulator.service.CrmTime;
import io.jsworkflows.emulator.service.HubSpotErrors;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portal;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.ext.web.RoutingContext;

/** Associations v4: default association PUT, list, delete (facts file §8). */
@Path("/crm/v4/objects/{fromType}/{fromId}/associations")
@NonBlocking
@Produces(EdgeFilter.JSON)
public class AssociationsResource {

    private final CrmAssociations associations;
    private final CrmObjectStore store;

    public AssociationsResource(CrmAssociations associations, CrmObjectStore store) {
        this.associations = associations;
        this.store = store;
    }

    @PUT
    @Path("/default/{toType}/{toId}")
    public Map<String, Object> associateDefault(@RestPath String fromType, @RestPath String fromId, @RestPath String toType,
            @RestPath String toId, @Context RoutingContext rc) {
        String started = CrmTime.format(System.currentTimeMillis());
        ObjectType from = CrmAccess.objectType(fromType);
        ObjectType to = CrmAccess.objectType(toType);
        Portal p = CrmAccess.require(rc, from.writeScopes());
        Integer typeId = AssociationTypes.defaultTypeId(from, to);
        if (typeId == null) {
            throw HubSpotErrors.validation("No default association from " + from.path() + " to " + to.path() + ".");
        }
        associations.associate(p, from, id(fromId), to, id(toId), typeId);
        return Map.of("status", "COMPLETE",
                "results", List.of(Map.of("from", Map.of("id", fromId), "to", Map.of("id", toId),
                        "associationSpec", Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", typeId))),
                "startedAt", started, "completedAt", CrmTime.format(System.currentTimeMillis()));
    }

    @GET
    @Path("/{toType}")
    public Map<String, Object> list(@RestPath String fromType, @RestPath String fromId, @RestPath String toType,
            @Context RoutingContext rc) {
        ObjectType from = CrmAccess.objectType(fromType);
        ObjectType to = CrmAccess.objectType(toType);
        Portal p = CrmAccess.require(rc, from.readScopes());
        store.require(p, from, fromId, null, false);
        return Map.of("results", associations.associations(p, from, id(fromId), to).stream()
                .map(a -> Map.of("toObjectId", a.toId(), "associationTypes",
                        List.of(Map.of("category", "HUBSPOT_DEFINED", "typeId", a.typeId())))).toList());
    }

    @DELETE
    @Path("/{toType}/{toId}")
    public Response delete(@RestPath String fromType, @RestPath String fromId, @RestPath String toType, @RestPath String toId,
            @Context RoutingContext rc) {
        ObjectType from = CrmAccess.objectType(fromType);
        ObjectType to = CrmAccess.objectType(toType);
        Portal p = CrmAccess.require(rc, from.writeScopes());
        associations.dissociate(p, from, id(fromId), to, id(toId));
        return Response.noContent().build();
    }

    private static long id(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw HubSpotErrors.notFound(s);
        }
    }
}
