package io.jsworkflows.emulator.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jsworkflows.emulator.rest.CrmDtos.SearchInput;
import io.jsworkflows.emulator.service.SearchFilter;
import io.jsworkflows.emulator.service.SearchSort;

/**
 * Reads a CRM search body into what {@link io.jsworkflows.emulator.service.CrmSearch} takes: filter groups (operators
 * upper-cased) and sorts, which HubSpot accepts both as objects and as {@code "-prop"} strings. The limits and the
 * filtering itself are CrmSearch's.
 */
final class CrmSearchRequests {

    private CrmSearchRequests() {
    }

    static List<List<SearchFilter>> filterGroups(SearchInput in) {
        List<List<SearchFilter>> groups = new ArrayList<>();
        if (in.filterGroups() != null) {
            for (var g : in.filterGroups()) {
                List<SearchFilter> fs = new ArrayList<>();
                if (g != null && g.filters() != null) {
                    for (var f : g.filters()) {
                        fs.add(new SearchFilter(f.propertyName(), f.operator() == null ? null : f.operator().toUpperCase(Locale.ROOT),
                                f.value(), f.highValue(), f.values()));
                    }
                }
                groups.add(fs);
            }
        }
        return groups;
    }

    static List<SearchSort> sorts(List<Object> raw) {
        if (raw == null) {
            return List.of();
        }
        List<SearchSort> out = new ArrayList<>();
        for (Object s : raw) {
            if (s instanceof String str) {
                boolean desc = str.startsWith("-");
                out.add(new SearchSort(desc ? str.substring(1) : str, desc));
            } else if (s instanceof Map<?, ?> m && m.get("propertyName") != null) {
                out.add(new SearchSort(m.get("propertyName").toString(),
                        "DESCENDING".equalsIgnoreCase(String.valueOf(m.get("direction")))));
            }
        }
        return out;
    }
}
