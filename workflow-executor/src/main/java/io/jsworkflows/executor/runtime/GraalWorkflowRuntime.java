package io.jsworkflows.executor.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jsworkflows.executor.runtime.RunHost.FetchException;
import io.jsworkflows.executor.runtime.RunHost.FetchRequest;
import io.jsworkflows.executor.runtime.RunHost.FetchResponse;

/**
 * The in-process GraalJS runtime: one shared {@link Engine} (parsed and compiled code is shared by all contexts),
 * {@link SandboxPolicy#CONSTRAINED} contexts without host, IO, thread, process or environment access, pooled per
 * workflow version. A pooled context keeps the module's top-level state between runs, like a warm serverless
 * container; a run that timed out, hit a limit or was cancelled discards its context.
 */
public final class GraalWorkflowRuntime implements WorkflowRuntime {

    /** HostAccess.NONE still allows mutable target mappings, which CONSTRAINED rejects; the guest sees no Java object. */
    private static final HostAccess NO_HOST_ACCESS = HostAccess.newBuilder().allowMutableTargetMappings().build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Engine engine;
    private final RuntimeLimits limits;
    private final ResourceLimits resourceLimits;
    private final Source prelude;
    private final ScheduledExecutorService scheduler;
    private final Map<String, VersionPool> pools = new ConcurrentHashMap<>();

    public GraalWorkflowRuntime(RuntimeLimits limits) {
        this.limits = limits;
        this.engine = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.resourceLimits = ResourceLimits.newBuilder().statementLimit(limits.statementLimit(), null).build();
        this.prelude = Source.newBuilder("js", resource("/jsw/prelude.js"), "jsw-prelude.js").internal(true).cached(true).buildLiteral();
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "jsw-js-timers-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true); // each run cancels its deadline watchdog: do not keep them queued until due
        this.scheduler = timers;
        warmUp();
    }

    /** The engine's first context costs about a second; pay it at start, not under a run's or a check's deadline. */
    private void warmUp() {
        try (Context ctx = newContext()) {
            ctx.eval(prelude);
            ctx.eval(moduleSource("warm-up", 0, "export class Workflow { async start() {} }"));
        }
    }

    @Override
    public void check(String workflowId, String source) {
        Instance instance = instantiate(moduleSource(workflowId, 0, source));
        instance.close();
    }

    @Override
    public RunResult run(RunRequest request, RunHost host) {
        long t0 = System.nanoTime();
        VersionPool pool = pools.compute(key(request.workflowId(), request.version()),
                (k, p) -> p != null ? p : new VersionPool(k, moduleSource(request.workflowId(), request.version(), request.source())));
        Instance instance = pool.idle.poll();
        if (instance != null) {
            pool.idleCount.decrementAndGet();
        } else {
            try {
                instance = instantiate(pool.source);
            } catch (InvalidWorkflowException e) {
                return new RunResult(RunResult.Outcome.FAILED, e.getMessage(), List.of(), System.nanoTime() - t0);
            }
        }
        try {
            return instance.run(request, host, t0, System.nanoTime());
        } finally {
            if (instance.reusable && pools.get(pool.key) == pool && pool.idleCount.incrementAndGet() <= limits.poolSizePerVersion()) {
                pool.idle.offer(instance);
            } else {
                if (instance.reusable) {
                    pool.idleCount.decrementAndGet();
                }
                instance.close();
            }
        }
    }

