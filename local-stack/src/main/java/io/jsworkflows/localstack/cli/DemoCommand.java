package io.jsworkflows.localstack.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.localstack.client.EventFormat;
import io.jsworkflows.localstack.client.Http;
import io.jsworkflows.localstack.client.KafkaTools;
import io.jsworkflows.localstack.client.Records;
import io.jsworkflows.localstack.client.SourcesApi;
import io.jsworkflows.localstack.client.WorkflowsApi;
import io.jsworkflows.localstack.stack.EnvFile;
import io.jsworkflows.localstack.stack.LocalKeys;
import io.jsworkflows.localstack.stack.StackException;
import io.jsworkflows.localstack.stack.StackSettings;
import io.jsworkflows.shopifyemulator.DeliveryOptions;
import io.jsworkflows.shopifyemulator.DeliveryReport;
import io.jsworkflows.shopifyemulator.ShopifyWebhook;
import io.jsworkflows.shopifyemulator.WebhookSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole product once, against the running stack: workspace and key, the {@code my-hubspot} connection with its
 * consent given at the emulator like a browser would, the two example workflows, the demo shop as a Shopify source,
 * one signed Shopify order delivered to webhook-gateway by the shopify-emulator's sender, and what came of it.
 * Re-running it reuses the demo workspace, connection and source (kept in {@code .jsw/demo.env}).
 *
 * <p>Longer than a class should be: it is the demo's script, its steps in the order a user would take them, each
 * printing what it did; the reusable parts (HTTP, Kafka, the consent) already live in {@code client}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the end-to-end demo against the stack that ./jsw up started.")
public final class DemoCommand implements Callable<Integer> {

    static final String HANDLE = "my-hubspot";
    static final List<String> WORKFLOWS = List.of("contact-from-order", "deal-from-order");
    static final String SHOP = "jsw-demo.myshopify.com";
    /** Shopify's retry schedule on a 1/1000 clock: 8 retries within 14.4 s instead of 4 hours. */
    static final double DELIVERY_TIME_SCALE = 0.001;

    @Option(names = "--timeout", description = "how long to wait for the runs (default PT90S)")
    Duration timeout = Duration.ofSeconds(90);

    private final Http http = new Http();
    private StackSettings s;

