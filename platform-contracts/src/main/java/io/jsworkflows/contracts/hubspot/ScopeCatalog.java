package io.jsworkflows.contracts.hubspot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The product's HubSpot resource/operation → scope table. A user selects rows; the authorize URL requests the union
 * of their scopes, sorted and de-duplicated, plus {@code oauth}, which HubSpot requires of every app.
 */
public final class ScopeCatalog {

    public static final String OAUTH_SCOPE = "oauth";

    /** One row: selecting (resource, operation) requires these scopes. */
    public record Entry(String resource, String resourceLabel, String operation, String operationLabel, List<String> scopes) {
        public Entry {
            scopes = List.copyOf(scopes);
        }
    }

    /** A user's choice of one row. */
    public record Selection(String resource, String operation) {
    }

    private static final List<Entry> ENTRIES;

    static {
        List<Entry> e = new ArrayList<>();
        for (String[] crm : new String[][] {{"contacts", "Contacts"}, {"companies", "Companies"}, {"deals", "Deals"}}) {
            String read = "crm.objects." + crm[0] + ".read";
            String write = "crm.objects." + crm[0] + ".write";
            e.add(new Entry(crm[0], crm[1], "read", "Read", List.of(read)));
            e.add(new Entry(crm[0], crm[1], "create", "Create", List.of(read, write)));
            e.add(new Entry(crm[0], crm[1], "update", "Update", List.of(read, write)));
            e.add(new Entry(crm[0], crm[1], "delete", "Delete", List.of(read, write)));
        }
        e.add(new Entry("marketing-email", "Marketing email", "read", "Read", List.of("marketing-email")));
        e.add(new Entry("marketing-email", "Marketing email", "send", "Send", List.of("marketing-email")));
        e.add(new Entry("files", "Files", "access", "Access file manager", List.of("files")));
        e.add(new Entry("tickets", "Tickets", "read", "Read", List.of("tickets")));
        e.add(new Entry("tickets", "Tickets", "manage", "Manage", List.of("tickets")));
        e.add(new Entry("automation", "Automation", "manage", "Manage workflows & sequences", List.of("automation")));
        ENTRIES = List.copyOf(e);
    }

    private ScopeCatalog() {
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    public static Set<String> resources() {
        return ENTRIES.stream().map(Entry::resource).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public static List<String> operations(String resource) {
        return ENTRIES.stream().filter(x -> x.resource().equals(resource)).map(Entry::operation).toList();
    }

    /** The row for a selection, or an {@link IllegalArgumentException} naming the valid resources or operations. */
    public static Entry entry(String resource, String operation) {
        if (resource == null || !resources().contains(resource)) {
            throw new IllegalArgumentException("Unknown resource '" + resource + "'. Valid resources: "
                    + String.join(", ", resources()) + ".");
        }
        return ENTRIES.stream()
                .filter(x -> x.resource().equals(resource) && x.operation().equals(operation))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown operation '" + operation + "' for resource '"
                        + resource + "'. Valid operations for " + resource + ": " + String.join(", ", operations(resource)) + "."));
    }

    /** Sorted, de-duplicated scopes for the selected rows, plus {@code oauth}. At least one row must be selected. */
    public static List<String> scopesFor(Collection<Selection> selections) {
        if (selections == null || selections.isEmpty()) {
            throw new IllegalArgumentException("Select at least one resource and operation. Valid resources: "
                    + String.join(", ", resources()) + ".");
        }
        TreeSet<String> scopes = new TreeSet<>();
        scopes.add(OAUTH_SCOPE);
        for (Selection s : selections) {
            scopes.addAll(entry(s.resource(), s.operation()).scopes());
        }
        return List.copyOf(scopes);
    }
}
