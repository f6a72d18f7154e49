package io.jsworkflows.connections.runs.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.connections.config.ConnectionsConfig;
import io.jsworkflows.connections.runs.client.ExecutorWorkflowsApi;
import io.jsworkflows.connections.service.WorkspaceService;
import io.jsworkflows.contracts.json.ContractsJson;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Deploys a workflow from the web page: the executor owns deploys (it compiles the source, checks the trigger topic
 * against the workspace and warns about missing scopes), so the page calls its deploy API, as the signed-in workspace,
 * with a delegated key minted for that one call: valid only at the key check, for a minute, deleted right after.
 * The session's workspace thus reaches the executor the way every workspace does, through the key check.
 */
@ApplicationScoped
public class WorkflowDeployer {

    private static final Logger LOG = Logger.getLogger(WorkflowDeployer.class);

    /** Long enough for the executor's key check (it checks before compiling); short enough to be worthless after. */
    static final Duration DELEGATION = Duration.ofSeconds(60);

    /**
     * What the page's form sends, and what it shows again (kept after a refusal, or a workflow's current definition).
     * {@code webhookTopic} empty = every record on the topic; {@code maxAttempts} 0 = the executor's default.
     */
    public record Request(String workflowId, String source, String topic, String webhookTopic, int maxAttempts) {
    }

    /** The executor's answer: a version and its warnings, or why not. */
    public record Outcome(boolean deployed, long version, List<String> warnings, String problem) {

        static Outcome refused(String problem) {
            return new Outcome(false, 0, List.of(), problem);
        }
    }

    private final WorkspaceService workspaces;
    private final Optional<ExecutorWorkflowsApi> executor;

    public WorkflowDeployer(ConnectionsConfig config, WorkspaceService workspaces) {
        this.workspaces = workspaces;
        this.executor = config.connections().web().executorUrl().map(url -> QuarkusRestClientBuilder.newBuilder().baseUri(url)
                .connectTimeout(5, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS)
                // the executor's 4xx is its answer (why not deployed, shown on the page), read from the response, not thrown
                .disableDefaultMapper(true).build(ExecutorWorkflowsApi.class));
    }

    /** Whether this service knows where the executor is (jsw.connections.web.executor-url). */
    public boolean enabled() {
        return executor.isPresent();
    }

    public Outcome deploy(String workspaceId, Request r) {
        if (executor.isEmpty()) {
            return Outcome.refused("Deploying from the page is not configured: set jsw.connections.web.executor-url "
                    + "(JSW_CONNECTIONS_WEB_EXECUTOR_URL) on connections-service, or deploy with ./jsw workflows deploy.");
        }
        String id = r.workflowId() == null ? "" : r.workflowId().strip();
        if (id.isEmpty()) {
            return Outcome.refused("Name the workflow (letters, digits, '-', '_' and '.').");
        }
        WorkspaceService.DelegatedKey key = workspaces.delegate(workspaceId, DELEGATION);
        try (Response answer = executor.get().deploy("Bearer " + key.apiKey(), id, body(r))) {
            JsonNode json = read(answer);
            if (answer.getStatus() == 200 || answer.getStatus() == 201) {
                List<String> warnings = new ArrayList<>();
                json.path("warnings").forEach(w -> warnings.add(w.asText()));
                long version = json.path("version").asLong();
                LOG.infof("workflow %s of workspace %s deployed from the page as version %d", id, workspaceId, version);
                return new Outcome(true, version, List.copyOf(warnings), null);
            }
            String title = json.path("title").asText("HTTP " + answer.getStatus());
            String detail = json.path("detail").asText("");
            return Outcome.refused(detail.isEmpty() ? title : title + ": " + detail);
        } catch (ProcessingException e) {
            LOG.warnf("the executor did not answer a deploy from the page: %s", e.getClass().getSimpleName());
            return Outcome.refused("workflow-executor did not answer; try again shortly.");
        } finally {
            workspaces.endDelegation(key.id());
        }
    }

    /**
     * The workflow's current definition as a form to edit into its next version (the executor keeps the source; this
     * service does not): empty when the workspace has no such workflow or the executor cannot say.
     */
    public Optional<Request> current(String workspaceId, String workflowId) {
        if (executor.isEmpty() || workflowId == null || workflowId.isBlank()) {
            return Optional.empty();
        }
        WorkspaceService.DelegatedKey key = workspaces.delegate(workspaceId, DELEGATION);
        try (Response answer = executor.get().get("Bearer " + key.apiKey(), workflowId.strip())) {
            if (answer.getStatus() != 200) {
                return Optional.empty();
            }
            JsonNode d = read(answer);
            JsonNode trigger = d.path("trigger");
            return Optional.of(new Request(d.path("id").asText(workflowId.strip()), d.path("source").asText(""),
                    trigger.path("topic").asText(""), trigger.path("headerMatch").path("X-Shopify-Topic").asText(""),
                    d.path("retryPolicy").path("maxAttempts").asInt(0)));
        } catch (ProcessingException e) {
            return Optional.empty();
        } finally {
            workspaces.endDelegation(key.id());
        }
    }

    /** The deploy API's body: {@code {"source", "trigger": {"topic", "headerMatch"}, "retryPolicy"}}. */
    public static String body(Request r) {
        ObjectNode body = ContractsJson.mapper().createObjectNode();
        // browsers submit a textarea's line breaks as CRLF (HTML's form encoding): deploy the source as it was pasted
        body.put("source", r.source() == null ? "" : r.source().replace("\r\n", "\n"));
        ObjectNode trigger = body.putObject("trigger");
        trigger.put("topic", r.topic() == null ? "" : r.topic().strip());
        if (r.webhookTopic() != null && !r.webhookTopic().isBlank()) {
            trigger.putObject("headerMatch").put("X-Shopify-Topic", r.webhookTopic().strip());
        }
        if (r.maxAttempts() > 0) {
            body.putObject("retryPolicy").put("maxAttempts", r.maxAttempts());
        }
        return body.toString();
    }

    private static JsonNode read(Response answer) {
        try {
            return ContractsJson.mapper().readTree(answer.readEntity(String.class));
        } catch (Exception e) {
            return ContractsJson.mapper().createObjectNode();
        }
    }
}