    @Override
    public Integer call() throws Exception {
        s = StackSettings.fromEnv();
        KafkaTools.awaitReachable(s.kafkaBootstrap(), Duration.ofSeconds(10));

        // 1. workspace + API key
        Map<String, String> demo = workspace();
        String apiKey = demo.get("JSW_API_KEY");

        // 2-3. connection my-hubspot (contacts + deals create), consent at the emulator
        JsonNode connection = connection(apiKey);
        String connectionId = connection.path("id").asText();
        awaitToken(connectionId);

        // 4. the two example workflows
        WorkflowsApi workflows = new WorkflowsApi(s);
        Path dir = s.root().resolve("examples/workflows");
        for (String id : WORKFLOWS) {
            JsonNode w = workflows.deploy(apiKey, id, dir.resolve(id + ".js"), Topics.SHOPIFY_ORDERS,
                    Map.of("X-Shopify-Topic", "orders/create"));
            step("4", "deployed workflow " + id + " version " + w.path("version").asText("?")
                    + " on shopify.orders (X-Shopify-Topic: orders/create)");
        }

        // 5. the demo shop as a Shopify source of this workspace, then one orders/create delivered to its ingress URL
        //    (webhook-gateway) signed, timed out and retried as Shopify does
        DemoSource source = source(apiKey, demo);
        Path orderFile = s.root().resolve("examples/shopify/order-created.json");
        ObjectNode order = (ObjectNode) Http.JSON.readTree(orderFile.toFile());
        String email = uniqueEmailIfTaken(order);
        ShopifyWebhook webhook = ShopifyWebhook.of("orders/create", SHOP, Http.JSON.writeValueAsBytes(order));

        Map<String, RunEvent> finals;
        try (KafkaConsumer<String, String> runs = KafkaTools.consumer(s.kafkaBootstrap(), null)) {
            List<TopicPartition> tps = Records.assignAll(runs, Topics.RUN_EVENTS);
            runs.seekToEnd(tps);
            tps.forEach(runs::position); // pin "now" before delivering
            step("5", "delivering order " + order.path("name").asText() + " (" + email + ") as Shopify would: POST "
                    + source.ingressUrl() + ", X-Shopify-Webhook-Id " + webhook.webhookId());
            // the gateway learns a new source from jsw.sources a moment after it is created: until then it refuses the
            // delivery and Shopify's retries (here on a 1/1000 clock) bring it in
            DeliveryReport report = new WebhookSender(DeliveryOptions.shopify().withTimeScale(DELIVERY_TIME_SCALE))
                    .deliver(URI.create(source.ingressUrl()), source.secret(), webhook);
            System.out.println(report.describe().indent(5).stripTrailing());
            if (!report.delivered()) {
                throw new StackException("webhook-gateway did not accept the order (" + report.attempts().size()
                        + " attempts); see .jsw/logs/webhook-gateway.log");
            }
            // 6. run events of this delivery
            finals = awaitRuns(runs, demo.get("JSW_WORKSPACE_ID"));
        }

        // 7. what the emulator holds now
        JsonNode contacts = http.expect("looking up the contact", "GET", s.emulatorUrl() + "/_emulator/objects/contacts?property=email&value="
                + URLEncoder.encode(email, StandardCharsets.UTF_8), null, null).json().path("results");
        JsonNode deals = http.expect("looking up deals", "GET", s.emulatorUrl() + "/_emulator/objects/deals?property=dealname&value="
                + URLEncoder.encode("Order " + order.path("name").asText(), StandardCharsets.UTF_8), null, null).json().path("results");
        step("7", "the HubSpot emulator now holds:");
        for (JsonNode c : contacts) {
            JsonNode p = c.path("object").path("properties");
            System.out.printf("     contact %s in portal %s: %s %s <%s>%n", c.path("object").path("id").asText(), c.path("portalId").asText(),
                    p.path("firstname").asText(""), p.path("lastname").asText(""), p.path("email").asText());
        }
        JsonNode lastDeal = null;
        for (JsonNode d : deals) {
            lastDeal = d;
        }
        if (lastDeal != null) {
            JsonNode p = lastDeal.path("object").path("properties");
            System.out.printf("     deal %s in portal %s: \"%s\" amount %s, stage %s%s%n", lastDeal.path("object").path("id").asText(),
                    lastDeal.path("portalId").asText(), p.path("dealname").asText(), p.path("amount").asText(""),
                    p.path("dealstage").asText(""), deals.size() > 1 ? " (" + deals.size() + " deals with that name, from earlier runs too)" : "");
        }
        boolean ok = finals.values().stream().allMatch(e -> e.type() == RunEvent.Type.SUCCEEDED) && !contacts.isEmpty() && lastDeal != null;
        System.out.println();
        System.out.println(ok ? "jsw: demo succeeded" : "jsw: demo did not complete; see ./jsw tail runs and .jsw/logs/");
        System.out.println("  More: ./jsw tail runs | ./jsw tail connections | ./jsw workflows list   (workspace key in " + rel(s.demoFile()) + ")");
        return ok ? 0 : 1;
    }

    // ------------------------------------------------------------------ steps

    private Map<String, String> workspace() throws IOException {
        Map<String, String> demo = EnvFile.read(s.demoFile());
        String key = demo.get("JSW_API_KEY");
        if (key != null) {
            Http.Reply r = http.send("GET", s.connectionsUrl() + "/api/v1/workspace", key, null, Map.of());
            if (r.status() == 200) {
                step("1", "using the demo workspace " + r.json().path("name").asText() + " (" + r.json().path("id").asText() + ")");
                return demo;
            }
        }
        JsonNode w = http.expect("creating the demo workspace", "POST", s.connectionsUrl() + "/api/v1/admin/workspaces",
                LocalKeys.adminKey(s), Map.of("name", "Demo " + Instant.now().toString().substring(0, 19))).json();
        demo = new LinkedHashMap<>();
        demo.put("JSW_WORKSPACE_ID", w.path("id").asText());
        demo.put("JSW_API_KEY", w.path("apiKey").asText());
        EnvFile.write(s.demoFile(), "jsw demo workspace (created by ./jsw demo); JSW_API_KEY is its API key", demo);
        step("1", "created workspace " + w.path("name").asText() + " (" + w.path("id").asText() + "); its API key is in " + rel(s.demoFile()));
        return demo;
    }

