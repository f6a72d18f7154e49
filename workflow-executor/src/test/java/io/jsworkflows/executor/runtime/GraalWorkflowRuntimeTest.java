package io.jsworkflows.executor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.executor.runtime.RunResult.Outcome;

/** The sandboxed runtime on its own, with a stub host: contract, sandbox, deadline and limits. */
class GraalWorkflowRuntimeTest {

    static GraalWorkflowRuntime runtime;
    static final String ORDER = read("../examples/shopify/order-created.json");

    @BeforeAll
    static void start() {
        runtime = new GraalWorkflowRuntime(new RuntimeLimits(2_000_000L, 5, 200, 500, 3, 3, Duration.ofSeconds(5), 4));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** Records requests and answers each with a 201 echo of the properties. */
    static final class StubHost implements RunHost {
        final List<FetchRequest> requests = new CopyOnWriteArrayList<>();
        int status = 201;

        @Override
        public CompletableFuture<TokenResult> getOAuthToken(String handle) {
            return CompletableFuture.supplyAsync(() -> "my-hubspot".equals(handle) ? TokenResult.ok("tok-123")
                    : TokenResult.error("No connection named '" + handle + "' exists in this workspace."));
        }

        @Override
        public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
            requests.add(request);
            return CompletableFuture.supplyAsync(() -> new FetchResponse(status, "", request.url(),
                    List.of(List.of("content-type", "application/json")), status == 201 ? "{\"id\":\"501\"}" : "{\"message\":\"bad stage\"}"));
        }
    }

    RunResult run(String source, String data, StubHost host) {
        return run(source, data, host, Duration.ofSeconds(10));
    }

    RunResult run(String source, String data, StubHost host, Duration timeout) {
        return runtime.run(new RunRequest("wf-" + source.hashCode(), 1, source, data, Map.of("x-shopify-topic", "orders/create"),
                timeout), host);
    }

    @Test
    void contactWorkflowAsWrittenRunsAndCallsHubSpot() {
        StubHost host = new StubHost();
        RunResult r = run(read("../examples/workflows/contact-from-order.js"), ORDER, host);
        assertThat(r.outcome()).as(r.error()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(host.requests).hasSize(1);
        var req = host.requests.get(0);
        assertThat(req.url()).isEqualTo("https://api.hubapi.com/crm/v3/objects/contacts");
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.headers()).contains(List.of("authorization", "Bearer tok-123"));
        assertThat(req.body()).contains("\"email\":\"ada.lovelace@example.com\"", "\"firstname\":\"Ada\"", "\"lastname\":\"Lovelace\"");
        assertThat(r.console()).extracting(c -> c.message()).containsExactly("Created contact 501 for ada.lovelace@example.com (order #1001)");
    }

