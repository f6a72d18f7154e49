package io.jsworkflows.executor.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.HandleRule;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.RetryPolicy;
import io.jsworkflows.contracts.events.TriggerBinding;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.messaging.KafkaClients;
import io.jsworkflows.executor.messaging.TriggerReplays;
import io.jsworkflows.executor.runtime.InvalidWorkflowException;
import io.jsworkflows.executor.runtime.Handles;
import io.jsworkflows.executor.runtime.WorkflowRuntime;

/**
 * Deploys workflows: validates the request, compiles and checks the source, publishes the definition to
 * {@code jsw.workflows.definitions} (every replica applies it from there) and applies it locally at once.
 */
@ApplicationScoped
public class WorkflowService {

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final ExecutorConfig config;
    private final WorkflowRuntime runtime;
    private final WorkflowRegistry registry;
    private final KafkaClients kafka;
    private final TriggerOwnership ownership;
    private final TriggerReplays replays;
    private final ScopeWarnings scopeWarnings;

    public WorkflowService(ExecutorConfig config, WorkflowRuntime runtime, WorkflowRegistry registry, KafkaClients kafka,
            TriggerOwnership ownership, TriggerReplays replays, ScopeWarnings scopeWarnings) {
        this.scopeWarnings = scopeWarnings;
        this.ownership = ownership;
        this.replays = replays;
        this.config = config;
        this.runtime = runtime;
        this.registry = registry;
        this.kafka = kafka;
    }

    /**
     * Result of a deploy: the definition, whether it was created (201) or replaced (200), and warnings about HubSpot calls
     * in the source that its connections' scopes do not cover.
     */
    public record Deployed(WorkflowDefinition definition, boolean created, List<String> warnings) {
    }

    public Deployed deploy(String workspaceId, String workflowId, String body) {
        requireValidId(workflowId);
        // ids are per workspace: another workspace's workflow of the same id is another workflow, and not a conflict
        WorkflowDefinition existing = registry.get(workspaceId, workflowId).orElse(null);
        if (registry.isFromDirectory(workspaceId, workflowId)) {
            throw new ProblemException(409, "Workflow managed by a directory", "The workflow '" + workflowId + "' is loaded from the "
                    + "executor's definitions directory (jsw.executor.definitions-dir); change it there.");
        }
        WorkflowDefinition parsed = parse(workspaceId, workflowId, body, existing == null ? 1 : existing.version() + 1);
        Instant now = Instant.now();
        Instant requested = parsed.trigger().from();
        // a redeploy on the same topic keeps its start, so records still being read are not skipped; a new binding starts
        // with the records from its deploy on, unless the deploy asked for a replay
        Instant from = requested != null ? requested
                : existing != null && existing.trigger().topic().equals(parsed.trigger().topic()) ? existing.trigger().from() : now;
        WorkflowDefinition d = withFrom(parsed, from);
        check(d);
        try {
            kafka.send(Topics.WORKFLOW_DEFINITIONS, d.key(), d, CloudEventTypes.WORKFLOW_DEFINITION).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Not published", "The deployment was interrupted; try again.");
        } catch (Exception e) {
            throw new ProblemException(503, "Not published", "The workflow could not be published to Kafka; try again shortly.");
        }
        registry.apply(d);
        if (requested != null && requested.isBefore(now)) {
            replays.start(d);
        }
        return new Deployed(d, existing == null, scopeWarnings.of(d));
    }

    /** Compiles the source and checks the Workflow contract. */
    public void check(WorkflowDefinition d) {
        try {
            runtime.check(d.key(), d.source());
        } catch (InvalidWorkflowException e) {
            throw new ProblemException(422, "Invalid workflow", e.getMessage());
        }
    }

    public WorkflowDefinition get(String workspaceId, String workflowId) {
        return registry.get(workspaceId, workflowId)
                .orElseThrow(() -> new ProblemException(404, "Workflow not found", "This workspace has no workflow '" + workflowId + "'."));
    }

    public List<WorkflowDefinition> list(String workspaceId) {
        return registry.all().stream().filter(d -> d.workspaceId().equals(workspaceId))
                .sorted(Comparator.comparing(WorkflowDefinition::workflowId)).toList();
    }