    /** A source the demo can sign for: its id, ingress URL and webhook secret (kept in demo.env beside the API key). */
    record DemoSource(String id, String ingressUrl, String secret) {
        @Override
        public String toString() {
            return "DemoSource[id=" + id + ", ingressUrl=" + ingressUrl + ", secret=***]";
        }
    }

    /**
     * The demo shop's source: the one this demo created before if the workspace still has it, else a new one with a
     * fresh secret (the API never returns a secret, so one we do not hold is replaced).
     */
    private DemoSource source(String apiKey, Map<String, String> demo) throws IOException {
        SourcesApi sources = new SourcesApi(s);
        String id = demo.get("JSW_DEMO_SOURCE_ID");
        String secret = demo.get("JSW_DEMO_SOURCE_SECRET");
        if (id != null && secret != null) {
            JsonNode existing = sources.find(apiKey, id);
            if (existing != null) {
                step("5", "using Shopify source " + id + " for " + SHOP + " (ingress " + existing.path("ingressUrl").asText() + ")");
                return new DemoSource(id, existing.path("ingressUrl").asText(), secret);
            }
        }
        for (JsonNode other : sources.list(apiKey)) {
            if (SHOP.equals(other.path("shopDomain").asText())) {
                sources.delete(apiKey, other.path("id").asText()); // one source per shop; we do not hold its secret
            }
        }
        secret = SourcesCommand.randomSecret();
        JsonNode created = sources.addShopify(apiKey, SHOP, secret);
        DemoSource src = new DemoSource(created.path("id").asText(), created.path("ingressUrl").asText(), secret);
        Map<String, String> kept = new LinkedHashMap<>(demo);
        kept.put("JSW_DEMO_SOURCE_ID", src.id());
        kept.put("JSW_DEMO_SOURCE_SECRET", secret);
        EnvFile.write(s.demoFile(), "jsw demo workspace (created by ./jsw demo); JSW_API_KEY is its API key, "
                + "JSW_DEMO_SOURCE_SECRET the demo shop's webhook secret", kept);
        demo.putAll(kept);
        step("5", "added Shopify source " + src.id() + " for " + SHOP + " (POST /api/v1/sources); ingress URL "
                + src.ingressUrl() + ", topics " + created.path("topics"));
        return src;
    }

