package io.jsworkflows.testsupport;

import io.jsworkflows.kafkabroker.ProcessWatchdog;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The HubSpot emulator for a {@code @QuarkusTest}: starts the packaged emulator
 * ({@code hubspot-emulator/target/quarkus-app/quarkus-run.jar} under {@code jswtest.root.dir}) as one child process per
 * test JVM, on a free port, killed when the JVM exits (even by SIGKILL, through {@link ProcessWatchdog}), and sets
 * {@code jsw.hubspot.api-url}, {@code jsw.hubspot.authorize-url}, {@code jsw.hubspot.client-id} and
 * {@code jsw.hubspot.client-secret}.
 *
 * <p>Init args change the emulator's settings for the tests of this resource (the process is shared, so they are
 * applied through the operator API each time an app starts, after the settings are put back to their defaults):
 * {@code access-token-lifetime} ({@code PT5S}, {@code 5s} or seconds), {@code auth-code-lifetime},
 * {@code rate-limit-max}, {@code rate-limit-interval}, {@code refresh-token-rotation}, {@code auto-approve},
 * {@code retry-after}. Example:
 * {@code @WithTestResource(value = HubSpotEmulatorTestResource.class, initArgs = @ResourceArg(name = "access-token-lifetime", value = "PT5S"))}.
 */
public class HubSpotEmulatorTestResource implements QuarkusTestResourceLifecycleManager {

    private static final String JAR = "hubspot-emulator/target/quarkus-app/quarkus-run.jar";

    private static String baseUrl;

    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = initArgs == null ? Map.of() : Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        String base = baseUrl();
        HubSpotEmulator emulator = HubSpotEmulator.at(base);
        emulator.resetConfig();
        Map<String, Object> patch = configPatch(args);
        if (!patch.isEmpty()) {
            emulator.configure(patch);
        }
        return properties(base);
    }

    /** What the service under test is told: the API's URL and the OAuth app's settings. */
    protected Map<String, String> properties(String base) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("jsw.hubspot.api-url", base);
        props.put("jsw.hubspot.authorize-url", base + "/oauth/authorize");
        props.put("jsw.hubspot.client-id", HubSpotEmulator.CLIENT_ID);
        props.put("jsw.hubspot.client-secret", HubSpotEmulator.CLIENT_SECRET);
        return props;
    }

    @Override
    public void stop() {
        // shared across test classes; stopped when the JVM exits
    }

    /** Init args to the operator API's settings fields. */
    static Map<String, Object> configPatch(Map<String, String> args) {
        Map<String, Object> p = new LinkedHashMap<>();
        args.forEach((k, v) -> {
            switch (k) {
                case "access-token-lifetime", "emulator.oauth.access-token-lifetime" -> p.put("accessTokenLifetimeSeconds", seconds(v));
                case "auth-code-lifetime", "emulator.oauth.auth-code-lifetime" -> p.put("authCodeLifetimeSeconds", seconds(v));
                case "rate-limit-max", "emulator.rate-limit.max" -> p.put("rateLimitMax", Integer.parseInt(v.trim()));
                case "rate-limit-interval", "emulator.rate-limit.interval" -> p.put("rateLimitIntervalMillis",
                        Math.round(seconds(v) * 1000));
                case "refresh-token-rotation", "emulator.oauth.refresh-token-rotation" -> p.put("refreshTokenRotation", Boolean.parseBoolean(v.trim()));
                case "auto-approve", "emulator.consent.auto-approve" -> p.put("autoApprove", Boolean.parseBoolean(v.trim()));
                case "retry-after", "emulator.rate-limit.retry-after" -> p.put("retryAfter", Boolean.parseBoolean(v.trim()));
                default -> throw new IllegalArgumentException("Unknown HubSpotEmulatorTestResource init arg '" + k
                        + "'. Known: access-token-lifetime, auth-code-lifetime, rate-limit-max, rate-limit-interval,"
                        + " refresh-token-rotation, auto-approve, retry-after.");
            }
        });
        return p;
    }

    /** {@code PT5S}, {@code 5s}, {@code 500ms}, {@code 2m} or plain seconds. */
    static double seconds(String v) {
        String s = v.trim().toLowerCase();
        if (s.startsWith("p")) {
            return Duration.parse(s.toUpperCase()).toMillis() / 1000.0;
        }
        if (s.endsWith("ms")) {
            return Double.parseDouble(s.substring(0, s.length() - 2)) / 1000.0;
        }
        if (s.endsWith("s")) {
            return Double.parseDouble(s.substring(0, s.length() - 1));
        }
        if (s.endsWith("m")) {
            return Double.parseDouble(s.substring(0, s.length() - 1)) * 60;
        }
        if (s.endsWith("h")) {
            return Double.parseDouble(s.substring(0, s.length() - 1)) * 3600;
        }
        return Double.parseDouble(s);
    }

    /** Base URL of the JVM's one emulator process, started on first use. */
    public static synchronized String baseUrl() {
        if (baseUrl == null) {
            baseUrl = launch();
        }
        return baseUrl;
    }

    private static String launch() {
        Path root = Path.of(System.getProperty("jswtest.root.dir", ".")).toAbsolutePath();
        Path jar = root.resolve(JAR);
        if (!Files.isRegularFile(jar)) {
            // a module's tests may run from the module directory without jswtest.root.dir
            Path up = Path.of("..").toAbsolutePath().normalize().resolve(JAR);
            if (Files.isRegularFile(up)) {
                jar = up;
            } else {
                throw new IllegalStateException("The HubSpot emulator is not built: " + jar + " is missing. Build it with"
                        + " ./mvnw -B -ntp -q -pl hubspot-emulator package -DskipTests (or run the tests through the"
                        + " reactor, which builds it first).");
            }
        }
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = freePort();
            try {
                return start(jar, port);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static String start(Path jar, int port) {
        long t0 = System.nanoTime();
        Path log = TestServers.workDir().resolve("hubspot-emulator-" + ProcessHandle.current().pid() + "-" + port + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx1g", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.log.level=WARN",
                "-Dquarkus.log.category.\"io.quarkus\".level=INFO", "-jar", jar.toString()));
        Process p;
        try {
            Files.createDirectories(log.getParent());
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the HubSpot emulator: " + e.getMessage(), e);
        }
        ProcessWatchdog.guard(p.pid(), "KILL", 0);
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "hubspot-emulator-stop"));
        String base = "http://localhost:" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("The HubSpot emulator exited with " + p.exitValue() + " on port " + port
                        + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    TestServers.log("hubspot-emulator (process, pid %d) started in %d ms at %s, log %s", p.pid(),
                            SharedKafka.ms(t0), base, log);
                    return base;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IllegalStateException("interrupted while waiting for the HubSpot emulator", e);
            }
            try {
                Thread.sleep(100); // process start-up poll, not a test wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IllegalStateException("interrupted while waiting for the HubSpot emulator", e);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("The HubSpot emulator did not become ready within 60 s; see " + log);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the HubSpot emulator", e);
        }
    }
}
