package io.jsworkflows.emulator.service;

import java.util.Map;

/**
 * HubSpot-defined association type ids between the four object types (HubSpot's AssociationTypes enum; deal→contact 3
 * and contact→deal 4 are documented): the default ("unlabelled") ones and the primary-company ones.
 */
public final class AssociationTypes {

    private static final Map<String, Integer> DEFAULT_TYPES = Map.ofEntries(
            Map.entry("deals>contacts", 3), Map.entry("contacts>deals", 4),
            Map.entry("contacts>companies", 279), Map.entry("companies>contacts", 280),
            Map.entry("deals>companies", 341), Map.entry("companies>deals", 342),
            Map.entry("tickets>contacts", 16), Map.entry("contacts>tickets", 15),
            Map.entry("tickets>companies", 339), Map.entry("companies>tickets", 340),
            Map.entry("tickets>deals", 28), Map.entry("deals>tickets", 27));
    private static final Map<Integer, String> PRIMARY_TYPES = Map.of(1, "contacts>companies", 2, "companies>contacts",
            5, "deals>companies", 6, "companies>deals", 26, "tickets>companies", 25, "companies>tickets");

    private AssociationTypes() {
    }

    /** The default type id from one type to another, or null when HubSpot defines none. */
    public static Integer defaultTypeId(ObjectType from, ObjectType to) {
        return DEFAULT_TYPES.get(from.path() + ">" + to.path());
    }

    /** The target type of an association type id from a given type, or null when the id does not fit. */
    public static ObjectType targetOf(ObjectType from, int typeId) {
        for (var e : DEFAULT_TYPES.entrySet()) {
            if (e.getValue() == typeId && e.getKey().startsWith(from.path() + ">")) {
                return ObjectType.fromPath(e.getKey().substring(e.getKey().indexOf('>') + 1));
            }
        }
        String p = PRIMARY_TYPES.get(typeId);
        if (p != null && p.startsWith(from.path() + ">")) {
            return ObjectType.fromPath(p.substring(p.indexOf('>') + 1));
        }
        return null;
    }
}
