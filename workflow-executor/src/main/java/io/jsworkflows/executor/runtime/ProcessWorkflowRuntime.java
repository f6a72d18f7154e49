package io.jsworkflows.executor.runtime;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.jsworkflows.executor.runtime.WorkerMessage.Check;
import io.jsworkflows.executor.runtime.WorkerMessage.Checked;
import io.jsworkflows.executor.runtime.WorkerMessage.Evict;
import io.jsworkflows.executor.runtime.WorkerMessage.Result;
import io.jsworkflows.executor.runtime.WorkerMessage.Run;

/**
 * Containment: the GraalJS runtime hosted by a small pool of worker JVMs ({@link WorkerPool}), each with its own heap
 * limit and {@code -XX:+ExitOnOutOfMemoryError}, so that a run that allocates without bound kills at most its worker,
 * never the executor. Tokens and fetch stay in the executor ({@link RunHost} calls travel back over the run's
 * {@link WorkerLane}). This class decides what a call sends and whom a worker's death blames.
 *
 * <p>Blame: when a worker dies, a run that was alone on it is the culprit and ends with {@link RunResult.Outcome#CRASHED}.
 * Runs that shared it are retried transparently, each alone on a worker: the one that kills its worker again is the
 * culprit, the others finish normally. A culprit's later attempts run alone from the start.
 */
public final class ProcessWorkflowRuntime implements WorkflowRuntime {

    public static final String CRASH_REASON = "the executor stopped while this run was in progress (possible runaway memory or CPU)";
    /** Beyond the run's deadline (which the worker enforces itself) before the executor kills a worker that stopped answering. */
    private static final Duration GRACE = Duration.ofSeconds(15);
    /** How long a run waits for a worker (all busy or restarting) before it fails as a transient timeout. */
    private static final Duration MIN_ACQUIRE_WAIT = Duration.ofSeconds(60);
    private static final String STOPPING = "the run was interrupted because the executor is stopping";

