package io.jsworkflows.contracts.tracing;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Tracing is off unless an OTLP endpoint is configured. Quarkus' own default endpoint is {@code http://localhost:4317},
 * so without this switch every span batch of a process with no collector beside it fails to export and says so in the
 * log. Hand-written because the switch depends on another property's value, which a properties file cannot express:
 * a config source factory sees the other sources, and its {@code quarkus.otel.sdk.disabled=true} sits below every
 * real source (ordinal 50), so an explicit setting still wins. Shared by every traced service; each registers it in
 * its own {@code META-INF/services/io.smallrye.config.ConfigSourceFactory} (a service without the OpenTelemetry
 * extension must not see the key).
 */
public class TracingSwitch implements ConfigSourceFactory {

    public static final String DISABLED = "quarkus.otel.sdk.disabled";
    public static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint");
    /** The extension's default: configured by nobody, so it does not count as an endpoint. */
    public static final String QUARKUS_DEFAULT = "http://localhost:4317/";
    static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean endpoint = ENDPOINTS.stream().map(context::getValue).map(ConfigValue::getValue)
                .anyMatch(v -> v != null && !v.isBlank() && !QUARKUS_DEFAULT.equals(v.trim()));
        return endpoint ? List.of()
                : List.of(new PropertiesConfigSource(Map.of(DISABLED, "true"), "jsw tracing switch (no OTLP endpoint)", ORDINAL));
    }
}
