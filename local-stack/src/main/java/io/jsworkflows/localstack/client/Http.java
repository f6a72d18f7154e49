package io.jsworkflows.localstack.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.localstack.stack.StackException;

/** A small JSON-over-HTTP client for the stack's APIs; problem+json answers become readable errors. */
public final class Http {

    public static final ObjectMapper JSON = ContractsJson.mapper();

    /** Redirects are never followed: the consent flow reads each Location itself, as a browser would. */
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public record Reply(int status, String body, HttpResponse<String> raw) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new StackException("expected JSON but got: " + abbreviate(body));
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Reply send(String method, String url, String bearer, Object body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(b::header);
        HttpRequest.BodyPublisher pub = HttpRequest.BodyPublishers.noBody();
        if (body instanceof String form && headers.containsKey("Content-Type")) {
            pub = HttpRequest.BodyPublishers.ofString(form);
        } else if (body != null) {
            try {
                pub = HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
            b.header("Content-Type", "application/json");
        }
        if (!headers.containsKey("Accept")) {
            b.header("Accept", "application/json");
        }
        b.method(method, pub);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new StackException(method + " " + url + " failed (" + KafkaTools.rootMessage(e)
                    + "). Is the stack running? Start it with ./jsw up.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    /** Sends and insists on a 2xx answer; otherwise fails with the problem's title and detail. */
    public Reply expect(String what, String method, String url, String bearer, Object body) {
        Reply r = send(method, url, bearer, body, Map.of());
        if (r.status() / 100 != 2) {
            throw new StackException(what + " failed: HTTP " + r.status() + " from " + method + " " + url + ": " + problem(r.body()));
        }
        return r;
    }

    public static String problem(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && (n.has("title") || n.has("detail"))) {
                return n.path("title").asText("") + (n.has("detail") ? " - " + n.path("detail").asText() : "");
            }
            if (n != null && n.has("message")) {
                return n.path("message").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: show the start of it
        }
        return abbreviate(body);
    }

    public static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
