package io.jsworkflows.executor.runtime;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.jsworkflows.executor.runtime.WorkerMessage.Hello;
import io.jsworkflows.executor.runtime.WorkerMessage.Init;

/**
 * The worker JVMs of one runtime and their lanes: starts a worker per slot (and replaces a dead one at once), takes the
 * lanes they connect on a private Unix socket (each must present its worker's nonce), and hands out free lanes, the
 * least busy worker first. Why a class of its own: slot bookkeeping under one lock is the pool's only job; what a call
 * does on a lane ({@link WorkerLane}) and whom a death blames ({@link ProcessWorkflowRuntime}) live elsewhere.
 */
final class WorkerPool implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

    private final RuntimeLimits limits;
    private final int runsPerWorker;
    private final List<String> command;
    private final WorkerProcess[] slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "jsw-worker-timers");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong deaths = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    /** Starting and live workers by the nonce their lanes present. */
    private final Map<String, WorkerProcess> byNonce = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** The GraalJS runtime the workers reported last (their Hello). */
    private volatile String engine;
    private volatile boolean everConnected;

    WorkerPool(RuntimeLimits limits, int workers, int runsPerWorker, List<String> command) {
        this.limits = limits;
        this.runsPerWorker = runsPerWorker;
        this.command = command;
        timers.setRemoveOnCancelPolicy(true); // every call cancels its stuck-worker timer: do not keep them queued until due
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
        this.slots = new WorkerProcess[workers];
        for (int i = 0; i < workers; i++) {
            start(i);
        }
    }

    boolean closed() {
        return closed;
    }

    long deaths() {
        return deaths.get();
    }

    /** A free lane of a worker with room for one more run (solo: an empty one, which other runs then leave alone), or null at the deadline. */
    WorkerLane acquire(boolean solo, long deadline) throws InterruptedException {
        lock.lock();
        try {
            WorkerProcess draining = null;
            while (!closed) {
                WorkerProcess best = null;
                for (WorkerProcess w : slots) {
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
                    for (WorkerProcess w : slots) {
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

    void release(WorkerLane lane, boolean solo) {
        WorkerProcess w = lane.worker;
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

    /** Whether any worker has connected a lane since the pool started. */
    boolean everConnected() {
        return everConnected;
    }

    /** Workers that connected at least one lane and have not died: the ones that can host a run now. */
    int connected() {
        lock.lock();
        try {
            int n = 0;
            for (WorkerProcess w : slots) {
                if (w != null && !w.dead && !w.all.isEmpty()) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** The live workers. */
    List<WorkerProcess> live() {
        lock.lock();
        try {
            List<WorkerProcess> l = new ArrayList<>();
            for (WorkerProcess w : slots) {
                if (w != null && !w.dead) {
                    l.add(w);
                }
            }
            return l;
        } finally {
            lock.unlock();
        }
    }

    /** Once per worker: fails the calls it hosted (their reads end), kills the process, starts a replacement. */
    void died(WorkerProcess w) {
        List<WorkerLane> lanesToClose;
        lock.lock();
        try {
            if (w.dead) {
                return;
            }
            w.dead = true;
            w.activeAtDeath = w.active.get();
            if (slots[w.slot] == w) {
                slots[w.slot] = null;
            }
            lanesToClose = List.copyOf(w.all);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        unregister(w);
        if (!closed) {
            deaths.incrementAndGet(); // counted before the callers learn of it
        }
        w.process.destroyForcibly();
        lanesToClose.forEach(l -> closeQuietly(l.ch)); // wakes the callers reading them
        if (!closed) {
            LOG.warning("workflow worker " + w.process.pid() + " stopped while hosting " + w.activeAtDeath + " run(s); starting a new one");
            // a worker that dies before it connected (bad class path, ...) is not restarted in a tight loop
            if (!lanesToClose.isEmpty()) {
                start(w.slot);
            } else {
                timers.schedule(() -> start(w.slot), 1, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        for (WorkerProcess w : live()) {
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
        byte[] n = new byte[16];
        random.nextBytes(n);
        String nonce = HexFormat.of().formatHex(n);
        try {
            WorkerProcess w = new WorkerProcess(this, slot, nonce, command, new Init(limits, socket.toString(), nonce, runsPerWorker));
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

    /** Known by its nonce from before its process starts, so that none of its lanes is refused. */
    void register(WorkerProcess w) {
        byNonce.put(w.nonce, w);
    }

    void unregister(WorkerProcess w) {
        byNonce.remove(w.nonce);
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
                Hello h = WorkerProtocol.read(in) instanceof Hello x && x.nonce() != null ? x : null;
                WorkerProcess w = h == null ? null : byNonce.get(h.nonce());
                if (w != null) {
                    engine(h.engine());
                }
                if (w == null || !add(w, new WorkerLane(w, ch, in, timers))) {
                    ch.close();
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
            }
        }
    }

    /** Logs the workers' GraalJS runtime when it is first known or changes: whether the Graal compiler is in use is seen, not assumed. */
    private void engine(String name) {
        String before = engine;
        engine = name;
        if (name != null && !name.equals(before)) {
            LOG.info("workflow workers run GraalJS on the " + ("Interpreted".equals(name) ? "interpreter only (no Graal compiler)"
                    : "optimizing runtime (" + name + ", with the Graal compiler)"));
        }
    }

    /** The GraalJS runtime of the workers, as they report it; null until one connected. */
    String engine() {
        return engine;
    }

    /** A lane a worker connected; false when the worker is dead already. */
    private boolean add(WorkerProcess w, WorkerLane lane) {
        lock.lock();
        try {
            if (w.dead || closed) {
                return false;
            }
            w.all.add(lane);
            w.idle.push(lane);
            everConnected = true;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
