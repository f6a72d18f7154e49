package io.jsworkflows.contracts.hubspot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which scope a HubSpot API call needs, for the endpoints the {@link ScopeCatalog} covers (CRM objects: contacts,
 * companies, deals), and which rows of the catalog grant it: what a user must tick when reconnecting. A call outside
 * the table has no known requirement (HubSpot's own answer decides).
 */
public final class EndpointScopes {

    /** A call's requirement: the scope and the catalog rows, as the connect page shows them, that grant it. */
    public record Requirement(String scope, String rows) {
    }

    private static final Map<String, String> OBJECT_TYPES = Map.of(
            "contacts", "contacts", "0-1", "contacts",
            "companies", "companies", "0-2", "companies",
            "deals", "deals", "0-3", "deals");

    // /crm/v3/objects/{type}[/...] and /crm/v4/objects/{type}[/...]
    private static final Pattern OBJECTS = Pattern.compile("^/crm/v[34]/objects/([^/?#]+)(/[^?#]*)?$");

    private EndpointScopes() {
    }

    /** The requirement of {@code method path} (path without the query), if the table covers it. */
    public static Optional<Requirement> of(String method, String path) {
        if (path == null) {
            return Optional.empty();
        }
        Matcher m = OBJECTS.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        String type = OBJECT_TYPES.get(m.group(1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return Optional.empty();
        }
        String rest = m.group(2) == null ? "" : m.group(2);
        String verb = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        boolean read = verb.equals("GET") || verb.equals("HEAD")
                || verb.equals("POST") && (rest.equals("/search") || rest.equals("/batch/read"));
        String scope = "crm.objects." + type + (read ? ".read" : ".write");
        return Optional.of(new Requirement(scope, rowsGranting(scope)));
    }

    /**
     * The catalog rows that grant {@code scope}, per resource: e.g. {@code Deals: Create/update/delete}; several
     * resources are joined with " or ".
     */
    public static String rowsGranting(String scope) {
        Map<String, List<String>> byResource = new LinkedHashMap<>();
        for (ScopeCatalog.Entry e : ScopeCatalog.entries()) {
            if (e.scopes().contains(scope)) {
                byResource.computeIfAbsent(e.resourceLabel(), k -> new ArrayList<>()).add(e.operationLabel());
            }
        }
        List<String> parts = new ArrayList<>();
        byResource.forEach((resource, ops) -> {
            StringBuilder b = new StringBuilder(resource).append(": ");
            for (int i = 0; i < ops.size(); i++) {
                b.append(i == 0 ? ops.get(i) : "/" + ops.get(i).toLowerCase(Locale.ROOT));
            }
            parts.add(b.toString());
        });
        return String.join(" or ", parts);
    }
}
