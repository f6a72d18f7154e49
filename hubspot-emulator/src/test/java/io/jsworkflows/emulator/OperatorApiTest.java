package io.jsworkflows.emulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulator.Fault;
import io.quarkus.test.junit.QuarkusTest;

/** The operator API: counters, faults, inspection, revocation, reset. */
@QuarkusTest
class OperatorApiTest extends EmulatorTestBase {

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> refreshWithJdkClient(String refreshToken) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth/v1/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=jsw-local-client"
                        + "&client_secret=jsw-local-secret&refresh_token=" + refreshToken))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void countsRequestsPerMethodPathAndStatus() {
        String t = token();
        createId(t, "contacts", Map.of("email", "c1@example.com"));
        create(t, "contacts", Map.of("email", "c1@example.com")).statusCode(409);
        as(t).get("/crm/v3/objects/contacts").then().statusCode(200);
        assertThat(emulator.requestCount("POST", "/crm/v3/objects/contacts")).isEqualTo(2);
        assertThat(emulator.requestCount("POST", "/crm/v3/objects/contacts", 409)).isEqualTo(1);
        assertThat(emulator.requestCount("GET", "/crm/")).isEqualTo(1);
        assertThat(emulator.requestCount(null, "/crm/v3/objects")).isEqualTo(3);
        // the operator API itself is not counted
        assertThat(emulator.requestCount(null, "/_emulator")).isZero();
        given().get("/_emulator/requests").then().statusCode(200).body("find { it.status == 409 }.count", equalTo(1));
        emulator.clearRequestCounts();
        assertThat(emulator.requestCount(null, "/")).isZero();
    }

    @Test
    void errorFaultsForTheNextRequestsOnly() throws Exception {
        var tokens = emulator.issueTokens(PORTAL, List.of());
        emulator.injectFault(Fault.on("/oauth/v1/token").method("POST").status(503).times(2));
        assertThat(refreshWithJdkClient(tokens.refreshToken()).statusCode()).isEqualTo(503);
        assertThat(refreshWithJdkClient(tokens.refreshToken()).statusCode()).isEqualTo(503);
        assertThat(refreshWithJdkClient(tokens.refreshToken()).statusCode()).isEqualTo(200);
        assertThat(emulator.requestCount("POST", "/oauth/v1/token", 503)).isEqualTo(2);

        emulator.injectFault(Fault.on("/crm/v3/objects/*").status(429));
        String t = token();
        as(t).get("/crm/v3/objects/contacts").then().statusCode(429).body("policyName", equalTo("TEN_SECONDLY_ROLLING"));
        emulator.clearFaults();
        as(t).get("/crm/v3/objects/contacts").then().statusCode(200);

        emulator.injectFault(Fault.on("/crm/*").status(500).errorRate(0.0));
        as(t).get("/crm/v3/objects/contacts").then().statusCode(200);
    }

    @Test
    void latencyFaultDelaysButStillAnswers() {
        String t = token();
        emulator.injectFault(Fault.on("/crm/v3/objects/contacts").method("POST").latency(Duration.ofMillis(400)));
        long t0 = System.nanoTime();
        create(t, "contacts", Map.of("email", "slow@example.com")).statusCode(201);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(emulator.searchObjects("contacts", "email", "slow@example.com")).hasSize(1);
    }

    @Test
    void connectionResetFault() {
        emulator.injectFault(Fault.on("/oauth/v1/token").reset(1.0).times(1));
        var tokens = emulator.issueTokens(PORTAL, List.of());
        assertThatThrownBy(() -> refreshWithJdkClient(tokens.refreshToken())).isInstanceOf(IOException.class);
        assertThat(emulator.requestCount("POST", "/oauth/v1/token", 0)).isEqualTo(1);
    }

    @Test
    void slowBodyFaultSendsTheRealResponseSlowly() throws Exception {
        String t = token();
        emulator.injectFault(Fault.on("/crm/v3/objects/contacts").method("POST").slowBody(500));
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/crm/v3/objects/contacts"))
                .header("Authorization", "Bearer " + t).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"properties\":{\"email\":\"dribble@example.com\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).contains("dribble@example.com");
        // ~350 bytes at 500 B/s
        assertThat(took).isGreaterThan(Duration.ofMillis(400));
        assertThat(r.headers().firstValue("X-HubSpot-RateLimit-Max")).isPresent();
        // the request was executed once
        assertThat(emulator.searchObjects("contacts", "email", "dribble@example.com")).hasSize(1);
        assertThat(emulator.requestCount("POST", "/crm/v3/objects/contacts")).isEqualTo(1);
    }

    @Test
    void faultRulesAreValidatedAndListed() {
        given().contentType("application/json").body(Map.of("path", "/x", "errorStatus", 418)).post("/_emulator/faults")
                .then().statusCode(400).contentType(containsString("application/problem+json"))
                .body("status", equalTo(400), "title", equalTo("Bad Request"), "detail", containsString("errorStatus"));
        given().contentType("application/json").body(Map.of("errorStatus", 500)).post("/_emulator/faults")
                .then().statusCode(400).body("detail", containsString("'path' is required"));
        String id = emulator.injectFault(Fault.on("/crm/*").latency(Duration.ofMillis(1)));
        given().get("/_emulator/faults").then().body("$", hasSize(1), "[0].id", equalTo(id));
        emulator.removeFault(id);
        given().get("/_emulator/faults").then().body("$", hasSize(0));
        given().contentType("application/json").body("{").patch("/_emulator/config").then().statusCode(400)
                .contentType(containsString("application/problem+json"));
        given().contentType("application/json").body(Map.of("accessTokenLifetimeSeconds", "soon")).patch("/_emulator/config")
                .then().statusCode(400).body("detail", containsString("ISO-8601"));
    }

    @Test
    void revokeByTokenAndByPortal() {
        var a = emulator.issueTokens(PORTAL, List.of());
        var b = emulator.issueTokens(OTHER_PORTAL, List.of());
        var c = emulator.issueTokens(OTHER_PORTAL, List.of());
        emulator.revokeRefreshToken(a.refreshToken());
        given().get("/oauth/v1/refresh-tokens/" + a.refreshToken()).then().statusCode(404);
        assertThat(emulator.revokeRefreshTokens(OTHER_PORTAL)).isEqualTo(2);
        given().get("/oauth/v1/refresh-tokens/" + b.refreshToken()).then().statusCode(404);
        given().get("/oauth/v1/refresh-tokens/" + c.refreshToken()).then().statusCode(404);
        assertThatThrownBy(() -> emulator.revokeRefreshToken(a.refreshToken())).hasMessageContaining("404");
    }

    @Test
    void inspectAndReset() {
        String t = token();
        String id = createId(t, "deals", Map.of("dealname", "Inspect me"));
        var found = emulator.getObject("deals", id);
        assertThat(found.path("portalId").asLong()).isEqualTo(PORTAL);
        assertThat(found.path("object").path("properties").path("dealname").asText()).isEqualTo("Inspect me");
        assertThat(emulator.listObjects("deals", PORTAL)).hasSize(1);
        assertThat(emulator.listObjects("deals", OTHER_PORTAL)).isEmpty();
        given().get("/_emulator/state").then().statusCode(200)
                .body("portals.find { it.hubId == 12345678 }.objects.deals", equalTo(1), "accessTokens", equalTo(1));
        emulator.setRateLimit(1, Duration.ofSeconds(10));
        emulator.reset();
        assertThat(emulator.getObject("deals", id)).isNull();
        assertThat(emulator.config().path("rateLimitMax").asInt()).isEqualTo(110);
        as(t).get("/crm/v3/objects/deals").then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void portalsAndHealth() {
        given().contentType("application/json").body(Map.of("hubId", 555)).post("/_emulator/portals").then().statusCode(201);
        String t = emulator.issueTokens(555, List.of("crm.objects.contacts.write")).accessToken();
        create(t, "contacts", Map.of("email", "p@555.com")).statusCode(201);
        assertThat(emulator.searchObjects("contacts", "email", "p@555.com").get(0).path("portalId").asLong()).isEqualTo(555);
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        assertThat(HubSpotEmulator.queryParam("http://x/cb?code=a%20b&state=s", "code")).isEqualTo("a b");
    }
    /** Every operator route answers from its own resource, with problem+json for what it cannot find or read. */
    @Test
    void everyOperatorRouteAnswersWithProblemJsonErrors() {
        String t = token();
        String company = createId(t, "companies", Map.of("name", "Acme"));
        String contact = as(t).body(Map.of("properties", Map.of("email", "a@example.com"), "associations",
                List.of(Map.of("to", Map.of("id", company), "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED",
                        "associationTypeId", 279))))))
                .post("/crm/v3/objects/contacts").then().statusCode(201).extract().path("id");
        given().get("/_emulator/objects/contacts/" + contact + "/associations/companies").then().statusCode(200)
                .body("results[0].toObjectId", equalTo(company));
        given().get("/_emulator/objects/contacts/abc").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("'abc'"));
        given().get("/_emulator/objects/widgets").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("Unknown object type 'widgets'"));
        given().delete("/_emulator/refresh-tokens/never-issued").then().statusCode(404)
                .contentType("application/problem+json");
        given().delete("/_emulator/faults/nope").then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("No fault rule with id nope."));
        given().get("/_emulator/requests/count").then().statusCode(200).body("count", equalTo(2));
        given().contentType("application/json").body(Map.of("retryAfter", true)).put("/_emulator/config").then()
                .statusCode(200).body("retryAfter", equalTo(true));
        given().post("/_emulator/config/reset").then().statusCode(200).body("retryAfter", equalTo(false));
    }
}