    private JsonNode connection(String apiKey) {
        String base = s.connectionsUrl() + "/api/v1/connections";
        Http.Reply existing = http.send("GET", base + "/" + HANDLE, apiKey, null, Map.of());
        JsonNode created;
        if (existing.status() == 200 && "ACTIVE".equals(existing.json().path("status").asText())) {
            step("2", "connection " + HANDLE + " is already ACTIVE (portal " + existing.json().path("hubId").asText() + ")");
            return existing.json();
        } else if (existing.status() == 200) {
            created = http.expect("reconnecting " + HANDLE, "POST", base + "/" + HANDLE + "/reconnect", apiKey, null).json();
            step("2", "reconnecting " + HANDLE + " (it was " + existing.json().path("status").asText() + ")");
        } else {
            created = http.expect("creating connection " + HANDLE, "POST", base, apiKey, Map.of("handle", HANDLE, "resources", List.of(
                    Map.of("resource", "contacts", "operation", "create"), Map.of("resource", "deals", "operation", "create")))).json();
            step("2", "created connection " + HANDLE + " (" + created.path("status").asText() + ", scopes " + created.path("scopes") + ")");
        }
        // connections-service hands back its own connect page: opened with the workspace's key it sets the flow's one-time
        // cookie and redirects to HubSpot; the callback completes only with that cookie and the key, as in that browser
        Http.Reply start = http.send("GET", created.path("authorizeUrl").asText(), apiKey, null, Map.of("Accept", "text/html"));
        String nonce = start.header("Set-Cookie");
        if (start.status() != 303 || start.header("Location") == null || nonce == null) {
            throw new StackException("the connect page answered HTTP " + start.status() + ": " + Http.problem(start.body()));
        }
        String callback = grantAtEmulator(start.header("Location"));
        // the browser's last hop: back to connections-service, which exchanges the code
        Http.Reply done = http.send("GET", callback, apiKey, null,
                Map.of("Accept", "application/json", "Cookie", nonce.substring(0, nonce.indexOf(';'))));
        if (done.status() / 100 != 2) {
            throw new StackException("the OAuth callback failed: HTTP " + done.status() + ": " + Http.problem(done.body()));
        }
        JsonNode c = http.expect("reading " + HANDLE, "GET", base + "/" + HANDLE, apiKey, null).json();
        step("3", "consent granted at the emulator; " + HANDLE + " is " + c.path("status").asText() + " for portal "
                + c.path("hubId").asText() + " (" + c.path("hubDomain").asText() + ")");
        if (!"ACTIVE".equals(c.path("status").asText())) {
            throw new StackException("connection " + HANDLE + " is " + c.path("status").asText() + " after the consent, not ACTIVE");
        }
        return c;
    }

