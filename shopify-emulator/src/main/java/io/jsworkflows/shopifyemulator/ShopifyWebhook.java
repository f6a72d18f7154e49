package io.jsworkflows.shopifyemulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.UUID;

/**
 * One webhook as Shopify fires it: the topic, the shop, the API version the body was serialized with, the ids and the
 * raw body. Retries of a delivery send this same object again, so the webhook id, event id, trigger time and body stay
 * the same across attempts.
 */
public record ShopifyWebhook(String topic, String shopDomain, String apiVersion, String webhookId, String eventId,
        Instant triggeredAt, byte[] body) {

    /** The API version the emulator says it serialized with (Shopify's stable versions are quarterly). */
    public static final String DEFAULT_API_VERSION = "2025-10";

    /** ISO 8601 with nanoseconds, as a Shopify docs example shows it. */
    private static final DateTimeFormatter TRIGGERED_AT = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    public ShopifyWebhook {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(shopDomain, "shopDomain");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(triggeredAt, "triggeredAt");
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** A new webhook with fresh ids, triggered now. */
    public static ShopifyWebhook of(String topic, String shopDomain, byte[] body) {
        return new ShopifyWebhook(topic, shopDomain, DEFAULT_API_VERSION, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), Instant.now(), body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String triggeredAtHeader() {
        return TRIGGERED_AT.format(triggeredAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShopifyWebhook w && topic.equals(w.topic) && shopDomain.equals(w.shopDomain)
                && apiVersion.equals(w.apiVersion) && webhookId.equals(w.webhookId) && eventId.equals(w.eventId)
                && triggeredAt.equals(w.triggeredAt) && java.util.Arrays.equals(body, w.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(webhookId, eventId);
    }

    /** Never prints the body: it carries customer data. */
    @Override
    public String toString() {
        return "ShopifyWebhook[topic=" + topic + ", shop=" + shopDomain + ", webhookId=" + webhookId + ", bytes="
                + body.length + "]";
    }
}
