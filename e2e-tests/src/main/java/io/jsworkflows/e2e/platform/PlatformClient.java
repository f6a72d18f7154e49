package io.jsworkflows.e2e.platform;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.localstack.client.Http;
import io.jsworkflows.localstack.client.KafkaTools;
import io.jsworkflows.localstack.client.WorkflowsApi;
import io.jsworkflows.localstack.stack.StackSettings;
import io.jsworkflows.shopifyemulator.DeliveryOptions;
import io.jsworkflows.shopifyemulator.DeliveryReport;
import io.jsworkflows.shopifyemulator.ShopifyWebhook;
import io.jsworkflows.shopifyemulator.WebhookSender;

/**
 * What a user of the platform does, through its public surfaces only: the admin and connections APIs, the emulator's
 * consent page (as a browser), the workflows API and the sources API, and Shopify deliveries signed and sent to the
 * webhook gateway as Shopify sends them.
 */
public final class PlatformClient implements AutoCloseable {

    /** A workspace and its API key. */
    public record Workspace(String id, String apiKey) {
    }

    /** One Shopify orders/create delivery as published: the idempotency key is its webhook id. */
    public record Order(long id, String name, String email, String webhookId, String amount) {
    }

    private final PlatformUnderTest platform;
    private final Http http = new Http();
    private final WorkflowsApi workflows;
    private final KafkaProducer<String, String> producer;

    public PlatformClient(PlatformUnderTest platform) {
        this.platform = platform;
        this.workflows = new WorkflowsApi(StackSettings.fromEnv(Map.of(
                "JSW_ROOT", PlatformUnderTest.repositoryRoot().toString(),
                "JSW_EXECUTOR_URL", platform.executorUrl(),
                "JSW_CONNECTIONS_URL", platform.connectionsUrl(),
                "JSW_EMULATOR_URL", platform.emulatorUrl(),
                "JSW_KAFKA_BOOTSTRAP", platform.bootstrapServers())));
        this.producer = KafkaTools.producer(platform.bootstrapServers());
    }

    public Http http() {
        return http;
    }

    public Workspace createWorkspace(String name) {
        JsonNode w = http.expect("creating workspace " + name, "POST", platform.connectionsUrl() + "/api/v1/admin/workspaces",
                platform.adminKey(), Map.of("name", name)).json();
        return new Workspace(w.path("id").asText(), w.path("apiKey").asText());
    }

    /** Creates connection {@code handle} for contacts and deals and gives consent at the emulator for {@code portalId}. */
    public JsonNode connect(Workspace ws, String handle, long portalId) {
        return connect(ws, handle, portalId, List.of(Map.of("resource", "contacts", "operation", "create"),
                Map.of("resource", "deals", "operation", "create")));
    }

    /** Creates a connection granting the given rows ({@code resource}, {@code operation}) and consents at the emulator. */
    public JsonNode connect(Workspace ws, String handle, long portalId, List<Map<String, String>> resources) {
        JsonNode created = http.expect("creating connection " + handle, "POST", connections(), ws.apiKey(), Map.of(
                "handle", handle, "resources", resources)).json();
        return consent(ws, handle, created.path("authorizeUrl").asText(), portalId);
    }

    /** Starts a reconnect through the API and consents again, as the user would after a revocation. */
    public JsonNode reconnect(Workspace ws, String handle, long portalId) {
        JsonNode r = http.expect("reconnecting " + handle, "POST", connections() + "/" + handle + "/reconnect", ws.apiKey(), null)
                .json();
        return consent(ws, handle, r.path("authorizeUrl").asText(), portalId);
    }

    private JsonNode consent(Workspace ws, String handle, String connectUrl, long portalId) {
        // connections-service hands back its own connect page: opened with the workspace's key it sets the flow's one-time
        // cookie and redirects to HubSpot; the callback completes only with that cookie and the key, as in that browser
        Http.Reply start = http.send("GET", connectUrl, ws.apiKey(), null, Map.of("Accept", "text/html"));
        String nonce = start.header("Set-Cookie");
        if (start.status() != 303 || start.header("Location") == null || nonce == null) {
            throw new IllegalStateException("the connect page answered HTTP " + start.status() + ": " + Http.problem(start.body()));
        }
        String callback = platform.emulator().grantConsent(start.header("Location"), portalId);
        // the browser's last hop: back to connections-service, which exchanges the code
        Http.Reply done = http.send("GET", URI.create(connectUrl).resolve(callback).toString(), ws.apiKey(), null,
                Map.of("Accept", "application/json", "Cookie", nonce.substring(0, nonce.indexOf(';'))));
        if (done.status() / 100 != 2) {
            throw new IllegalStateException("the OAuth callback answered HTTP " + done.status() + ": " + Http.problem(done.body()));
        }
        return connection(ws, handle);
    }

    public JsonNode connection(Workspace ws, String handle) {
        return http.expect("reading connection " + handle, "GET", connections() + "/" + handle, ws.apiKey(), null).json();
    }

    private String connections() {
        return platform.connectionsUrl() + "/api/v1/connections";
    }

    /** Deploys {@code examples/workflows/<id>.js} with its binding file, unmodified. */
    public JsonNode deployExample(Workspace ws, String id) throws IOException {
        Path file = PlatformUnderTest.repositoryRoot().resolve("examples/workflows").resolve(id + ".js");
        return workflows.deploy(ws.apiKey(), id, file, null, Map.of());
    }

