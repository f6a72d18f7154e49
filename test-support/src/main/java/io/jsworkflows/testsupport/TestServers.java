package io.jsworkflows.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decides where test servers come from: Testcontainers when a Docker engine answers, else real servers started from
 * Maven artifacts. {@code -Djswtest.servers=local|testcontainers|auto} (Maven property) forces a choice.
 */
public final class TestServers {

    private static volatile Boolean docker;

    private TestServers() {
    }

    public static Path workDir() {
        return Path.of(System.getProperty("jswtest.work.dir", "target")).toAbsolutePath();
    }

    public static boolean useTestcontainers() {
        String mode = System.getProperty("jswtest.servers", "auto");
        return switch (mode) {
            case "local" -> false;
            case "testcontainers" -> true;
            default -> dockerAvailable();
        };
    }

    /** Cheap checks first so that machines without an engine skip Testcontainers quickly and without its error banner. */
    static boolean dockerAvailable() {
        Boolean d = docker;
        if (d == null) {
            boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                    || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
            d = hint && org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            docker = d;
        }
        return d;
    }

    static void log(String format, Object... args) {
        System.out.printf("[jsw-test] " + format + "%n", args);
    }
}
