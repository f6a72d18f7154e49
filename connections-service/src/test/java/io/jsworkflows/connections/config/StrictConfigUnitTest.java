package io.jsworkflows.connections.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jsworkflows.testsupport.StrictConfig;
import io.smallrye.config.ConfigValidationException;

/** A misspelt {@code jsw.*} key fails the start; the properties file holds no key the mapping does not know. */
class StrictConfigUnitTest {

    /** What the mapping requires and an operator sets. */
    static final Map<String, String> OPERATOR = Map.of("jsw.ingress.public-url", "https://hooks.example.com");

    @ParameterizedTest
    @ValueSource(strings = {"prod", "dev", "test"})
    void thePropertiesFileHasNoUnknownKey(String profile) {
        assertThatCode(() -> StrictConfig.build(JswConfig.class, profile, OPERATOR)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod", "dev", "test"})
    void aMisspeltKeyFailsTheStart(String profile) {
        assertThatThrownBy(() -> StrictConfig.build(JswConfig.class, profile, StrictConfig.with(OPERATOR, "jsw.public-ulr", "https://x")))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("jsw.public-ulr");
    }
}
