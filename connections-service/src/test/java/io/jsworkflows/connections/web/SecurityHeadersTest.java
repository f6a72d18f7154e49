package io.jsworkflows.connections.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The web page cannot be framed by another site (clickjacking) and runs only its own content. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class SecurityHeadersTest {

    @Test
    void pagesForbidFramingAndForeignContent() {
        for (String path : new String[] {"/ui", "/ui/sources", "/oauth/hubspot/callback?code=x"}) {
            given().accept("text/html").get(path).then()
                    .header("X-Frame-Options", equalTo("DENY"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", containsString("default-src 'self'"))
                    .header("X-Content-Type-Options", equalTo("nosniff"))
                    .header("Referrer-Policy", equalTo("no-referrer"));
        }
    }
}