    @Override
    public void evict(String workflowId, long keepVersion) {
        String prefix = workflowId + "@";
        pools.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(prefix) && !e.getKey().equals(key(workflowId, keepVersion))) {
                Instance i;
                while ((i = e.getValue().idle.poll()) != null) {
                    i.close();
                }
                return true;
            }
            return false;
        });
    }

    /** Idle pooled contexts, for metrics and tests. */
    public int pooledContexts() {
        return pools.values().stream().mapToInt(p -> p.idle.size()).sum();
    }

    @Override
    public void close() {
        pools.values().forEach(p -> p.idle.forEach(Instance::close));
        pools.clear();
        scheduler.shutdownNow();
        engine.close(true);
    }

    private static String key(String workflowId, long version) {
        return workflowId + "@" + version;
    }

    private static Source moduleSource(String workflowId, long version, String code) {
        // a module Source with cached(true): every context of the engine shares its parse
        return Source.newBuilder("js", code, workflowId + ".mjs")
                .mimeType("application/javascript+module")
                .cached(true)
                .buildLiteral();
    }

    private Context newContext() {
        return Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .allowHostAccess(NO_HOST_ACCESS)
                .allowHostClassLookup(c -> false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowIO(org.graalvm.polyglot.io.IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .resourceLimits(resourceLimits)
                .option("js.esm-eval-returns-exports", "true")
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.graal-builtin", "false")
                .build();
    }

    /** A context with the prelude installed and the module evaluated; its top-level code runs under the check timeout. */
    private Instance instantiate(Source module) {
        Context ctx = newContext();
        HostBridge bridge = new HostBridge();
        ScheduledFuture<?> watchdog = scheduler.schedule(() -> ctx.close(true), limits.checkTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            Value runFn = ctx.eval(prelude).execute(bridge.proxy());
            Value exports = ctx.eval(module);
            Value cls = exports == null ? null : exports.getMember("Workflow");
            if (cls == null || cls.isNull() || !cls.canInstantiate()) {
                throw new InvalidWorkflowException("The module does not export a class named Workflow. Write "
                        + "'export class Workflow { async start(data, headers, api) { ... } }'.");
            }
            Value proto = cls.getMember("prototype");
            Value start = proto == null ? null : proto.getMember("start");
            if (start == null || !start.canExecute()) {
                throw new InvalidWorkflowException("The exported class Workflow has no start method. Add "
                        + "'async start(data, headers, api) { ... }'.");
            }
            if (!watchdog.cancel(false)) {
                throw new InvalidWorkflowException("Evaluating the module's top-level code took longer than "
                        + limits.checkTimeout().toSeconds() + " s.");
            }
            ctx.resetLimits();
            return new Instance(ctx, bridge, cls, runFn);
        } catch (PolyglotException e) {
            watchdog.cancel(false);
            closeQuietly(ctx);
            if (e.isCancelled() || e.isInterrupted()) {
                throw new InvalidWorkflowException("Evaluating the module's top-level code took longer than "
                        + limits.checkTimeout().toSeconds() + " s.");
            }
            if (e.isResourceExhausted()) {
                throw new InvalidWorkflowException("The module's top-level code exceeded the statement limit of "
                        + limits.statementLimit() + " statements.");
            }
            String where = e.getSourceLocation() != null && e.getSourceLocation().getSource().getName().endsWith(".mjs")
                    ? " (line " + e.getSourceLocation().getStartLine() + ")" : "";
            throw new InvalidWorkflowException((e.isSyntaxError() ? "The workflow does not compile" : "Evaluating the module failed")
                    + where + ": " + e.getMessage());
        } catch (RuntimeException e) {
            watchdog.cancel(false);
            closeQuietly(ctx);
            throw e;
        }
    }

    private static void closeQuietly(Context ctx) {
        try {
            ctx.close(true);
        } catch (RuntimeException ignored) {
            // already closed or cancelled
        }
    }

    private static String resource(String path) {
        try (InputStream in = GraalWorkflowRuntime.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /** Idle contexts of one workflow version. */
    private static final class VersionPool {
        final Source source;
        final String key;
        final ConcurrentLinkedQueue<Instance> idle = new ConcurrentLinkedQueue<>();
        final AtomicInteger idleCount = new AtomicInteger();

        VersionPool(String key, Source source) {
            this.key = key;
            this.source = source;
        }
    }

    /** State of the attempt that currently uses a context. */
    private final class Attempt {
        final EventLoop loop;
        final RunHost host;
        final ConsoleBuffer console = new ConsoleBuffer(limits);
        final Map<Integer, ScheduledFuture<?>> timers = new HashMap<>();
        int fetches;
        int timerCount;
        int nextTimer = 1;
        boolean finished;
        String failure;
        volatile boolean timedOut;

        Attempt(RunHost host) {
            this.host = host;
            this.loop = new EventLoop(host.inbox());
        }
    }

    /** The {@code host} object the prelude closes over: console, fetch, tokens, timers of the current attempt. */
    private final class HostBridge {
        private Attempt current;

        ProxyObject proxy() {
            Map<String, Object> m = new HashMap<>();
            m.put("log", (ProxyExecutable) a -> {
                Attempt at = current;
                if (at != null) {
                    at.console.add(str(a[0]), str(a[1]));
                }
                return null;
            });
            m.put("fetch", (ProxyExecutable) this::fetch);
            m.put("token", (ProxyExecutable) this::token);
            m.put("setTimer", (ProxyExecutable) this::setTimer);
            m.put("clearTimer", (ProxyExecutable) this::clearTimer);
            return ProxyObject.fromMap(m);
        }

        private Object fetch(Value... a) {
            Value resolve = a[1];
            Value reject = a[2];
            Attempt at = current;
            if (at == null) {
                reject.executeVoid("fetch is only available while a run is in progress (call it inside start)");
                return null;
            }
            if (++at.fetches > limits.fetchCalls()) {
                reject.executeVoid("limit reached: a run may make at most " + limits.fetchCalls()
                        + " fetch calls (jsw.executor.limits.fetch-calls)");
                return null;
            }
            CompletableFuture<FetchResponse> f;
            try {
                f = at.host.fetch(JSON.readValue(str(a[0]), FetchRequest.class));
            } catch (JsonProcessingException e) {
                f = CompletableFuture.failedFuture(new FetchException("INVALID", "the request could not be read"));
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            at.loop.track(f, r -> resolve.executeVoid(json(r)), t -> reject.executeVoid(message(t)));
            return null;
        }

        private Object token(Value... a) {
            Value callback = a[1];
            Attempt at = current;
            if (at == null) {
                callback.executeVoid(null, "api.getOAuthToken is only available while a run is in progress");
                return null;
            }
            CompletableFuture<RunHost.TokenResult> f;
            try {
                f = at.host.getOAuthToken(str(a[0]));
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            at.loop.track(f, r -> callback.executeVoid(r.token(), r.error()),
                    t -> callback.executeVoid(null, "The token lookup failed: " + message(t)));
            return null;
        }

        private Object setTimer(Value... a) {
            Attempt at = current;
            if (at == null) {
                return "setTimeout is only available while a run is in progress";
            }
            if (++at.timerCount > limits.timers()) {
                return "limit reached: a run may call setTimeout at most " + limits.timers() + " times (jsw.executor.limits.timers)";
            }
            long delay = a[0].fitsInLong() ? a[0].asLong() : (long) a[0].asDouble();
            Value fn = a[1];
            int id = at.nextTimer++;
            at.loop.retain();
            at.timers.put(id, scheduler.schedule(() -> at.loop.post(() -> {
                if (at.timers.remove(id) != null) {
                    at.loop.release();
                    fn.executeVoid();
                }
            }), delay, TimeUnit.MILLISECONDS));
            return id;
        }

        private Object clearTimer(Value... a) {
            Attempt at = current;
            if (at != null && a[0].fitsInInt()) {
                ScheduledFuture<?> f = at.timers.remove(a[0].asInt());
                if (f != null) {
                    f.cancel(false);
                    at.loop.release();
                }
            }
            return null;
        }
    }

    /** One context holding the evaluated workflow module; used by one thread at a time. */
    private final class Instance {
        final Context ctx;
        final HostBridge bridge;
        final Value workflowClass;
        final Value runFn;
        boolean reusable = true;

        Instance(Context ctx, HostBridge bridge, Value workflowClass, Value runFn) {
            this.ctx = ctx;
            this.bridge = bridge;
            this.workflowClass = workflowClass;
            this.runFn = runFn;
        }

        /** {@code t0} is when the run was asked for (its duration), {@code start} when its context was ready (its deadline). */
        RunResult run(RunRequest request, RunHost host, long t0, long start) {
            Attempt at = new Attempt(host);
            Duration timeout = request.timeout();
            long deadline = start + timeout.toNanos();
            bridge.current = at;
            ctx.resetLimits(); // the statement limit counts per context, not per run
            // code that never yields keeps this thread inside JavaScript: only another thread can cancel it
            ScheduledFuture<?> watchdog = scheduler.schedule(() -> {
                at.timedOut = true;
                closeQuietly(ctx);
            }, Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            RunResult.Outcome outcome;
            String error;
            try {
                runFn.executeVoid(workflowClass, request.dataJson(), JSON.writeValueAsString(request.headers()),
                        (ProxyExecutable) a -> {
                            at.finished = true;
                            return null;
                        },
                        (ProxyExecutable) a -> {
                            at.finished = true;
                            at.failure = a.length > 0 ? str(a[0]) : "the workflow failed";
                            return null;
                        });
                at.loop.runUntil(() -> at.finished, deadline);
                outcome = at.failure == null ? RunResult.Outcome.SUCCEEDED : RunResult.Outcome.FAILED;
                error = at.failure;
            } catch (TimeoutException e) {
                reusable = false;
                outcome = RunResult.Outcome.TIMEOUT;
                error = deadlineMessage(timeout);
            } catch (IllegalStateException e) {
                reusable = false;
                outcome = RunResult.Outcome.LIMIT;
                error = e.getMessage();
            } catch (PolyglotException e) {
                reusable = false;
                if (e.isCancelled() || e.isInterrupted() || at.timedOut) {
                    outcome = RunResult.Outcome.TIMEOUT;
                    error = deadlineMessage(timeout);
                } else if (e.isResourceExhausted()) {
                    outcome = RunResult.Outcome.LIMIT;
                    error = "limit reached: the run executed more than " + limits.statementLimit()
                            + " JavaScript statements (jsw.executor.limits.statements)";
                } else if (e.isGuestException()) {
                    outcome = RunResult.Outcome.FAILED;
                    error = e.getMessage();
                } else {
                    outcome = RunResult.Outcome.FAILED;
                    error = "the runtime failed: " + e.getMessage();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reusable = false;
                outcome = RunResult.Outcome.TIMEOUT;
                error = "the run was interrupted because the executor is stopping";
            } catch (JsonProcessingException e) {
                outcome = RunResult.Outcome.FAILED;
                error = "the trigger headers could not be passed to the workflow";
            } finally {
                if (!watchdog.cancel(false)) {
                    reusable = false; // the watchdog ran or is running: the context is closed or closing
                }
                at.timers.values().forEach(f -> f.cancel(false));
                at.loop.close();
                bridge.current = null;
            }
            return new RunResult(outcome, error, at.console.lines(), System.nanoTime() - t0);
        }

        void close() {
            closeQuietly(ctx);
        }
    }

    private static String deadlineMessage(Duration timeout) {
        return "the run did not finish within its deadline of " + human(timeout) + " and was cancelled";
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String json(FetchResponse r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String message(Throwable t) {
        Throwable u = EventLoop.unwrap(t);
        if (u instanceof FetchException fe) {
            return fe.getMessage();
        }
        return u.getClass().getSimpleName() + (u.getMessage() == null ? "" : ": " + u.getMessage());
    }

    static String str(Value v) {
        return v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString();
    }
}
