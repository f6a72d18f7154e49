package io.jsworkflows.executor.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The in-process GraalJS runtime: contexts of the {@link GraalSandbox}, pooled per workflow version. A pooled context
 * keeps the module's top-level state between runs, like a warm serverless container; a run that timed out, hit a limit
 * or was cancelled discards its context.
 */
public final class GraalWorkflowRuntime implements WorkflowRuntime {

    private final RuntimeLimits limits;
    private final GraalSandbox sandbox;
    private final Map<String, VersionPool> pools = new ConcurrentHashMap<>();

    public GraalWorkflowRuntime(RuntimeLimits limits) {
        this.limits = limits;
        this.sandbox = new GraalSandbox(limits);
    }

    @Override
    public void check(String workflowId, String source) {
        WorkflowContext instance = sandbox.instantiate(GraalSandbox.moduleSource(workflowId, 0, source));
        instance.close();
    }

    @Override
    public RunResult run(RunRequest request, RunHost host) {
        long t0 = System.nanoTime();
        VersionPool pool = pools.compute(key(request.workflowId(), request.version()),
                (k, p) -> p != null ? p : new VersionPool(k, GraalSandbox.moduleSource(request.workflowId(), request.version(), request.source())));
        WorkflowContext instance = pool.idle.poll();
        if (instance != null) {
            pool.idleCount.decrementAndGet();
        } else {
            try {
                instance = sandbox.instantiate(pool.source);
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
                WorkflowContext i;
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

    /** The engine's runtime: "Interpreted" without the Graal compiler, the optimizing runtime's name (e.g. "GraalVM CE") with it. */
    public String engineName() {
        return sandbox.engineName();
    }

    @Override
    public void close() {
        pools.values().forEach(p -> p.idle.forEach(WorkflowContext::close));
        pools.clear();
        sandbox.close();
    }

    private static String key(String workflowId, long version) {
        return workflowId + "@" + version;
    }

    /** Idle contexts of one workflow version. */
    private static final class VersionPool {
        final Source source;
        final String key;
        final ConcurrentLinkedQueue<WorkflowContext> idle = new ConcurrentLinkedQueue<>();
        final AtomicInteger idleCount = new AtomicInteger();

        VersionPool(String key, Source source) {
            this.key = key;
            this.source = source;
        }
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * Value -> Java String. Value.toString() of a string that reached Java as a ProxyExecutable argument can print the
     * engine's internal type name, so strings are read with asString().
     */
    static String str(Value v) {
        return v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString();
    }
}
