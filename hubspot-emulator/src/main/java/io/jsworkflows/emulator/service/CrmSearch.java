package io.jsworkflows.emulator.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.emulator.config.EmulatorConfig;

/**
 * {@code POST /crm/v3/objects/{type}/search} (facts file §6): request limits, filter groups (ORed groups of ANDed
 * filters), the free-text query, sorting and offset paging with a total. Reads only; it sees writes at once.
 */
@ApplicationScoped
public class CrmSearch {

    private static final int MAX_LIMIT = 200;
    private static final int MAX_QUERY_LENGTH = 3000;

    private final EmulatorConfig.Search limits;

    public CrmSearch(EmulatorConfig config) {
        this.limits = config.search();
    }

    public ResultPage search(Portal portal, ObjectType type, List<List<SearchFilter>> groups, String query,
            List<SearchSort> sorts, int limit, String after) {
        checkLimits(groups, query, limit);
        int lim = limit <= 0 ? 10 : limit;
        int offset = offset(after);
        List<CrmObject> hits = new ArrayList<>();
        for (CrmObject o : portal.objects(type).values()) {
            if (!o.archived() && matchesGroups(o, groups) && matchesQuery(type, o, query)) {
                hits.add(o);
            }
        }
        if (sorts != null && !sorts.isEmpty()) {
            hits.sort(order(sorts));
        }
        int from = Math.min(offset, hits.size());
        int to = Math.min(from + lim, hits.size());
        String next = to < hits.size() ? Integer.toString(to) : null;
        return new ResultPage(List.copyOf(hits.subList(from, to)), next, hits.size());
    }

    private void checkLimits(List<List<SearchFilter>> groups, String query, int limit) {
        if (groups.size() > limits.maxFilterGroups()) {
            throw HubSpotErrors.validation("Search request exceeded the maximum number of filter groups ("
                    + limits.maxFilterGroups() + "): " + groups.size() + " given.");
        }
        int total = 0;
        for (List<SearchFilter> g : groups) {
            if (g.size() > limits.maxFiltersPerGroup()) {
                throw HubSpotErrors.validation("Search request exceeded the maximum number of filters per group ("
                        + limits.maxFiltersPerGroup() + "): " + g.size() + " given.");
            }
            total += g.size();
            g.forEach(SearchFilter::validate);
        }
        if (total > limits.maxFilters()) {
            throw HubSpotErrors.validation("Search request exceeded the maximum number of filters (" + limits.maxFilters()
                    + "): " + total + " given.");
        }
        if (limit > MAX_LIMIT) {
            throw HubSpotErrors.validation("limit must be at most 200, was " + limit);
        }
        if (query != null && query.length() > MAX_QUERY_LENGTH) {
            throw HubSpotErrors.validation("query must be at most 3000 characters");
        }
    }

    /** Search pages by offset, unlike list, whose cursor is a record id. */
    private static int offset(String after) {
        if (after == null || after.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(after);
        } catch (NumberFormatException e) {
            throw HubSpotErrors.validation("Invalid paging cursor 'after': " + after);
        }
    }

    private static boolean matchesGroups(CrmObject o, List<List<SearchFilter>> groups) {
        if (groups.isEmpty()) {
            return true;
        }
        for (List<SearchFilter> g : groups) {
            boolean all = true;
            for (SearchFilter f : g) {
                if (!f.matches(o.properties().get(f.propertyName()))) {
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

    /** The query runs over the type's default properties, case-insensitively. */
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

    /** The requested keys in order, then the id, so that pages of equal keys stay stable. */
    private static Comparator<CrmObject> order(List<SearchSort> sorts) {
        Comparator<CrmObject> cmp = null;
        for (SearchSort s : sorts) {
            Comparator<CrmObject> c = (a, b) -> PropertyValues.compare(a.properties().get(s.propertyName()),
                    b.properties().get(s.propertyName()));
            if (s.descending()) {
                c = c.reversed();
            }
            cmp = cmp == null ? c : cmp.thenComparing(c);
        }
        return cmp.thenComparingLong(CrmObject::id);
    }
}
