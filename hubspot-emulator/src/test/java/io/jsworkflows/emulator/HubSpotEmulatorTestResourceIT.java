package io.jsworkflows.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;

/**
 * The test resource other modules use, against the jar this build just packaged (failsafe runs after package):
 * one child process, the properties it hands to Quarkus, init args applied and reset between app starts.
 */
class HubSpotEmulatorTestResourceIT {

    static final String REDIRECT = "http://localhost:8081/oauth/hubspot/callback";

    @Test
    void startsThePackagedEmulatorOnceAndAppliesInitArgs() throws Exception {
        HubSpotEmulatorTestResource first = new HubSpotEmulatorTestResource();
        first.init(Map.of("access-token-lifetime", "PT2S", "auto-approve", "true"));
        Map<String, String> props = first.start();
        String base = props.get("jsw.hubspot.api-url");
        assertThat(base).matches("http://localhost:\\d+");
        assertThat(props).containsEntry("jsw.hubspot.authorize-url", base + "/oauth/authorize")
                .containsEntry("jsw.hubspot.client-id", "jsw-local-client")
                .containsEntry("jsw.hubspot.client-secret", "jsw-local-secret");
        assertThat(ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar")))
                .hasSize(1);

        HubSpotEmulator emulator = HubSpotEmulator.shared();
        assertThat(emulator.baseUrl()).isEqualTo(base);
        String authorize = base + "/oauth/authorize?client_id=jsw-local-client&scope=crm.objects.contacts.write&state=s&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
        // auto-approve: the Location comes straight from GET /oauth/authorize
        String location = emulator.grantConsent(authorize);
        var tokens = emulator.exchangeCode(HubSpotEmulator.queryParam(location, "code"), REDIRECT);
        assertThat(tokens.expiresIn()).isEqualTo(2);
        assertThat(tokens.hubId()).isEqualTo(HubSpotEmulator.PORTAL_ID);

        HttpClient http = HttpClient.newHttpClient();
        HttpRequest create = HttpRequest.newBuilder(URI.create(base + "/crm/v3/objects/contacts"))
                .header("Authorization", "Bearer " + tokens.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"properties\":{\"email\":\"it@example.com\"}}")).build();
        assertThat(http.send(create, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
        assertThat(emulator.searchObjects("contacts", "email", "it@example.com")).hasSize(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.send(create, HttpResponse.BodyHandlers.ofString()).statusCode() == 401);

        // a second app start (another test profile) shares the process; settings go back to defaults first
        HubSpotEmulatorTestResource second = new HubSpotEmulatorTestResource();
        second.init(Map.of("rate-limit-max", "7"));
        assertThat(second.start()).containsEntry("jsw.hubspot.api-url", base);
        assertThat(emulator.config().path("autoApprove").asBoolean()).isFalse();
        assertThat(emulator.config().path("accessTokenLifetimeSeconds").asDouble()).isEqualTo(1800.0);
        assertThat(emulator.config().path("rateLimitMax").asInt()).isEqualTo(7);
        assertThat(emulator.denyConsent(authorize)).contains("error=access_denied");
        assertThat(emulator.issueTokens(HubSpotEmulator.SECOND_PORTAL_ID, List.of()).hubId()).isEqualTo(HubSpotEmulator.SECOND_PORTAL_ID);
        assertThat(ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar")))
                .hasSize(1);
    }
}
