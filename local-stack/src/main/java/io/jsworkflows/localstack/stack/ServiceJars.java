package io.jsworkflows.localstack.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.jsworkflows.kafkabroker.ProcessWatchdog;

/**
 * The packaged jar of each service, and the one build that makes the missing ones: a fresh checkout runs
 * {@code ./jsw up} without a separate build step.
 */
final class ServiceJars {

    private final StackSettings s;
    private final StackConsole console;

    ServiceJars(StackSettings settings, StackConsole console) {
        this.s = settings;
        this.console = console;
    }

    Path jarOf(String module) {
        return s.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Runs {@code ./mvnw install -DskipTests} once if any service's jar is missing; fails if one still is. */
    void buildMissing(List<StackRunner.ServiceSpec> services) throws IOException, InterruptedException {
        List<String> missing = missing(services);
        if (missing.isEmpty()) {
            return;
        }
        Path log = s.logs().resolve("build.log");
        long t = System.nanoTime();
        console.step("build", "building " + String.join(", ", missing) + " (./mvnw -B -ntp -q install -DskipTests; a few minutes the first time, log "
                + StackConsole.rel(log) + ")");
        Process p = new ProcessBuilder(s.root().resolve("mvnw").toString(), "-B", "-ntp", "-q", "install", "-DskipTests")
                .directory(s.root().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ProcessWatchdog.guard(p.pid(), "TERM", 10);
        int rc = p.waitFor();
        List<String> still = missing(services);
        if (rc != 0 || !still.isEmpty()) {
            throw new StackException("the build failed (exit " + rc + ").\n" + ManagedService.tail(log, 30) + "  (full log: " + log + ")");
        }
        console.done("build", t, "built");
    }

    private List<String> missing(List<StackRunner.ServiceSpec> services) {
        return services.stream().map(StackRunner.ServiceSpec::module).filter(m -> !Files.exists(jarOf(m))).toList();
    }
}
