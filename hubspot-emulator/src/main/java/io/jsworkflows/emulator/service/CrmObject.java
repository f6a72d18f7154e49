package io.jsworkflows.emulator.service;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** One stored record. Immutable: an update replaces it (compare-and-set), so readers never see half an update. */
public record CrmObject(long id, SortedMap<String, String> properties, long createdAt, long updatedAt, boolean archived,
        long archivedAt) {

    public String idString() {
        return Long.toString(id);
    }

    /** Properties a read returns: the requested ones, else the type's default set; absent values are omitted. */
    public SortedMap<String, String> visibleProperties(ObjectType type, List<String> requested) {
        List<String> names = requested == null || requested.isEmpty() ? type.defaultProperties() : requested;
        TreeMap<String, String> out = new TreeMap<>();
        for (String n : names) {
            String v = properties.get(n);
            if (v != null) {
                out.put(n, v);
            }
        }
        if (requested != null && !requested.isEmpty()) {
            // HubSpot always adds these to an explicit property list
            for (String n : List.of("hs_object_id", "createdate", type.lastModifiedProperty())) {
                String v = properties.get(n);
                if (v != null) {
                    out.put(n, v);
                }
            }
        }
        return out;
    }
}
