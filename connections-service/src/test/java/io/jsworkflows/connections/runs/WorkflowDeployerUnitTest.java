package io.jsworkflows.connections.runs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.connections.runs.service.WorkflowDeployer;
import io.jsworkflows.contracts.json.ContractsJson;

/** What the workflows page's form becomes at the executor's deploy API. */
class WorkflowDeployerUnitTest {

    @Test
    void theFormBecomesTheDeployBodyWithTheSourceAsPasted() throws Exception {
        JsonNode b = ContractsJson.mapper().readTree(WorkflowDeployer.body(new WorkflowDeployer.Request("deal",
                "export class Workflow {\r\n  async start() {}\r\n}\r\n", " shopify.orders ", "orders/create", 1)));
        assertThat(b.path("source").asText()).isEqualTo("export class Workflow {\n  async start() {}\n}\n");
        assertThat(b.path("trigger").path("topic").asText()).isEqualTo("shopify.orders");
        assertThat(b.path("trigger").path("headerMatch").path("X-Shopify-Topic").asText()).isEqualTo("orders/create");
        assertThat(b.path("retryPolicy").path("maxAttempts").asInt()).isEqualTo(1);
    }

    @Test
    void noWebhookTopicMatchesEveryRecordAndNoAttemptsTakesTheExecutorsDefault() throws Exception {
        JsonNode b = ContractsJson.mapper().readTree(WorkflowDeployer.body(new WorkflowDeployer.Request("deal", "x", "shopify.orders",
                " ", 0)));
        assertThat(b.path("trigger").has("headerMatch")).isFalse();
        assertThat(b.has("retryPolicy")).isFalse();
    }
}
