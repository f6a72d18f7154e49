package io.jsworkflows.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A workflow-executor replica of the benchmark's own, run as {@code ./jsw up} runs one (the packaged
 * {@code quarkus-run.jar}, the same JVM options), on a free port, with the given environment on top of ours.
 */
final class ExecutorProcess implements AutoCloseable {

    /** What {@code ./jsw up} gives the executor (ServiceLauncher.start). */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Xmx768m");

    private final Process process;
    private final int port;
    private final Path log;
    private final long startNanos;

    private ExecutorProcess(Process process, int port, Path log, long startNanos) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startNanos = startNanos;
    }

    static ExecutorProcess start(Path root, Path log, Map<String, String> env) throws IOException {
        return start(root, log, env, JVM_OPTIONS);
    }

    static ExecutorProcess start(Path root, Path log, Map<String, String> env, List<String> jvmOptions) throws IOException {
        Path jar = root.resolve("workflow-executor/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it (./mvnw -B -ntp -q -pl workflow-executor package -DskipTests)");
        }
        int port = Bench.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(jar.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().put("QUARKUS_LOG_CONSOLE_COLOR", "false");
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        long t0 = System.nanoTime();
        Process p = pb.start();
        return new ExecutorProcess(p, port, log, t0);
    }

    long pid() {
        return process.pid();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Polls {@code /q/health/ready} every 20 ms; returns the time from the process start to the first 200 and the
     * readiness body (it names how many connections the token view holds).
     */
    Ready awaitReady(Duration timeout) {
        long deadline = startNanos + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the executor exited with " + process.exitValue() + " while starting; see " + log);
            }
            Bench.Reply r = Bench.http("GET", baseUrl() + "/q/health/ready", null, null);
            if (r.status() == 200) {
                return new Ready((System.nanoTime() - startNanos) / 1_000_000, r.body());
            }
            last = r.status() + " " + r.body();
            Bench.sleep(Duration.ofMillis(20));
        }
        throw new IllegalStateException("the executor was not ready within " + timeout.toSeconds() + " s (last: "
                + (last.length() > 300 ? last.substring(0, 300) : last) + "); see " + log);
    }

    /**
     * Milliseconds from the process start until its worker JVMs are all connected (jsw_executor_workers_live reaches
     * {@code workers} in /q/metrics, polled every 20 ms): readiness waits for the first one only.
     * -1 when they are not within {@code timeout} or the executor runs workflows in its own JVM.
     */
    long awaitWorkers(int workers, Duration timeout) {
        long deadline = startNanos + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Bench.Reply m = Bench.http("GET", baseUrl() + "/q/metrics", null, null);
            if (m.status() == 200) {
                double live = Bench.metric(m.body(), "jsw_executor_workers_live", null);
                if (live < 0) {
                    return -1; // no worker JVMs (isolation=in-process)
                }
                if (live >= workers) {
                    return (System.nanoTime() - startNanos) / 1_000_000;
                }
            }
            Bench.sleep(Duration.ofMillis(20));
        }
        return -1;
    }

    /**
     * The executor's heap after a full collection (jcmd GC.run, then the heap's used bytes from /q/metrics), or -1: what
     * the replica keeps, such as its token view, without the garbage of its start.
     */
    long heapAfterFullGc() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                return -1;
            }
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        Bench.Reply m = Bench.http("GET", baseUrl() + "/q/metrics", null, null);
        return m.status() == 200 ? (long) Bench.metric(m.body(), "jvm_memory_used_bytes", "area=\"heap\"") : -1;
    }

    /** Quarkus' own "started in N s" (JVM start to application start, before the views caught up), or -1. */
    double quarkusStartedSeconds() {
        try {
            Matcher m = Pattern.compile("started in ([0-9.]+)s").matcher(Files.readString(log));
            return m.find() ? Double.parseDouble(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    record Ready(long millis, String body) {

        long connections() {
            Matcher m = Pattern.compile("\"connections\"\\s*:\\s*(\\d+)").matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    /** Asks the executor to stop and waits up to {@code grace} for it to exit (e.g. while it writes an AOT cache). */
    void stop(Duration grace) throws InterruptedException {
        process.destroy();
        process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
