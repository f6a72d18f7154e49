package io.jsworkflows.emulator.service;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Associations between records of one portal (v4 API and create-time associations). Every link is stored in both
 * directions, the reverse one with its inverse default type id, because HubSpot lists an association from either side.
 */
@ApplicationScoped
public class CrmAssociations {

    public void associate(Portal portal, ObjectType from, long fromId, ObjectType to, long toId, int typeId) {
        if (portal.objects(from).get(fromId) == null || portal.objects(from).get(fromId).archived()) {
            throw HubSpotErrors.notFound(Long.toString(fromId));
        }
        if (portal.objects(to).get(toId) == null || portal.objects(to).get(toId).archived()) {
            throw HubSpotErrors.notFound(Long.toString(toId));
        }
        portal.associations.computeIfAbsent(from.path() + ":" + fromId, k -> ConcurrentHashMap.newKeySet())
                .add(new Portal.Association(to, toId, typeId));
        Integer inverse = AssociationTypes.defaultTypeId(to, from);
        portal.associations.computeIfAbsent(to.path() + ":" + toId, k -> ConcurrentHashMap.newKeySet())
                .add(new Portal.Association(from, fromId, inverse == null ? typeId : inverse));
    }

    public void dissociate(Portal portal, ObjectType from, long fromId, ObjectType to, long toId) {
        Set<Portal.Association> a = portal.associations.get(from.path() + ":" + fromId);
        if (a != null) {
            a.removeIf(x -> x.toType() == to && x.toId() == toId);
        }
        Set<Portal.Association> b = portal.associations.get(to.path() + ":" + toId);
        if (b != null) {
            b.removeIf(x -> x.toType() == from && x.toId() == fromId);
        }
    }

    /** The record's associations to one type, by target id. */
    public List<Portal.Association> associations(Portal portal, ObjectType from, long fromId, ObjectType to) {
        Set<Portal.Association> a = portal.associations.get(from.path() + ":" + fromId);
        if (a == null) {
            return List.of();
        }
        return a.stream().filter(x -> x.toType() == to).sorted(Comparator.comparingLong(Portal.Association::toId)).toList();
    }
}
