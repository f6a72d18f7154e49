package io.jsworkflows.emulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The request/response pairs of the HubSpot facts file (src/test/resources/conformance/*.json), replayed against the
 * emulator. Expected bodies are subsets; placeholders: {@code <string> <number> <array> <uuid> <iso> <absent>},
 * {@code regex:...}, and {@code {{var}}} from captures or the prepared tokens ({@code {{var:number}}} for numbers).
 */
@QuarkusTest
class ConformanceTest extends EmulatorTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern VAR = Pattern.compile("\\{\\{([a-zA-Z]+)}}");

    @TestFactory
    Stream<DynamicTest> factsFilePairs() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : List.of("oauth", "auth", "crm")) {
            try (InputStream in = getClass().getResourceAsStream("/conformance/" + file + ".json")) {
                for (JsonNode c : JSON.readTree(in)) {
                    tests.add(DynamicTest.dynamicTest(file + ": " + c.path("name").asText(), () -> run(c)));
                }
            }
        }
        return tests.stream();
    }

    void run(JsonNode c) {
        resetEmulator();
        Map<String, String> vars = new HashMap<>();
        var t = emulator.issueTokens(PORTAL, List.of("crm.objects.contacts.read", "crm.objects.contacts.write",
                "crm.objects.deals.read", "crm.objects.deals.write", "crm.objects.companies.read", "crm.objects.companies.write",
                "tickets"));
        vars.put("accessToken", t.accessToken());
        vars.put("refreshToken", t.refreshToken());
        vars.put("portalId", Long.toString(PORTAL));
        vars.put("readOnlyToken", token(List.of("crm.objects.contacts.read")));
        emulator.setAccessTokenLifetime(Duration.ofMillis(1));
        String expired = token(List.of("crm.objects.contacts.read"));
        emulator.resetConfig();
        vars.put("expiredToken", expired);

        for (JsonNode step : c.path("setup")) {
            Response r = send(step, vars);
            assertThat(r.statusCode()).as("setup %s %s: %s", step.path("method").asText(), step.path("path").asText(), r.asString())
                    .isLessThan(300);
            step.path("capture").fields().forEachRemaining(e -> vars.put(e.getKey(), r.jsonPath().getString(e.getValue().asText())));
        }
        Response r = send(c.path("request"), vars);
        JsonNode expected = c.path("response");
        assertThat(r.statusCode()).as("status; body %s", r.asString()).isEqualTo(expected.path("status").asInt());
        expected.path("headers").fields().forEachRemaining(e -> {
            String actual = r.getHeader(e.getKey());
            matchScalar("header " + e.getKey(), e.getValue().asText(), actual, vars);
        });
        if (expected.path("emptyBody").asBoolean()) {
            assertThat(r.asString()).isEmpty();
        }
        if (expected.has("body")) {
            JsonNode actual;
            try {
                actual = JSON.readTree(r.asString());
            } catch (IOException e) {
                throw new AssertionError("body is not JSON: " + r.asString());
            }
            match("$", expected.path("body"), actual, vars);
        }
    }

    Response send(JsonNode req, Map<String, String> vars) {
        String path = subst(req.path("path").asText(), vars);
        RequestSpecification spec = given().urlEncodingEnabled(false);
        if (path.startsWith("/crm/")) {
            spec = spec.header("Authorization", "Bearer " + subst(req.path("token").asText("{{accessToken}}"), vars));
        }
        if (req.has("json")) {
            spec = spec.contentType("application/json").body(subst(req.path("json").toString(), vars));
        }
        if (req.has("form")) {
            spec = spec.contentType("application/x-www-form-urlencoded");
            for (Iterator<Map.Entry<String, JsonNode>> it = req.path("form").fields(); it.hasNext();) {
                var e = it.next();
                spec = spec.formParam(e.getKey(), subst(e.getValue().asText(), vars));
            }
        }
        return spec.request(req.path("method").asText(), path);
    }

    static String subst(String s, Map<String, String> vars) {
        Matcher m = VAR.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                throw new AssertionError("no value for {{" + m.group(1) + "}}");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        return m.appendTail(b).toString();
    }

    void match(String where, JsonNode expected, JsonNode actual, Map<String, String> vars) {
        if (expected.isObject()) {
            assertThat(actual != null && actual.isObject()).as("%s is an object: %s", where, actual).isTrue();
            expected.fields().forEachRemaining(e -> {
                JsonNode a = actual.get(e.getKey());
                if (e.getValue().isTextual() && e.getValue().asText().equals("<absent>")) {
                    assertThat(a == null || a.isNull()).as("%s.%s is absent but was %s", where, e.getKey(), a).isTrue();
                    return;
                }
                assertThat(a).as("%s.%s present", where, e.getKey()).isNotNull();
                match(where + "." + e.getKey(), e.getValue(), a, vars);
            });
        } else if (expected.isArray()) {
            assertThat(actual.isArray()).as("%s is an array: %s", where, actual).isTrue();
            assertThat(actual.size()).as("%s size: %s", where, actual).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                match(where + "[" + i + "]", expected.get(i), actual.get(i), vars);
            }
        } else if (expected.isTextual()) {
            String e = expected.asText();
            if (e.startsWith("{{") && e.endsWith(":number}}")) {
                assertThat(actual.isNumber()).as("%s is a number: %s", where, actual).isTrue();
                assertThat(actual.asText()).as(where).isEqualTo(vars.get(e.substring(2, e.length() - 9)));
            } else if (e.equals("<number>")) {
                assertThat(actual.isNumber()).as("%s is a number: %s", where, actual).isTrue();
            } else if (e.equals("<array>")) {
                assertThat(actual.isArray()).as("%s is an array: %s", where, actual).isTrue();
            } else {
                assertThat(actual.isTextual()).as("%s is a string: %s", where, actual).isTrue();
                matchScalar(where, e, actual.asText(), vars);
            }
        } else {
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }

    static void matchScalar(String where, String expected, String actual, Map<String, String> vars) {
        switch (expected) {
            case "<absent>" -> assertThat(actual).as(where).isNull();
            case "<string>" -> assertThat(actual).as(where).isNotBlank();
            case "<uuid>" -> assertThat(actual).as(where).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            case "<iso>" -> {
                assertThat(actual).as(where).isNotNull();
                Instant.parse(actual);
            }
            default -> {
                if (expected.startsWith("regex:")) {
                    assertThat(actual).as(where).matches(Pattern.compile(expected.substring(6), Pattern.DOTALL));
                } else {
                    assertThat(actual).as(where).isEqualTo(subst(expected, vars));
                }
            }
        }
    }
}
