package io.jsworkflows.executor.runtime;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.jsworkflows.executor.runtime.WorkerMessage.Init;

/**
 * One worker JVM: how it is launched (command line, a stripped environment, the nonce its lanes must present), its
 * control channel (stdin), and the moment it is found dead. Why a class of its own: launch and death are the worker's
 * life cycle, which the pool ({@link WorkerPool}) schedules and the lanes ({@link WorkerLane}) observe.
 *
 * <p>Fields {@code idle}, {@code all}, {@code busy}, {@code solo} and {@code draining} are guarded by the pool's lock.
 */
final class WorkerProcess {

    /**
     * What a worker inherits from the executor's environment: nothing but locale, time zone and the temp directory. The
     * executor's environment holds the token key ring and the broker's address; a worker gets its work over its lane
     * socket and needs neither (the java binary and class path are absolute on the command line).
     */
    static final List<String> WORKER_ENVIRONMENT = List.of("LANG", "LC_ALL", "TZ", "TMPDIR");

    final int slot;
    final Process process;
    final String nonce;
    private final OutputStream control;
    private final WorkerPool pool;
    final ArrayDeque<WorkerLane> idle = new ArrayDeque<>();
    final List<WorkerLane> all = new ArrayList<>();
    /** Workflow versions whose source this worker has been sent. */
    final Set<String> known = ConcurrentHashMap.newKeySet();
    /** Calls in progress, read by {@link #die} to tell whether the one that failed was alone. */
    final AtomicInteger active = new AtomicInteger();
    volatile boolean dead;
    volatile int activeAtDeath;
    int busy;
    boolean solo;
    boolean draining;

    /** Starts the JVM and sends it its {@link Init}; the pool knows it by {@code nonce} before it can connect a lane. */
    WorkerProcess(WorkerPool pool, int slot, String nonce, List<String> command, Init init) throws IOException {
        this.pool = pool;
        this.slot = slot;
        this.nonce = nonce;
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        workerEnvironment(pb.environment());
        pool.register(this);
        try {
            this.process = pb.start();
        } catch (IOException e) {
            pool.unregister(this);
            throw e;
        }
        this.control = process.getOutputStream();
        control(init);
        process.onExit().thenRun(this::die);
    }

    /** The worker's command line: the executor's own java, a small heap that ends the JVM at its first OutOfMemoryError. */
    static List<String> command(String heap, String classpath, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath == null || classpath.isBlank() ? executorClasspath() : classpath,
                WorkerMain.class.getName(), Long.toString(ProcessHandle.current().pid())));
        return List.copyOf(cmd);
    }

    static void workerEnvironment(Map<String, String> env) {
        Map<String, String> kept = new HashMap<>();
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

    /** Writes a control message (stdin); a worker that cannot take it is dead. */
    void control(WorkerMessage m) {
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

    /** Once: fails the calls it hosted (telling each whether it was alone), kills the process, has the pool replace it. */
    void die() {
        pool.died(this);
    }
}
