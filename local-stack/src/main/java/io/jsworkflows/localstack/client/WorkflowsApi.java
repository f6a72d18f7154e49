package io.jsworkflows.localstack.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.localstack.stack.EnvFile;
import io.jsworkflows.localstack.stack.StackException;
import io.jsworkflows.localstack.stack.StackSettings;

/** Deploying workflows through the executor's API ({@code PUT /api/v1/workflows/{id}}). */
public final class WorkflowsApi {

    private final StackSettings settings;
    private final Http http = new Http();

    public WorkflowsApi(StackSettings settings) {
        this.settings = settings;
    }

    /** The workspace API key: --api-key, else JSW_API_KEY, else the demo workspace's key in .jsw/demo.env. */
    public static String apiKey(StackSettings s, String explicit) throws IOException {
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String env = System.getenv("JSW_API_KEY");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String demo = EnvFile.read(s.demoFile()).get("JSW_API_KEY");
        if (demo != null) {
            return demo;
        }
        throw new StackException("no workspace API key: pass --api-key, set JSW_API_KEY, or run ./jsw demo once (it keeps its key in "
                + s.demoFile() + ")");
    }

    /**
     * Deploys {@code file} as workflow {@code id}. The binding (trigger, timeout, retry policy) comes from the
     * {@code .json} file next to the source, if there is one, with {@code topic}/{@code match} overriding it.
     */
    public JsonNode deploy(String apiKey, String id, Path file, String topic, Map<String, String> match) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new StackException("no such file: " + file);
        }
        ObjectNode body = Http.JSON.createObjectNode();
        Path binding = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.m?js$", "") + ".json");
        if (Files.isRegularFile(binding)) {
            JsonNode b = Http.JSON.readTree(binding.toFile());
            if (b instanceof ObjectNode o) {
                body.setAll(o);
            }
        }
        body.put("source", Files.readString(file));
        ObjectNode trigger = body.has("trigger") && body.get("trigger") instanceof ObjectNode t ? t : body.putObject("trigger");
        if (topic != null) {
            trigger.put("topic", topic);
        }
        if (!match.isEmpty()) {
            ObjectNode hm = trigger.putObject("headerMatch");
            match.forEach(hm::put);
        }
        if (!trigger.hasNonNull("topic")) {
            throw new StackException("no trigger topic for " + file + ": pass --trigger TOPIC (or put a binding in " + binding + ")");
        }
        String url = settings.executorUrl() + "/api/v1/workflows/" + id;
        return http.expect("deploying " + id, "PUT", url, apiKey, body).json();
    }

    public JsonNode list(String apiKey) {
        return http.expect("listing workflows", "GET", settings.executorUrl() + "/api/v1/workflows", apiKey, null).json();
    }
}
