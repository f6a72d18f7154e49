package io.jsworkflows.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.e2e.platform.TopicRecorder;
import io.jsworkflows.testsupport.Chromium;
import io.jsworkflows.testsupport.HubSpotEmulator;

/**
 * The most common first failure, walked in Chromium the way a user meets it: a connection granted without
 * {@code crm.objects.deals.write}, the deal workflow deployed anyway from the workflows page (which warns), an order
 * arrives and the run fails with an error that names the missing scope and the row to tick; on the runs page the user
 * reads it, reconnects from the connections page with Deals ticked (consented at HubSpot's page), replays the dead
 * letter on the dead letters page, and the replayed run succeeds, on the runs page too, and the deal exists at HubSpot.
 */
@ExtendWith(SharedPlatform.class)
class ScopeRepairIT {

    static final String WORKFLOW = "deal-from-order";
    static final String SCOPE_ERROR = "the HubSpot connection 'my-hubspot' lacks the scope crm.objects.deals.write";

    static PlatformUnderTest platform;
    static PlatformClient client;
    static PlatformClient.Workspace ws;

    @BeforeAll
    static void setUp(PlatformUnderTest p) {
        platform = p;
        client = new PlatformClient(p);
        ws = client.createWorkspace("e2e scope repair");
        JsonNode c = client.connect(ws, "my-hubspot", HubSpotEmulator.PORTAL_ID, List.of(Map.of("resource", "contacts", "operation", "create")));
        assertThat(c.path("status").asText()).isEqualTo("ACTIVE");
    }

    @AfterAll
    static void tearDown() {
        if (client != null) {
            client.http().send("DELETE", platform.executorUrl() + "/api/v1/workflows/" + WORKFLOW, ws.apiKey(), null, Map.of());
            client.close();
        }
    }

