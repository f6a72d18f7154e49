package io.jsworkflows.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.contracts.json.ContractsJson;

/**
 * Shopify {@code orders/create} deliveries made from {@code examples/shopify/order-created.json}: each with its own order
 * id, name and customer e-mail (HubSpot answers 409 to a second contact with the same e-mail) and Shopify's webhook
 * headers. The record key is the shop domain, as on {@code shopify.orders}; the orders come from {@code shops} shops.
 */
final class Orders {

    private static final byte[] WEBHOOK_SECRET = "jsw-bench-shopify-app-secret".getBytes(StandardCharsets.UTF_8);

    /** Which benchmark target a record is for; each target's binding matches its own value. */
    static final String TARGET_HEADER = "X-Jsw-Bench-Target";

    private final ObjectNode template;
    private final String tag;
    private final int shops;
    private final String workspaceId;
    private final AtomicLong seq = new AtomicLong();

    /** @param workspaceId stamped as {@code jsw-workspace}, as webhook-gateway stamps a verified delivery */
    Orders(Path root, String tag, int shops, String workspaceId) throws IOException {
        this.workspaceId = workspaceId;
        this.template = (ObjectNode) ContractsJson.mapper().readTree(root.resolve("examples/shopify/order-created.json").toFile());
        this.tag = tag;
        this.shops = shops;
    }

    /** One delivery to {@code topic}; its webhook id (= the run's idempotency key) is the record's first header value. */
    Order next(String topic, String who) {
        long n = seq.incrementAndGet();
        ObjectNode o = template.deepCopy();
        long id = 6_000_000_000_000L + n;
        String email = "bench-" + tag + "-" + who + "-" + n + "@example.com";
        o.put("id", id);
        o.put("admin_graphql_api_id", "gid://shopify/Order/" + id);
        o.put("name", "#B" + n);
        o.put("order_number", n);
        o.put("email", email);
        o.put("contact_email", email);
        if (o.get("customer") instanceof ObjectNode c) {
            c.put("id", 7_000_000_000_000L + n);
            c.put("email", email);
        }
        String body = ContractsJson.write(o);
        String shop = "bench-shop-" + (n % shops) + ".myshopify.com";
        String webhookId = UUID.randomUUID().toString();
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, shop, body.getBytes(StandardCharsets.UTF_8));
        r.headers().add("X-Shopify-Webhook-Id", bytes(webhookId));
        r.headers().add("X-Shopify-Topic", bytes("orders/create"));
        r.headers().add("X-Shopify-Shop-Domain", bytes(shop));
        r.headers().add("X-Shopify-Event-Id", bytes(UUID.randomUUID().toString()));
        r.headers().add("X-Shopify-API-Version", bytes("2025-10"));
        r.headers().add("X-Shopify-Triggered-At", bytes(Instant.now().toString()));
        r.headers().add("X-Shopify-Order-Id", bytes(Long.toString(id)));
        r.headers().add("X-Shopify-Hmac-Sha256", bytes(hmac(body)));
        r.headers().add("Content-Type", bytes("application/json"));
        r.headers().add(TARGET_HEADER, bytes(who));
        if (workspaceId != null) {
            r.headers().add(PlatformHeaders.WORKSPACE, bytes(workspaceId));
        }
        return new Order(webhookId, r);
    }

    List<Order> next(String topic, String who, int count) {
        List<Order> l = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            l.add(next(topic, who));
        }
        return l;
    }

    record Order(String webhookId, ProducerRecord<String, byte[]> record) {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
