package io.jsworkflows.localstack.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.localstack.client.Http;
import io.jsworkflows.localstack.client.KafkaTools;
import io.jsworkflows.localstack.client.Records;
import io.jsworkflows.localstack.client.SourcesApi;
import io.jsworkflows.localstack.client.WorkflowsApi;
import io.jsworkflows.localstack.stack.StackException;
import io.jsworkflows.localstack.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "publish", mixinStandardHelpOptions = true, description = {"Publish a JSON file as one record, e.g. a Shopify webhook on a trigger topic:",
    "  ./jsw publish shopify.orders examples/shopify/order-created.json -H X-Shopify-Topic=orders/create "
        + "-H X-Shopify-Shop-Domain=jsw-demo.myshopify.com",
    "The record carries jsw-workspace = the workspace of the API key (workflows of that workspace only run on it);",
    "jsw-* headers are the platform's and cannot be given with -H. Through the gateway instead: ./jsw shopify send."})
public final class PublishCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Parameters(index = "1", paramLabel = "FILE.json")
    Path file;

    @Option(names = {"-H", "--header"}, paramLabel = "Name=Value", description = "a record header (repeatable)")
    List<String> headers = List.of();

    @Option(names = {"-k", "--key"}, description = "record key (default: the X-Shopify-Shop-Domain header, if given)")
    String key;

    @Option(names = "--api-key", description = "workspace API key whose workspace the record belongs to (default: JSW_API_KEY, else the demo workspace's)")
    String apiKey;

    @Override
    public Integer call() throws Exception {
        StackSettings s = StackSettings.fromEnv();
        if (!Files.isRegularFile(file)) {
            throw new StackException("no such file: " + file);
        }
        String body = Files.readString(file);
        try {
            Http.JSON.readTree(body);
        } catch (Exception e) {
            throw new StackException(file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, String> hs = parseHeaders(headers);
        for (String name : hs.keySet()) {
            if (PlatformHeaders.isReserved(name)) {
                throw new StackException("header " + name + " is the platform's: jsw publish sets " + PlatformHeaders.WORKSPACE
                        + " from the workspace of the API key (--api-key)");
            }
        }
        // the workspace is the one connections-service says the key belongs to, never a value typed here
        String workspaceId = new SourcesApi(s).workspace(WorkflowsApi.apiKey(s, apiKey)).path("id").asText(null);
        if (workspaceId == null || workspaceId.isBlank()) {
            throw new StackException("connections-service returned no workspace id for the API key");
        }
        hs.put(PlatformHeaders.WORKSPACE, workspaceId);
        String k = key != null ? key : hs.get("X-Shopify-Shop-Domain");
        try (KafkaProducer<String, String> p = KafkaTools.producer(s.kafkaBootstrap())) {
            RecordMetadata m = Records.publish(p, topic, k, body, hs);
            System.out.printf("jsw: published %s to %s (partition %d, offset %d, key %s, %d headers, workspace %s)%n", file, topic,
                    m.partition(), m.offset(), k, hs.size(), workspaceId);
        }
        return 0;
    }

    static Map<String, String> parseHeaders(List<String> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String h : raw) {
            int eq = h.indexOf('=');
            int colon = h.indexOf(':');
            // header names contain neither '=' nor ':', so the first of them separates (values may contain both)
            int at = eq > 0 && (colon <= 0 || eq < colon) ? eq : colon;
            if (at <= 0) {
                throw new StackException("header '" + h + "' is not Name=Value");
            }
            out.put(h.substring(0, at).trim(), h.substring(at + 1).trim());
        }
        return out;
    }
}