    @Test
    void failedResponseThrowsWithTheResponseText() {
        StubHost host = new StubHost();
        host.status = 400;
        RunResult r = run(read("../examples/workflows/deal-from-order.js"), ORDER, host);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.error()).isEqualTo("HubSpot answered 400: {\"message\":\"bad stage\"}");
        assertThat(host.requests.get(0).body()).contains("\"dealname\":\"Order #1001\"", "\"amount\":\"149.97\"", "\"dealstage\":\"closedwon\"");
    }

    @Test
    void pooledContextKeepsModuleStateBetweenRuns() {
        String src = "let n = 0; export class Workflow { async start() { n++; console.log('run ' + n); } }";
        run(src, "{}", new StubHost());
        RunResult second = run(src, "{}", new StubHost());
        assertThat(second.console()).extracting(c -> c.message()).containsExactly("run 2");
    }

    @Test
    void javaInteropRequireAndProcessAreUnreachable() {
        String src = """
                export class Workflow {
                  async start() {
                    const seen = [typeof Java, typeof require, typeof process, typeof Packages, typeof Polyglot, typeof load, typeof print];
                    console.log(seen.join(','));
                    try { Java.type('java.lang.System'); } catch (e) { console.log('java: ' + e.name); }
                    try { require('fs'); } catch (e) { console.log('require: ' + e.name); }
                    try { process.env; } catch (e) { console.log('process: ' + e.name); }
                  }
                }""";
        RunResult r = run(src, "{}", new StubHost());
        assertThat(r.outcome()).as(r.error()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.console()).extracting(c -> c.message()).containsExactly(
                "undefined,undefined,undefined,undefined,undefined,undefined,undefined",
                "java: ReferenceError", "require: ReferenceError", "process: ReferenceError");
    }

    @Test
    void importOfANodeModuleIsRejectedAtCheck() {
        assertThatThrownBy(() -> runtime.check("imp", "import fs from 'fs'; export class Workflow { async start() {} }"))
                .isInstanceOf(InvalidWorkflowException.class);
    }

    @Test
    void infiniteLoopEndsAtTheDeadlineOrStatementLimitAndTheContextIsDiscarded() {
        long t0 = System.nanoTime();
        RunResult r = run("export class Workflow { async start() { while (true) {} } }", "{}", new StubHost(), Duration.ofSeconds(2));
        assertThat(r.outcome()).isIn(Outcome.TIMEOUT, Outcome.LIMIT);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void aLoopThatRunsOutOfStatementsBeforeItsDeadlineIsALimitNotATimeout() {
        // the Graal compiler runs a loop through 2,000,000 statements in milliseconds: the deadline must not be blamed
        RunResult r = run("export class Workflow { async start() { while (true) {} } }", "{}", new StubHost(), Duration.ofSeconds(30));
        assertThat(r.outcome()).isEqualTo(Outcome.LIMIT);
        assertThat(r.error()).isEqualTo("limit reached: the run executed more than 2000000 JavaScript statements (jsw.executor.limits.statements)");
    }

    @Test
    void awaitLoopWithoutStatementsEndsAtTheDeadline() {
        RunResult r = run("export class Workflow { async start() { for (;;) { await new Promise(r => setTimeout(r, 400)); } } }", "{}",
                new StubHost(), Duration.ofSeconds(2));
        // the timer limit (3) or the deadline (2 s) ends it, whichever comes first
        assertThat(r.outcome()).isIn(Outcome.TIMEOUT, Outcome.FAILED);
        assertThat(r.error()).containsAnyOf("deadline of 2 s", "limit reached: a run may call setTimeout at most 3 times");
    }

    @Test
    void setTimeoutWorks() {
        RunResult r = run("export class Workflow { async start() { const t0 = Date.now(); await new Promise(r => setTimeout(r, 50));"
                + " console.log(Date.now() - t0 >= 45 ? 'waited' : 'early'); } }", "{}", new StubHost());
        assertThat(r.console()).extracting(c -> c.message()).containsExactly("waited");
    }

    @Test
    void promiseThatCanNeverSettleFailsFast() {
        RunResult r = run("export class Workflow { async start() { await new Promise(() => {}); } }", "{}", new StubHost());
        assertThat(r.outcome()).isEqualTo(Outcome.LIMIT);
        assertThat(r.error()).contains("can never settle");
    }

    @Test
    void consoleIsBounded() {
        RunResult r = run("export class Workflow { async start() { for (let i = 0; i < 100; i++) console.log('x'.repeat(80)); } }", "{}",
                new StubHost());
        assertThat(r.console()).hasSizeLessThanOrEqualTo(6);
        assertThat(r.console().getLast().message()).contains("further console output dropped");
    }

    @Test
    void fetchCallsPerRunAreBounded() {
        RunResult r = run("export class Workflow { async start() { for (let i = 0; i < 5; i++) await fetch('https://api.hubapi.com/x'); } }",
                "{}", new StubHost());
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.error()).contains("at most 3 fetch calls");
    }

    @Test
    void deepRecursionEndsWithAClearError() {
        RunResult r = run("function f(n) { return f(n + 1) + 1; } export class Workflow { async start() { f(0); } }", "{}", new StubHost());
        assertThat(r.outcome()).isIn(Outcome.FAILED, Outcome.LIMIT);
        assertThat(r.error()).containsAnyOf("call stack", "statements");
    }

    @Test
    void checkRejectsSourcesThatBreakTheContract() {
        assertThatThrownBy(() -> runtime.check("a", "export class Workflow { async start( { }")).isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("does not compile");
        assertThatThrownBy(() -> runtime.check("b", "export class Flow { async start() {} }")).hasMessageContaining("class named Workflow");
        assertThatThrownBy(() -> runtime.check("c", "export class Workflow { async run() {} }")).hasMessageContaining("no start method");
        assertThatThrownBy(() -> runtime.check("d", "while (true) {} export class Workflow { async start() {} }"))
                .isInstanceOf(InvalidWorkflowException.class);
        runtime.check("e", read("../examples/workflows/contact-from-order.js"));
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
