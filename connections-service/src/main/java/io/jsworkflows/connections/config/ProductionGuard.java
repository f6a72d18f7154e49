package io.jsworkflows.connections.config;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

/**
 * Refuses to start a production instance on settings that are only safe locally: without a public URL the
 * redirect_uri and the connect links would be built from each request's Host header (which a client chooses), and
 * without a database password the login would be whatever the database lets in. Both settings are optional properties,
 * so the config mapping alone cannot insist on them.
 */
@Startup
@ApplicationScoped
public class ProductionGuard {

    public ProductionGuard(ConnectionsConfig config, @ConfigProperty(name = "quarkus.datasource.password") Optional<String> dbPassword) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            check(config.connections().publicUrl(), dbPassword);
        }
    }

    static void check(Optional<String> publicUrl, Optional<String> dbPassword) {
        if (publicUrl.filter(u -> !u.isBlank()).isEmpty()) {
            throw new IllegalStateException("jsw.connections.public-url (JSW_CONNECTIONS_PUBLIC_URL) is not set: in production "
                    + "the service needs its external base URL, e.g. https://connections.example.com, to build redirect_uri and the connect links.");
        }
        if (dbPassword.filter(p -> !p.isBlank()).isEmpty()) {
            throw new IllegalStateException("The database password (JSW_DB_PASSWORD) is not set: production has no default.");
        }
    }
}
