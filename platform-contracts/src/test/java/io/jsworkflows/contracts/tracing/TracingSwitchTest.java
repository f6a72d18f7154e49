package io.jsworkflows.contracts.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class TracingSwitchTest {

    /** The SDK setting the switch leaves, with the extension's default endpoint present as Quarkus registers it. */
    private static Optional<Boolean> disabled(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withDefaultValue("quarkus.otel.exporter.otlp.endpoint", TracingSwitch.QUARKUS_DEFAULT)
                .withDefaultValue("quarkus.otel.exporter.otlp.traces.endpoint", TracingSwitch.QUARKUS_DEFAULT)
                .withSources(new PropertiesConfigSource(env, "env", 300))
                .withSources(new TracingSwitch())
                .build();
        return config.getOptionalValue(TracingSwitch.DISABLED, Boolean.class);
    }

    @Test
    void withoutAnEndpointTracingIsOff() {
        assertThat(disabled(Map.of())).contains(true);
        assertThat(disabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "  "))).contains(true);
    }

    @Test
    void anEndpointTurnsItOn() {
        assertThat(disabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317"))).isEmpty();
        assertThat(disabled(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces"))).isEmpty();
    }

    @Test
    void anExplicitSettingWins() {
        assertThat(disabled(Map.of(TracingSwitch.DISABLED, "false"))).contains(false);
        assertThat(disabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317", TracingSwitch.DISABLED, "true")))
                .contains(true);
    }
}
