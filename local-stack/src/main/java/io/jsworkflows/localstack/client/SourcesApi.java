package io.jsworkflows.localstack.client;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.localstack.stack.StackSettings;

/** Trigger sources through connections-service's API ({@code /api/v1/sources}, workspace API key). */
public final class SourcesApi {

    private final StackSettings settings;
    private final Http http = new Http();

    public SourcesApi(StackSettings settings) {
        this.settings = settings;
    }

    private String base() {
        return settings.connectionsUrl() + "/api/v1/sources";
    }

    /** Adds a Shopify store; the answer carries the source id and the ingress URL to enter in Shopify (never the secret). */
    public JsonNode addShopify(String apiKey, String shopDomain, String webhookSecret) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("kind", "shopify");
        body.put("shopDomain", shopDomain);
        body.put("webhookSecret", webhookSecret);
        return http.expect("adding the Shopify source " + shopDomain, "POST", base(), apiKey, body).json();
    }

    public JsonNode list(String apiKey) {
        return http.expect("listing sources", "GET", base(), apiKey, null).json().path("sources");
    }

    /** The source, or null if the workspace has none with that id. */
    public JsonNode find(String apiKey, String id) {
        Http.Reply r = http.send("GET", base() + "/" + id, apiKey, null, Map.of());
        return r.status() == 200 ? r.json() : null;
    }

    public void delete(String apiKey, String id) {
        http.expect("deleting source " + id, "DELETE", base() + "/" + id, apiKey, null);
    }

    /** The id and name of the workspace an API key belongs to ({@code GET /api/v1/workspace}). */
    public JsonNode workspace(String apiKey) {
        return http.expect("looking up the workspace of the API key", "GET", settings.connectionsUrl() + "/api/v1/workspace",
                apiKey, null).json();
    }
}