    /** Opens the consent page and submits its form with "Grant access", as a person in a browser would; returns the redirect. */
    String grantAtEmulator(String authorizeUrl) {
        if (authorizeUrl == null || authorizeUrl.isBlank()) {
            throw new StackException("connections-service returned no authorizeUrl");
        }
        Http.Reply page = http.send("GET", authorizeUrl, null, null, Map.of("Accept", "text/html"));
        if (page.status() == 302 || page.status() == 303) {
            return page.header("Location"); // auto-approve is on
        }
        if (page.status() != 200) {
            throw new StackException("the emulator's consent page answered HTTP " + page.status() + ": " + Http.problem(page.body()));
        }
        ConsentForm form = ConsentForm.parse(page.body());
        Map<String, String> fields = new LinkedHashMap<>(form.fields());
        fields.put("decision", "grant");
        String action = URI.create(authorizeUrl).resolve(form.action()).toString();
        Http.Reply r = http.send("POST", action, null, Http.form(fields),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html"));
        String location = r.header("Location");
        if (r.status() / 100 != 3 || location == null) {
            throw new StackException("granting consent at the emulator answered HTTP " + r.status() + " without a redirect: "
                    + Http.problem(r.body()));
        }
        if (location.contains("error=")) {
            throw new StackException("the emulator refused the consent: " + location.replaceAll("code=[^&]*", "code=..."));
        }
        return URI.create(action).resolve(location).toString();
    }

    /** The executor learns tokens from jsw.connections.tokens: wait until the refresher has published this connection's. */
    private void awaitToken(String connectionId) {
        try (KafkaConsumer<String, String> c = KafkaTools.consumer(s.kafkaBootstrap(), null)) {
            List<TopicPartition> tps = Records.assignAll(c, Topics.CONNECTION_TOKENS);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    if (connectionId.equals(r.key()) && r.value() != null) {
                        TokenState t = ContractsJson.read(r.value(), TokenState.class);
                        if (t.sealedAccessToken() != null) {
                            step("3", "token-refresher published the access token (sealed) for " + HANDLE + ", valid until " + t.expiresAt());
                            return;
                        }
                    }
                }
            }
        }
        throw new StackException("no token for " + HANDLE + " on " + Topics.CONNECTION_TOKENS + " within 60 s: is token-refresher running? "
                + "See .jsw/logs/token-refresher.log");
    }

    private Map<String, RunEvent> awaitRuns(KafkaConsumer<String, String> runs, String workspaceId) {
        Map<String, RunEvent> finals = new LinkedHashMap<>();
        Set<String> want = new HashSet<>(WORKFLOWS);
        long deadline = System.nanoTime() + timeout.toNanos();
        step("6", "run events (jsw.runs.events):");
        while (System.nanoTime() < deadline && !finals.keySet().containsAll(want)) {
            for (ConsumerRecord<String, String> r : runs.poll(Duration.ofMillis(500))) {
                RunEvent e = ContractsJson.read(r.value(), RunEvent.class);
                if (!want.contains(e.workflowId()) || (workspaceId != null && !workspaceId.equals(e.workspaceId()))) {
                    continue;
                }
                System.out.println("     " + EventFormat.run(r.value()).replace("\n", "\n     "));
                if (e.type() == RunEvent.Type.SUCCEEDED || e.type() == RunEvent.Type.DEAD_LETTERED || e.type() == RunEvent.Type.PARKED
) {
                    finals.put(e.workflowId(), e);
                }
            }
        }
        List<String> missing = new ArrayList<>(want);
        missing.removeAll(finals.keySet());
        if (!missing.isEmpty()) {
            throw new StackException("no outcome for " + missing + " within " + timeout.toSeconds() + " s; see .jsw/logs/workflow-executor.log");
        }
        return finals;
    }

    /** Re-runs would collide with the contact of an earlier run (HubSpot answers 409): give the customer a fresh address. */
    private String uniqueEmailIfTaken(ObjectNode order) {
        String email = order.path("email").asText();
        JsonNode hits = http.expect("looking up contacts", "GET", s.emulatorUrl() + "/_emulator/objects/contacts?property=email&value="
                + URLEncoder.encode(email, StandardCharsets.UTF_8), null, null).json().path("results");
        if (hits.isEmpty()) {
            return email;
        }
        int at = email.indexOf('@');
        String fresh = email.substring(0, at) + "+" + Long.toString(System.currentTimeMillis(), 36) + email.substring(at);
        order.put("email", fresh);
        order.put("contact_email", fresh);
        if (order.get("customer") instanceof ObjectNode customer) {
            customer.put("email", fresh);
        }
        step("5", email + " is already a contact (an earlier demo run): this order uses " + fresh);
        return fresh;
    }

    private static void step(String n, String text) {
        System.out.println("jsw demo [" + n + "] " + text);
        System.out.flush();
    }

    private static String rel(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    /** The consent page's form: its action and the fields a browser would submit (hidden inputs, selected options). */
    record ConsentForm(String action, Map<String, String> fields) {

        private static final Pattern FORM = Pattern.compile("<form[^>]*action=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
        private static final Pattern INPUT = Pattern.compile("<input[^>]*>", Pattern.CASE_INSENSITIVE);
        private static final Pattern SELECT = Pattern.compile("<select[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>",
                Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        private static final Pattern OPTION = Pattern.compile("<option[^>]*value=\"([^\"]*)\"[^>]*>", Pattern.CASE_INSENSITIVE);

        static ConsentForm parse(String html) {
            Matcher f = FORM.matcher(html);
            if (!f.find()) {
                throw new StackException("the emulator's consent page has no form");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher in = INPUT.matcher(html);
            while (in.find()) {
                String tag = in.group();
                String name = attr(tag, "name");
                if (name != null && !"submit".equalsIgnoreCase(attr(tag, "type"))) {
                    fields.put(name, unescape(attr(tag, "value") == null ? "" : attr(tag, "value")));
                }
            }
            Matcher sel = SELECT.matcher(html);
            while (sel.find()) {
                String chosen = null;
                Matcher o = OPTION.matcher(sel.group(2));
                while (o.find()) {
                    if (chosen == null || o.group().contains(" selected")) {
                        chosen = o.group(1);
                    }
                }
                if (chosen != null) {
                    fields.put(sel.group(1), unescape(chosen));
                }
            }
            return new ConsentForm(unescape(f.group(1)), fields);
        }

        private static String attr(String tag, String name) {
            Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE).matcher(tag);
            return m.find() ? m.group(1) : null;
        }

        private static String unescape(String s) {
            return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        }
    }
}
