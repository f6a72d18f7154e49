package io.jsworkflows.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * A small client of the HubSpot emulator's operator API ({@code /_emulator/...}) and of its consent form, for tests.
 * {@link #shared()} is the JVM's emulator process (the one {@link HubSpotEmulatorTestResource} starts).
 *
 * <p>Longer than a class should be: one small method per operator endpoint the tests use, so that a test reads as
 * what it does to the emulator; the endpoints have nothing else in common to split along.
 */
public final class HubSpotEmulator {

    public static final String CLIENT_ID = "jsw-local-client";
    public static final String CLIENT_SECRET = "jsw-local-secret";
    public static final long PORTAL_ID = 12345678L;
    public static final long SECOND_PORTAL_ID = 87654321L;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INPUT = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final Pattern OPTION = Pattern.compile("<option value=\"(\\d+)\"");
    private static final Pattern FORM_ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");
    private static final Pattern ERROR = Pattern.compile("<p class=\"error\" id=\"error\">([^<]*)</p>");

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A grant from the token endpoint (or the operator API). */
    public record Tokens(String accessToken, String refreshToken, long expiresIn, long hubId, List<String> scopes) {
    }

    /** A fault rule; build with {@link #on(String)} and the {@code with...} methods. Null fields are not sent. */
    public record Fault(String method, String path, Long latencyMs, Integer errorStatus, Double errorRate, Double resetRate,
            Integer slowBodyBytesPerSecond, Double slowBodyRate, Long times) {

        /** Matches a path; {@code *} matches any characters (e.g. {@code /crm/v3/objects/contacts*}). */
        public static Fault on(String path) {
            return new Fault(null, path, null, null, null, null, null, null, null);
        }

        public Fault method(String m) {
            return new Fault(m, path, latencyMs, errorStatus, errorRate, resetRate, slowBodyBytesPerSecond, slowBodyRate, times);
        }

        public Fault latency(Duration d) {
            return new Fault(method, path, d.toMillis(), errorStatus, errorRate, resetRate, slowBodyBytesPerSecond, slowBodyRate, times);
        }

        /** Answer with this status (429, 500, 502, 503 or 504); share 1.0 unless {@link #errorRate(double)} says otherwise. */
        public Fault status(int s) {
            return new Fault(method, path, latencyMs, s, errorRate, resetRate, slowBodyBytesPerSecond, slowBodyRate, times);
        }

        public Fault errorRate(double share) {
            return new Fault(method, path, latencyMs, errorStatus, share, resetRate, slowBodyBytesPerSecond, slowBodyRate, times);
        }

        /** Reset the TCP connection for this share of requests. */
        public Fault reset(double share) {
            return new Fault(method, path, latencyMs, errorStatus, errorRate, share, slowBodyBytesPerSecond, slowBodyRate, times);
        }

        /** Send the real response body at this many bytes per second. */
        public Fault slowBody(int bytesPerSecond) {
            return new Fault(method, path, latencyMs, errorStatus, errorRate, resetRate, bytesPerSecond, slowBodyRate, times);
        }

        /** Affect only the next n matching requests. */
        public Fault times(long n) {
            return new Fault(method, path, latencyMs, errorStatus, errorRate, resetRate, slowBodyBytesPerSecond, slowBodyRate, n);
        }
    }

    private HubSpotEmulator(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The JVM's emulator process (started on first use). */
    public static HubSpotEmulator shared() {
        return new HubSpotEmulator(HubSpotEmulatorTestResource.baseUrl());
    }

    /** A client for an emulator that is already running at this base URL. */
    public static HubSpotEmulator at(String baseUrl) {
        return new HubSpotEmulator(baseUrl);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String authorizeUrl() {
        return baseUrl + "/oauth/authorize";
    }

    // ---------------------------------------------------------------- state and settings

    /** Clears records, tokens, codes, counters and faults, and puts every setting back to its start-up value. */
    public void reset() {
        send("POST", "/_emulator/reset", null, 204);
    }

    /** Settings back to their start-up values; records and tokens stay. */
    public void resetConfig() {
        send("POST", "/_emulator/config/reset", null, 200);
    }

    /** Changes settings by their operator API names (see the emulator README), e.g. {@code Map.of("rateLimitMax", 5)}. */
    public JsonNode configure(Map<String, Object> settings) {
        return send("PATCH", "/_emulator/config", settings, 200);
    }

    public JsonNode config() {
        return send("GET", "/_emulator/config", null, 200);
    }

    public JsonNode state() {
        return send("GET", "/_emulator/state", null, 200);
    }

    public void setAccessTokenLifetime(Duration lifetime) {
        configure(Map.of("accessTokenLifetimeSeconds", lifetime.toMillis() / 1000.0));
    }

    public void setAuthCodeLifetime(Duration lifetime) {
        configure(Map.of("authCodeLifetimeSeconds", lifetime.toMillis() / 1000.0));
    }

    /** Requests per interval and portal; {@code max <= 0} turns the limit off. Budgets restart. */
    public void setRateLimit(int max, Duration interval) {
        configure(Map.of("rateLimitMax", max, "rateLimitIntervalMillis", interval.toMillis()));
    }

    public void setRefreshTokenRotation(boolean rotate) {
        configure(Map.of("refreshTokenRotation", rotate));
    }

    public void setAutoApprove(boolean autoApprove) {
        configure(Map.of("autoApprove", autoApprove));
    }

    // ---------------------------------------------------------------- tokens

    public void revokeRefreshToken(String refreshToken) {
        send("DELETE", "/_emulator/refresh-tokens/" + enc(refreshToken), null, 204);
    }

    /** Revokes every refresh token of a portal (as an uninstall would); returns how many. */
    public int revokeRefreshTokens(long portalId) {
        return send("DELETE", "/_emulator/portals/" + portalId + "/refresh-tokens", null, 200).path("revoked").asInt();
    }

    public void expireAllAccessTokens() {
        send("POST", "/_emulator/access-tokens/expire-all", null, 204);
    }

    /** A fresh grant for a portal without the consent flow ({@code oauth} is always added to the scopes). */
    public Tokens issueTokens(long portalId, List<String> scopes) {
        JsonNode t = send("POST", "/_emulator/tokens", Map.of("portalId", portalId, "scopes", scopes), 201);
        return tokens(t);
    }

    /** Exchanges a code at the token endpoint as the platform would (v1, form-encoded). */
    public Tokens exchangeCode(String code, String redirectUri) {
        return tokens(tokenRequest(Map.of("grant_type", "authorization_code", "client_id", CLIENT_ID, "client_secret",
                CLIENT_SECRET, "redirect_uri", redirectUri, "code", code)));
    }

    public Tokens refresh(String refreshToken) {
        return tokens(tokenRequest(Map.of("grant_type", "refresh_token", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET,
                "refresh_token", refreshToken)));
    }

    private JsonNode tokenRequest(Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        HttpResponse<String> r = exchange(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth/v1/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body());
    }

    private static Tokens tokens(JsonNode t) {
        List<String> scopes = new java.util.ArrayList<>();
        t.path("scopes").forEach(s -> scopes.add(s.asText()));
        return new Tokens(t.path("access_token").asText(), t.path("refresh_token").asText(), t.path("expires_in").asLong(),
                t.path("hub_id").asLong(), List.copyOf(scopes));
    }

    // ---------------------------------------------------------------- consent

    /** Opens the authorize URL like a browser and clicks Grant for the first portal; returns the redirect Location. */
    public String grantConsent(String authorizeUrl) {
        return consent(authorizeUrl, null, "grant");
    }

    /** Like {@link #grantConsent(String)}, choosing this portal in the account picker. */
    public String grantConsent(String authorizeUrl, long portalId) {
        return consent(authorizeUrl, portalId, "grant");
    }

    /** Opens the authorize URL and clicks Deny; returns the redirect Location (with error and error_description). */
    public String denyConsent(String authorizeUrl) {
        return consent(authorizeUrl, null, "deny");
    }

    private String consent(String authorizeUrl, Long portalId, String decision) {
        URI uri = URI.create(authorizeUrl);
        HttpResponse<String> page = exchange(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET());
        if (page.statusCode() == 302 || page.statusCode() == 303) {
            // auto-approve is on: HubSpot's page is skipped
            return page.headers().firstValue("Location").orElseThrow();
        }
        if (page.statusCode() != 200) {
            Matcher m = ERROR.matcher(page.body());
            throw new IllegalStateException("The authorize page answered " + page.statusCode() + ": "
                    + (m.find() ? unescape(m.group(1)) : page.body()));
        }
        String html = page.body();
        Map<String, String> form = new LinkedHashMap<>();
        Matcher in = INPUT.matcher(html);
        while (in.find()) {
            form.put(in.group(1), unescape(in.group(2)));
        }
        if (!form.containsKey("portal_id")) {
            Matcher opt = OPTION.matcher(html);
            String chosen = null;
            while (opt.find()) {
                if (chosen == null || (portalId != null && opt.group(1).equals(portalId.toString()))) {
                    chosen = opt.group(1);
                }
            }
            if (portalId != null && !portalId.toString().equals(chosen)) {
                throw new IllegalStateException("The consent page does not offer portal " + portalId);
            }
            form.put("portal_id", chosen);
        }
        form.put("decision", decision);
        Matcher action = FORM_ACTION.matcher(html);
        if (!action.find()) {
            throw new IllegalStateException("No consent form on the authorize page");
        }
        URI post = uri.resolve(unescape(action.group(1)));
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        HttpResponse<String> r = exchange(HttpRequest.newBuilder(post).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 302 && r.statusCode() != 303) {
            Matcher m = ERROR.matcher(r.body());
            throw new IllegalStateException("The consent form answered " + r.statusCode() + ": "
                    + (m.find() ? unescape(m.group(1)) : r.body()));
        }
        return r.headers().firstValue("Location").orElseThrow();
    }

    /** A query parameter of a URL (e.g. {@code code} of the Location {@link #grantConsent} returns), decoded; null if absent. */
    public static String queryParam(String url, String name) {
        String q = URI.create(url).getRawQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- counters

    /** Requests with this method (null = any) whose path starts with the prefix. */
    public long requestCount(String method, String pathPrefix) {
        return count(method, pathPrefix, null);
    }

    public long requestCount(String method, String pathPrefix, int status) {
        return count(method, pathPrefix, status);
    }

    private long count(String method, String pathPrefix, Integer status) {
        StringBuilder q = new StringBuilder("/_emulator/requests/count?x=1");
        if (method != null) {
            q.append("&method=").append(enc(method));
        }
        if (pathPrefix != null) {
            q.append("&path=").append(enc(pathPrefix));
        }
        if (status != null) {
            q.append("&status=").append(status);
        }
        return send("GET", q.toString(), null, 200).path("count").asLong();
    }

    public void clearRequestCounts() {
        send("DELETE", "/_emulator/requests", null, 204);
    }

    // ---------------------------------------------------------------- faults

    /** Adds a fault rule; returns its id. */
    public String injectFault(Fault fault) {
        Map<String, Object> body = JSON.convertValue(fault, Map.class);
        body.values().removeIf(v -> v == null);
        return send("POST", "/_emulator/faults", body, 201).path("id").asText();
    }

    public void removeFault(String id) {
        send("DELETE", "/_emulator/faults/" + enc(id), null, 204);
    }

    public void clearFaults() {
        send("DELETE", "/_emulator/faults", null, 204);
    }

    // ---------------------------------------------------------------- records

    /** A record by type and id in any portal, as {@code {"portalId":..,"object":{id,properties,...}}}; null if absent. */
    public JsonNode getObject(String type, String id) {
        HttpResponse<String> r = exchange(request("GET", "/_emulator/objects/" + enc(type) + "/" + enc(id), null));
        if (r.statusCode() == 404) {
            return null;
        }
        return check(r, 200);
    }

    /** Records (in any portal) whose property equals the value, case-insensitively: an array of {portalId, object}. */
    public ArrayNode searchObjects(String type, String property, String value) {
        return (ArrayNode) send("GET", "/_emulator/objects/" + enc(type) + "?property=" + enc(property) + "&value=" + enc(value),
                null, 200).path("results");
    }

    /** Every live record of a type in one portal. */
    public ArrayNode listObjects(String type, long portalId) {
        return (ArrayNode) send("GET", "/_emulator/objects/" + enc(type) + "?portalId=" + portalId, null, 200).path("results");
    }

    /** Lets writes use a custom property (otherwise they get PROPERTY_DOESNT_EXIST). */
    public void addProperty(String type, String name) {
        send("POST", "/_emulator/properties/" + enc(type), Map.of("name", name), 201);
    }

    // ---------------------------------------------------------------- plumbing

    private JsonNode send(String method, String path, Object body, int expected) {
        return check(exchange(request(method, path, body)), expected);
    }

    private HttpRequest.Builder request(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (body == null) {
            return b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("HubSpot emulator at " + baseUrl + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode check(HttpResponse<String> r, int expected) {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.request().uri().getPath() + " answered "
                    + r.statusCode() + " (expected " + expected + "): " + r.body());
        }
        return r.body() == null || r.body().isEmpty() ? JSON.createObjectNode() : parse(r.body());
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + s, e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
