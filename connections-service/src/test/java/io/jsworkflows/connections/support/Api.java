package io.jsworkflows.connections.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Small helpers over the service's own API, as a client would call it. */
public final class Api {

    public static final String ADMIN_KEY = "dev-admin-key-change-me";

    /** A workspace created through the admin API, with its once-shown key. */
    public record Ws(String id, String name, String apiKey) {
        public RequestSpecification as() {
            return given().header("Authorization", "Bearer " + apiKey).accept(ContentType.JSON);
        }
    }

    private Api() {
    }

    public static Ws newWorkspace() {
        String name = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        var r = given().header("Authorization", "Bearer " + ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", name)).post("/api/v1/admin/workspaces")
                .then().statusCode(201).extract().jsonPath();
        return new Ws(r.getString("id"), r.getString("name"), r.getString("apiKey"));
    }

    public static Map<String, Object> connectBody(String handle, String... resourceOps) {
        List<Map<String, String>> rows = java.util.Arrays.stream(resourceOps).map(s -> {
            String[] p = s.split(":");
            return Map.of("resource", p[0], "operation", p[1]);
        }).toList();
        return Map.of("handle", handle, "resources", rows);
    }

    /**
     * The connect flow as the initiating browser starts it: the API's link opens the platform's connect page, which,
     * for a signed-in workspace, sets a one-time cookie and redirects to HubSpot.
     *
     * @param hubspotUrl the authorize URL at HubSpot the page redirected to
     * @param cookie     the one-time cookie as a browser sends it back ({@code name=value}), null if none was set
     */
    public record Flow(String hubspotUrl, String cookie) {
    }

    public static Flow begin(Ws ws, String link) {
        var r = given().redirects().follow(false).header("Authorization", "Bearer " + ws.apiKey()).accept("text/html").get(link)
                .then().statusCode(303).extract();
        String setCookie = r.header("Set-Cookie");
        return new Flow(r.header("Location"), setCookie == null ? null : setCookie.substring(0, setCookie.indexOf(';')));
    }

    /** The callback as the initiating browser fetches it: signed in to its workspace, carrying the flow's cookie. */
    public static RequestSpecification asInitiator(Ws ws, Flow flow) {
        return given().header("Authorization", "Bearer " + ws.apiKey()).header("Cookie", flow.cookie()).accept(ContentType.JSON);
    }

    public static String uniqueHandle(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The query parameter of a URL, decoded. */
    public static String query(String url, String name) {
        String q = java.net.URI.create(url).getRawQuery();
        for (String kv : q.split("&")) {
            int i = kv.indexOf('=');
            if (kv.substring(0, i).equals(name)) {
                return java.net.URLDecoder.decode(kv.substring(i + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
