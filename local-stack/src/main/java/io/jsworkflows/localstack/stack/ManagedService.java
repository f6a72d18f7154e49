package io.jsworkflows.localstack.stack;

import io.jsworkflows.kafkabroker.ProcessWatchdog;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One Quarkus service of the stack, run as {@code java -jar <module>/target/quarkus-app/quarkus-run.jar}. */
public final class ManagedService {

    private final String name;
    private final int port;
    private final Path jar;
    private final Path log;
    private final List<String> jvmOptions;
    private final Map<String, String> env;
    private Process process;

    public ManagedService(String name, int port, Path jar, Path log, List<String> jvmOptions, Map<String, String> env) {
        this.name = name;
        this.port = port;
        this.jar = jar;
        this.log = log;
        this.jvmOptions = jvmOptions;
        this.env = env;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Process process() {
        return process;
    }

    public void start() throws IOException {
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = ProcessWatchdog.detached(cmd).directory(jar.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
        ProcessWatchdog.guard(process.pid(), "TERM", 20);
    }

    /** Waits until {@code /q/health/ready} answers 200; fails early if the process exits. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException(name + " exited with code " + process.exitValue() + " while starting.\n"
                        + tail(log, 25) + "  (full log: " + log + ")");
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode() + " " + r.body().replaceAll("\\s+", " ");
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new StackException(name + " was not ready within " + timeout.toSeconds() + " s (last answer of " + ready + ": "
                + (last.length() > 400 ? last.substring(0, 400) + "..." : last) + ").\n" + tail(log, 25) + "  (full log: " + log + ")");
    }

    /** SIGTERM (Quarkus shuts down gracefully), then SIGKILL after the grace period. */
    public void stop(Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        // a graceful stop is worth waiting for even if this thread is interrupted meanwhile
        boolean interrupted = false;
        long deadline = System.nanoTime() + grace.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            StringBuilder b = new StringBuilder();
            for (String l : all.subList(Math.max(0, all.size() - lines), all.size())) {
                b.append("  | ").append(l).append('\n');
            }
            return b.toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
