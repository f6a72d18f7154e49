package io.jsworkflows.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * A service's configuration as it starts: its {@code application.properties} in one profile, what an operator sets on
 * top (as system properties would be), and its {@code @ConfigMapping}, with SmallRye's unknown-key check as the file
 * leaves it. For the tests that a misspelt {@code jsw.*} key fails the start.
 */
public final class StrictConfig {

    private StrictConfig() {
    }

    /** Builds (and so validates) the configuration; throws SmallRye's {@code ConfigValidationException} when it fails. */
    public static SmallRyeConfig build(Class<?> mapping, String profile, Map<String, String> operator) {
        URL props = mapping.getClassLoader().getResource("application.properties");
        try {
            return new SmallRyeConfigBuilder().withProfile(profile).withMapping(mapping)
                    .withSources(new PropertiesConfigSource(props, 250), new PropertiesConfigSource(operator, "operator", 400)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code operator} plus one more key. */
    public static Map<String, String> with(Map<String, String> operator, String key, String value) {
        Map<String, String> m = new HashMap<>(operator);
        m.put(key, value);
        return m;
    }

    /** The profiles a service starts in. */
    public static final List<String> PROFILES = List.of("prod", "dev", "test");

    /** In every profile, the properties file with what the operator sets starts: it has no key the mapping does not know. */
    public static void assertStarts(Class<?> mapping, Map<String, String> operator) {
        for (String profile : PROFILES) {
            assertThatCode(() -> build(mapping, profile, operator)).as("profile %s", profile).doesNotThrowAnyException();
        }
    }

    /** In every profile, a misspelt {@code key} fails the start, naming the key. */
    public static void assertMisspeltKeyFails(Class<?> mapping, Map<String, String> operator, String key) {
        for (String profile : PROFILES) {
            assertThatThrownBy(() -> build(mapping, profile, with(operator, key, "x"))).as("profile %s", profile)
                    .isInstanceOf(ConfigValidationException.class).hasMessageContaining(key);
        }
    }
}