    /** Deploys a workflow from source, bound to {@code topic}. */
    public JsonNode deploy(Workspace ws, String id, String source, String topic) {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("source", source);
        body.putObject("trigger").put("topic", topic);
        return http.expect("deploying " + id, "PUT", platform.executorUrl() + "/api/v1/workflows/" + id, ws.apiKey(), body).json();
    }

    // ------------------------------------------------------------------ Shopify deliveries

    /** Builds order {@code n} of a batch from the example order: its own id, name, email and webhook id. */
    public static Order order(String batch, int n) {
        long id = 7_000_000_000_000L + Math.abs((long) batch.hashCode() % 1_000_000) * 10_000 + n;
        return new Order(id, "#" + batch + "-" + n, batch.toLowerCase() + "." + n + "@example.com", UUID.randomUUID().toString(),
                (100 + n) + ".00");
    }

    /**
     * Delivers the orders as Shopify would: each an {@code orders/create} webhook signed with the workspace's source
     * secret, POSTed to its ingress URL at webhook-gateway (several at a time), retried on Shopify's schedule (time-scaled)
     * until the gateway answers 2xx, i.e. until the record is on the trigger topic.
     */
    public void publish(Workspace ws, List<Order> orders) throws Exception {
        Source source = source(ws);
        WebhookSender sender = new WebhookSender(DeliveryOptions.shopify().withTimeScale(0.001));
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<DeliveryReport>> reports = new ArrayList<>();
            for (Order o : orders) {
                byte[] body = Http.JSON.writeValueAsBytes(orderBody(o));
                ShopifyWebhook webhook = new ShopifyWebhook("orders/create", source.shopDomain(), ShopifyWebhook.DEFAULT_API_VERSION,
                        o.webhookId(), UUID.randomUUID().toString(), Instant.now(), body);
                reports.add(pool.submit(() -> sender.deliver(URI.create(source.ingressUrl()), source.secret(), webhook)));
            }
            for (Future<DeliveryReport> r : reports) {
                DeliveryReport report = r.get(2, TimeUnit.MINUTES);
                if (!report.delivered()) {
                    throw new IllegalStateException("a delivery failed: " + report.describe());
                }
            }
        }
    }

    /** A workspace's Shopify store at the platform: its source id, shop domain, secret and ingress URL. */
    public record Source(String id, String shopDomain, String secret, String ingressUrl) {
    }

    private final Map<String, Source> sources = new java.util.concurrent.ConcurrentHashMap<>();

    /** The workspace's Shopify source, added through the sources API on first use (one shop per workspace). */
    public Source source(Workspace ws) {
        return sources.computeIfAbsent(ws.id(), id -> {
            String shop = "e2e-" + Integer.toHexString(id.hashCode()) + ".myshopify.com";
            String secret = "shpss_" + UUID.randomUUID().toString().replace("-", "");
            JsonNode s = http.expect("adding Shopify store " + shop, "POST", platform.connectionsUrl() + "/api/v1/sources",
                    ws.apiKey(), Map.of("kind", "shopify", "shopDomain", shop, "webhookSecret", secret)).json();
            Source source = new Source(s.path("id").asText(), shop, secret, s.path("ingressUrl").asText());
            awaitKnownToGateway(source);
            return source;
        });
    }

    /**
     * A new source reaches the gateway through the outbox and {@code jsw.sources}; until then the gateway answers 404
     * (Shopify would retry). Tests that send exactly one delivery wait until a badly signed one is refused for what it is
     * (4xx other than 404) rather than for an unknown source.
     */
    private void awaitKnownToGateway(Source source) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            Http.Reply r = http.send("POST", source.ingressUrl(), null, Map.of(), Map.of("X-Shopify-Hmac-Sha256", "AAAA"));
            if (r.status() / 100 == 4 && r.status() != 404) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway still answers HTTP " + r.status() + " for source " + source.id());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(100).toNanos());
        }
    }

    private static volatile ObjectNode orderTemplate;

    /** The example order with this order's id, name, email and amount. */
    public static ObjectNode orderBody(Order o) throws IOException {
        ObjectNode template = orderTemplate;
        if (template == null) {
            template = (ObjectNode) Http.JSON.readTree(PlatformUnderTest.repositoryRoot().resolve("examples/shopify/order-created.json").toFile());
            orderTemplate = template;
        }
        ObjectNode body = template.deepCopy();
        body.put("id", o.id());
        body.put("name", o.name());
        body.put("email", o.email());
        body.put("contact_email", o.email());
        body.put("total_price", o.amount());
        ObjectNode customer = (ObjectNode) body.path("customer");
        customer.put("email", o.email());
        customer.put("first_name", "Buyer");
        customer.put("last_name", o.name().replace("#", "N"));
        return body;
    }

    /** Publishes any value (malformed ones too) with the given headers. */
    public CompletableFuture<?> send(String topic, String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> r.headers().add(new RecordHeader(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        CompletableFuture<Object> ack = new CompletableFuture<>();
        producer.send(r, (m, e) -> {
            if (e != null) {
                ack.completeExceptionally(e);
            } else {
                ack.complete(m);
            }
        });
        return ack;
    }

    public static Map<String, String> shopifyHeaders(Order o) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Shopify-Topic", "orders/create");
        h.put("X-Shopify-Shop-Domain", "e2e.myshopify.com");
        h.put("X-Shopify-Webhook-Id", o.webhookId());
        h.put("X-Shopify-Event-Id", UUID.randomUUID().toString());
        h.put("X-Shopify-API-Version", "2025-10");
        h.put("X-Shopify-Triggered-At", Instant.now().toString());
        h.put("X-Shopify-Order-Id", Long.toString(o.id()));
        h.put("Content-Type", "application/json");
        return h;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
