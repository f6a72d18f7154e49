package io.jsworkflows.connections.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.config.Ciphers;
import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.SourceKind;
import io.jsworkflows.contracts.events.SourceState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Trigger sources: validation, the write-only sealed secret, one store per workspace, tenancy, and jsw.sources. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class SourceApiTest {

    @Inject
    Ciphers ciphers;

    @Inject
    EntityManager em;

    static String shop() {
        return "store-" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com";
    }

    static String secret() {
        return "shpss_" + UUID.randomUUID().toString().replace("-", "");
    }

    static Map<String, String> body(String shop, String secret) {
        return Map.of("kind", "shopify", "shopDomain", shop, "webhookSecret", secret);
    }

    @Test
    void createdSourceHasAnIngressUrlAndTopicsAndTheSecretIsSealedOnTheTopicAndTombstonedOnDelete() throws Exception {
        Api.Ws ws = Api.newWorkspace();
        String shop = shop();
        String secret = secret();
        // a domain in capitals is the same shop, stored lower case
        String created = ws.as().contentType(ContentType.JSON).body(body(shop.toUpperCase(), secret)).post("/api/v1/sources")
                .then().statusCode(201)
                .body("id", matchesPattern("src_[A-Za-z0-9_-]{43}"))
                .body("kind", equalTo("shopify"))
                .body("shopDomain", equalTo(shop))
                .body("topics", equalTo(Topics.SHOPIFY_SOURCE_TOPICS))
                .body("topics", hasItem("shopify.orders"))
                .body("createdAt", not(equalTo(null)))
                .extract().asString();
        assertThat(created).doesNotContain(secret).doesNotContainIgnoringCase("secret");
        String id = io.restassured.path.json.JsonPath.from(created).getString("id");
        assertThat(io.restassured.path.json.JsonPath.from(created).getString("ingressUrl"))
                .isEqualTo("http://localhost:8084/webhooks/shopify/" + id);

        ws.as().get("/api/v1/sources/" + id).then().statusCode(200).body("shopDomain", equalTo(shop))
                .body("ingressUrl", equalTo("http://localhost:8084/webhooks/shopify/" + id))
                .body(not(containsString(secret)));
        ws.as().get("/api/v1/sources").then().statusCode(200).body("sources.id", equalTo(List.of(id)))
                .body(not(containsString(secret)));

        // the row holds the secret sealed with the source ring for this id only
        String row = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select row_to_json(s)::text from trigger_source s where id = ?1").setParameter(1, id).getSingleResult());
        assertThat(row).doesNotContain(secret).contains("\"workspace_id\":\"" + ws.id() + "\"");

        // SourceState on the compacted topic: keyed by source id, CloudEvents headers, the workspace, the secret sealed
        ConsumerRecord<String, String> rec = await().atMost(Duration.ofSeconds(60))
                .until(() -> TopicRecords.forKey(Topics.SOURCES, id), l -> !l.isEmpty()).get(0);
        assertThat(TopicRecords.header(rec, "ce_type")).isEqualTo(CloudEventTypes.SOURCE_STATE);
        assertThat(TopicRecords.header(rec, "ce_source")).isEqualTo(CloudEventTypes.SOURCE_CONNECTIONS);
        assertThat(TopicRecords.header(rec, "ce_subject")).isEqualTo(id);
        assertThat(TopicRecords.header(rec, "ce_specversion")).isEqualTo("1.0");
        assertThat(TopicRecords.header(rec, "ce_id")).isNotBlank();
        assertThat(TopicRecords.header(rec, PlatformHeaders.WORKSPACE)).isEqualTo(ws.id());
        assertThat(rec.value()).doesNotContain(secret);
        SourceState s = ContractsJson.read(rec.value(), SourceState.class);
        assertThat(s.sourceId()).isEqualTo(id);
        assertThat(s.workspaceId()).isEqualTo(ws.id());
        assertThat(s.kind()).isEqualTo(SourceKind.shopify);
        assertThat(s.shopDomain()).isEqualTo(shop);
        assertThat(s.version()).isEqualTo(1);
        assertThat(ciphers.source().open(s.sealedSecret(), id)).isEqualTo(secret);
        assertThatThrownBy(() -> ciphers.source().open(s.sealedSecret(), "src_other")).isInstanceOf(TokenCipher.SealedValueException.class);
        assertThatThrownBy(() -> ciphers.grant().open(s.sealedSecret(), id)).isInstanceOf(TokenCipher.SealedValueException.class);

        ws.as().delete("/api/v1/sources/" + id).then().statusCode(204);
        ws.as().get("/api/v1/sources/" + id).then().statusCode(404);
        ws.as().get("/api/v1/sources").then().statusCode(200).body("sources", equalTo(List.of()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> recs = TopicRecords.forKey(Topics.SOURCES, id);
            assertThat(recs).hasSize(2);
            assertThat(recs.get(1).value()).isNull();
            assertThat(TopicRecords.header(recs.get(1), "ce_type")).isEqualTo(CloudEventTypes.SOURCE_STATE);
            assertThat(TopicRecords.header(recs.get(1), PlatformHeaders.WORKSPACE)).isEqualTo(ws.id());
        });

        String log = Files.readString(Path.of("target/connections-service-test.log"));
        assertThat(log).contains("source " + id + " created in workspace " + ws.id()); // the capture works
        assertThat(log).doesNotContain(secret);
    }

    @Test
    void badShopDomainsAreRefusedWithWhatAValidOneLooksLike() {
        Api.Ws ws = Api.newWorkspace();
        for (String bad : List.of("https://acme.myshopify.com", "acme.myshopify.com/admin", "acme.example.com", "acme",
                "-acme.myshopify.com", "ac me.myshopify.com", "")) {
            ws.as().contentType(ContentType.JSON).body(body(bad, secret())).post("/api/v1/sources").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://jsworkflows.io/problems/invalid-shop-domain"))
                    .body("detail", containsString("<name>.myshopify.com"));
        }
        ws.as().contentType(ContentType.JSON).body(Map.of("kind", "shopify", "webhookSecret", secret())).post("/api/v1/sources")
                .then().statusCode(400).body("type", containsString("invalid-shop-domain"));
        ws.as().get("/api/v1/sources").then().body("sources", equalTo(List.of()));
    }

    @Test
    void secretIsRequiredWithinItsBoundsAndNeverQuoted() {
        Api.Ws ws = Api.newWorkspace();
        String shortOne = "abc1234";
        ws.as().contentType(ContentType.JSON).body(body(shop(), shortOne)).post("/api/v1/sources").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://jsworkflows.io/problems/invalid-webhook-secret"))
                .body("detail", containsString("8-512")).body(not(containsString(shortOne)));
        String longOne = "x".repeat(513);
        ws.as().contentType(ContentType.JSON).body(body(shop(), longOne)).post("/api/v1/sources").then().statusCode(400)
                .body("type", containsString("invalid-webhook-secret")).body(not(containsString(longOne)));
        ws.as().contentType(ContentType.JSON).body(Map.of("kind", "shopify", "shopDomain", shop())).post("/api/v1/sources")
                .then().statusCode(400).body("detail", containsString("missing"));
        ws.as().contentType(ContentType.JSON).body(body(shop(), "x".repeat(512))).post("/api/v1/sources").then().statusCode(201);
        ws.as().contentType(ContentType.JSON).body(Map.of("kind", "stripe", "shopDomain", shop(), "webhookSecret", secret()))
                .post("/api/v1/sources").then().statusCode(400).body("type", containsString("invalid-source-kind"));
        ws.as().contentType(ContentType.JSON).body("{\"kind\":").post("/api/v1/sources").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void oneSourcePerShopPerWorkspace() {
        Api.Ws a = Api.newWorkspace();
        Api.Ws b = Api.newWorkspace();
        String shop = shop();
        a.as().contentType(ContentType.JSON).body(body(shop, secret())).post("/api/v1/sources").then().statusCode(201);
        a.as().contentType(ContentType.JSON).body(body(shop.toUpperCase(), secret())).post("/api/v1/sources").then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("https://jsworkflows.io/problems/source-exists"))
                .body("detail", containsString(shop));
        // another workspace may add the same shop (its own source, its own URL)
        b.as().contentType(ContentType.JSON).body(body(shop, secret())).post("/api/v1/sources").then().statusCode(201);
        a.as().get("/api/v1/sources").then().body("sources.size()", equalTo(1));
    }

    @Test
    void aWorkspaceSeesAndDeletesOnlyItsOwnSources() {
        Api.Ws a = Api.newWorkspace();
        Api.Ws b = Api.newWorkspace();
        String id = a.as().contentType(ContentType.JSON).body(body(shop(), secret())).post("/api/v1/sources").then().statusCode(201)
                .extract().path("id");
        b.as().get("/api/v1/sources").then().statusCode(200).body("sources", equalTo(List.of()));
        b.as().get("/api/v1/sources/" + id).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://jsworkflows.io/problems/source-not-found"));
        b.as().delete("/api/v1/sources/" + id).then().statusCode(404);
        b.as().get("/api/v1/sources/src_unknown").then().statusCode(404);
        a.as().get("/api/v1/sources/" + id).then().statusCode(200);
        // the workspace comes from the key, never from the body
        String other = a.as().contentType(ContentType.JSON)
                .body(Map.of("kind", "shopify", "shopDomain", shop(), "webhookSecret", secret(), "workspaceId", b.id()))
                .post("/api/v1/sources").then().statusCode(201).extract().path("id");
        b.as().get("/api/v1/sources/" + other).then().statusCode(404);
        a.as().get("/api/v1/sources/" + other).then().statusCode(200);
        // without a key: 401
        given().accept(ContentType.JSON).get("/api/v1/sources").then().statusCode(401);
        given().contentType(ContentType.JSON).body(body(shop(), secret())).post("/api/v1/sources").then().statusCode(401);
    }
}
