package io.jsworkflows.gateway.service;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;

import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.contracts.ShopifyHeaders;
import io.vertx.core.MultiMap;

/**
 * The header rules of a delivery. HTTP header names are case-insensitive (Vert.x' {@link MultiMap} is); the record gets
 * only the {@link ShopifyHeaders#KEPT} headers, under their canonical names, plus the platform's own headers, so that
 * nothing a caller sends (a forged {@code jsw-workspace}, the HMAC) reaches the topic.
 */
public final class DeliveryHeaders {

    private DeliveryHeaders() {
    }

    /** The {@link ShopifyHeaders#REQUIRED} headers that are missing or blank, in that list's order. */
    public static List<String> missing(MultiMap headers) {
        return ShopifyHeaders.REQUIRED.stream().filter(h -> blank(headers.get(h))).toList();
    }

    /** The record's headers: the kept Shopify headers present, then the workspace and source the platform established. */
    public static RecordHeaders recordHeaders(MultiMap headers, String workspaceId, String sourceId) {
        RecordHeaders out = new RecordHeaders();
        for (String name : ShopifyHeaders.KEPT) {
            String value = headers.get(name);
            if (!blank(value)) {
                out.add(name, value.getBytes(StandardCharsets.UTF_8));
            }
        }
        out.add(PlatformHeaders.WORKSPACE, workspaceId.getBytes(StandardCharsets.UTF_8));
        out.add(PlatformHeaders.SOURCE, sourceId.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static boolean blank(String v) {
        return v == null || v.isBlank();
    }
}
