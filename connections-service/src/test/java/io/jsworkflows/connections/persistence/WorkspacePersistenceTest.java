package io.jsworkflows.connections.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Flyway and Panache against the real PostgreSQL that test-support starts. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class WorkspacePersistenceTest {

    @Inject
    Flyway flyway;

    @Inject
    EntityManager em;

    @Test
    void migrationsRanOnPostgres() {
        assertThat(flyway.info().applied()).extracting(i -> i.getVersion().getVersion()).contains("1");
        String version = QuarkusTransaction.requiringNew()
                .call(() -> (String) em.createNativeQuery("select version()").getSingleResult());
        assertThat(version).startsWith("PostgreSQL");
    }

    @Test
    void workspaceRoundTrips() {
        String id = "ws-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> Workspace.create(id, "Acme"));
        Workspace read = QuarkusTransaction.requiringNew().call(() -> Workspace.findById(id));
        assertThat(read).isNotNull();
        assertThat(read.name).isEqualTo("Acme");
        assertThat(read.createdAt).isNotNull();
    }
}
