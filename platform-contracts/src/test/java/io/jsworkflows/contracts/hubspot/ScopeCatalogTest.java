package io.jsworkflows.contracts.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.hubspot.ScopeCatalog.Selection;

class ScopeCatalogTest {

    @Test
    void tableIsExactlyTheProducts() {
        assertThat(ScopeCatalog.entries()).hasSize(18);
        for (String crm : List.of("contacts", "companies", "deals")) {
            assertThat(ScopeCatalog.entry(crm, "read").scopes()).containsExactly("crm.objects." + crm + ".read");
            for (String op : List.of("create", "update", "delete")) {
                assertThat(ScopeCatalog.entry(crm, op).scopes())
                        .containsExactly("crm.objects." + crm + ".read", "crm.objects." + crm + ".write");
            }
        }
        assertThat(ScopeCatalog.entry("marketing-email", "read").scopes()).containsExactly("marketing-email");
        assertThat(ScopeCatalog.entry("marketing-email", "send").scopes()).containsExactly("marketing-email");
        assertThat(ScopeCatalog.entry("files", "access").scopes()).containsExactly("files");
        assertThat(ScopeCatalog.entry("tickets", "read").scopes()).containsExactly("tickets");
        assertThat(ScopeCatalog.entry("tickets", "manage").scopes()).containsExactly("tickets");
        assertThat(ScopeCatalog.entry("automation", "manage").scopes()).containsExactly("automation");
    }

    @Test
    void unionIsSortedDeduplicatedWithOauth() {
        List<String> scopes = ScopeCatalog.scopesFor(List.of(
                new Selection("deals", "create"), new Selection("contacts", "update"),
                new Selection("contacts", "read"), new Selection("tickets", "read"), new Selection("tickets", "manage")));
        assertThat(scopes).containsExactly("crm.objects.contacts.read", "crm.objects.contacts.write",
                "crm.objects.deals.read", "crm.objects.deals.write", "oauth", "tickets");
    }

    @Test
    void unknownResourceOrOperationNamesTheValidOnes() {
        assertThatThrownBy(() -> ScopeCatalog.scopesFor(List.of(new Selection("invoices", "read"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown resource 'invoices'. Valid resources: contacts, companies, deals, marketing-email, files, tickets, automation.");
        assertThatThrownBy(() -> ScopeCatalog.scopesFor(List.of(new Selection("contacts", "send"))))
                .hasMessage("Unknown operation 'send' for resource 'contacts'. Valid operations for contacts: read, create, update, delete.");
    }

    @Test
    void emptySelectionIsAnError() {
        assertThatThrownBy(() -> ScopeCatalog.scopesFor(List.of())).hasMessageStartingWith("Select at least one resource");
    }
}
