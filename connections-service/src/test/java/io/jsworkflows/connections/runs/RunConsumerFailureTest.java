package io.jsworkflows.connections.runs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.connections.support.RunRecords;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A run event the database refuses is not dropped: the consumer retries it while readiness names its channel, and the
 * event lands once the database takes it.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class RunConsumerFailureTest {

    @Inject
    EntityManager em;

    /** A trigger that refuses every event row of the runs listed in broken_run: a database that refuses them. */
    @BeforeEach
    void installFault() {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("create table if not exists broken_run (id varchar(64) primary key)").executeUpdate();
            em.createNativeQuery("create or replace function broken_run_insert() returns trigger language plpgsql as $$ "
                    + "begin if exists (select 1 from broken_run where id = new.run_id) then raise exception 'injected failure'; "
                    + "end if; return new; end $$").executeUpdate();
            em.createNativeQuery("drop trigger if exists broken_run_insert on run_event").executeUpdate();
            em.createNativeQuery("create trigger broken_run_insert before insert on run_event for each row "
                    + "execute function broken_run_insert()").executeUpdate();
        });
    }

    @AfterEach
    void heal() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from broken_run").executeUpdate());
    }

    @Test
    void aRunEventTheDatabaseRefusesIsRetriedWhileReadinessSaysSoThenLands() {
        Api.Ws ws = Api.newWorkspace();
        String runId = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into broken_run values (?1)").setParameter(1, runId)
                .executeUpdate());
        RunRecords.publish(RunRecords.event(ws.id(), "wf", runId, RunEvent.Type.FAILED, 1, 3L, "e", List.of(), List.of(), Instant.now()));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'connection-state-consumers' }.data.'run-events'", notNullValue()));
        ws.as().get("/api/v1/runs/" + runId).then().statusCode(404);

        heal();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> ws.as().get("/api/v1/runs/" + runId).then().statusCode(200)
                .body("run.status", equalTo("FAILED")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }
}
