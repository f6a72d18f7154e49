package io.jsworkflows.emulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Bearer authentication, scopes and the per-portal rate limit. */
@QuarkusTest
class AuthAndLimitsTest extends EmulatorTestBase {

    @Test
    void missingOrUnknownTokenIsInvalidAuthentication() {
        given().get("/crm/v3/objects/contacts").then().statusCode(401)
                .header("x-hubspot-auth-failure", "401 Unauthorized")
                .body("status", equalTo("error"), "category", equalTo("INVALID_AUTHENTICATION"),
                        "message", startsWith("Authentication credentials not found. This API supports OAuth 2.0 authentication"),
                        "correlationId", notNullValue());
        var r = as("garbage").post("/crm/v3/objects/contacts/search").then().statusCode(401)
                .body("category", equalTo("INVALID_AUTHENTICATION")).extract();
        org.assertj.core.api.Assertions.assertThat(r.header("x-hubspot-correlation-id")).isEqualTo(r.path("correlationId"));
        var conflict = create(token(), "contacts", Map.of("firstname", "x", "nope", "y")).statusCode(400).extract();
        org.assertj.core.api.Assertions.assertThat(conflict.header("x-hubspot-correlation-id")).isEqualTo(conflict.path("correlationId"));
        given().header("Authorization", "Basic abc").get("/crm/v3/pipelines/deals").then().statusCode(401);
    }

    @Test
    void expiredTokenSaysHowLongAgo() {
        String t = token();
        as(t).get("/crm/v3/objects/contacts").then().statusCode(200);
        emulator.expireAllAccessTokens();
        as(t).get("/crm/v3/objects/contacts").then().statusCode(401)
                .body("category", equalTo("EXPIRED_AUTHENTICATION"),
                        "message", matchesPattern("The OAuth token used to make this call expired \\d+ second\\(s\\) ago\\."),
                        "context.'expire time'[0]", matchesPattern("\\d{4}-.*Z"));
        // tokens issued after "expire all" work; metadata no longer knows the expired one
        as(token()).get("/crm/v3/objects/contacts").then().statusCode(200);
        given().get("/oauth/v1/access-tokens/" + t).then().statusCode(404);
    }

    @Test
    void missingScopeIs403WithTheAcceptedScopes() {
        String readOnly = token(List.of("crm.objects.contacts.read"));
        create(readOnly, "contacts", Map.of("email", "s@example.com")).statusCode(403)
                .body("category", equalTo("MISSING_SCOPES"), "status", equalTo("error"),
                        "message", startsWith("This app hasn't been granted all required scopes to make this call."),
                        "errors[0].message", equalTo("One or more of the following scopes are required."),
                        "errors[0].context.requiredGranularScopes", contains("crm.objects.contacts.write"),
                        "links.scopes", equalTo("https://developers.hubspot.com/scopes"));
        as(readOnly).get("/crm/v3/objects/deals").then().statusCode(403);
        as(readOnly).get("/crm/v3/objects/tickets").then().statusCode(403)
                .body("errors[0].context.requiredGranularScopes", contains("tickets"));
        as(token(List.of("tickets"))).get("/crm/v3/objects/tickets").then().statusCode(200);
        // pipelines accept any of many read scopes
        as(readOnly).get("/crm/v3/pipelines/deals").then().statusCode(200);
        as(token(List.of())).get("/crm/v3/pipelines/deals").then().statusCode(403);
    }

    @Test
    void rateLimitHeadersAnd429PerPortal() {
        emulator.setRateLimit(3, Duration.ofSeconds(10));
        String t = token();
        for (int remaining = 2; remaining >= 0; remaining--) {
            as(t).get("/crm/v3/objects/contacts").then().statusCode(200)
                    .header("X-HubSpot-RateLimit-Max", "3")
                    .header("X-HubSpot-RateLimit-Remaining", Integer.toString(remaining))
                    .header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                    .header("X-HubSpot-RateLimit-Daily", nullValue());
        }
        as(t).get("/crm/v3/objects/contacts").then().statusCode(429)
                .header("X-HubSpot-RateLimit-Remaining", "0").header("Retry-After", nullValue())
                .body("status", equalTo("error"), "message", equalTo("You have reached your ten_secondly_rolling limit."),
                        "errorType", equalTo("RATE_LIMIT"), "policyName", equalTo("TEN_SECONDLY_ROLLING"),
                        "groupName", notNullValue(), "correlationId", notNullValue());
        // search has its own limit at HubSpot: no headers, not counted
        as(t).body(Map.of()).post("/crm/v3/objects/contacts/search").then().statusCode(200)
                .header("X-HubSpot-RateLimit-Max", nullValue());
        // another portal has its own budget
        as(emulator.issueTokens(OTHER_PORTAL, ALL_SCOPES).accessToken()).get("/crm/v3/objects/contacts").then().statusCode(200)
                .header("X-HubSpot-RateLimit-Remaining", "2");
        // OAuth endpoints are not rate limited per portal
        given().get("/oauth/v1/access-tokens/" + t).then().statusCode(200);
    }

    @Test
    void budgetRefillsAfterTheIntervalAndRetryAfterIsConfigurable() {
        emulator.configure(Map.of("rateLimitMax", 1, "rateLimitIntervalMillis", 500, "retryAfter", true));
        String t = token();
        as(t).get("/crm/v3/objects/contacts").then().statusCode(200);
        as(t).get("/crm/v3/objects/contacts").then().statusCode(429).header("Retry-After", notNullValue());
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> as(t).get("/crm/v3/objects/contacts").then().statusCode(200));
    }

    @Test
    void zeroMaxTurnsTheLimitOff() {
        emulator.setRateLimit(0, Duration.ofSeconds(10));
        String t = token();
        for (int i = 0; i < 20; i++) {
            as(t).get("/crm/v3/objects/contacts").then().statusCode(200);
        }
    }
}
