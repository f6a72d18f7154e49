package io.jsworkflows.emulator.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.emulator.config.EmulatorConfig;

/** CRM v3 object rules: validation, calculated properties, email uniqueness, paging and search (facts file §6–§8). */
@ApplicationScoped
public class CrmService {

    public static final int MAX_BATCH = 100;
    private static final List<String> LIFECYCLE_STAGES = List.of("subscriber", "lead", "marketingqualifiedlead",
            "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");

    private final Portals portals;
    private final Pipelines pipelines;
    private final EmulatorConfig config;

    public CrmService(Portals portals, Pipelines pipelines, EmulatorConfig config) {
        this.portals = portals;
        this.pipelines = pipelines;
        this.config = config;
    }

    // ---------------------------------------------------------------- create / update / delete

    public CrmObject create(Portal portal, ObjectType type, Map<String, Object> input) {
        TreeMap<String, String> props = validated(portal, type, input, null);
        long id = portals.nextId();
        long now = System.currentTimeMillis();
        String nowIso = CrmTime.format(now);
        props.put("hs_object_id", Long.toString(id));
        props.put("createdate", nowIso);
        props.put(type.lastModifiedProperty(), nowIso);
        if (type == ObjectType.CONTACTS) {
            props.putIfAbsent("lifecyclestage", "lead");
            props.put("hs_object_source", "INTEGRATION");
            String email = props.get("email");
            if (email != null) {
                String key = email.toLowerCase(Locale.ROOT);
                Long existing = portal.emailIndex.putIfAbsent(key, id);
                if (existing != null) {
                    throw HubSpotErrors.conflict(Long.toString(existing), "Contact");
                }
                int at = email.indexOf('@');
                if (at >= 0) {
                    props.put("hs_email_domain", email.substring(at + 1).toLowerCase(Locale.ROOT));
                }
            }
        }
        CrmObject o = new CrmObject(id, props, now, now, false, 0);
        portal.objects(type).put(id, o);
        return o;
    }

    public CrmObject update(Portal portal, ObjectType type, String idOrValue, String idProperty, Map<String, Object> input) {
        CrmObject current = require(portal, type, idOrValue, idProperty, false);
        ConcurrentSkipListMap<Long, CrmObject> store = portal.objects(type);
        while (true) {
            TreeMap<String, String> changes = validated(portal, type, input, current);
            TreeMap<String, String> props = new TreeMap<>(current.properties());
            for (var e : changes.entrySet()) {
                if (e.getValue().isEmpty()) {
                    props.remove(e.getKey());
                } else {
                    props.put(e.getKey(), e.getValue());
                }
            }
            long now = System.currentTimeMillis();
            props.put(type.lastModifiedProperty(), CrmTime.format(now));
            String oldEmail = current.properties().get("email");
            String newEmail = props.get("email");
            boolean emailChanged = type == ObjectType.CONTACTS && !String.valueOf(oldEmail).equalsIgnoreCase(String.valueOf(newEmail));
            if (emailChanged && newEmail != null) {
                Long existing = portal.emailIndex.putIfAbsent(newEmail.toLowerCase(Locale.ROOT), current.id());
                if (existing != null && existing != current.id()) {
                    throw HubSpotErrors.conflict(Long.toString(existing), "Contact");
                }
                int at = newEmail.indexOf('@');
                props.put("hs_email_domain", at >= 0 ? newEmail.substring(at + 1).toLowerCase(Locale.ROOT) : "");
            }
            CrmObject next = new CrmObject(current.id(), props, current.createdAt(), now, false, 0);
            if (store.replace(current.id(), current, next)) {
                if (emailChanged && oldEmail != null) {
                    portal.emailIndex.remove(oldEmail.toLowerCase(Locale.ROOT), current.id());
                }
                return next;
            }
            current = store.get(current.id());
            if (current == null || current.archived()) {
                throw HubSpotErrors.notFound(idOrValue);
            }
        }
    }

    /** Archive (HubSpot's recycle bin): 204, then 404 unless {@code archived=true}. Idempotent, as at HubSpot. */
    public void archive(Portal portal, ObjectType type, String idOrValue, String idProperty) {
        CrmObject current;
        try {
            current = require(portal, type, idOrValue, idProperty, false);
        } catch (HubSpotException e) {
            return;
        }
        long now = System.currentTimeMillis();
        CrmObject archived = new CrmObject(current.id(), current.properties(), current.createdAt(), now, true, now);
        if (portal.objects(type).replace(current.id(), current, archived)) {
            String email = current.properties().get("email");
            if (type == ObjectType.CONTACTS && email != null) {
                portal.emailIndex.remove(email.toLowerCase(Locale.ROOT), current.id());
            }
        }
    }

