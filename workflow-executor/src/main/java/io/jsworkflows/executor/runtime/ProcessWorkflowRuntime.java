package io.jsworkflows.executor.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.jsworkflows.executor.runtime.WorkerProtocol.Frame;

/**
 * Containment: the GraalJS runtime hosted by a small pool of worker JVMs, each with its own heap limit and
 * {@code -XX:+ExitOnOutOfMemoryError}, so that a run that allocates without bound kills at most its worker, never the
 * executor. Runs are spread over the workers (up to {@code runsPerWorker} at once on each); tokens and fetch stay in the
 * executor ({@link RunHost} calls travel back over the channel). A dead worker is replaced at once.
 *
 * <p>Blame: when a worker dies, a run that was alone on it is the culprit and ends with {@link RunResult.Outcome#CRASHED}.
 * Runs that shared it are retried transparently, each alone on a worker: the one that kills its worker again is the
 * culprit, the others finish normally. A culprit's later attempts run alone from the start.
 */
public final class ProcessWorkflowRuntime implements WorkflowRuntime {

    public static final String CRASH_REASON = "the executor stopped while this run was in progress (possible runaway memory or CPU)";
    private static final Logger LOG = Logger.getLogger(ProcessWorkflowRuntime.class.getName());
    /** Beyond the run's deadline (which the worker enforces itself) before the executor kills a worker that stopped answering. */
    private static final Duration GRACE = Duration.ofSeconds(15);
    /** How long a run waits for a worker (all busy or restarting) before it fails as a transient timeout. */
    private static final Duration MIN_ACQUIRE_WAIT = Duration.ofSeconds(60);
    private static final String STOPPING = "the run was interrupted because the executor is stopping";

