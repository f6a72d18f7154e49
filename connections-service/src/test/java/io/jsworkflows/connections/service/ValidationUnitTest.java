package io.jsworkflows.connections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.hubspot.ScopeCatalog.Selection;

/** Pure logic: selection validation, the Authorization header, secrets. */
class ValidationUnitTest {

    @Test
    void selectionBecomesDeduplicatedRowsAndSortedScopes() {
        ConnectionService.Selection s = ConnectionService.validate(List.of(new Selection("deals", "create"),
                new Selection("contacts", "read"), new Selection("deals", "create"), new Selection("deals", "update")));
        assertThat(s.resources()).containsExactly("deals:create", "contacts:read", "deals:update");
        assertThat(s.scopes()).containsExactly("crm.objects.contacts.read", "crm.objects.deals.read", "crm.objects.deals.write", "oauth");
    }

    @Test
    void badSelectionsSayWhatIsValid() {
        assertThatThrownBy(() -> ConnectionService.validate(List.of())).isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).slug()).isEqualTo("empty-selection"));
        assertThatThrownBy(() -> ConnectionService.validate(null)).hasMessageContaining("Select at least one");
        assertThatThrownBy(() -> ConnectionService.validate(List.of(new Selection("contacts", null))))
                .hasMessageContaining("Valid operations for contacts: read, create, update, delete");
        assertThatThrownBy(() -> ConnectionService.validate(java.util.Arrays.asList((Selection) null)))
                .hasMessageContaining("\"resource\" and \"operation\"");
    }

    @Test
    void bearerHeaderIsParsedStrictly() {
        assertThat(WorkspaceService.bearer("Bearer jsw_abc")).isEqualTo("jsw_abc");
        assertThat(WorkspaceService.bearer("bearer   jsw_abc  ")).isEqualTo("jsw_abc");
        for (String bad : new String[] {null, "", "jsw_abc", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer    "}) {
            assertThatThrownBy(() -> WorkspaceService.bearer(bad)).isInstanceOf(ApiProblem.class)
                    .satisfies(e -> assertThat(((ApiProblem) e).status()).isEqualTo(401));
        }
    }

    @Test
    void secretsAreRandomAndComparedByHash() {
        String a = Secrets.newApiKey();
        assertThat(a).startsWith("jsw_").hasSize(47).isNotEqualTo(Secrets.newApiKey());
        assertThat(Secrets.sha256(a)).hasSize(64).isEqualTo(Secrets.sha256(a));
        assertThat(Secrets.sameSecret(a, a)).isTrue();
        assertThat(Secrets.sameSecret(a, a + "x")).isFalse();
        assertThat(Secrets.sameSecret(null, a)).isFalse();
    }
}
