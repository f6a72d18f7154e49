package io.jsworkflows.connections.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.jsworkflows.connections.persistence.ApiKey;
import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.Pages;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.connections.support.RunRecords;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.RetryRecord;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.RunEvent.ConsoleLine;
import io.jsworkflows.contracts.events.RunEvent.HttpCall;
import io.jsworkflows.testsupport.Chromium;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Runs, dead letters and workflows on the web page, in headless Chromium: a failed run with its error (escaped), console
 * and HubSpot calls; its dead letter replayed from the page; the replayed run's success appearing in the list without a
 * reload; the workspace's workflows and no one else's. The executor is not running: the test writes its records.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class RunsPageTest {

    static Chromium browser;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Chromium.start(Path.of("target"));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void seeAFailedRunReplayItsDeadLetterAndWatchTheReplaySucceed() throws IOException {
        Api.Ws ws = Api.newWorkspace();
        Api.Ws other = Api.newWorkspace();
        String root = base.toString().replaceAll("/$", "");
        String runId = UUID.randomUUID().toString();
        String wf = "order-to-note-" + runId.substring(0, 6);
        String key = "order-" + runId.substring(0, 8);
        String error = "TypeError: <script>window.pwned=1</script> is not a function";
        Instant t = Instant.now().minusSeconds(30);
        RunRecords.publish(RunRecords.workflow(ws.id(), wf, 4, List.of("my-hubspot")));
        RunRecords.publish(RunRecords.workflow(other.id(), "theirs-" + runId.substring(0, 6), 1, List.of("their-hubspot")));
        RunRecords.publish(RunRecords.event(ws.id(), wf, runId, RunEvent.Type.STARTED, 1, null, null, List.of(), List.of(), t));
        RunRecords.publish(RunRecords.event(ws.id(), wf, runId, RunEvent.Type.FAILED, 1, 240L, error,
                List.of(new ConsoleLine("info", "order 1001 from <b>ACME</b>")),
                List.of(new HttpCall("GET", "api.hubapi.com", "/crm/v3/objects/contacts/{redacted}", 500, 87)), t.plusSeconds(1)));
        RunRecords.publish(RunRecords.event(ws.id(), wf, runId, RunEvent.Type.DEAD_LETTERED, 1, null, "attempts exhausted", List.of(),
                List.of(), t.plusSeconds(2)));
        RunRecords.publish(RunRecords.deadLetter(ws.id(), wf, runId, key, error));

        Pages.signIn(browser, root, ws.apiKey());
        browser.driver.findElement(By.id("nav-runs")).click();
        WebElement row = waitLong(By.cssSelector("tr[data-run='" + runId + "'][data-status='DEAD_LETTERED']"));
        assertThat(row.getText()).contains(wf).contains("dead-lettered").contains(key).contains("240 ms");
        browser.shot("8-runs");

        // the run's attempt: error (as text, never markup), console, the HubSpot call
        row.findElement(By.className("details")).click();
        WebElement attempt = browser.waitFor(By.cssSelector(".attempt[data-attempt='1']"));
        assertThat(attempt.findElement(By.className("attempt-error")).getText()).isEqualTo(error);
        assertThat(attempt.findElement(By.className("console")).getText()).contains("[info] order 1001 from <b>ACME</b>");
        assertThat(attempt.findElement(By.className("call")).getText())
                .contains("GET").contains("api.hubapi.com").contains("/crm/v3/objects/contacts/{redacted}").contains("500").contains("87 ms");
        assertThat(((JavascriptExecutor) browser.driver).executeScript("return window.pwned === undefined")).isEqualTo(true);
        browser.shot("9-run");

        // the dead letter, replayed from the page
        browser.driver.findElement(By.id("nav-dead-letters")).click();
        WebElement dl = waitLong(By.cssSelector("tr[data-dead-letter='" + runId + "']"));
        assertThat(dl.getText()).contains(wf).contains("attempts exhausted (3)").contains("TypeError: <script>");
        dl.findElement(By.className("replay")).click();
        assertThat(browser.waitFor(By.id("notice")).getText()).contains("Replayed");
        dl = browser.waitFor(By.cssSelector("tr[data-dead-letter='" + runId + "']"));
        assertThat(dl.findElement(By.className("replayed")).getText()).contains("replayed at").contains("by web page");
        String newRun = dl.findElement(By.className("replay-run")).getText();
        assertThat(newRun).isNotBlank().isNotEqualTo(runId);
        // the form redirected: reloading shows the page again and replays nothing more
        browser.driver.navigate().refresh();
        browser.waitFor(By.cssSelector("tr[data-dead-letter='" + runId + "']"));
        List<ConsumerRecord<String, String>> retries = TopicRecords.forKey(Topics.RUN_RETRY, RetryRecord.key(wf, key));
        assertThat(retries).hasSize(1);
        assertThat(ContractsJson.read(retries.getFirst().value(), RetryRecord.class).runId()).isEqualTo(newRun);
        browser.shot("10-dead-letter-replayed");

        // the executor runs the replay: its success appears in the open list without a reload
        browser.driver.findElement(By.id("nav-runs")).click();
        browser.waitFor(By.cssSelector("tr[data-run='" + runId + "']"));
        ((JavascriptExecutor) browser.driver).executeScript("window.sameDocument = true;");
        Instant now = Instant.now();
        RunRecords.publish(RunRecords.event(ws.id(), wf, newRun, RunEvent.Type.STARTED, 1, null, null, List.of(), List.of(), now));
        RunRecords.publish(RunRecords.event(ws.id(), wf, newRun, RunEvent.Type.SUCCEEDED, 1, 95L, null, List.of(), List.of(), now.plusMillis(95)));
        WebElement replayed = waitLong(By.cssSelector("tr[data-run='" + newRun + "'][data-status='SUCCEEDED']"));
        assertThat(replayed.getText()).contains("succeeded").contains("95 ms");
        assertThat(((JavascriptExecutor) browser.driver).executeScript("return window.sameDocument === true")).isEqualTo(true);
        // newest first
        assertThat(browser.driver.findElements(By.cssSelector("#run-rows tr")).getFirst().getAttribute("data-run")).isEqualTo(newRun);
        browser.shot("11-runs-live");

        // filters
        browser.driver.get(root + "/ui/runs?status=succeeded");
        browser.waitFor(By.cssSelector("tr[data-run='" + newRun + "']"));
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-run='" + runId + "']"))).isEmpty();

        // the workspace's workflows, nobody else's
        browser.driver.findElement(By.id("nav-workflows")).click();
        WebElement w = waitLong(By.cssSelector("tr[data-workflow='" + wf + "']"));
        assertThat(w.getText()).contains("4").contains("shopify.orders").contains("my-hubspot");
        assertThat(browser.driver.getPageSource()).doesNotContain("theirs-" + runId.substring(0, 6));
        browser.shot("12-workflows");
    }

    @Test
    void aDeployTheExecutorDoesNotAnswerKeepsTheFormAndItsDelegatedKeyIsGone() throws IOException {
        Api.Ws ws = Api.newWorkspace();
        String root = base.toString().replaceAll("/$", "");
        Pages.signIn(browser, root, ws.apiKey());
        browser.driver.findElement(By.id("nav-workflows")).click();
        browser.waitFor(By.id("workflowId")).sendKeys("note-from-order");
        String source = "export class Workflow { async start(data) { return data.id < 2 && \"<b>\"; } }";
        browser.driver.findElement(By.id("source")).sendKeys(source);
        browser.driver.findElement(By.id("maxAttempts")).sendKeys("1");
        browser.driver.findElement(By.id("deploy-submit")).click();
        assertThat(browser.waitFor(By.id("deploy-error")).getText()).contains("Not deployed").contains("workflow-executor did not answer");
        // what was typed comes back for another try, as text
        assertThat(browser.driver.findElement(By.id("workflowId")).getAttribute("value")).isEqualTo("note-from-order");
        assertThat(browser.driver.findElement(By.id("source")).getAttribute("value")).isEqualTo(source);
        assertThat(browser.driver.findElement(By.id("topic")).getAttribute("value")).isEqualTo(Topics.SHOPIFY_ORDERS);
        assertThat(browser.driver.findElement(By.id("webhookTopic")).getAttribute("value")).isEqualTo("orders/create");
        assertThat(browser.driver.findElement(By.id("maxAttempts")).getAttribute("value")).isEqualTo("1");
        browser.shot("13-deploy-refused");
        // the key minted for the call did not outlive it
        assertThat(QuarkusTransaction.requiringNew().call(() -> ApiKey.count("workspaceId = ?1 and delegatedUntil is not null", ws.id())))
                .isZero();
    }

    /** Waits for an element that appears once the consumers applied the records (the page polls or is reloaded). */
    private WebElement waitLong(By by) {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(500)).until(d -> {
            if (d.findElements(by).isEmpty() && !d.getCurrentUrl().contains("/ui/runs")) {
                d.navigate().refresh(); // pages without polling: reload until the read model has it
            }
            return ExpectedConditions.visibilityOfElementLocated(by).apply(d);
        });
    }
}
