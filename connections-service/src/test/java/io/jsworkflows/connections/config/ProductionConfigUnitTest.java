package io.jsworkflows.connections.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * In production the service does not fall back to guessable or request-derived values: without a public URL (else
 * redirect_uri and links would come from the request's Host header) or a database password it refuses to start.
 */
class ProductionConfigUnitTest {

    private static SmallRyeConfig config(String profile) throws IOException {
        URL props = ProductionConfigUnitTest.class.getClassLoader().getResource("application.properties");
        // the file alone, no environment: what an operator who set nothing would get
        return new SmallRyeConfigBuilder().withProfile(profile).withSources(new PropertiesConfigSource(props, 250)).build();
    }

    @Test
    void prodHasNoDefaultDatabasePassword() throws IOException {
        assertThat(config("prod").getOptionalValue("quarkus.datasource.password", String.class)).isEmpty();
    }

    @Test
    void prodRefusesToStartWithoutAPublicUrlOrADatabasePassword() {
        assertThatThrownBy(() -> ProductionGuard.check(Optional.empty(), Optional.of("s3cret"))).hasMessageContaining("JSW_CONNECTIONS_PUBLIC_URL");
        assertThatThrownBy(() -> ProductionGuard.check(Optional.of(" "), Optional.of("s3cret"))).hasMessageContaining("JSW_CONNECTIONS_PUBLIC_URL");
        assertThatThrownBy(() -> ProductionGuard.check(Optional.of("https://c.example.com"), Optional.empty()))
                .hasMessageContaining("JSW_DB_PASSWORD");
        assertThatCode(() -> ProductionGuard.check(Optional.of("https://c.example.com"), Optional.of("s3cret"))).doesNotThrowAnyException();
    }

    @Test
    void devAndTestKeepTheirLocalDefaults() throws IOException {
        SmallRyeConfig dev = config("dev");
        assertThat(dev.getValue("quarkus.datasource.password", String.class)).isEqualTo("jsw");
        assertThat(dev.getOptionalValue("jsw.connections.public-url", String.class)).isEmpty();
    }
}
