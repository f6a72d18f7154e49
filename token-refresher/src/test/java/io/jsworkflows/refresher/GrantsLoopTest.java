package io.jsworkflows.refresher;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.refresher.support.Fixture;
import io.jsworkflows.refresher.support.Grants;
import io.jsworkflows.refresher.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Grant records a well-behaved writer would not produce are skipped; the partition owner goes on. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class GrantsLoopTest {

    Fixture fx;
    final List<String> ids = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new Fixture();
    }

    @AfterEach
    void cleanUp() {
        ids.forEach(fx.grants::delete);
        fx.grants.flush();
        fx.close();
    }

    @Test
    void aGrantWithoutStatusIsSkippedAndLaterGrantsAreStillServed() throws Exception {
        HubSpotEmulator.Tokens issued = fx.emulator.issueTokens(HubSpotEmulator.PORTAL_ID, Grants.SCOPES);
        String first = Grants.newConnectionId();
        ids.add(first);
        fx.grants.publish(fx.grants.grant(first, 1, issued.refreshToken(), issued.accessToken(), Instant.now().plusSeconds(3600)));
        fx.grants.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.latest(first) != null);

        // the same connection again, from a writer that left the status out
        GrantState next = fx.grants.grant(first, 2, issued.refreshToken(), issued.accessToken(), Instant.now().plusSeconds(3600));
        ObjectNode json = (ObjectNode) ContractsJson.mapper().readTree(ContractsJson.write(next));
        json.remove("status");
        fx.grants.publishRaw(first, json.toString());

        HubSpotEmulator.Tokens other = fx.emulator.issueTokens(HubSpotEmulator.PORTAL_ID, Grants.SCOPES);
        String second = Grants.newConnectionId();
        ids.add(second);
        fx.grants.publish(fx.grants.grant(second, 1, other.refreshToken(), other.accessToken(), Instant.now().plusSeconds(3600)));
        fx.grants.flush();

        await().atMost(Duration.ofSeconds(30)).until(() -> fx.latest(second) != null
                || given().get("/q/health/ready").statusCode() != 200);
        int ready = given().get("/q/health/ready").statusCode();
        int live = given().get("/q/health/live").statusCode();
        assertThat(fx.latest(second)).as("a later grant is served (readiness %d, liveness %d)", ready, live).isNotNull();
        assertThat(fx.latest(second).status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(fx.latest(first).grantVersion()).as("the grant without status changed nothing").isEqualTo(1);
        assertThat(ready).isEqualTo(200);
        assertThat(live).isEqualTo(200);
    }
}
