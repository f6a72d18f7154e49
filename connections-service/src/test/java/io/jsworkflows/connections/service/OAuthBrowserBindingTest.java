package io.jsworkflows.connections.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The OAuth callback completes a connection only in the browser that started the flow: signed in to the workspace
 * and carrying the one-time cookie the connect page set. A redirect URL that leaks (or that an attacker sends a
 * victim) completes nothing.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class OAuthBrowserBindingTest {

    final HubSpotEmulator hubspot = HubSpotEmulator.shared();

    @Test
    void aCallbackWithoutTheInitiatorsCookieIsRefusedAndTheConnectionStaysPending() {
        Api.Ws owner = Api.newWorkspace();
        Api.Ws other = Api.newWorkspace();
        String link = owner.as().contentType(ContentType.JSON).body(Api.connectBody("bound", "contacts:read"))
                .post("/api/v1/connections").then().statusCode(201).extract().path("authorizeUrl");
        Api.Flow flow = Api.begin(owner, link);
        String location = hubspot.grantConsent(flow.hubspotUrl());
        long exchanges = hubspot.requestCount("POST", "/oauth/v1/token");

        // anonymous: no session, no cookie (the redirect URL alone, e.g. leaked or sent to a victim)
        given().accept(ContentType.JSON).get(location).then().statusCode(400).contentType("application/problem+json");
        given().accept("text/html").get(location).then().statusCode(400);
        // signed in to the workspace, but another browser (no cookie)
        owner.as().get(location).then().statusCode(400);
        // the cookie, but signed in to another workspace
        if (flow.cookie() != null) {
            other.as().header("Cookie", flow.cookie()).get(location).then().statusCode(400);
            // the cookie without any sign-in
            given().accept(ContentType.JSON).header("Cookie", flow.cookie()).get(location).then().statusCode(400);
        }
        assertThat(hubspot.requestCount("POST", "/oauth/v1/token")).isEqualTo(exchanges);
        owner.as().get("/api/v1/connections/bound").then().body("status", equalTo("PENDING")).body("grantVersion", equalTo(0));

        // the browser that started it completes it
        Api.asInitiator(owner, flow).get(location).then().statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void theApiHandsBackThePlatformsConnectPageNotHubSpotsUrl() {
        Api.Ws ws = Api.newWorkspace();
        String link = ws.as().contentType(ContentType.JSON).body(Api.connectBody("page", "contacts:read"))
                .post("/api/v1/connections").then().statusCode(201).extract().path("authorizeUrl");
        assertThat(link).matches("http://localhost:\\d+/ui/connect/[A-Za-z0-9_-]{43}");
        // opened without a sign-in: the page asks for the workspace's key first, then comes back; it sets nothing
        var anonymous = given().redirects().follow(false).accept("text/html").get(link).then().statusCode(303).extract();
        assertThat(anonymous.header("Set-Cookie")).isNull();
        String login = anonymous.header("Location");
        assertThat(login).contains("/ui?next=");
        assertThat(given().urlEncodingEnabled(false).accept("text/html").get(login).then().statusCode(200).extract().asString())
                .contains("name=\"apiKey\"").contains("name=\"next\" value=\"" + java.net.URI.create(link).getPath() + "\"");
        // another workspace cannot start it
        given().redirects().follow(false).header("Authorization", "Bearer " + Api.newWorkspace().apiKey()).accept("text/html")
                .get(link).then().statusCode(404);
        Api.Flow flow = Api.begin(ws, link);
        assertThat(flow.hubspotUrl()).startsWith(hubspot.baseUrl() + "/oauth/authorize?");
        assertThat(flow.cookie()).startsWith("jsw_oauth_");
    }
}