    // ---------------------------------------------------------------- read

    public CrmObject require(Portal portal, ObjectType type, String idOrValue, String idProperty, boolean archived) {
        CrmObject o = find(portal, type, idOrValue, idProperty);
        if (o == null || o.archived() != archived) {
            throw HubSpotErrors.notFound(idOrValue);
        }
        return o;
    }

    public CrmObject find(Portal portal, ObjectType type, String idOrValue, String idProperty) {
        if (idOrValue == null) {
            return null;
        }
        if (idProperty != null && !idProperty.isEmpty() && !idProperty.equals("hs_object_id")) {
            if (type == ObjectType.CONTACTS && idProperty.equals("email")) {
                Long id = portal.emailIndex.get(idOrValue.toLowerCase(Locale.ROOT));
                return id == null ? null : portal.objects(type).get(id);
            }
            if (!portals.propertyExists(type, idProperty)) {
                throw HubSpotErrors.validation("Property \"" + idProperty + "\" does not exist");
            }
            throw HubSpotErrors.validation("Property \"" + idProperty + "\" is not a unique identifier property."
                    + " Use hs_object_id" + (type == ObjectType.CONTACTS ? " or email." : "."));
        }
        try {
            return portal.objects(type).get(Long.parseLong(idOrValue));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public record Page(List<CrmObject> results, String after, Integer total) {
    }

    public Page list(Portal portal, ObjectType type, int limit, String after, boolean archived) {
        int lim = Math.max(1, Math.min(limit <= 0 ? 10 : limit, 100));
        long from = 0;
        if (after != null && !after.isEmpty()) {
            try {
                from = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw HubSpotErrors.validation("Invalid paging cursor 'after': " + after);
            }
        }
        List<CrmObject> out = new ArrayList<>(lim);
        String next = null;
        for (CrmObject o : portal.objects(type).tailMap(from, true).values()) {
            if (o.archived() != archived) {
                continue;
            }
            if (out.size() == lim) {
                next = o.idString();
                break;
            }
            out.add(o);
        }
        return new Page(out, next, null);
    }

    /** Properties to return: the requested ones, else the type's default set; absent values are omitted. */
    public static SortedMap<String, String> project(ObjectType type, CrmObject o, List<String> requested) {
        List<String> names = requested == null || requested.isEmpty() ? type.defaultProperties() : requested;
        TreeMap<String, String> out = new TreeMap<>();
        for (String n : names) {
            String v = o.properties().get(n);
            if (v != null) {
                out.put(n, v);
            }
        }
        if (requested != null && !requested.isEmpty()) {
            // HubSpot always adds these to an explicit property list
            for (String n : List.of("hs_object_id", "createdate", type.lastModifiedProperty())) {
                String v = o.properties().get(n);
                if (v != null) {
                    out.put(n, v);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- search

    public record Filter(String propertyName, String operator, String value, String highValue, List<String> values) {
    }

    public record Sort(String propertyName, boolean descending) {
    }

    public Page search(Portal portal, ObjectType type, List<List<Filter>> groups, String query, List<Sort> sorts, int limit,
            String after) {
        var limits = config.search();
        if (groups.size() > limits.maxFilterGroups()) {
            throw HubSpotErrors.validation("Search request exceeded the maximum number of filter groups ("
                    + limits.maxFilterGroups() + "): " + groups.size() + " given.");
        }
        int total = 0;
        for (List<Filter> g : groups) {
            if (g.size() > limits.maxFiltersPerGroup()) {
                throw HubSpotErrors.validation("Search request exceeded the maximum number of filters per group ("
                        + limits.maxFiltersPerGroup() + "): " + g.size() + " given.");
            }
            total += g.size();
            for (Filter f : g) {
                validateFilter(f);
            }
        }
        if (total > limits.maxFilters()) {
            throw HubSpotErrors.validation("Search request exceeded the maximum number of filters (" + limits.maxFilters()
                    + "): " + total + " given.");
        }
        if (limit > 200) {
            throw HubSpotErrors.validation("limit must be at most 200, was " + limit);
        }
        if (query != null && query.length() > 3000) {
            throw HubSpotErrors.validation("query must be at most 3000 characters");
        }
        int lim = limit <= 0 ? 10 : limit;
        int offset = 0;
        if (after != null && !after.isEmpty()) {
            try {
                offset = Integer.parseInt(after);
            } catch (NumberFormatException e) {
                throw HubSpotErrors.validation("Invalid paging cursor 'after': " + after);
            }
        }
        Predicate<CrmObject> match = o -> !o.archived() && matchesGroups(o, groups) && matchesQuery(type, o, query);
        List<CrmObject> hits = new ArrayList<>();
        for (CrmObject o : portal.objects(type).values()) {
            if (match.test(o)) {
                hits.add(o);
            }
        }
        if (sorts != null && !sorts.isEmpty()) {
            Comparator<CrmObject> cmp = null;
            for (Sort s : sorts) {
                Comparator<CrmObject> c = (a, b) -> compareValues(a.properties().get(s.propertyName()),
                        b.properties().get(s.propertyName()));
                if (s.descending()) {
                    c = c.reversed();
                }
                cmp = cmp == null ? c : cmp.thenComparing(c);
            }
            hits.sort(cmp.thenComparingLong(CrmObject::id));
        }
        int from = Math.min(offset, hits.size());
        int to = Math.min(from + lim, hits.size());
        String next = to < hits.size() ? Integer.toString(to) : null;
        return new Page(List.copyOf(hits.subList(from, to)), next, hits.size());
    }

    private static final Set<String> OPERATORS = Set.of("EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
            "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN");

    private static void validateFilter(Filter f) {
        if (f.propertyName() == null || f.propertyName().isBlank()) {
            throw HubSpotErrors.validation("Every filter needs a propertyName.");
        }
        if (f.operator() == null || !OPERATORS.contains(f.operator())) {
            throw HubSpotErrors.validation("Unknown filter operator '" + f.operator() + "'. Valid operators: "
                    + String.join(", ", new java.util.TreeSet<>(OPERATORS)) + ".");
        }
        switch (f.operator()) {
            case "IN", "NOT_IN" -> {
                if (f.values() == null || f.values().isEmpty()) {
                    throw HubSpotErrors.validation("Operator " + f.operator() + " needs 'values'.");
                }
            }
            case "HAS_PROPERTY", "NOT_HAS_PROPERTY" -> {
            }
            case "BETWEEN" -> {
                if (f.value() == null || f.highValue() == null) {
                    throw HubSpotErrors.validation("Operator BETWEEN needs 'value' and 'highValue'.");
                }
            }
            default -> {
                if (f.value() == null) {
                    throw HubSpotErrors.validation("Operator " + f.operator() + " needs a 'value'.");
                }
            }
        }
    }

    static boolean matchesGroups(CrmObject o, List<List<Filter>> groups) {
        if (groups.isEmpty()) {
            return true;
        }
        for (List<Filter> g : groups) {
            boolean all = true;
            for (Filter f : g) {
                if (!matches(o.properties().get(f.propertyName()), f)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String v, Filter f) {
        return switch (f.operator()) {
            case "HAS_PROPERTY" -> v != null;
            case "NOT_HAS_PROPERTY" -> v == null;
            case "EQ" -> v != null && equal(v, f.value());
            case "NEQ" -> v == null || !equal(v, f.value());
            case "IN" -> v != null && f.values().stream().anyMatch(x -> equal(v, x));
            case "NOT_IN" -> v == null || f.values().stream().noneMatch(x -> equal(v, x));
            case "GT" -> v != null && compareValues(v, f.value()) > 0;
            case "GTE" -> v != null && compareValues(v, f.value()) >= 0;
            case "LT" -> v != null && compareValues(v, f.value()) < 0;
            case "LTE" -> v != null && compareValues(v, f.value()) <= 0;
            case "BETWEEN" -> v != null && compareValues(v, f.value()) >= 0 && compareValues(v, f.highValue()) <= 0;
            case "CONTAINS_TOKEN" -> v != null && containsToken(v, f.value());
            case "NOT_CONTAINS_TOKEN" -> v == null || !containsToken(v, f.value());
            default -> false;
        };
    }

    static boolean equal(String v, String x) {
        if (x == null) {
            return false;
        }
        if (v.equalsIgnoreCase(x)) {
            return true;
        }
        Double a = CrmTime.numeric(v);
        Double b = CrmTime.numeric(x);
        return a != null && b != null && a.doubleValue() == b.doubleValue();
    }

    static int compareValues(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        Double x = CrmTime.numeric(a);
        Double y = CrmTime.numeric(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        return a.compareToIgnoreCase(b);
    }

    /** Token match: the value split on non-word characters; a '*' in the filter value is a wildcard. */
    static boolean containsToken(String v, String token) {
        String t = token.toLowerCase(Locale.ROOT);
        String lv = v.toLowerCase(Locale.ROOT);
        if (t.contains("*")) {
            String regex = ("\\Q" + t.replace("*", "\\E.*\\Q") + "\\E");
            if (lv.matches(regex)) {
                return true;
            }
            for (String part : lv.split("[^\\p{L}\\p{N}]+")) {
                if (part.matches(regex)) {
                    return true;
                }
            }
            return false;
        }
        for (String part : lv.split("[^\\p{L}\\p{N}]+")) {
            if (part.equals(t)) {
                return true;
            }
        }
        return lv.equals(t);
    }

    private static boolean matchesQuery(ObjectType type, CrmObject o, String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        String q = query.toLowerCase(Locale.ROOT).trim();
        for (String n : type.defaultProperties()) {
            String v = o.properties().get(n);
            if (v != null && v.toLowerCase(Locale.ROOT).contains(q)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- batch upsert

    public record Upserted(CrmObject object, boolean created) {
    }

    /** Contacts by email (no partial upserts with email, as HubSpot says), others by hs_object_id. */
    public Upserted upsert(Portal portal, ObjectType type, String id, String idProperty, Map<String, Object> props) {
        if (type == ObjectType.CONTACTS && "email".equals(idProperty)) {
            CrmObject existing = find(portal, type, id, "email");
            if (existing != null && !existing.archived()) {
                return new Upserted(update(portal, type, existing.idString(), null, props), false);
            }
            Map<String, Object> withEmail = new LinkedHashMap<>(props == null ? Map.of() : props);
            withEmail.put("email", id);
            return new Upserted(create(portal, type, withEmail), true);
        }
        if (idProperty != null && !idProperty.equals("hs_object_id")) {
            throw HubSpotErrors.validation("idProperty '" + idProperty + "' is not a unique property of " + type.path() + ".");
        }
        CrmObject existing = find(portal, type, id, null);
        if (existing != null && !existing.archived()) {
            return new Upserted(update(portal, type, existing.idString(), null, props), false);
        }
        return new Upserted(create(portal, type, props), true);
    }

    // ---------------------------------------------------------------- associations

    /** Default association type ids (HubSpot's AssociationTypes enum); deal→contact 3 and contact→deal 4 are documented. */
    private static final Map<String, Integer> DEFAULT_TYPES = Map.ofEntries(
            Map.entry("deals>contacts", 3), Map.entry("contacts>deals", 4),
            Map.entry("contacts>companies", 279), Map.entry("companies>contacts", 280),
            Map.entry("deals>companies", 341), Map.entry("companies>deals", 342),
            Map.entry("tickets>contacts", 16), Map.entry("contacts>tickets", 15),
            Map.entry("tickets>companies", 339), Map.entry("companies>tickets", 340),
            Map.entry("tickets>deals", 28), Map.entry("deals>tickets", 27));
    private static final Map<Integer, String> PRIMARY_TYPES = Map.of(1, "contacts>companies", 2, "companies>contacts",
            5, "deals>companies", 6, "companies>deals", 26, "tickets>companies", 25, "companies>tickets");

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

    public void associate(Portal portal, ObjectType from, long fromId, ObjectType to, long toId, int typeId) {
        if (portal.objects(from).get(fromId) == null || portal.objects(from).get(fromId).archived()) {
            throw HubSpotErrors.notFound(Long.toString(fromId));
        }
        if (portal.objects(to).get(toId) == null || portal.objects(to).get(toId).archived()) {
            throw HubSpotErrors.notFound(Long.toString(toId));
        }
        portal.associations.computeIfAbsent(from.path() + ":" + fromId, k -> ConcurrentHashMap.newKeySet())
                .add(new Portal.Association(to, toId, typeId));
        Integer inverse = defaultTypeId(to, from);
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

    public List<Portal.Association> associations(Portal portal, ObjectType from, long fromId, ObjectType to) {
        Set<Portal.Association> a = portal.associations.get(from.path() + ":" + fromId);
        if (a == null) {
            return List.of();
        }
        return a.stream().filter(x -> x.toType() == to).sorted(Comparator.comparingLong(Portal.Association::toId)).toList();
    }

    // ---------------------------------------------------------------- validation

    /** Validates a create input without writing anything (batch create checks every input first). */
    public void check(Portal portal, ObjectType type, Map<String, Object> input) {
        validated(portal, type, input, null);
    }

    /**
     * Checks names and enumeration values; returns the values as strings. For a create ({@code current == null}) deals
     * and tickets get their default pipeline and first stage when none is given.
     */
    TreeMap<String, String> validated(Portal portal, ObjectType type, Map<String, Object> input, CrmObject current) {
        TreeMap<String, String> props = new TreeMap<>();
        List<HubSpotErrors.PropertyError> errors = null;
        if (input != null) {
            for (var e : input.entrySet()) {
                String name = e.getKey();
                if (!portals.propertyExists(type, name)) {
                    if (errors == null) {
                        errors = new ArrayList<>();
                    }
                    errors.add(new HubSpotErrors.PropertyError(name, "PROPERTY_DOESNT_EXIST",
                            "Property \"" + name + "\" does not exist"));
                    continue;
                }
                if (ObjectType.CALCULATED.contains(name)) {
                    continue;
                }
                Object v = e.getValue();
                String s = v == null ? "" : v.toString();
                if (current == null && s.isEmpty()) {
                    continue;
                }
                props.put(name, s);
            }
        }
        if (errors == null) {
            errors = enumErrors(type, props, current);
        }
        if (errors != null && !errors.isEmpty()) {
            throw HubSpotErrors.propertyErrors(errors, portal.id());
        }
        return props;
    }

    private List<HubSpotErrors.PropertyError> enumErrors(ObjectType type, TreeMap<String, String> props, CrmObject current) {
        List<HubSpotErrors.PropertyError> errors = new ArrayList<>(0);
        if (type == ObjectType.CONTACTS) {
            String ls = props.get("lifecyclestage");
            if (ls != null && !ls.isEmpty() && !LIFECYCLE_STAGES.contains(ls)) {
                errors.add(invalidOption("lifecyclestage", ls, LIFECYCLE_STAGES.stream()
                        .map(x -> new String[] {x.substring(0, 1).toUpperCase(Locale.ROOT) + x.substring(1), x}).toList()));
            }
            return errors;
        }
        Map<String, Pipelines.Pipeline> ps = pipelines.forType(type);
        if (ps == null) {
            return errors;
        }
        String pipelineProp = type == ObjectType.DEALS ? "pipeline" : "hs_pipeline";
        String stageProp = type == ObjectType.DEALS ? "dealstage" : "hs_pipeline_stage";
        String pipelineId = props.get(pipelineProp);
        if (pipelineId == null || pipelineId.isEmpty()) {
            pipelineId = current == null ? ps.keySet().iterator().next() : current.properties().get(pipelineProp);
            if (current == null) {
                props.put(pipelineProp, pipelineId);
            }
        }
        Pipelines.Pipeline p = ps.get(pipelineId);
        if (p == null) {
            errors.add(invalidOption(pipelineProp, pipelineId, ps.values().stream()
                    .map(x -> new String[] {x.label(), x.id()}).toList()));
            return errors;
        }
        String stage = props.get(stageProp);
        if (stage == null || stage.isEmpty()) {
            if (current == null) {
                props.put(stageProp, p.stages().getFirst().id());
                return errors;
            }
            if (!props.containsKey(pipelineProp)) {
                return errors;
            }
            stage = current.properties().get(stageProp);
        }
        if (stage != null && p.stage(stage) == null) {
            errors.add(invalidOption(stageProp, stage, p.stages().stream().map(s -> new String[] {s.label(), s.id()}).toList()));
        }
        return errors;
    }

    /** HubSpot's INVALID_OPTION: the message dumps the allowed options (label/value pairs). */
    HubSpotErrors.PropertyError invalidOption(String property, String value, List<String[]> options) {
        StringBuilder m = new StringBuilder(value).append(" was not one of the allowed options: [");
        boolean yaml = !"short".equalsIgnoreCase(config.validation().invalidOptionMessage());
        for (int i = 0; i < options.size(); i++) {
            String[] o = options.get(i);
            if (yaml) {
                m.append("label: \"").append(o[0]).append("\"\nvalue: \"").append(o[1]).append("\"\ndisplay_order: ").append(i)
                        .append("\nhidden: false\nread_only: false\n");
                if (i < options.size() - 1) {
                    m.append(", ");
                }
            } else {
                m.append(i > 0 ? ", " : "").append(o[1]);
            }
        }
        m.append(']');
        return new HubSpotErrors.PropertyError(property, "INVALID_OPTION", m.toString());
    }
}
