package io.jsworkflows.emulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.jsworkflows.testsupport.HubSpotEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** The authorization-code flow through the consent page with a real HTTP client, and the token endpoints' rules. */
@QuarkusTest
class OAuthFlowTest extends EmulatorTestBase {

    static final String REDIRECT = "http://localhost:8081/oauth/hubspot/callback";

    String authorizeUrl(String path, String redirect, String scope, String state) {
        return baseUrl + path + "?client_id=jsw-local-client&redirect_uri=" + enc(redirect) + "&scope=" + scope
                + (state == null ? "" : "&state=" + enc(state));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static ValidatableResponse token(String path, String... form) {
        var spec = given().contentType("application/x-www-form-urlencoded");
        for (int i = 0; i < form.length; i += 2) {
            spec = spec.formParam(form[i], form[i + 1]);
        }
        return spec.post(path).then();
    }

    static ValidatableResponse exchange(String version, String code, String redirect) {
        return token("/oauth/" + version + "/token", "grant_type", "authorization_code", "client_id", "jsw-local-client",
                "client_secret", "jsw-local-secret", "redirect_uri", redirect, "code", code);
    }

    static ValidatableResponse refresh(String version, String refreshToken) {
        return token("/oauth/" + version + "/token", "grant_type", "refresh_token", "client_id", "jsw-local-client",
                "client_secret", "jsw-local-secret", "refresh_token", refreshToken);
    }

    @Test
    void consentPageListsPortalsAndScopes() {
        given().urlEncodingEnabled(false).redirects().follow(false)
                .get(authorizeUrl("/oauth/authorize", REDIRECT, "crm.objects.contacts.read%20crm.objects.deals.write", "s"))
                .then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("name=\"decision\" value=\"grant\""), containsString("value=\"deny\""),
                        containsString("jsw-demo.hubspot.com (12345678)"), containsString("jsw-second.hubspot.com (87654321)"),
                        containsString("<code>crm.objects.deals.write</code>"));
    }

