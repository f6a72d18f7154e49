package io.jsworkflows.executor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Worker JVMs: a run that exhausts its worker's heap kills only that worker; the runs that shared it still succeed. */
class ProcessWorkflowRuntimeTest {

    static ProcessWorkflowRuntime runtime;

    static final String NORMAL = """
            export class Workflow {
              async start(data, headers, api) {
                const { token, error } = await api.getOAuthToken('my-hubspot');
                if (error) throw new Error(error);
                await new Promise(r => setTimeout(r, data.wait ?? 200));
                const res = await fetch('https://api.hubapi.com/crm/v3/objects/contacts', { method: 'POST',
                    headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ email: data.email }) });
                console.log('status', res.status, (await res.json()).id);
                if (!res.ok) throw new Error(`HubSpot answered ${res.status}`);
              }
            }
            """;
    /** Exhausts a 256 MB heap in one allocation, at once on any machine (the realistic bombs are in IsolationTest). */
    static final String BOMB = "export class Workflow { async start() { const a = new ArrayBuffer(2 ** 30); return a.byteLength; } }";

    /** The defaults, with room for a cold worker's first module evaluation on a loaded machine. */
    static final RuntimeLimits LIMITS = new RuntimeLimits(RuntimeLimits.DEFAULTS.statementLimit(), 200, 2000, 32000, 50, 100,
            Duration.ofSeconds(30), 16);

    @BeforeAll
    static void start() {
        runtime = new ProcessWorkflowRuntime(LIMITS, 2, 4, "256m", null);
    }

    @AfterAll
    static void stop() {
        List<Long> pids = runtime.workerPids();
        runtime.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> pids.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
    }

    /** Answers fetch once {@code gate} is complete (at once by default). */
    static class Host implements RunHost {
        final CompletableFuture<?> gate;

        Host(CompletableFuture<?> gate) {
            this.gate = gate;
        }

        @Override
        public CompletableFuture<TokenResult> getOAuthToken(String handle) {
            return CompletableFuture.completedFuture(TokenResult.ok("token-for-" + handle));
        }

