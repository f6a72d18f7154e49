package io.jsworkflows.refresher.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jsworkflows.testsupport.StrictConfig;
import io.smallrye.config.ConfigValidationException;

/** A misspelt {@code jsw.*} key fails the start; the properties file holds no key the mapping does not know. */
class StrictConfigUnitTest {

    @ParameterizedTest
    @ValueSource(strings = {"prod", "dev", "test"})
    void thePropertiesFileHasNoUnknownKey(String profile) {
        assertThatCode(() -> StrictConfig.build(RefresherConfig.class, profile, Map.of())).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod", "dev", "test"})
    void aMisspeltKeyFailsTheStart(String profile) {
        assertThatThrownBy(() -> StrictConfig.build(RefresherConfig.class, profile, Map.of("jsw.refresher.leed", "PT5M")))
                .isInstanceOf(ConfigValidationException.class).hasMessageContaining("jsw.refresher.leed");
    }
}