    private final RuntimeLimits limits;
    private final int runsPerWorker;
    private final List<String> command;
    private final Worker[] slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jsw-worker-restarts");
        t.setDaemon(true);
        return t;
    });
    /** Workflow + idempotency key of runs that killed a worker: their later attempts run alone. */
    private final Set<String> suspects = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > 10_000;
        }
    }));
    private final AtomicLong deaths = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param workers       worker JVMs
     * @param runsPerWorker runs one worker hosts at once
     * @param heap          each worker's -Xmx, e.g. {@code 256m}
     * @param classpath     the workers' class path; null = the executor's own
     */
    public ProcessWorkflowRuntime(RuntimeLimits limits, int workers, int runsPerWorker, String heap, String classpath) {
        this.limits = limits;
        this.runsPerWorker = runsPerWorker;
        this.command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "-cp", classpath == null || classpath.isBlank() ? executorClasspath() : classpath,
                WorkerMain.class.getName(), Long.toString(ProcessHandle.current().pid()));
        this.slots = new Worker[workers];
        for (int i = 0; i < workers; i++) {
            start(i);
        }
    }

    /** The executor's class path; a Quarkus fast-jar's runner jar lists only boot jars, the rest sits next to it. */
    static String executorClasspath() {
        String cp = System.getProperty("java.class.path");
        if (cp != null && cp.endsWith("quarkus-run.jar")) {
            Path dir = Path.of(cp).toAbsolutePath().getParent();
            return String.join(File.pathSeparator, dir.resolve("app") + File.separator + "*", dir.resolve("lib/main") + File.separator + "*",
                    dir.resolve("lib/boot") + File.separator + "*");
        }
        return cp;
    }

    @Override
    public void check(String workflowId, String source) {
        long id = ids.incrementAndGet();
        Frame answer = call(Frame.check(id, workflowId, source), null, limits.checkTimeout(), null);
        if (answer == null) {
            throw new InvalidWorkflowException("Evaluating the module's top-level code stopped its worker (possible runaway memory or CPU).");
        }
        if (answer.error() != null) {
            throw new InvalidWorkflowException(answer.error());
        }
    }

    @Override
    public RunResult run(RunRequest request, RunHost host) {
        long t0 = System.nanoTime();
        String suspect = request.workflowId() + ":" + (request.headers() == null ? null : request.headers().get("X-JSW-Idempotency-Key"));
        Frame answer = call(Frame.run(ids.incrementAndGet(), request), host, request.timeout(), suspect);
        if (answer == null) {
            return new RunResult(RunResult.Outcome.CRASHED, CRASH_REASON, List.of(), System.nanoTime() - t0);
        }
        if (answer.result() == null) {
            return new RunResult(RunResult.Outcome.TIMEOUT, answer.error(), List.of(), System.nanoTime() - t0);
        }
        return answer.result();
    }

    /**
     * Sends a run or check to a worker and waits for its answer; retries it alone on another worker when its worker died
     * while it was not alone. Null when it was (or is now) found to be the culprit of a worker's death.
     */
    private Frame call(Frame frame, RunHost host, Duration timeout, String suspect) {
        boolean solo = suspect != null && suspects.contains(suspect);
        Duration wait = timeout.compareTo(MIN_ACQUIRE_WAIT) > 0 ? timeout : MIN_ACQUIRE_WAIT;
        while (true) {
            Worker w;
            try {
                w = acquire(solo, System.nanoTime() + wait.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Frame.checked(frame.id(), STOPPING);
            }
            if (w == null) {
                return Frame.checked(frame.id(), "no workflow worker was available within " + GraalWorkflowRuntime.human(wait));
            }
            boolean alone = solo;
            try {
                return w.call(frame, host, timeout.plus(GRACE));
            } catch (WorkerDied d) {
                if (closed) {
                    return Frame.checked(frame.id(), STOPPING);
                }
                if (solo || d.alone) {
                    if (suspect != null) {
                        suspects.add(suspect);
                    }
                    return null;
                }
                solo = true; // it shared the worker: find out whether it was at fault by running it alone
            } finally {
                release(w, alone);
            }
        }
    }

    @Override
    public void evict(String workflowId, long keepVersion) {
        for (Worker w : workers()) {
            w.send(Frame.evict(workflowId, keepVersion));
        }
    }

    /** Worker deaths since start, for tests and metrics. */
    public long workerDeaths() {
        return deaths.get();
    }

    /** Runs and checks the live workers host right now, for tests. */
    public int hosted() {
        return workers().stream().mapToInt(w -> w.pending.size()).sum();
    }

    /** Process ids of the live workers, for tests. */
    public List<Long> workerPids() {
        return workers().stream().map(w -> w.process.pid()).toList();
    }

    private List<Worker> workers() {
        lock.lock();
        try {
            List<Worker> l = new ArrayList<>();
            for (Worker w : slots) {
                if (w != null && !w.dead) {
                    l.add(w);
                }
            }
            return l;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        restarts.shutdownNow();
        for (Worker w : workers()) {
            w.process.destroyForcibly();
        }
    }

    private void start(int slot) {
        if (closed) {
            return;
        }
        try {
            Worker w = new Worker(slot);
            lock.lock();
            try {
                slots[slot] = w;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not start workflow worker " + slot + ": " + e.getMessage() + "; trying again in 1 s");
            restarts.schedule(() -> start(slot), 1, TimeUnit.SECONDS);
        }
    }

    /** A worker with room for one more run (solo: an empty one, which other runs then leave alone), or null at the deadline. */
    private Worker acquire(boolean solo, long deadline) throws InterruptedException {
        lock.lock();
        try {
            Worker draining = null;
            while (!closed) {
                Worker best = null;
                for (Worker w : slots) {
                    if (w == null || !w.ready || w.dead || w.solo) {
                        continue;
                    }
                    if (solo ? w.busy == 0 : !w.draining && w.busy < runsPerWorker && (best == null || w.busy < best.busy)) {
                        best = w;
                        if (solo) {
                            break;
                        }
                    }
                }
                if (best != null) {
                    best.busy++;
                    if (solo) {
                        best.solo = true;
                        best.draining = false;
                    }
                    return best;
                }
                if (solo && (draining == null || draining.dead || draining.solo || !draining.draining)) {
                    // keep new runs off one worker until it is empty, or a run waiting to run alone could starve
                    draining = null;
                    for (Worker w : slots) {
                        if (w != null && w.ready && !w.dead && !w.solo && (draining == null || w.busy < draining.busy)) {
                            draining = w;
                        }
                    }
                    if (draining != null) {
                        draining.draining = true;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (draining != null) {
                        draining.draining = false;
                    }
                    return null;
                }
                changed.awaitNanos(left);
            }
            throw new IllegalStateException("the workflow runtime is closed");
        } finally {
            lock.unlock();
        }
    }

    private void release(Worker w, boolean solo) {
        lock.lock();
        try {
            w.busy--;
            if (solo) {
                w.solo = false;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The calls of a worker that died: {@code alone} when the call was the only one it was hosting. */
    private static final class WorkerDied extends Exception {
        final boolean alone;

        WorkerDied(boolean alone) {
            super(null, null, false, false);
            this.alone = alone;
        }
    }

    private record Pending(CompletableFuture<Frame> answer, RunHost host) {
    }

    /** One worker JVM and its channel. Fields {@code busy}, {@code solo}, {@code draining} are guarded by the pool's lock. */
    private final class Worker {
        final int slot;
        final Process process;
        final DataOutputStream out;
        final Map<Long, Pending> pending = new ConcurrentHashMap<>();
        volatile boolean ready;
        volatile boolean dead;
        int busy;
        boolean solo;
        boolean draining;

        Worker(int slot) throws IOException {
            this.slot = slot;
            this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
            WorkerProtocol.write(out, Frame.init(limits));
            Thread reader = new Thread(this::read, "jsw-worker-" + slot + "-reader");
            reader.setDaemon(true);
            reader.start();
        }

        Frame call(Frame frame, RunHost host, Duration timeout) throws WorkerDied {
            Pending p = new Pending(new CompletableFuture<>(), host);
            pending.put(frame.id(), p);
            if (dead) {
                pending.remove(frame.id());
                throw new WorkerDied(false);
            }
            send(frame);
            try {
                try {
                    return p.answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // the worker's own watchdog should have ended the run: it is stuck (GC thrashing, ...); end it
                    LOG.warning("workflow worker " + process.pid() + " did not answer within " + timeout + "; killing it");
                    die();
                    return p.answer.get();
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WorkerDied d) {
                    throw d;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.remove(frame.id());
                return Frame.checked(frame.id(), STOPPING);
            }
        }

        void send(Frame f) {
            try {
                synchronized (out) {
                    WorkerProtocol.write(out, f);
                }
            } catch (IOException e) {
                die();
            }
        }

        private void read() {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16))) {
                while (true) {
                    Frame f = WorkerProtocol.read(in);
                    switch (f.type()) {
                        case "ready" -> {
                            lock.lock();
                            try {
                                ready = true;
                                changed.signalAll();
                            } finally {
                                lock.unlock();
                            }
                        }
                        case "result", "checked" -> {
                            Pending p = pending.remove(f.id());
                            if (p != null) {
                                p.answer.complete(f);
                            }
                        }
                        case "token" -> {
                            Pending p = pending.get(f.ref());
                            CompletableFuture<RunHost.TokenResult> r = p == null || p.host == null
                                    ? CompletableFuture.completedFuture(RunHost.TokenResult.error("api.getOAuthToken is only available while a run is in progress"))
                                    : p.host.getOAuthToken(f.handle());
                            r.whenComplete((t, e) -> send(Frame.tokenReply(f.id(), e == null ? t
                                    : RunHost.TokenResult.error("The token lookup failed unexpectedly; the run will be retried."))));
                        }
                        case "fetch" -> {
                            Pending p = pending.get(f.ref());
                            CompletableFuture<RunHost.FetchResponse> r = p == null || p.host == null
                                    ? CompletableFuture.failedFuture(new RunHost.FetchException("INVALID", "fetch is only available while a run is in progress"))
                                    : p.host.fetch(f.request());
                            r.whenComplete((resp, e) -> {
                                if (e == null) {
                                    send(Frame.fetchReply(f.id(), resp, null, null));
                                } else {
                                    Throwable u = EventLoop.unwrap(e);
                                    send(u instanceof RunHost.FetchException fe ? Frame.fetchReply(f.id(), null, fe.category(), fe.getMessage())
                                            : Frame.fetchReply(f.id(), null, "NETWORK", u.getClass().getSimpleName()
                                                    + (u.getMessage() == null ? "" : ": " + u.getMessage())));
                                }
                            });
                        }
                        default -> LOG.warning("workflow worker sent an unknown frame " + f.type());
                    }
                }
            } catch (IOException | RuntimeException e) {
                die();
            }
        }

        /** Once: fails the calls it hosted (telling each whether it was alone), kills the process, starts a replacement. */
        void die() {
            lock.lock();
            try {
                if (dead) {
                    return;
                }
                dead = true;
                if (slots[slot] == this) {
                    slots[slot] = null;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            process.destroyForcibly();
            List<Pending> hosted = new ArrayList<>(pending.values());
            pending.clear();
            boolean alone = hosted.size() == 1;
            if (!closed) {
                deaths.incrementAndGet(); // counted before the callers learn of it
            }
            hosted.forEach(p -> p.answer.completeExceptionally(new WorkerDied(alone)));
            if (!closed) {
                LOG.warning("workflow worker " + process.pid() + " stopped while hosting " + hosted.size() + " run(s); starting a new one");
                // a worker that dies before it is ready (bad class path, ...) is not restarted in a tight loop
                if (ready) {
                    start(slot);
                } else {
                    restarts.schedule(() -> start(slot), 1, TimeUnit.SECONDS);
                }
            }
        }
    }
}