        @Override
        public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
            if (!request.headers().contains(List.of("authorization", "Bearer token-for-my-hubspot"))) {
                return CompletableFuture.failedFuture(new FetchException(ErrorCategory.EGRESS_DENIED, "no token"));
            }
            return gate.thenApply(x -> new FetchResponse(201, "Created", request.url(), List.of(), "{\"id\":\"42\"}"));
        }
    }

    static RunResult run(String workflowId, String source, String key) {
        return run(runtime, workflowId, source, key, 200, CompletableFuture.completedFuture(null));
    }

    static RunResult run(ProcessWorkflowRuntime rt, String workflowId, String source, String key, int waitMillis, CompletableFuture<?> gate) {
        return rt.run(new RunRequest(workflowId, 1, source, "{\"email\":\"a@example.com\",\"wait\":" + waitMillis + "}",
                Map.of("X-JSW-Idempotency-Key", key), Duration.ofSeconds(30)), new Host(gate));
    }

    @Test
    void workersStartWithAMinimalEnvironment() throws Exception {
        // the build sets these in the test JVM, as a deployment sets key rings and the broker's address in the executor's
        assertThat(System.getenv("JSW_CRYPTO_GRANT_KEYS")).as("set by the surefire configuration").isNotBlank();
        assertThat(System.getenv("KAFKA_TEST_CANARY")).as("set by the surefire configuration").isNotBlank();
        assertThat(run("env", NORMAL, "env-1").outcome()).isEqualTo(RunResult.Outcome.SUCCEEDED);
        for (long pid : runtime.workerPids()) {
            List<String> env = List.of(new String(java.nio.file.Files.readAllBytes(Path.of("/proc/" + pid + "/environ")),
                    java.nio.charset.StandardCharsets.UTF_8).split("\0"));
            assertThat(env).as("environment of worker " + pid).noneMatch(v -> v.startsWith("JSW_") || v.startsWith("KAFKA_")
                    || v.startsWith("QUARKUS_") || v.contains("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"));
        }
    }

    @Test
    void aMemoryBombKillsOnlyItsWorkerAndTheRunsBesideItSucceed() throws Exception {
        // one worker, so that the bomb surely shares it with runs in flight
        ProcessWorkflowRuntime one = new ProcessWorkflowRuntime(LIMITS, 1, 4, "256m", null);
        // a JVM takes well over a second to start: readiness must not count a worker that has not connected yet
        assertThat(one.started()).as("started before its worker connected").isFalse();
        assertThat(one.connectedWorkers()).isZero();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CompletableFuture<Void> open = CompletableFuture.completedFuture(null);
            assertThat(run(one, "normal", NORMAL, "warm-1", 0, open).outcome()).isEqualTo(RunResult.Outcome.SUCCEEDED);
            assertThat(one.started()).isTrue();
            assertThat(one.connectedWorkers()).isEqualTo(1);
            // three runs wait for their fetch answer until the bomb has killed the worker: it surely shares the worker with them
            CompletableFuture<Void> gate = new CompletableFuture<>();
            List<Future<RunResult>> normal = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String key = "order-" + i;
                normal.add(pool.submit(() -> run(one, "normal", NORMAL, key, 0, gate)));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> one.hosted() == 3);
            Future<RunResult> bomb = pool.submit(() -> run(one, "bomb", BOMB, "bomb-1", 0, open));
            await().atMost(Duration.ofSeconds(60)).until(() -> one.workerDeaths() >= 1);
            gate.complete(null);
            for (int i = 3; i < 20; i++) {
                String key = "order-" + i;
                normal.add(pool.submit(() -> run(one, "normal", NORMAL, key, 100, open)));
            }
            RunResult b = bomb.get();
            assertThat(b.outcome()).isEqualTo(RunResult.Outcome.CRASHED);
            assertThat(b.error()).isEqualTo("the executor stopped while this run was in progress (possible runaway memory or CPU)");
            for (Future<RunResult> f : normal) {
                RunResult r = f.get();
                assertThat(r.outcome()).as(r.error()).isEqualTo(RunResult.Outcome.SUCCEEDED);
                assertThat(r.console()).singleElement().satisfies(l -> assertThat(l.message()).isEqualTo("status 201 42"));
            }
            // the worker it shared died, then the one it ran alone on
            assertThat(one.workerDeaths()).isEqualTo(2);
            assertThat(one.started()).as("deaths do not take readiness back").isTrue();
            // its next attempt runs alone at once and kills one worker only
            assertThat(run(one, "bomb", BOMB, "bomb-1", 0, open).outcome()).isEqualTo(RunResult.Outcome.CRASHED);
            assertThat(one.workerDeaths()).isEqualTo(3);
            assertThat(run(one, "normal", NORMAL, "after", 0, open).outcome()).isEqualTo(RunResult.Outcome.SUCCEEDED);
        } finally {
            pool.shutdownNow();
            one.close();
        }
    }

    @Test
    void aReadyTokenTravelsWithTheRunAndOthersAreAskedFor() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        class Counting extends Host {
            final boolean ready;

            Counting(boolean ready) {
                super(CompletableFuture.completedFuture(null));
                this.ready = ready;
            }

            @Override
            public String tokenNow(String handle) {
                return ready ? "token-for-" + handle : null;
            }

            @Override
            public CompletableFuture<TokenResult> getOAuthToken(String handle) {
                asked.incrementAndGet();
                return super.getOAuthToken(handle);
            }
        }
        for (boolean ready : new boolean[] { true, false }) {
            asked.set(0);
            RunResult r = runtime.run(new RunRequest("tokens", 1, NORMAL, "{\"wait\":0}", Map.of("X-JSW-Idempotency-Key", "t-" + ready),
                    Duration.ofSeconds(30)), new Counting(ready));
            assertThat(r.outcome()).as(r.error()).isEqualTo(RunResult.Outcome.SUCCEEDED);
            assertThat(asked.get()).as("getOAuthToken calls over the channel when the token was ready: " + ready).isEqualTo(ready ? 0 : 1);
        }
    }

    @Test
    void checksRunInTheWorkersToo() {
        runtime.check("ok", NORMAL);
        assertThatThrownBy(() -> runtime.check("broken", "export class Nope {}")).isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("does not export a class named Workflow");
        assertThatThrownBy(() -> runtime.check("top-level-bomb", "const a = new ArrayBuffer(2 ** 30); export class Workflow { async start() {} }"))
                .isInstanceOf(InvalidWorkflowException.class).hasMessageContaining("stopped its worker");
    }

    @Test
    void aWorkerDiesWithTheExecutor() throws Exception {
        // a stand-in executor: the worker watches its pid
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version").start();
        Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                ProcessWorkflowRuntime.executorClasspath(), WorkerMain.class.getName(), Long.toString(parent.pid())).start();
        try {
            parent.waitFor();
            await().atMost(Duration.ofSeconds(30)).until(() -> !worker.isAlive());
        } finally {
            worker.destroyForcibly();
        }
    }
}
