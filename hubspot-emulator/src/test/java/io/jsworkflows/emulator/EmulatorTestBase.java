package io.jsworkflows.emulator;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;

import io.jsworkflows.testsupport.HubSpotEmulator;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Every test starts from a reset emulator (records, tokens, counters, faults, settings) in the one running app. */
abstract class EmulatorTestBase {

    static final long PORTAL = HubSpotEmulator.PORTAL_ID;
    static final long OTHER_PORTAL = HubSpotEmulator.SECOND_PORTAL_ID;
    static final List<String> ALL_SCOPES = List.of("crm.objects.contacts.read", "crm.objects.contacts.write",
            "crm.objects.companies.read", "crm.objects.companies.write", "crm.objects.deals.read", "crm.objects.deals.write",
            "tickets");

    HubSpotEmulator emulator;
    String baseUrl;

    @BeforeEach
    void resetEmulator() {
        baseUrl = "http://localhost:" + RestAssured.port;
        emulator = HubSpotEmulator.at(baseUrl);
        emulator.reset();
    }

    String token(List<String> scopes) {
        return emulator.issueTokens(PORTAL, scopes).accessToken();
    }

    String token() {
        return token(ALL_SCOPES);
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    static ValidatableResponse create(String token, String type, Map<String, Object> properties) {
        return as(token).body(Map.of("properties", properties)).post("/crm/v3/objects/" + type).then();
    }

    static String createId(String token, String type, Map<String, Object> properties) {
        return create(token, type, properties).statusCode(201).extract().path("id");
    }
}
