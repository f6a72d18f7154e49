package io.jsworkflows.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.contracts.ShopifyHeaders;
import io.vertx.core.MultiMap;

/** Which headers a delivery needs, and which reach the record. */
class DeliveryHeadersTest {

    private static MultiMap complete() {
        return MultiMap.caseInsensitiveMultiMap()
                .add("x-shopify-hmac-sha256", "abc")
                .add("X-SHOPIFY-TOPIC", "orders/create")
                .add("X-Shopify-Shop-Domain", "shop.myshopify.com")
                .add("x-shopify-api-version", "2026-01")
                .add("X-Shopify-Webhook-Id", "wh-1");
    }

    @Test
    void requiredHeadersAreMatchedCaseInsensitively() {
        assertThat(DeliveryHeaders.missing(complete())).isEmpty();
    }

    @Test
    void missingOrBlankRequiredHeadersAreNamed() {
        MultiMap h = complete();
        h.remove(ShopifyHeaders.TOPIC);
        h.set("x-shopify-webhook-id", "  ");
        assertThat(DeliveryHeaders.missing(h)).containsExactly(ShopifyHeaders.TOPIC, ShopifyHeaders.WEBHOOK_ID);
        assertThat(DeliveryHeaders.missing(MultiMap.caseInsensitiveMultiMap())).containsExactlyElementsOf(ShopifyHeaders.REQUIRED);
    }

    @Test
    void theRecordGetsKeptHeadersUnderTheirNamesAndOnlyThePlatformsWorkspace() {
        MultiMap h = complete()
                .add("x-shopify-event-id", "ev-1")
                .add("jsw-workspace", "ws-forged")
                .add("JSW-Source", "src-forged")
                .add("jsw-anything", "x")
                .add("Authorization", "Bearer secret")
                .add("Cookie", "a=b");
        RecordHeaders r = DeliveryHeaders.recordHeaders(h, "ws-owner", "src_1");
        List<String> names = new ArrayList<>();
        for (Header x : r) {
            names.add(x.key());
        }
        assertThat(names).containsExactly(ShopifyHeaders.TOPIC, ShopifyHeaders.SHOP_DOMAIN, ShopifyHeaders.API_VERSION,
                ShopifyHeaders.WEBHOOK_ID, ShopifyHeaders.EVENT_ID, PlatformHeaders.WORKSPACE, PlatformHeaders.SOURCE);
        assertThat(value(r, PlatformHeaders.WORKSPACE)).isEqualTo("ws-owner");
        assertThat(value(r, PlatformHeaders.SOURCE)).isEqualTo("src_1");
        assertThat(value(r, ShopifyHeaders.TOPIC)).isEqualTo("orders/create");
        assertThat(names).doesNotContain(ShopifyHeaders.HMAC);
        assertThat(names.stream().filter(PlatformHeaders::isReserved)).containsExactly(PlatformHeaders.WORKSPACE, PlatformHeaders.SOURCE);
    }

    @Test
    void jsonCheck() {
        assertThat(WebhookIngress.isJson(bytes("{\"a\":[1,2,{\"b\":\"ü\"}]}"))).isTrue();
        assertThat(WebhookIngress.isJson(bytes("[]"))).isTrue();
        assertThat(WebhookIngress.isJson(bytes(""))).isFalse();
        assertThat(WebhookIngress.isJson(bytes("not json"))).isFalse();
        assertThat(WebhookIngress.isJson(bytes("{\"a\":1"))).isFalse();
        assertThat(WebhookIngress.isJson(bytes("{\"a\":1} {\"b\":2}"))).isFalse();
        assertThat(WebhookIngress.isJson(new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'})).isFalse(); // invalid UTF-8
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String value(RecordHeaders r, String name) {
        return new String(r.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
