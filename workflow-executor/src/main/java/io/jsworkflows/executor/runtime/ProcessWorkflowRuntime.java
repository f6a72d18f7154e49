package io.jsworkflows.executor.runtime;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.jsworkflows.executor.runtime.WorkerProtocol.Check;
import io.jsworkflows.executor.runtime.WorkerProtocol.Checked;
import io.jsworkflows.executor.runtime.WorkerProtocol.Evict;
import io.jsworkflows.executor.runtime.WorkerProtocol.FetchCall;
import io.jsworkflows.executor.runtime.WorkerProtocol.FetchReply;
import io.jsworkflows.executor.runtime.WorkerProtocol.Hello;
import io.jsworkflows.executor.runtime.WorkerProtocol.Init;
import io.jsworkflows.executor.runtime.WorkerProtocol.Msg;
import io.jsworkflows.executor.runtime.WorkerProtocol.NeedSource;
import io.jsworkflows.executor.runtime.WorkerProtocol.Result;
import io.jsworkflows.executor.runtime.WorkerProtocol.Run;
import io.jsworkflows.executor.runtime.WorkerProtocol.TokenCall;
import io.jsworkflows.executor.runtime.WorkerProtocol.TokenReply;

/**
 * Containment: the GraalJS runtime hosted by a small pool of worker JVMs, each with its own heap limit and
 * {@code -XX:+ExitOnOutOfMemoryError}, so that a run that allocates without bound kills at most its worker, never the
 * executor. Runs are spread over the workers (up to {@code runsPerWorker} at once on each); tokens and fetch stay in the
 * executor ({@link RunHost} calls travel back over the channel). A dead worker is replaced at once.
 *
 * <p>Channel: each worker connects {@code runsPerWorker} lanes (Unix domain sockets in a private directory) and hosts one
 * run at a time on each, on the lane's own thread. The executor's thread that calls {@link #run} writes the run to a free
 * lane and reads that lane itself until the result: it answers the worker's token requests inline and hands fetch
 * requests to the {@link RunHost}, whose completion writes the answer. So a run costs no hand-off between threads beyond
 * the process boundary, and the workflow's source crosses once per worker and version.
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
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "jsw-worker-timers");
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
    private final SecureRandom random = new SecureRandom();
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    /** The handles each workflow version's source names. */
    private final Map<String, List<String>> handles = new ConcurrentHashMap<>();
    /** Starting and live workers by the nonce their lanes present. */
    private final Map<String, Worker> byNonce = new ConcurrentHashMap<>();
    private volatile boolean closed;

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
        this.runsPerWorker = runsPerWorker;
        timers.setRemoveOnCancelPolicy(true); // every call cancels its stuck-worker timer: do not keep them queued until due
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath == null || classpath.isBlank() ? executorClasspath() : classpath,
                WorkerMain.class.getName(), Long.toString(ProcessHandle.current().pid())));
        this.command = List.copyOf(cmd);
        try {
            // only this user can connect a lane; a lane must also present its worker's nonce
            this.dir = Files.createTempDirectory("jsw-workers-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            this.socket = dir.resolve("lanes.sock");
            this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket), 256);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the workers' socket: " + e.getMessage(), e);
        }
        Thread acceptor = new Thread(this::accept, "jsw-worker-lanes");
        acceptor.setDaemon(true);
        acceptor.start();
        this.slots = new Worker[workers];
        for (int i = 0; i < workers; i++) {
            start(i);
        }
    }

    /**
     * What a worker inherits from the executor's environment: nothing but locale, time zone and the temp directory. The
     * executor's environment holds the token key ring and the broker's address; a worker gets its work over its lane
     * socket and needs neither (the java binary and class path are absolute on the command line).
     */
    static final List<String> WORKER_ENVIRONMENT = List.of("LANG", "LC_ALL", "TZ", "TMPDIR");

    static void workerEnvironment(Map<String, String> env) {
        Map<String, String> kept = new java.util.HashMap<>();
        for (String name : WORKER_ENVIRONMENT) {
            String v = env.get(name);
            if (v != null) {
                kept.put(name, v);
            }
        }
        env.clear();
        env.putAll(kept);
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
        Msg answer = call(new Check(workflowId, source), null, null, limits.checkTimeout(), null);
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
        Msg answer = call(run, version, host, request.timeout(), suspect);
        return switch (answer) {
            case null -> new RunResult(RunResult.Outcome.CRASHED, CRASH_REASON, List.of(), System.nanoTime() - t0);
            case Result r -> r.result();
            case Failure f -> new RunResult(RunResult.Outcome.TIMEOUT, f.error(), List.of(), System.nanoTime() - t0);
            default -> throw new IllegalStateException("unexpected answer " + answer.getClass().getSimpleName());
        };
    }

    /** The executor's own answer when no worker gave one (no worker available, stopping). */
    private record Failure(String error) implements Msg {
    }

    /**
     * Sends a run or check to a worker and waits for its answer; retries it alone on another worker when its worker died
     * while it was not alone. Null when it was (or is now) found to be the culprit of a worker's death.
     *
     * @param version workflow@version of a run, whose source a worker keeps once it has it; null for a check
     */
    private Msg call(Msg request, String version, RunHost host, Duration timeout, String suspect) {
        boolean solo = suspect != null && suspects.contains(suspect);
        Duration wait = timeout.compareTo(MIN_ACQUIRE_WAIT) > 0 ? timeout : MIN_ACQUIRE_WAIT;
        while (true) {
            Lane lane;
            try {
                lane = acquire(solo, System.nanoTime() + wait.toNanos());
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
            } catch (WorkerDied d) {
                if (closed || d.stopping) {
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
                release(lane, alone);
            }
        }
    }

    @Override
    public void evict(String workflowId, long keepVersion) {
        String keep = workflowId + "@" + keepVersion;
        handles.keySet().removeIf(k -> k.startsWith(workflowId + "@") && !k.equals(keep));
        for (Worker w : workers()) {
            w.known.removeIf(k -> k.startsWith(workflowId + "@") && !k.equals(keep));
            w.control(new Evict(workflowId, keepVersion));
        }
    }

    /** Worker deaths since start, for tests and metrics. */
    public long workerDeaths() {
        return deaths.get();
    }

    /** Runs and checks the live workers host right now, for tests. */
    public int hosted() {
        return workers().stream().mapToInt(w -> w.active.get()).sum();
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
        timers.shutdownNow();
        for (Worker w : workers()) {
            w.die();
        }
        try {
            server.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.fine("could not remove " + dir + ": " + e.getMessage());
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
            timers.schedule(() -> start(slot), 1, TimeUnit.SECONDS);
        }
    }

    /** Takes the lanes workers connect: each presents its worker's nonce first. */
    private void accept() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.SEVERE, "the workers' socket failed: " + e.getMessage());
                }
                return;
            }
            try {
                DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16));
                Worker w = WorkerProtocol.read(in) instanceof Hello h && h.nonce() != null ? byNonce.get(h.nonce()) : null;
                if (w == null || !w.add(new Lane(w, ch, in))) {
                    ch.close();
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** A free lane of a worker with room for one more run (solo: an empty one, which other runs then leave alone), or null at the deadline. */
    private Lane acquire(boolean solo, long deadline) throws InterruptedException {
        lock.lock();
        try {
            Worker draining = null;
            while (!closed) {
                Worker best = null;
                for (Worker w : slots) {
                    if (w == null || w.dead || w.solo || w.idle.isEmpty()) {
                        continue;
                    }
                    if (solo ? w.busy == 0 : !w.draining && (best == null || w.busy < best.busy)) {
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
                    return best.idle.pop();
                }
                if (solo && (draining == null || draining.dead || draining.solo || !draining.draining)) {
                    // keep new runs off one worker until it is empty, or a run waiting to run alone could starve
                    draining = null;
                    for (Worker w : slots) {
                        if (w != null && !w.all.isEmpty() && !w.dead && !w.solo && (draining == null || w.busy < draining.busy)) {
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

    private void release(Lane lane, boolean solo) {
        Worker w = lane.worker;
        lock.lock();
        try {
            w.busy--;
            if (solo) {
                w.solo = false;
            }
            if (!w.dead && lane.ch.isOpen()) {
                w.idle.push(lane); // last in, first out: the lane thread that ran last is the warmest
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The call's worker died: {@code alone} when the call was the only one it was hosting; {@code stopping} when the executor is. */
    private static final class WorkerDied extends Exception {
        final boolean alone;
        final boolean stopping;

        WorkerDied(boolean alone, boolean stopping) {
            super(null, null, false, false);
            this.alone = alone;
            this.stopping = stopping;
        }
    }

    /** One worker JVM. Fields {@code idle}, {@code all}, {@code busy}, {@code solo}, {@code draining} are guarded by the pool's lock. */
    private final class Worker {
        final int slot;
        final Process process;
        final String nonce;
        final OutputStream control;
        final ArrayDeque<Lane> idle = new ArrayDeque<>();
        final List<Lane> all = new ArrayList<>();
        /** Workflow versions whose source this worker has been sent. */
        final Set<String> known = ConcurrentHashMap.newKeySet();
        /** Calls in progress, read by {@link #die} to tell whether the one that failed was alone. */
        final AtomicInteger active = new AtomicInteger();
        volatile boolean dead;
        volatile int activeAtDeath;
        int busy;
        boolean solo;
        boolean draining;

        Worker(int slot) throws IOException {
            this.slot = slot;
            byte[] n = new byte[16];
            random.nextBytes(n);
            this.nonce = HexFormat.of().formatHex(n);
            byNonce.put(nonce, this);
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.INHERIT);
                workerEnvironment(pb.environment());
                this.process = pb.start();
            } catch (IOException e) {
                byNonce.remove(nonce);
                throw e;
            }
            this.control = process.getOutputStream();
            control(new Init(limits, socket.toString(), nonce, runsPerWorker));
            process.onExit().thenRun(this::die);
        }

        /** A lane this worker connected; false when it is dead already. */
        boolean add(Lane lane) {
            lock.lock();
            try {
                if (dead || closed) {
                    return false;
                }
                all.add(lane);
                idle.push(lane);
                changed.signalAll();
                return true;
            } finally {
                lock.unlock();
            }
        }

        void control(Msg m) {
            ByteBuffer b = WorkerProtocol.encode(m);
            try {
                synchronized (control) {
                    control.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                    control.flush();
                }
            } catch (IOException e) {
                die();
            }
        }

        /** Once: fails the calls it hosted (telling each whether it was alone), kills the process, starts a replacement. */
        void die() {
            List<Lane> lanesToClose;
            lock.lock();
            try {
                if (dead) {
                    return;
                }
                dead = true;
                activeAtDeath = active.get();
                if (slots[slot] == this) {
                    slots[slot] = null;
                }
                lanesToClose = List.copyOf(all);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            byNonce.remove(nonce);
            if (!closed) {
                deaths.incrementAndGet(); // counted before the callers learn of it
            }
            process.destroyForcibly();
            lanesToClose.forEach(l -> closeQuietly(l.ch)); // wakes the callers reading them
            if (!closed) {
                LOG.warning("workflow worker " + process.pid() + " stopped while hosting " + activeAtDeath + " run(s); starting a new one");
                // a worker that dies before it connected (bad class path, ...) is not restarted in a tight loop
                if (!lanesToClose.isEmpty()) {
                    start(slot);
                } else {
                    timers.schedule(() -> start(slot), 1, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** One connection to a worker; hosts one call at a time, read by the thread that made the call. */
    private final class Lane {
        final Worker worker;
        final SocketChannel ch;
        final DataInputStream in;

        Lane(Worker worker, SocketChannel ch, DataInputStream in) {
            this.worker = worker;
            this.ch = ch;
            this.in = in;
        }

        /** Writes a frame; from the calling thread or the thread that completes a host call. */
        void send(Msg m) throws IOException {
            ByteBuffer b = WorkerProtocol.encode(m);
            synchronized (this) {
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }

        void reply(Msg m) {
            try {
                send(m);
            } catch (IOException e) {
                // the worker is gone: the calling thread learns it from its read
            }
        }

        Msg call(Msg request, String version, RunHost host, Duration limit) throws WorkerDied {
            worker.active.incrementAndGet();
            // the worker's own watchdog ends a run at its deadline; one that does not answer long after is stuck (GC thrashing, ...)
            ScheduledFuture<?> stuck = timers.schedule(() -> {
                LOG.warning("workflow worker " + worker.process.pid() + " did not answer within " + limit + "; killing it");
                worker.die();
            }, limit.toNanos(), TimeUnit.NANOSECONDS);
            try {
                Msg first = request;
                if (request instanceof Run r && r.source() != null && worker.known.contains(version)) {
                    first = new Run(r.workflowId(), r.version(), null, r.dataJson(), r.headers(), r.timeoutNanos(), r.tokens());
                }
                send(first);
                if (version != null && first == request) {
                    worker.known.add(version);
                }
                while (true) {
                    Msg m = WorkerProtocol.read(in);
                    switch (m) {
                        case TokenCall t -> {
                            CompletableFuture<RunHost.TokenResult> r;
                            try {
                                r = host == null
                                        ? CompletableFuture.completedFuture(RunHost.TokenResult.error("api.getOAuthToken is only available while a run is in progress"))
                                        : host.getOAuthToken(t.handle());
                            } catch (RuntimeException e) {
                                r = CompletableFuture.failedFuture(e);
                            }
                            // usually complete at once (the token view): answered on this thread
                            r.whenComplete((tok, e) -> reply(new TokenReply(t.call(), e == null ? tok
                                    : RunHost.TokenResult.error("The token lookup failed unexpectedly; the run will be retried."))));
                        }
                        case FetchCall f -> {
                            CompletableFuture<RunHost.FetchResponse> r;
                            try {
                                r = host == null
                                        ? CompletableFuture.failedFuture(new RunHost.FetchException("INVALID", "fetch is only available while a run is in progress"))
                                        : host.fetch(f.request());
                            } catch (RuntimeException e) {
                                r = CompletableFuture.failedFuture(e);
                            }
                            // answered by the thread that completes the request (the HTTP client's), while this one reads on
                            r.whenComplete((resp, e) -> {
                                if (e == null) {
                                    reply(new FetchReply(f.call(), resp, null, null));
                                    host.handedOver(resp); // written to the worker: the executor's copy may go
                                } else {
                                    Throwable u = EventLoop.unwrap(e);
                                    reply(u instanceof RunHost.FetchException fe ? new FetchReply(f.call(), null, fe.category(), fe.getMessage())
                                            : new FetchReply(f.call(), null, "NETWORK", u.getClass().getSimpleName()
                                                    + (u.getMessage() == null ? "" : ": " + u.getMessage())));
                                }
                            });
                        }
                        case NeedSource n -> {
                            send(request); // the worker lost or never had it (a replacement, an eviction)
                            worker.known.add(version);
                        }
                        case Result r -> {
                            return r;
                        }
                        case Checked c -> {
                            return c;
                        }
                        default -> throw new IOException("broken worker channel: " + m.getClass().getSimpleName());
                    }
                }
            } catch (ClosedByInterruptException e) {
                // the executor is stopping; the lane is closed, and with it this worker
                Thread.currentThread().interrupt();
                worker.die();
                throw new WorkerDied(false, true);
            } catch (IOException | RuntimeException e) {
                worker.die();
                throw new WorkerDied(worker.activeAtDeath == 1, false);
            } finally {
                stuck.cancel(false);
                worker.active.decrementAndGet();
            }
        }
    }
}
