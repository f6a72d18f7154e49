package io.jsworkflows.executor.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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

/**
 * The sandbox every workflow runs in: one shared {@link Engine} (parsed code is shared by all contexts), and
 * {@link SandboxPolicy#CONSTRAINED} contexts without host, IO, thread, process or environment access, each with the
 * prelude installed and one workflow module evaluated under the check timeout. Why a class of its own: everything that
 * makes the sandbox a sandbox is in one place to review; pooling and running are elsewhere.
 */
final class GraalSandbox implements AutoCloseable {

    /** HostAccess.NONE still allows mutable target mappings, which CONSTRAINED rejects; the guest sees no Java object. */
    private static final HostAccess NO_HOST_ACCESS = HostAccess.newBuilder().allowMutableTargetMappings().build();

    private final Engine engine;
    private final RuntimeLimits limits;
    private final ResourceLimits resourceLimits;
    private final Source prelude;
    private final ScheduledExecutorService scheduler;

    GraalSandbox(RuntimeLimits limits) {
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

    String engineName() {
        return engine.getImplementationName();
    }

    /** The engine's first context costs about a second; pay it at start, not under a run's or a check's deadline. */
    private void warmUp() {
        try (Context ctx = newContext()) {
            ctx.eval(prelude);
            ctx.eval(moduleSource("warm-up", 0, "export class Workflow { async start() {} }"));
        }
    }

    static Source moduleSource(String workflowId, long version, String code) {
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
    WorkflowContext instantiate(Source module) {
        Context ctx = newContext();
        HostBridge bridge = new HostBridge(limits, scheduler);
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
            return new WorkflowContext(ctx, bridge, cls, runFn, limits, scheduler);
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

    static void closeQuietly(Context ctx) {
        try {
            ctx.close(true);
        } catch (RuntimeException ignored) {
            // already closed or cancelled
        }
    }

    private static String resource(String path) {
        try (InputStream in = GraalSandbox.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        engine.close(true);
    }
}
