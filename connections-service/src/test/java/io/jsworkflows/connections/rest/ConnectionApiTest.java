package io.jsworkflows.connections.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Catalog, create with every validation, list/get, reconnect and delete of unknown handles: the API without HubSpot. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class ConnectionApiTest {

    @ConfigProperty(name = "jsw.hubspot.authorize-url")
    String authorizeUrl;

    @ConfigProperty(name = "jsw.hubspot.client-id")
    String clientId;

    @Test
    void catalogListsResourcesOperationsAndScopes() {
        Api.Ws ws = Api.newWorkspace();
        ws.as().get("/api/v1/providers/hubspot/resources").then().statusCode(200)
                .body("provider", equalTo("hubspot"))
                .body("alwaysRequestedScopes", equalTo(List.of("oauth")))
                .body("resources.resource", hasItems("contacts", "companies", "deals", "marketing-email", "files", "tickets", "automation"))
                .body("resources.find { it.resource == 'deals' }.operations.find { it.operation == 'create' }.scopes",
                        equalTo(List.of("crm.objects.deals.read", "crm.objects.deals.write")))
                .body("handleRule", containsString("lowercase"));
        given().get("/api/v1/providers/hubspot/resources").then().statusCode(401);
    }

    @Test
    void createReturnsPendingConnectionAndAuthorizeUrl() {
        Api.Ws ws = Api.newWorkspace();
        var r = ws.as().contentType(ContentType.JSON)
                .body(Api.connectBody("my-hubspot", "contacts:read", "deals:create", "contacts:update"))
                .post("/api/v1/connections").then().statusCode(201).extract().jsonPath();
        assertThat(r.getString("status")).isEqualTo("PENDING");
        assertThat(r.getString("handle")).isEqualTo("my-hubspot");
        assertThat(r.getList("scopes", String.class)).containsExactly("crm.objects.contacts.read", "crm.objects.contacts.write",
                "crm.objects.deals.read", "crm.objects.deals.write", "oauth");
        // the API hands back the platform's connect page; opened by the workspace it redirects to HubSpot
        assertThat(r.getString("authorizeUrl")).matches("http://localhost:\\d+/ui/connect/[A-Za-z0-9_-]{43}");
        String url = Api.begin(ws, r.getString("authorizeUrl")).hubspotUrl();
        assertThat(url).startsWith(authorizeUrl + "?");
        assertThat(Api.query(url, "client_id")).isEqualTo(clientId);
        assertThat(Api.query(url, "scope"))
                .isEqualTo("crm.objects.contacts.read crm.objects.contacts.write crm.objects.deals.read crm.objects.deals.write oauth");
        assertThat(url).contains("scope=crm.objects.contacts.read%20crm");
        assertThat(Api.query(url, "redirect_uri")).matches("http://localhost:\\d+/oauth/hubspot/callback");
        assertThat(Api.query(url, "state")).hasSize(43);

        ws.as().get("/api/v1/connections/my-hubspot").then().statusCode(200)
                .body("id", equalTo(r.getString("id"))).body("status", equalTo("PENDING"))
                .body("resources.resource", hasItems("contacts", "deals"))
                .body(not(containsString("sealed"))).body(not(containsString("Token")));
        ws.as().get("/api/v1/connections").then().statusCode(200).body("connections.handle", equalTo(List.of("my-hubspot")));

        // the CREATED transition is published through the outbox, with CloudEvents headers
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            var recs = TopicRecords.forKey(Topics.CONNECTION_EVENTS, r.getString("id"));
            assertThat(recs).hasSize(1);
            ConnectionEvent e = ContractsJson.read(recs.get(0).value(), ConnectionEvent.class);
            assertThat(e.type()).isEqualTo(ConnectionEvent.Type.CREATED);
            assertThat(e.handle()).isEqualTo("my-hubspot");
            assertThat(e.workspaceId()).isEqualTo(ws.id());
            assertThat(TopicRecords.header(recs.get(0), "ce_type")).isEqualTo(CloudEventTypes.CONNECTION_EVENT);
            assertThat(TopicRecords.header(recs.get(0), "ce_specversion")).isEqualTo("1.0");
            assertThat(TopicRecords.header(recs.get(0), "ce_source")).isEqualTo(CloudEventTypes.SOURCE_CONNECTIONS);
            assertThat(TopicRecords.header(recs.get(0), "ce_id")).isNotBlank();
            assertThat(TopicRecords.header(recs.get(0), "ce_time")).isNotBlank();
            assertThat(TopicRecords.header(recs.get(0), "content-type")).isEqualTo("application/json");
        });
    }

    @Test
    void handleViolatingTheRuleIsRefusedWithTheRule() {
        Api.Ws ws = Api.newWorkspace();
        for (String bad : List.of("My-HubSpot", "-lead", "trail-", "dou--ble", "with space", "x".repeat(65), "")) {
            ws.as().contentType(ContentType.JSON).body(Api.connectBody(bad, "contacts:read")).post("/api/v1/connections")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://jsworkflows.io/problems/invalid-handle"))
                    .body("detail", containsString("lowercase letters"));
        }
        ws.as().contentType(ContentType.JSON).body(Map.of("resources", List.of(Map.of("resource", "contacts", "operation", "read"))))
                .post("/api/v1/connections").then().statusCode(400).body("detail", containsString("The handle is missing"));
        ws.as().get("/api/v1/connections").then().body("connections", equalTo(List.of()));
    }

    @Test
    void duplicateHandleIsAConflictButOtherWorkspacesMayUseIt() {
        Api.Ws ws = Api.newWorkspace();
        ws.as().contentType(ContentType.JSON).body(Api.connectBody("crm", "contacts:read")).post("/api/v1/connections")
                .then().statusCode(201);
        ws.as().contentType(ContentType.JSON).body(Api.connectBody("crm", "deals:read")).post("/api/v1/connections")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("already has a connection with handle 'crm'"))
                .body("detail", containsString("/reconnect"));
        Api.newWorkspace().as().contentType(ContentType.JSON).body(Api.connectBody("crm", "deals:read"))
                .post("/api/v1/connections").then().statusCode(201);
    }

    @Test
    void unknownResourceOperationAndEmptySelectionAreRefused() {
        Api.Ws ws = Api.newWorkspace();
        ws.as().contentType(ContentType.JSON).body(Api.connectBody("a", "invoices:read")).post("/api/v1/connections")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("Unknown resource 'invoices'")).body("detail", containsString("contacts"));
        ws.as().contentType(ContentType.JSON).body(Api.connectBody("a", "contacts:merge")).post("/api/v1/connections")
                .then().statusCode(400).body("detail", containsString("Unknown operation 'merge' for resource 'contacts'"))
                .body("detail", containsString("read, create, update, delete"));
        ws.as().contentType(ContentType.JSON).body(Map.of("handle", "a", "resources", List.of())).post("/api/v1/connections")
                .then().statusCode(400).body("type", equalTo("https://jsworkflows.io/problems/empty-selection"))
                .body("detail", containsString("Select at least one"));
        ws.as().contentType(ContentType.JSON).body(Map.of("handle", "a")).post("/api/v1/connections")
                .then().statusCode(400).body("type", equalTo("https://jsworkflows.io/problems/empty-selection"));
        ws.as().contentType(ContentType.JSON).body("{\"handle\": \"a\", ").post("/api/v1/connections")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("not valid JSON"));
        ws.as().contentType(ContentType.JSON).body("{\"handle\":\"a\",\"resources\":\"contacts\"}").post("/api/v1/connections")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("expected shape"));
        ws.as().contentType(ContentType.TEXT).body("handle=a").post("/api/v1/connections")
                .then().statusCode(415).contentType("application/problem+json").body("detail", containsString("application/json"));
        ws.as().get("/api/v1/connections").then().body("connections", equalTo(List.of()));
    }

    @Test
    void anotherWorkspacesHandleIsIndistinguishableFromAMissingOne() {
        Api.Ws owner = Api.newWorkspace();
        Api.Ws other = Api.newWorkspace();
        owner.as().contentType(ContentType.JSON).body(Api.connectBody("secret-crm", "contacts:read")).post("/api/v1/connections")
                .then().statusCode(201);
        String existing = other.as().get("/api/v1/connections/secret-crm").then().statusCode(404)
                .contentType("application/problem+json").extract().body().asString();
        String missing = other.as().get("/api/v1/connections/secret-crn").then().statusCode(404).extract().body().asString();
        assertThat(existing).isEqualTo(missing.replace("secret-crn", "secret-crm"));
        other.as().post("/api/v1/connections/secret-crm/reconnect").then().statusCode(404);
        other.as().delete("/api/v1/connections/secret-crm").then().statusCode(404);
        other.as().get("/api/v1/connections").then().body("connections", equalTo(List.of()));
        owner.as().get("/api/v1/connections/secret-crm").then().statusCode(200).body("status", equalTo("PENDING"));
    }

    @Test
    void reconnectKeepsIdAndHandleAndMayChangeTheSelection() {
        Api.Ws ws = Api.newWorkspace();
        String id = ws.as().contentType(ContentType.JSON).body(Api.connectBody("re", "contacts:read")).post("/api/v1/connections")
                .then().statusCode(201).extract().path("id");
        var r = ws.as().contentType(ContentType.JSON).body(Map.of("resources", List.of(Map.of("resource", "tickets", "operation", "read"))))
                .post("/api/v1/connections/re/reconnect").then().statusCode(200).extract().jsonPath();
        assertThat(r.getString("id")).isEqualTo(id);
        assertThat(r.getString("handle")).isEqualTo("re");
        assertThat(Api.query(Api.begin(ws, r.getString("authorizeUrl")).hubspotUrl(), "scope")).isEqualTo("oauth tickets");
        var same = ws.as().post("/api/v1/connections/re/reconnect").then().statusCode(200).extract().jsonPath();
        assertThat(same.getList("scopes", String.class)).containsExactly("crm.objects.contacts.read", "oauth");
    }

    @Test
    void unknownEndpointsAnswerProblems() {
        Api.Ws ws = Api.newWorkspace();
        ws.as().get("/api/v1/nope").then().statusCode(404).contentType("application/problem+json");
    }
}
