package io.jsworkflows.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.localstack.deploy.Repo;

/**
 * The README's promise, as a user keeps it: {@code ./jsw up} in the background as the README says, wait for the ready line, {@code ./jsw
 * demo}, then the contact and deal at the emulator and a succeeded run event on the topic, then {@code ./jsw down} and
 * no process of the stack left. Uses the fixed ports of the stack, and its own state directory under target/.
 * Runs in {@code verify} (failsafe) after every service is packaged; {@code -Djswtest.stack.it=false} skips it.
 */
class LocalStackIT {

    private final Path root = Repo.root();
    private final Path state = root.resolve("local-stack/target/stack-it/.jsw");
    private final List<String> upOutput = new CopyOnWriteArrayList<>();
    private final Set<Long> stackPids = new HashSet<>();
    private Process up;

    @Test
    void upDemoDown() throws Exception {
        deleteTree(state);
        Files.createDirectories(state);

        // 1. ./jsw up in the background; wait for the ready line
        long t0 = System.nanoTime();
        up = jsw("up").redirectErrorStream(true).start();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    upOutput.add(line);
                    System.out.println("[jsw up] " + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        await("the ready line of ./jsw up").atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(up.isAlive()).as("./jsw up exited early:\n" + String.join("\n", upOutput)).isTrue();
            return upOutput.contains("jsw: ready");
        });
        System.out.printf("[stack-it] ./jsw up ready after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        rememberStackProcesses();

        // 2. ./jsw demo
        Process demo = jsw("demo").redirectErrorStream(true).start();
        String demoOut = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(demo.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.out.println("[jsw demo]\n" + demoOut);
        assertThat(demo.exitValue()).as(demoOut).isZero();
        assertThat(demoOut).contains("jsw: demo succeeded", "added Shopify source", "delivered (webhook id");

        // 2b. the order came in through the gateway, stamped with the demo workspace and its source
        Map<String, String> demoEnv = envFile(state.resolve("demo.env"));
        String workspaceId = demoEnv.get("JSW_WORKSPACE_ID");
        String sourceId = demoEnv.get("JSW_DEMO_SOURCE_ID");
        assertThat(workspaceId).isNotBlank();
        assertThat(sourceId).isNotBlank();
        List<Map<String, String>> orders = headersOf(Topics.SHOPIFY_ORDERS);
        assertThat(orders).anySatisfy(h -> assertThat(h).containsEntry("jsw-workspace", workspaceId).containsEntry("jsw-source", sourceId)
                .containsEntry("X-Shopify-Topic", "orders/create").doesNotContainKey("X-Shopify-Hmac-Sha256"));

        // 2c. ./jsw sources list shows the demo shop; ./jsw status knows the gateway
        String sources = run("sources", "list");
        assertThat(sources).contains(sourceId, "jsw-demo.myshopify.com", "/webhooks/shopify/" + sourceId);
        assertThat(run("status")).contains("webhook-gateway", "http://localhost:8084");

        // 2d. ./jsw publish stamps the workspace of the API key it uses (the demo's) on the record
        String published = run("publish", Topics.SHOPIFY_ORDERS, "examples/shopify/order-created.json", "-H", "X-Shopify-Topic=orders/create",
                "-H", "X-Shopify-Shop-Domain=jsw-demo.myshopify.com");
        assertThat(published).contains("workspace " + workspaceId);
        List<Map<String, String>> after = headersOf(Topics.SHOPIFY_ORDERS);
        assertThat(after).hasSize(orders.size() + 1);
        assertThat(after.getLast()).containsEntry("jsw-workspace", workspaceId).doesNotContainKey("jsw-source");

        // 3. the emulator holds the contact and the deal
        HttpClient http = HttpClient.newHttpClient();
        JsonNode contacts = getJson(http, "http://localhost:8090/_emulator/objects/contacts?property=email&value=ada.lovelace%40example.com");
        assertThat(contacts.path("results")).isNotEmpty();
        assertThat(contacts.path("results").get(0).path("object").path("properties").path("lastname").asText()).isEqualTo("Lovelace");
        JsonNode deals = getJson(http, "http://localhost:8090/_emulator/objects/deals?property=dealname&value=Order%20%231001");
        assertThat(deals.path("results")).isNotEmpty();
        assertThat(deals.path("results").get(0).path("object").path("properties").path("amount").asText()).isEqualTo("149.97");

        // 4. a succeeded run event for each example workflow was published
        Set<String> succeeded = succeededWorkflows();
        assertThat(succeeded).contains("contact-from-order", "deal-from-order");

        // 5. ./jsw down, and nothing of the stack survives
        rememberStackProcesses();
        Process down = jsw("down").redirectErrorStream(true).start();
        String downOut = new String(down.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(down.waitFor(2, TimeUnit.MINUTES)).as(downOut).isTrue();
        assertThat(down.exitValue()).as(downOut).isZero();
        assertThat(up.waitFor(2, TimeUnit.MINUTES)).as("./jsw up ended after ./jsw down").isTrue();
        reader.join(5000);
        assertThat(upOutput).contains("jsw: stopped");
        assertThat(stackPids).hasSizeGreaterThanOrEqualTo(8);
        await("every process of the stack to be gone").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(stackPids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList())
                        .as("still alive").isEmpty());
        assertThat(state.resolve("jsw.pid")).doesNotExist();
    }

    @AfterEach
    void killLeftovers() {
        if (up != null && up.isAlive()) {
            up.destroy();
            try {
                up.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stackPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private ProcessBuilder jsw(String... args) {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("jsw").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
        pb.environment().put("JSW_STATE_DIR", state.toString());
        return pb;
    }

    /** jsw itself, every process it started (broker, services, watchdogs) and the postmaster (not a child: pg_ctl detaches it). */
    private void rememberStackProcesses() throws IOException {
        stackPids.add(up.pid());
        up.descendants().forEach(p -> stackPids.add(p.pid()));
        Path pids = state.resolve("stack.pids");
        if (Files.exists(pids)) {
            for (String line : Files.readAllLines(pids)) {
                String[] p = line.trim().split("\\s+");
                if (p.length == 2) {
                    long pid = Long.parseLong(p[1]);
                    stackPids.add(pid);
                    ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> stackPids.add(d.pid())));
                }
            }
        }
    }

    /** Runs a one-shot ./jsw command, insists on exit 0, returns its output. */
    private String run(String... args) throws Exception {
        Process p = jsw(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", args)).isTrue();
        System.out.println("[jsw " + String.join(" ", args) + "]\n" + out);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim().replaceAll("^\"|\"$", ""));
            }
        }
        return out;
    }

    /** The headers of every record on the topic, in offset order per partition (one partition per shop key). */
    private static List<Map<String, String>> headersOf(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        List<Map<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(15)).forEach(i -> tps.add(new TopicPartition(i.topic(), i.partition())));
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(tps));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    Map<String, String> h = new HashMap<>();
                    r.headers().forEach(x -> h.put(x.key(), x.value() == null ? null : new String(x.value(), StandardCharsets.UTF_8)));
                    out.add(h);
                }
            }
        }
        return out;
    }

    private static JsonNode getJson(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " -> " + r.body()).isEqualTo(200);
        return ContractsJson.mapper().readTree(r.body());
    }

    private static Set<String> succeededWorkflows() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        Set<String> out = new HashSet<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            c.partitionsFor(Topics.RUN_EVENTS, Duration.ofSeconds(15)).forEach(i -> tps.add(new TopicPartition(i.topic(), i.partition())));
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(tps));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    RunEvent e = ContractsJson.read(r.value(), RunEvent.class);
                    if (e.type() == RunEvent.Type.SUCCEEDED) {
                        out.add(e.workflowId());
                    }
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
