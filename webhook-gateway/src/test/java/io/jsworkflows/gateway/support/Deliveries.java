package io.jsworkflows.gateway.support;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.jsworkflows.contracts.ShopifyHeaders;
import io.jsworkflows.gateway.service.ShopifyHmac;

/** Shopify deliveries as Shopify sends them: the headers it sets and the body signed with the source's secret. */
public final class Deliveries {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A delivery: mutable headers so that a test can remove or forge some. */
    public static final class Delivery {
        public final Map<String, String> headers = new LinkedHashMap<>();
        public byte[] body;
        public boolean chunked;

        public String webhookId() {
            return headers.get(ShopifyHeaders.WEBHOOK_ID);
        }

        public Delivery header(String name, String value) {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
            return this;
        }

        public Delivery sign(String secret) {
            headers.put(ShopifyHeaders.HMAC, ShopifyHmac.header(secret, body));
            return this;
        }
    }

    private Deliveries() {
    }

    public static String orderJson(String marker) {
        return "{\"id\":820982911946154508,\"email\":\"jon@example.com\",\"note\":\"" + marker
                + "\",\"total_price\":\"19.99\",\"customer\":{\"first_name\":\"Jon\",\"last_name\":\"Snøw\"}}";
    }

    /** An orders/create delivery for {@code shop}, signed with {@code secret}. */
    public static Delivery order(String shop, String secret, String body) {
        Delivery d = new Delivery();
        d.body = body.getBytes(StandardCharsets.UTF_8);
        d.headers.put("Content-Type", "application/json");
        d.headers.put(ShopifyHeaders.TOPIC, "orders/create");
        d.headers.put(ShopifyHeaders.SHOP_DOMAIN, shop);
        d.headers.put(ShopifyHeaders.API_VERSION, "2026-01");
        d.headers.put(ShopifyHeaders.WEBHOOK_ID, UUID.randomUUID().toString());
        d.headers.put(ShopifyHeaders.EVENT_ID, UUID.randomUUID().toString());
        d.headers.put(ShopifyHeaders.TRIGGERED_AT, "2026-12-06T10:00:00.000Z");
        return d.sign(secret);
    }

    public static HttpResponse<String> post(String baseUrl, String sourceId, Delivery d) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "webhooks/shopify/" + sourceId)).timeout(Duration.ofSeconds(20));
        d.headers.forEach(b::header);
        b.POST(d.chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(d.body))
                : HttpRequest.BodyPublishers.ofByteArray(d.body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("POST failed: " + e, e);
        }
    }
}
