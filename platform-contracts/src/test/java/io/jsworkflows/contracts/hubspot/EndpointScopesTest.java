package io.jsworkflows.contracts.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointScopesTest {

    @Test
    void writesNeedTheWriteScopeAndNameTheRowsThatGrantIt() {
        assertThat(EndpointScopes.of("POST", "/crm/v3/objects/deals")).hasValueSatisfying(r -> {
            assertThat(r.scope()).isEqualTo("crm.objects.deals.write");
            assertThat(r.rows()).isEqualTo("Deals: Create/update/delete");
        });
        assertThat(EndpointScopes.of("PATCH", "/crm/v3/objects/0-1/123")).hasValueSatisfying(r ->
                assertThat(r.scope()).isEqualTo("crm.objects.contacts.write"));
        assertThat(EndpointScopes.of("POST", "/crm/v3/objects/companies/batch/upsert")).hasValueSatisfying(r ->
                assertThat(r.scope()).isEqualTo("crm.objects.companies.write"));
    }

    @Test
    void readsAndSearchesNeedTheReadScope() {
        assertThat(EndpointScopes.of("GET", "/crm/v3/objects/contacts/42")).hasValueSatisfying(r -> {
            assertThat(r.scope()).isEqualTo("crm.objects.contacts.read");
            assertThat(r.rows()).isEqualTo("Contacts: Read/create/update/delete");
        });
        assertThat(EndpointScopes.of("POST", "/crm/v3/objects/deals/search")).hasValueSatisfying(r ->
                assertThat(r.scope()).isEqualTo("crm.objects.deals.read"));
        assertThat(EndpointScopes.of("POST", "/crm/v3/objects/deals/batch/read")).hasValueSatisfying(r ->
                assertThat(r.scope()).isEqualTo("crm.objects.deals.read"));
    }

    @Test
    void callsOutsideTheTableHaveNoKnownRequirement() {
        assertThat(EndpointScopes.of("GET", "/crm/v3/objects/tickets")).isEmpty();
        assertThat(EndpointScopes.of("GET", "/crm/v3/owners")).isEmpty();
        assertThat(EndpointScopes.of("POST", "/oauth/v1/token")).isEmpty();
        assertThat(EndpointScopes.of("GET", null)).isEmpty();
    }
}