    private final RuntimeLimits limits;
    private final WorkerPool pool;
    /** Workflow + idempotency key of runs that killed a worker: their later attempts run alone. */
    private final Set<String> suspects = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > 10_000;
        }
    }));
    /** The handles each workflow version's source names. */
    private final Map<String, List<String>> handles = new ConcurrentHashMap<>();

    public ProcessWorkflowRuntime(RuntimeLimits limits, int workers, int runsPerWorker, String heap, String classpath) {
        this(limits, workers, runsPerWorker, heap, classpath, List.of());
    }

    /**
     * @param workers       worker JVMs
     * @param runsPerWorker runs one worker hosts at once (its lanes)
     * @param heap          each worker's -Xmx, e.g. {@code 256m}
     * @param classpath     the workers' class path; null = the executor's own
     * @param jvmOptions    further options of the workers' JVMs
     */
    public ProcessWorkflowRuntime(RuntimeLimits limits, int workers, int runsPerWorker, String heap, String classpath, List<String> jvmOptions) {
        this.limits = limits;
        this.pool = new WorkerPool(limits, workers, runsPerWorker, WorkerProcess.command(heap, classpath, jvmOptions));
    }

    /** The workers' GraalJS runtime as they report it ("Interpreted" without the Graal compiler); null until one connected. */
    public String workerEngine() {
        return pool.engine();
    }

    /** The executor's class path, as the workers get it by default. */
    static String executorClasspath() {
        return WorkerProcess.executorClasspath();
    }

    @Override
    public void check(String workflowId, String source) {
        WorkerMessage answer = call(new Check(workflowId, source), null, null, limits.checkTimeout(), null);
        if (answer == null) {
            throw new InvalidWorkflowException("Evaluating the module's top-level code stopped its worker (possible runaway memory or CPU).");
        }
        if (answer instanceof Checked c && c.error() != null) {
            throw new InvalidWorkflowException(c.error());
        }
        if (answer instanceof Failure f) {
            throw new InvalidWorkflowException(f.error());
        }
    }

    @Override
    public RunResult run(RunRequest request, RunHost host) {
        long t0 = System.nanoTime();
        String suspect = request.workflowId() + ":" + (request.headers() == null ? null : request.headers().get("X-JSW-Idempotency-Key"));
        String version = request.workflowId() + "@" + request.version();
        // the tokens the run will ask for travel with it when they are ready: no round trip for getOAuthToken
        Map<String, String> tokens = null;
        for (String handle : handles.computeIfAbsent(version, v -> Handles.in(request.source()))) {
            String token = host.tokenNow(handle);
            if (token != null) {
                if (tokens == null) {
                    tokens = new HashMap<>();
                }
                tokens.put(handle, token);
            }
        }
        Run run = new Run(request.workflowId(), request.version(), request.source(), request.dataJson(), request.headers(),
                request.timeout().toNanos(), tokens);
        WorkerMessage answer = call(run, version, host, request.timeout(), suspect);
        return switch (answer) {
            case null -> new RunResult(RunResult.Outcome.CRASHED, CRASH_REASON, List.of(), System.nanoTime() - t0);
            case Result r -> r.result();
            case Failure f -> new RunResult(RunResult.Outcome.TIMEOUT, f.error(), List.of(), System.nanoTime() - t0);
            default -> throw new IllegalStateException("unexpected answer " + answer.getClass().getSimpleName());
        };
    }

    /** The executor's own answer when no worker gave one (no worker available, stopping); never sent. */
    private record Failure(String error) implements WorkerMessage {
    }

    /**
     * Sends a run or check to a worker and waits for its answer; retries it alone on another worker when its worker died
     * while it was not alone. Null when it was (or is now) found to be the culprit of a worker's death.
     *
     * @param version workflow@version of a run, whose source a worker keeps once it has it; null for a check
     */
    private WorkerMessage call(WorkerMessage request, String version, RunHost host, Duration timeout, String suspect) {
        boolean solo = suspect != null && suspects.contains(suspect);
        Duration wait = timeout.compareTo(MIN_ACQUIRE_WAIT) > 0 ? timeout : MIN_ACQUIRE_WAIT;
        while (true) {
            WorkerLane lane;
            try {
                lane = pool.acquire(solo, System.nanoTime() + wait.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Failure(STOPPING);
            }
            if (lane == null) {
                return new Failure("no workflow worker was available within " + GraalWorkflowRuntime.human(wait));
            }
            boolean alone = solo;
            try {
                return lane.call(request, version, host, timeout.plus(GRACE));
            } catch (WorkerLane.WorkerDied d) {
                if (pool.closed() || d.stopping) {
                    return new Failure(STOPPING);
                }
                if (solo || d.alone) {
                    if (suspect != null) {
                        suspects.add(suspect);
                    }
                    return null;
                }
                solo = true; // it shared the worker: find out whether it was at fault by running it alone
            } finally {
                pool.release(lane, alone);
            }
        }
    }

    @Override
    public void evict(String workflowId, long keepVersion) {
        String keep = workflowId + "@" + keepVersion;
        handles.keySet().removeIf(k -> k.startsWith(workflowId + "@") && !k.equals(keep));
        for (WorkerProcess w : pool.live()) {
            w.known.removeIf(k -> k.startsWith(workflowId + "@") && !k.equals(keep));
            w.control(new Evict(workflowId, keepVersion));
        }
    }

    /** Worker deaths since start, for tests and metrics. */
    public long workerDeaths() {
        return pool.deaths();
    }

    /** Runs and checks the live workers host right now, for tests. */
    public int hosted() {
        return pool.live().stream().mapToInt(w -> w.active.get()).sum();
    }

    @Override
    public boolean started() {
        return pool.everConnected();
    }

    /** Workers connected and able to host a run now (a started JVM counts only once it connected). */
    public int connectedWorkers() {
        return pool.connected();
    }

    /** Process ids of the live workers, for tests. */
    public List<Long> workerPids() {
        return pool.live().stream().map(w -> w.process.pid()).toList();
    }

    @Override
    public void close() {
        pool.close();
    }
}
