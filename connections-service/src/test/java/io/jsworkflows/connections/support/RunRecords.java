package io.jsworkflows.connections.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.TriggerBinding;
import io.jsworkflows.contracts.events.TriggerRecord;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.SharedKafka;

/** Publishes run events, dead letters and workflow definitions as workflow-executor writes them (key, CloudEvents headers). */
public final class RunRecords {

    private RunRecords() {
    }

    public static RunEvent event(String workspaceId, String workflowId, String runId, RunEvent.Type type, int attempt, Long durationMillis,
            String error, List<RunEvent.ConsoleLine> console, List<RunEvent.HttpCall> calls, Instant at) {
        return new RunEvent(RunEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, runId, workflowId, workspaceId, 3,
                "shopify.orders/0/" + Math.abs(runId.hashCode()), "order-" + runId.substring(0, 8), attempt, durationMillis, error,
                console, calls, at);
    }

    public static DeadLetter deadLetter(String workspaceId, String workflowId, String runId, String idempotencyKey, String error) {
        TriggerRecord original = new TriggerRecord("shopify.orders", 1, 42, "acme.myshopify.com", "{\"id\":1001,\"email\":\"x@example.com\"}",
                Map.of("X-Shopify-Topic", "orders/create", "jsw-workspace", workspaceId));
        return new DeadLetter(DeadLetter.SCHEMA_VERSION, runId, workflowId, workspaceId, 3L, idempotencyKey, "attempts exhausted (3)",
                original, List.of(new AttemptError(3, "THROWN", error, false, Instant.now())), Instant.now());
    }

    public static WorkflowDefinition workflow(String workspaceId, String workflowId, long version, List<String> handles) {
        return new WorkflowDefinition(WorkflowDefinition.SCHEMA_VERSION, workflowId, workspaceId, version, "export class Workflow {}",
                new TriggerBinding(Topics.SHOPIFY_ORDERS, Map.of("X-Shopify-Topic", "orders/create")), java.time.Duration.ofSeconds(30),
                null, handles, Instant.now());
    }

    public static void publish(RunEvent e) {
        send(Topics.RUN_EVENTS, e.runId(), ContractsJson.write(e), CloudEventTypes.RUN_EVENT);
    }

    public static void publish(DeadLetter d) {
        send(Topics.RUN_DLQ, d.workflowId() + ":" + d.idempotencyKey(), ContractsJson.write(d), CloudEventTypes.DEAD_LETTER);
    }

    public static void publish(WorkflowDefinition w) {
        send(Topics.WORKFLOW_DEFINITIONS, w.key(), ContractsJson.write(w), CloudEventTypes.WORKFLOW_DEFINITION);
    }

    /** As the executor deletes a workflow: a tombstone for its key, workspaceId/workflowId. */
    public static void deleteWorkflow(String workspaceId, String workflowId) {
        send(Topics.WORKFLOW_DEFINITIONS, WorkflowDefinition.key(workspaceId, workflowId), null, CloudEventTypes.WORKFLOW_DEFINITION);
    }

    public static void send(String topic, String key, String value, String ceType) {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
            r.headers().add("ce_specversion", bytes(CloudEventTypes.SPEC_VERSION)).add("ce_id", bytes(UUID.randomUUID().toString()))
                    .add("ce_type", bytes(ceType)).add("ce_source", bytes(CloudEventTypes.SOURCE_EXECUTOR))
                    .add("content-type", bytes("application/json"));
            p.send(r).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing to " + topic + " failed", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