    public void delete(String workspaceId, String workflowId) {
        WorkflowDefinition current = get(workspaceId, workflowId);
        if (registry.isFromDirectory(workspaceId, workflowId)) {
            throw new ProblemException(409, "Workflow managed by a directory", "The workflow '" + workflowId + "' is loaded from the "
                    + "executor's definitions directory (jsw.executor.definitions-dir); remove it there.");
        }
        try {
            kafka.send(Topics.WORKFLOW_DEFINITIONS, current.key(), null, CloudEventTypes.WORKFLOW_DEFINITION).get(10, TimeUnit.SECONDS);
            if (registry.hasBareRecord(workspaceId, workflowId)) {
                // written before ids were per workspace: without its own tombstone it would come back at the next start
                kafka.send(Topics.WORKFLOW_DEFINITIONS, workflowId, null, CloudEventTypes.WORKFLOW_DEFINITION).get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Not published", "The deletion was interrupted; try again.");
        } catch (Exception e) {
            throw new ProblemException(503, "Not published", "The deletion could not be published to Kafka; try again shortly.");
        }
        registry.remove(current.key());
    }

    private static WorkflowDefinition withFrom(WorkflowDefinition d, Instant from) {
        TriggerBinding t = new TriggerBinding(d.trigger().topic(), d.trigger().headerMatch(), from);
        return new WorkflowDefinition(d.schemaVersion(), d.workflowId(), d.workspaceId(), d.version(), d.source(), t, d.timeout(),
                d.retryPolicy(), d.handles(), d.updatedAt());
    }

    /**
     * Builds a definition from a deploy body ({@code source}, {@code trigger}, optional {@code timeout}, {@code retryPolicy},
     * {@code start}). The binding's {@code from} is the requested start, or null when the body names none.
     */
    public WorkflowDefinition parse(String workspaceId, String workflowId, String body, long version) {
        JsonNode root;
        try {
            root = ContractsJson.mapper().readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw new ProblemException(400, "Invalid request body", "The body is not valid JSON. Send {\"source\": \"<js>\", \"trigger\": "
                    + "{\"topic\": \"shopify.orders\"}}.");
        }
        if (root == null || !root.isObject()) {
            throw new ProblemException(400, "Invalid request body", "The body must be a JSON object with 'source' and 'trigger'.");
        }
        unknownFields(root, "", BODY_FIELDS);
        JsonNode src = root.get("source");
        if (src == null || !src.isTextual() || src.asText().isBlank()) {
            throw new ProblemException(400, "Invalid request body", "'source' is required: the workflow's JavaScript module as a string.");
        }
        String source = src.asText();
        int maxSource = config.executor().limits().sourceBytes();
        if (source.length() > maxSource) {
            throw new ProblemException(400, "Invalid request body", "'source' has " + source.length() + " characters; the limit is "
                    + maxSource + " (jsw.executor.limits.source-bytes).");
        }
        TriggerBinding trigger = trigger(workspaceId, root.get("trigger"), start(root.get("start")));
        Duration timeout = config.executor().defaultTimeout();
        JsonNode t = root.get("timeout");
        if (t != null && !t.isNull()) {
            try {
                timeout = Duration.parse(t.asText());
            } catch (Exception e) {
                throw new ProblemException(400, "Invalid request body", "'timeout' must be an ISO-8601 duration such as \"PT30S\".");
            }
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(config.executor().maxTimeout()) > 0) {
                throw new ProblemException(400, "Invalid request body", "'timeout' must be between PT1S and "
                        + config.executor().maxTimeout() + ".");
            }
        }
        RetryPolicy policy = retryPolicy(root.get("retryPolicy"));
        return new WorkflowDefinition(WorkflowDefinition.SCHEMA_VERSION, workflowId, workspaceId, version, source, trigger, timeout, policy,
                Handles.in(source), Instant.now());
    }

    /** {@code "latest"} (the default: records from the deploy on), {@code "earliest"} or an ISO-8601 instant to replay from. */
    private static Instant start(JsonNode s) {
        if (s == null || s.isNull()) {
            return null;
        }
        String v = s.asText("");
        if (v.equals("latest")) {
            return Instant.now();
        }
        if (v.equals("earliest")) {
            return Instant.EPOCH;
        }
        try {
            Instant at = Instant.parse(v);
            return at.isAfter(Instant.now()) ? Instant.now() : at;
        } catch (Exception e) {
            throw new ProblemException(400, "Invalid request body", "'start' is \"latest\" (the default: records published from the "
                    + "deploy on), \"earliest\" (replay the topic's retained records) or an ISO-8601 instant such as "
                    + "\"2026-01-31T00:00:00Z\" (replay from then).");
        }
    }

    /** The deploy body's fields, and its trigger's: anything else is a mistake to report, not to ignore. */
    static final java.util.Set<String> BODY_FIELDS = java.util.Set.of("source", "trigger", "start", "timeout", "retryPolicy");
    static final java.util.Set<String> TRIGGER_FIELDS = java.util.Set.of("topic", "headerMatch");