    @Test
    void grantRedirectsWithCodeAndStateAndTheCodeBuysTokens() {
        String location = emulator.grantConsent(authorizeUrl("/oauth/authorize", REDIRECT,
                "crm.objects.contacts.read+crm.objects.contacts.write", "st@te 1"));
        assertThat(location).startsWith(REDIRECT + "?code=");
        assertThat(HubSpotEmulator.queryParam(location, "state")).isEqualTo("st@te 1");
        String code = HubSpotEmulator.queryParam(location, "code");

        exchange("v1", code, REDIRECT).statusCode(200)
                .body("token_type", equalTo("bearer"), "expires_in", equalTo(1800), "hub_id", equalTo((int) PORTAL),
                        "scopes", hasItems("oauth", "crm.objects.contacts.read", "crm.objects.contacts.write"),
                        "refresh_token", matchesPattern("na1-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
                        "access_token.length()", lessThanOrEqualTo(300));
        // single use
        exchange("v1", code, REDIRECT).statusCode(400)
                .body("status", equalTo("BAD_AUTH_CODE"), "error", equalTo("invalid_grant"), "message", equalTo("missing or unknown auth code"));
    }

    @Test
    void pinnedAndChosenPortals() {
        String pinned = emulator.grantConsent(authorizeUrl("/oauth/" + OTHER_PORTAL + "/authorize", REDIRECT, "oauth", null));
        exchange("v3", HubSpotEmulator.queryParam(pinned, "code"), REDIRECT).statusCode(200).body("hub_id", equalTo((int) OTHER_PORTAL));

        String chosen = emulator.grantConsent(authorizeUrl("/oauth/authorize", REDIRECT, "oauth", null), OTHER_PORTAL);
        exchange("v1", HubSpotEmulator.queryParam(chosen, "code"), REDIRECT).statusCode(200).body("hub_id", equalTo((int) OTHER_PORTAL));
    }

    @Test
    void denyRedirectsWithError() {
        String location = emulator.denyConsent(authorizeUrl("/oauth/authorize", REDIRECT, "oauth", "xyz"));
        assertThat(HubSpotEmulator.queryParam(location, "error")).isEqualTo("access_denied");
        assertThat(HubSpotEmulator.queryParam(location, "error_description")).isNotBlank();
        assertThat(HubSpotEmulator.queryParam(location, "state")).isEqualTo("xyz");
        assertThat(HubSpotEmulator.queryParam(location, "code")).isNull();
    }

    @Test
    void autoApproveSkipsThePage() {
        emulator.setAutoApprove(true);
        given().urlEncodingEnabled(false).redirects().follow(false).get(authorizeUrl("/oauth/authorize", "http://127.0.0.1:5000/oauth/hubspot/callback", "oauth", "a"))
                .then().statusCode(302).header("Location", matchesPattern("http://127\\.0\\.0\\.1:5000/oauth/hubspot/callback\\?code=na1-[^&]+&state=a"));
        String pinned = emulator.grantConsent(authorizeUrl("/oauth/" + OTHER_PORTAL + "/authorize", REDIRECT, "oauth", null));
        exchange("v1", HubSpotEmulator.queryParam(pinned, "code"), REDIRECT).body("hub_id", equalTo((int) OTHER_PORTAL));
    }

    @Test
    void redirectUriMustMatchButLoopbackPortsAreFree() {
        given().urlEncodingEnabled(false).redirects().follow(false).get(authorizeUrl("/oauth/authorize", "https://evil.example/oauth/hubspot/callback", "oauth", null))
                .then().statusCode(400).body(containsString("match the app&#39;s registered redirect URL"));
        given().urlEncodingEnabled(false).redirects().follow(false).get(authorizeUrl("/oauth/authorize", "http://localhost:1234/other/path", "oauth", null))
                .then().statusCode(400);
        given().urlEncodingEnabled(false).redirects().follow(false).get(authorizeUrl("/oauth/authorize", "http://localhost:61234/oauth/hubspot/callback", "oauth", null))
                .then().statusCode(200);
        assertThatThrownBy(() -> emulator.grantConsent(baseUrl + "/oauth/authorize?client_id=nope&redirect_uri=" + enc(REDIRECT) + "&scope=oauth"))
                .hasMessageContaining("client ID 'nope' is not valid");
        given().urlEncodingEnabled(false).redirects().follow(false).get(baseUrl + "/oauth/authorize?client_id=jsw-local-client&redirect_uri=" + enc(REDIRECT))
                .then().statusCode(400).body(containsString("scope parameter is missing"));
    }

    @Test
    void codeMustBeExchangedWithItsRedirectUriAndInTime() {
        String code = HubSpotEmulator.queryParam(emulator.grantConsent(authorizeUrl("/oauth/authorize", REDIRECT, "oauth", null)), "code");
        exchange("v1", code, "http://localhost:9/oauth/hubspot/callback").statusCode(400)
                .body("status", equalTo("BAD_REDIRECT_URI"), "error", equalTo("invalid_grant"));

        emulator.setAuthCodeLifetime(Duration.ofMillis(200));
        String late = HubSpotEmulator.queryParam(emulator.grantConsent(authorizeUrl("/oauth/authorize", REDIRECT, "oauth", null)), "code");
        Awaitility.await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
        exchange("v1", late, REDIRECT).statusCode(400)
                .body("status", equalTo("EXPIRED_AUTH_CODE"), "error", equalTo("invalid_grant"), "error_description", notNullValue());
    }

    @Test
    void refreshGrantKeepsTheRefreshTokenByDefaultAndRotatesWhenAsked() {
        var t = emulator.issueTokens(PORTAL, List.of("crm.objects.contacts.read"));
        refresh("v1", t.refreshToken()).statusCode(200)
                .body("refresh_token", equalTo(t.refreshToken()), "access_token", not(equalTo(t.accessToken())),
                        "hub_id", equalTo((int) PORTAL), "scopes", hasItems("oauth", "crm.objects.contacts.read"));
        refresh("v3", t.refreshToken()).statusCode(200).body("refresh_token", equalTo(t.refreshToken()));
        refresh("2026-03", t.refreshToken()).statusCode(200).body("refresh_token", equalTo(t.refreshToken()));

        emulator.setRefreshTokenRotation(true);
        String rotated = refresh("v1", t.refreshToken()).statusCode(200)
                .body("refresh_token", not(equalTo(t.refreshToken()))).extract().path("refresh_token");
        refresh("v1", t.refreshToken()).statusCode(400).body("status", equalTo("BAD_REFRESH_TOKEN"));
        refresh("v1", rotated).statusCode(200);
    }

    @Test
    void tokenEndpointErrors() {
        var t = emulator.issueTokens(PORTAL, List.of());
        refresh("v1", "na1-0000-0000-0000-0000-000000000000").statusCode(400)
                .body("status", equalTo("BAD_REFRESH_TOKEN"), "error", equalTo("invalid_grant"),
                        "error_description", equalTo("refresh token is invalid, expired or revoked"), "correlationId", notNullValue());
        token("/oauth/v1/token", "grant_type", "refresh_token", "client_id", "other", "client_secret", "jsw-local-secret",
                "refresh_token", t.refreshToken()).statusCode(400).body("status", equalTo("BAD_CLIENT_ID"), "error", equalTo("invalid_client"));
        token("/oauth/v3/token", "grant_type", "refresh_token", "client_id", "jsw-local-client", "client_secret", "wrong",
                "refresh_token", t.refreshToken()).statusCode(400).body("error", equalTo("invalid_client"));
        token("/oauth/v1/token", "grant_type", "password", "client_id", "jsw-local-client").statusCode(400)
                .body("error", equalTo("unsupported_grant_type"));
        // v1 takes parameters from the query string too; v3 only from the body
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("client_id", "jsw-local-client")
                .queryParam("client_secret", "jsw-local-secret").queryParam("refresh_token", t.refreshToken())
                .post("/oauth/v1/token").then().statusCode(200);
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("client_id", "jsw-local-client")
                .queryParam("client_secret", "jsw-local-secret").queryParam("refresh_token", t.refreshToken())
                .post("/oauth/v3/token").then().statusCode(400);
        // open question 2: v1 may drop the RFC 6749 fields
        emulator.configure(java.util.Map.of("v1Rfc6749ErrorFields", false));
        refresh("v1", "nope").statusCode(400).body("status", equalTo("BAD_REFRESH_TOKEN"), "error", nullValue());
        refresh("v3", "nope").statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void tokenMetadataEndpoints() {
        var t = emulator.issueTokens(PORTAL, List.of("crm.objects.contacts.read"));
        given().get("/oauth/v1/access-tokens/" + t.accessToken()).then().statusCode(200)
                .body("token", equalTo(t.accessToken()), "user", equalTo("demo@jsworkflows.io"),
                        "hub_domain", equalTo("jsw-demo.hubspot.com"), "hub_id", equalTo((int) PORTAL), "app_id", equalTo(1001),
                        "user_id", notNullValue(), "token_type", equalTo("access"), "expires_in", lessThanOrEqualTo(1800),
                        "scopes", hasItems("oauth", "crm.objects.contacts.read"));
        given().get("/oauth/v1/refresh-tokens/" + t.refreshToken()).then().statusCode(200)
                .body("token", equalTo(t.refreshToken()), "client_id", equalTo("jsw-local-client"), "token_type", equalTo("refresh"),
                        "hub_id", equalTo((int) PORTAL), "hub_domain", equalTo("jsw-demo.hubspot.com"),
                        "app_id", nullValue(), "expires_in", nullValue());
        given().get("/oauth/v1/access-tokens/unknown").then().statusCode(404);

        // DELETE removes only the refresh token; the access token keeps working
        given().delete("/oauth/v1/refresh-tokens/" + t.refreshToken()).then().statusCode(204);
        given().get("/oauth/v1/refresh-tokens/" + t.refreshToken()).then().statusCode(404);
        given().delete("/oauth/v1/refresh-tokens/" + t.refreshToken()).then().statusCode(404);
        refresh("v1", t.refreshToken()).statusCode(400).body("status", equalTo("BAD_REFRESH_TOKEN"));
        as(t.accessToken()).get("/crm/v3/objects/contacts").then().statusCode(200);
    }

    @Test
    void v3IntrospectAndRevoke() {
        var t = emulator.issueTokens(PORTAL, List.of());
        token("/oauth/v3/token/introspect", "client_id", "jsw-local-client", "client_secret", "jsw-local-secret", "token",
                t.accessToken(), "token_type_hint", "access_token").statusCode(200)
                .body("active", equalTo(true), "token_use", equalTo("access_token"), "token_type", equalTo("Bearer"),
                        "client_id", equalTo("jsw-local-client"));
        token("/oauth/v3/token/introspect", "client_id", "jsw-local-client", "client_secret", "jsw-local-secret",
                "refresh_token", t.refreshToken()).statusCode(200).body("active", equalTo(true), "token_use", equalTo("refresh_token"));
        token("/oauth/v3/token/revoke", "client_id", "jsw-local-client", "client_secret", "jsw-local-secret", "token",
                t.refreshToken()).statusCode(204);
        token("/oauth/v3/token/introspect", "client_id", "jsw-local-client", "client_secret", "jsw-local-secret", "token",
                t.refreshToken()).statusCode(200).body("active", equalTo(false));
    }

    @Test
    void shortAccessTokenLifetime() {
        emulator.setAccessTokenLifetime(Duration.ofSeconds(1));
        var t = emulator.issueTokens(PORTAL, List.of("crm.objects.contacts.read"));
        assertThat(t.expiresIn()).isEqualTo(1);
        as(t.accessToken()).get("/crm/v3/objects/contacts").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                as(t.accessToken()).get("/crm/v3/objects/contacts").then().statusCode(401)
                        .body("category", equalTo("EXPIRED_AUTHENTICATION")));
        refresh("v1", t.refreshToken()).statusCode(200).body("expires_in", equalTo(1));
    }
}
