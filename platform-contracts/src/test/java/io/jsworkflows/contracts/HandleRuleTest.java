package io.jsworkflows.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandleRuleTest {

    @ParameterizedTest
    @ValueSource(strings = {"my-hubspot", "a", "hubspot2", "a-b-c", "0"})
    void validHandles(String handle) {
        assertThat(HandleRule.violation(handle)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"My-HubSpot", "my_hubspot", "-lead", "trail-", "dou--ble", "sp ace", "é"})
    void invalidHandlesQuoteTheRule(String handle) {
        assertThat(HandleRule.violation(handle)).hasValueSatisfying(m -> assertThat(m)
                .contains("lowercase letters (a-z), digits (0-9) and single hyphens").contains("'" + handle + "'"));
    }

    @Test
    void lengthBounds() {
        assertThat(HandleRule.isValid("a".repeat(64))).isTrue();
        assertThat(HandleRule.violation("a".repeat(65))).hasValueSatisfying(m -> assertThat(m).contains("65 characters"));
        assertThat(HandleRule.violation("")).hasValueSatisfying(m -> assertThat(m).startsWith("The handle is missing"));
        assertThatThrownBy(() -> HandleRule.requireValid(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
