package io.jsworkflows.connections.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Every form of the web page carries a CSRF token that must match the browser's CSRF cookie: a form posted from
 * another site (which cannot read the token) is refused and changes nothing, including the sign-in form (login CSRF).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class CsrfTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Test
    void aSignInPostedWithoutTheTokenIsRefused() {
        Api.Ws ws = Api.newWorkspace();
        // an attacker's page posting its own key into the victim's browser
        given().redirects().follow(false).contentType(ContentType.URLENC).formParams(Map.of("apiKey", ws.apiKey()))
                .post("/ui/login").then().statusCode(400);
        // with a token from another browser's page: refused as well
        String foreign = token(given().get("/ui").then().extract());
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParams(Map.of("apiKey", ws.apiKey(), "csrf-token", foreign)).post("/ui/login").then().statusCode(400);
    }

    @Test
    void formsPostedWithoutTheTokenChangeNothing() {
        Api.Ws ws = Api.newWorkspace();
        String source = ws.as().contentType(ContentType.JSON).body(Map.of("kind", "shopify", "shopDomain",
                "csrf-" + ws.id().substring(3, 11) + ".myshopify.com", "webhookSecret", "a-long-enough-secret")).post("/api/v1/sources")
                .then().statusCode(201).extract().path("id");
        ws.as().contentType(ContentType.JSON).body(Api.connectBody("victim", "contacts:read")).post("/api/v1/connections")
                .then().statusCode(201);
        Map<String, String> session = signIn(ws);

        for (String path : new String[] {"/ui/connections/victim/delete", "/ui/sources/" + source + "/delete", "/ui/logout"}) {
            given().redirects().follow(false).cookies(session).contentType(ContentType.URLENC).formParam("x", "y").post(path)
                    .then().statusCode(400);
        }
        given().redirects().follow(false).cookies(session).contentType(ContentType.URLENC)
                .formParams(Map.of("handle", "planted", "resource", "contacts:read")).post("/ui/connections").then().statusCode(400);
        ws.as().get("/api/v1/connections/victim").then().statusCode(200);
        ws.as().get("/api/v1/connections/planted").then().statusCode(404);
        ws.as().get("/api/v1/sources/" + source).then().statusCode(200);

        // the page's own forms carry the token and work
        ExtractableResponse<Response> page = given().cookies(session).get("/ui").then().statusCode(200).extract();
        String token = token(page);
        given().redirects().follow(false).cookies(session).cookies(page.cookies()).contentType(ContentType.URLENC)
                .formParam("csrf-token", token).post("/ui/sources/" + source + "/delete").then().statusCode(200);
        ws.as().get("/api/v1/sources/" + source).then().statusCode(404);
        // the JSON API is not affected: it authenticates with a bearer key, which no other site can send
        ws.as().delete("/api/v1/connections/victim").then().statusCode(204);
        ws.as().get("/api/v1/sources").then().body("sources.size()", equalTo(0));
    }

    /** Signs in like the page does: GET the form (token and CSRF cookie), POST it; returns the browser's cookies. */
    static Map<String, String> signIn(Api.Ws ws) {
        ExtractableResponse<Response> form = given().get("/ui").then().statusCode(200).extract();
        ExtractableResponse<Response> in = given().redirects().follow(false).cookies(form.cookies()).contentType(ContentType.URLENC)
                .formParams(Map.of("apiKey", ws.apiKey(), "csrf-token", token(form))).post("/ui/login").then().statusCode(303)
                .extract();
        Map<String, String> jar = new java.util.HashMap<>(form.cookies());
        jar.putAll(in.cookies());
        return jar;
    }

    static String token(ExtractableResponse<Response> page) {
        Matcher m = TOKEN.matcher(page.body().asString());
        assertThat(m.find()).as("the page has a CSRF token field").isTrue();
        return m.group(1);
    }
}