    @Test
    void aRunFailingForAMissingScopeIsRepairedFromThePage() throws Exception {
        String source = Files.readString(PlatformUnderTest.repositoryRoot().resolve("examples/workflows/" + WORKFLOW + ".js"));
        PlatformClient.Order order = PlatformClient.order("Scope", 1);
        try (TopicRecorder<DeadLetter> dlq = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.RUN_DLQ,
                v -> ContractsJson.read(v, DeadLetter.class));
                TopicRecorder<RunEvent> runs = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.RUN_EVENTS,
                        v -> ContractsJson.read(v, RunEvent.class));
                TopicRecorder<TokenState> tokens = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.CONNECTION_TOKENS,
                        v -> v == null ? null : ContractsJson.read(v, TokenState.class));
                Chromium browser = Chromium.start(Path.of("target", "e2e-browser"))) {
            String root = platform.connectionsUrl();
            browser.driver.get(root + "/ui");
            browser.waitFor(By.id("apiKey")).sendKeys(ws.apiKey());
            browser.click(By.id("login"));
            browser.waitFor(By.id("add"));

            // a source the executor refuses (it does not compile): the page shows the executor's reason and keeps the form
            browser.driver.get(root + "/ui/workflows");
            browser.waitFor(By.id("workflowId")).sendKeys(WORKFLOW);
            browser.driver.findElement(By.id("source")).sendKeys("export class Workflow { async start( }");
            browser.click(By.id("deploy-submit"));
            assertThat(browser.waitFor(By.id("deploy-error")).getText()).contains("Not deployed", "Invalid workflow").doesNotContain("did not answer");
            assertThat(browser.driver.findElement(By.id("source")).getAttribute("value")).isEqualTo("export class Workflow { async start( }");
            browser.shot("scope-0-deploy-refused");

            // deploy the example deal workflow, unmodified, from the workflows page, with one attempt so that the failure
            // is dead-lettered at once. The deploy checks the source's HubSpot calls against the scopes of the connections
            // the executor knows: until the new connection's token has reached it there is nothing to warn about, so
            // deploy again until the page shows the warning
            await("the deploy's scope warning on the page").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        browser.driver.get(root + "/ui/workflows");
                        browser.waitFor(By.id("workflowId")).sendKeys(WORKFLOW);
                        ((JavascriptExecutor) browser.driver).executeScript("arguments[0].value = arguments[1]",
                                browser.driver.findElement(By.id("source")), source);
                        browser.driver.findElement(By.id("maxAttempts")).sendKeys("1");
                        browser.click(By.id("deploy-submit"));
                        assertThat(browser.waitFor(By.id("deployed")).getText()).contains("Deployed version");
                        assertThat(browser.driver.findElements(By.cssSelector(".deploy-warning")).stream().map(e -> e.getText()).toList())
                                .anySatisfy(w -> assertThat(w).contains("crm.objects.deals.write", "Deals: Create/update/delete"));
                    });
            browser.shot("scope-0-deployed-with-warning");
            JsonNode deployed = client.http().expect("reading " + WORKFLOW, "GET", platform.executorUrl() + "/api/v1/workflows/" + WORKFLOW,
                    ws.apiKey(), null).json();
            assertThat(deployed.path("workspaceId").asText()).isEqualTo(ws.id());
            assertThat(deployed.path("source").asText()).isEqualTo(source);
            assertThat(deployed.path("trigger").path("topic").asText()).isEqualTo(Topics.SHOPIFY_ORDERS);
            assertThat(deployed.path("trigger").path("headerMatch").path("X-Shopify-Topic").asText()).isEqualTo("orders/create");
            assertThat(deployed.path("retryPolicy").path("maxAttempts").asInt()).isEqualTo(1);
            // "New version" opens the form with the current definition, fetched from the executor (the list is the read
            // model's, fed from the definitions topic: reload until it has the workflow)
            By newVersion = By.cssSelector("tr[data-workflow='" + WORKFLOW + "'] .new-version");
            await("the workflow on the workflows page").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                browser.driver.get(root + "/ui/workflows");
                return !browser.driver.findElements(newVersion).isEmpty();
            });
            browser.click(newVersion);
            assertThat(browser.waitFor(By.id("source")).getAttribute("value")).isEqualTo(source);
            assertThat(browser.driver.findElement(By.id("workflowId")).getAttribute("value")).isEqualTo(WORKFLOW);
            assertThat(browser.driver.findElement(By.id("webhookTopic")).getAttribute("value")).isEqualTo("orders/create");
            assertThat(browser.driver.findElement(By.id("maxAttempts")).getAttribute("value")).isEqualTo("1");

            client.publish(ws, List.of(order));
            await("the run's dead letter").atMost(Duration.ofSeconds(90))
                    .until(() -> dlq.values().stream().anyMatch(d -> order.webhookId().equals(d.idempotencyKey())));
            DeadLetter dead = dlq.values().stream().filter(d -> order.webhookId().equals(d.idempotencyKey())).findFirst().orElseThrow();
            assertThat(dead.attempts().getLast().message()).contains(SCOPE_ERROR);

            // the runs page shows the failure and what to grant
            browser.driver.get(root + "/ui/runs/" + dead.runId());
            await("the run on the runs page").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                browser.driver.navigate().refresh();
                return browser.waitFor(By.cssSelector("pre.attempt-error")).getText().contains(SCOPE_ERROR);
            });
            assertThat(browser.driver.findElement(By.cssSelector("pre.attempt-error")).getText())
                    .contains("reconnect it with \"Deals: Create/update/delete\" ticked");
            browser.shot("scope-1-failed-run");

            // reconnect from the connections page with Deals ticked, consenting at HubSpot's consent page (the emulator's)
            browser.driver.get(root + "/ui");
            browser.click(By.cssSelector("tr[data-handle='my-hubspot'] .reconnect"));
            browser.waitFor(By.id("reconnect-submit"));
            assertThat(browser.driver.findElement(By.id("row-contacts-create")).isSelected()).isTrue();
            browser.click(By.id("row-deals-create"));
            browser.click(By.id("reconnect-submit"));
            browser.waitFor(By.id("grant"));
            browser.shot("scope-2-consent");
            browser.click(By.id("grant"));
            assertThat(browser.waitFor(By.id("result-status")).getText()).isEqualTo("ACTIVE");
            await("the reconnect's grant").atMost(Duration.ofSeconds(60))
                    .until(() -> client.connection(ws, "my-hubspot").path("scopes").toString().contains("crm.objects.deals.write"));
            // executors learn the new grant's token from the refresher (jsw.connections.tokens); a replay before that
            // would meet the old token and its scopes again
            await("the new grant's token on jsw.connections.tokens").atMost(Duration.ofSeconds(60)).until(() -> tokens.values().stream()
                    .anyMatch(t -> t != null && ws.id().equals(t.workspaceId()) && t.scopes().contains("crm.objects.deals.write")));

            // replay the dead letter from the page: the replayed run succeeds and the deal exists
            browser.driver.get(root + "/ui/dead-letters");
            browser.click(By.cssSelector("#dead-letters .replay"));
            browser.waitFor(By.cssSelector("#dead-letters .replayed"));
            browser.shot("scope-3-replayed");
            await("the replayed run succeeds").atMost(Duration.ofSeconds(90)).until(() -> runs.values().stream()
                    .anyMatch(e -> order.webhookId().equals(e.idempotencyKey()) && e.type() == RunEvent.Type.SUCCEEDED));
            RunEvent ok = runs.values().stream().filter(e -> order.webhookId().equals(e.idempotencyKey()) && e.type() == RunEvent.Type.SUCCEEDED)
                    .findFirst().orElseThrow();
            assertThat(ok.workspaceId()).isEqualTo(ws.id());
            assertThat(ok.httpCalls()).extracting(RunEvent.HttpCall::status).contains(201);
            assertThat(platform.emulator().searchObjects("deals", "dealname", "Order " + order.name())).hasSize(1);
            browser.driver.get(root + "/ui/runs/" + ok.runId());
            await("the replayed run on the runs page").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                browser.driver.navigate().refresh();
                return browser.waitFor(By.id("run-status")).getText().contains("succeeded");
            });
            browser.shot("scope-4-succeeded");
        }
    }
}