    /**
     * A misspelt field (e.g. {@code match} for {@code headerMatch}) would otherwise deploy something else than asked: a
     * binding to every record of its topic.
     */
    private static void unknownFields(JsonNode node, String prefix, java.util.Set<String> known) {
        for (var it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new ProblemException(400, "Invalid request body", "'" + prefix + f + "' is not a field of the deploy body; "
                        + "the fields" + (prefix.isEmpty() ? "" : " of '" + prefix.substring(0, prefix.length() - 1) + "'") + " are "
                        + String.join(", ", known.stream().sorted().toList()) + ".");
            }
        }
    }

    private TriggerBinding trigger(String workspaceId, JsonNode t, Instant from) {
        if (t == null || !t.isObject() || !t.hasNonNull("topic") || !t.get("topic").isTextual()) {
            throw new ProblemException(400, "Invalid request body", "'trigger' is required, e.g. {\"topic\": \"shopify.orders\", "
                    + "\"headerMatch\": {\"X-Shopify-Topic\": \"orders/create\"}}.");
        }
        unknownFields(t, "trigger.", TRIGGER_FIELDS);
        String topic = t.get("topic").asText();
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new ProblemException(400, "Invalid request body", "'trigger.topic' is not a valid Kafka topic name (letters, digits, "
                    + "'.', '_', '-'; at most 249 characters).");
        }
        if (topic.startsWith("jsw.") || topic.startsWith("__")) {
            throw new ProblemException(400, "Invalid request body", "'trigger.topic' cannot be a platform topic (jsw.* or __*).");
        }
        if (!ownership.allowedTopics(workspaceId).contains(topic)) {
            throw new ProblemException(400, "Topic not allowed", "'trigger.topic' '" + topic + "' is not a topic this workspace may bind. "
                    + "Allowed for workspace '" + workspaceId + "': " + String.join(", ", ownership.allowedTopics(workspaceId))
                    + " (the shared source topics carry only your workspace's records; other topics are declared per workspace by the "
                    + "operator in jsw.executor.workspace-topics).");
        }
        Map<String, String> match = new java.util.LinkedHashMap<>();
        JsonNode hm = t.get("headerMatch");
        if (hm != null && !hm.isNull()) {
            if (!hm.isObject()) {
                throw new ProblemException(400, "Invalid request body", "'trigger.headerMatch' must be an object of header name to value.");
            }
            for (var it = hm.fields(); it.hasNext();) {
                var e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new ProblemException(400, "Invalid request body", "'trigger.headerMatch." + e.getKey() + "' must be a string.");
                }
                match.put(e.getKey(), e.getValue().asText());
            }
        }
        return new TriggerBinding(topic, match, from);
    }

    private RetryPolicy retryPolicy(JsonNode p) {
        RetryPolicy policy = parsePolicy(p);
        ExecutorConfig.Retry bounds = config.executor().retry();
        if (policy.maxAttempts() > bounds.maxAttempts()) {
            throw new ProblemException(400, "Invalid request body", "'retryPolicy.maxAttempts' is " + policy.maxAttempts()
                    + "; it must be at most " + bounds.maxAttempts() + " (jsw.executor.retry.max-attempts).");
        }
        if (policy.maxAttempts() > 1 && policy.initialBackoff().compareTo(bounds.minBackoff()) < 0) {
            throw new ProblemException(400, "Invalid request body", "'retryPolicy.initialBackoff' is " + policy.initialBackoff()
                    + "; it must be at least " + bounds.minBackoff() + " (jsw.executor.retry.min-backoff).");
        }
        if (policy.maxBackoff().compareTo(bounds.maxBackoff()) > 0) {
            throw new ProblemException(400, "Invalid request body", "'retryPolicy.maxBackoff' is " + policy.maxBackoff()
                    + "; it must be at most " + bounds.maxBackoff() + " (jsw.executor.retry.max-backoff).");
        }
        return policy;
    }

    private static RetryPolicy parsePolicy(JsonNode p) {
        if (p == null || p.isNull()) {
            return RetryPolicy.DEFAULT;
        }
        if (!p.isObject()) {
            throw new ProblemException(400, "Invalid request body", "'retryPolicy' must be an object.");
        }
        ObjectNode merged = (ObjectNode) ContractsJson.mapper().valueToTree(RetryPolicy.DEFAULT);
        merged.setAll((ObjectNode) p);
        try {
            return ContractsJson.mapper().treeToValue(merged, RetryPolicy.class);
        } catch (Exception e) {
            Throwable c = e;
            while (c.getCause() != null) {
                c = c.getCause();
            }
            String why = c instanceof IllegalArgumentException ? c.getMessage() : "durations are ISO-8601 (\"PT10S\"), maxAttempts a number";
            throw new ProblemException(400, "Invalid request body", "'retryPolicy' is invalid: " + why + ".");
        }
    }

    static void requireValidId(String id) {
        if (id == null || id.length() > 64 || !HandleRule.PATTERN.matcher(id).matches()) {
            throw new ProblemException(400, "Invalid workflow id", "A workflow id uses lowercase letters, digits and single hyphens, "
                    + "1 to 64 characters, for example 'contact-from-order'.");
        }
    }
}
