package io.jsworkflows.emulator.rest;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.emulator.rest.CrmDtos.AssociationInput;
import io.jsworkflows.emulator.service.AssociationTypes;
import io.jsworkflows.emulator.service.CrmAssociations;
import io.jsworkflows.emulator.service.CrmObject;
import io.jsworkflows.emulator.service.HubSpotErrors;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portal;

/**
 * The {@code associations} of a create input: checked in full before the record is written (a bad one fails the
 * create, as at HubSpot), then linked once the record has its id.
 */
@ApplicationScoped
class CreateTimeAssociations {

    /** One association to make: target type, target id, association type id. */
    record Link(ObjectType to, long toId, int typeId) {
    }

    private final CrmAssociations associations;

    CreateTimeAssociations(CrmAssociations associations) {
        this.associations = associations;
    }

    /** Resolves create-time associations before anything is written. */
    List<Link> resolve(Portal p, ObjectType from, List<AssociationInput> in) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        List<Link> out = new ArrayList<>();
        for (AssociationInput a : in) {
            if (a == null || a.to() == null || a.to().id() == null || a.types() == null || a.types().isEmpty()) {
                throw HubSpotErrors.validation("Each association needs to.id and at least one type.");
            }
            for (var spec : a.types()) {
                ObjectType to = spec.associationTypeId() == null ? null : AssociationTypes.targetOf(from, spec.associationTypeId());
                if (to == null) {
                    throw HubSpotErrors.validation("Association type id " + spec.associationTypeId() + " is not valid from "
                            + from.path() + ".");
                }
                long toId;
                try {
                    toId = Long.parseLong(a.to().id());
                } catch (NumberFormatException e) {
                    throw HubSpotErrors.validation("Association target id '" + a.to().id() + "' is not a record id.");
                }
                CrmObject target = p.objects(to).get(toId);
                if (target == null || target.archived()) {
                    throw HubSpotErrors.validation("One or more associations are invalid: " + to.label() + " " + toId
                            + " does not exist.");
                }
                out.add(new Link(to, toId, spec.associationTypeId()));
            }
        }
        return out;
    }

    void link(Portal p, ObjectType from, CrmObject o, List<Link> links) {
        for (Link l : links) {
            associations.associate(p, from, o.id(), l.to(), l.toId(), l.typeId());
        }
    }
}
