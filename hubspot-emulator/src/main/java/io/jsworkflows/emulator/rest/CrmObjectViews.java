package io.jsworkflows.emulator.rest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.emulator.rest.CrmDtos.AssociationList;
import io.jsworkflows.emulator.rest.CrmDtos.AssociationRef;
import io.jsworkflows.emulator.rest.CrmDtos.SimplePublicObject;
import io.jsworkflows.emulator.service.CrmAssociations;
import io.jsworkflows.emulator.service.CrmObject;
import io.jsworkflows.emulator.service.CrmTime;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portal;

/** Turns stored records into HubSpot's {@code SimplePublicObject}: every property after a write, the asked-for ones on reads. */
@ApplicationScoped
class CrmObjectViews {

    private final CrmAssociations associations;

    CrmObjectViews(CrmAssociations associations) {
        this.associations = associations;
    }

    /** Create and update responses echo every stored property. */
    static SimplePublicObject full(CrmObject o, String traceId, Boolean isNew) {
        return new SimplePublicObject(o.idString(), o.properties(), CrmTime.format(o.createdAt()), CrmTime.format(o.updatedAt()),
                o.archived(), o.archived() ? CrmTime.format(o.archivedAt()) : null, null, traceId, isNew);
    }

    /** A read: the default (or the {@code properties}) and, when asked for, the associations to the given types. */
    SimplePublicObject view(Portal p, ObjectType t, CrmObject o, List<String> props, List<String> assoc) {
        Map<String, AssociationList> links = null;
        if (assoc != null && !assoc.isEmpty()) {
            links = new LinkedHashMap<>();
            for (String a : assoc) {
                ObjectType to = ObjectType.fromPath(a);
                if (to == null) {
                    continue;
                }
                List<AssociationRef> refs = associations.associations(p, t, o.id(), to).stream()
                        .map(x -> new AssociationRef(Long.toString(x.toId()), t.singular() + "_to_" + to.singular())).toList();
                if (!refs.isEmpty()) {
                    links.put(to.path(), new AssociationList(refs));
                }
            }
            if (links.isEmpty()) {
                links = null;
            }
        }
        return new SimplePublicObject(o.idString(), o.visibleProperties(t, props), CrmTime.format(o.createdAt()),
                CrmTime.format(o.updatedAt()), o.archived(), o.archived() ? CrmTime.format(o.archivedAt()) : null, links,
                null, null);
    }

    /** A comma-separated query parameter ({@code properties}, {@code associations}) as a list; blank items dropped. */
    static List<String> csv(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
