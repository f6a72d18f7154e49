package io.jsworkflows.testsupport;

import io.jsworkflows.kafkabroker.ProcessWatchdog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL per test JVM (so a fresh one per Maven module), data under {@code target/}. As root, zonky runs
 * the server as {@code nobody}.
 */
public final class SharedPostgres {

    /** The PostgreSQL major version of the zonky binaries (pg-binaries.version) and of the container. */
    static final int POSTGRES_MAJOR = 18;

    public static final String DATABASE = "jsw";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private static String jdbcUrl;

    private SharedPostgres() {
    }

    /** Quarkus datasource properties pointing at the shared server. */
    public static synchronized Map<String, String> datasourceProperties() {
        if (jdbcUrl == null) {
            long t0 = System.nanoTime();
            try {
                if (TestServers.useTestcontainers()) {
                    var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:" + POSTGRES_MAJOR + "-alpine")
                            .withDatabaseName(DATABASE).withUsername(USER).withPassword(PASSWORD);
                    container.start();
                    jdbcUrl = container.getJdbcUrl();
                    TestServers.log("postgres (testcontainers) started in %d ms", SharedKafka.ms(t0));
                } else {
                    Path data = TestServers.workDir().resolve("postgres-" + ProcessHandle.current().pid());
                    Files.createDirectories(data.getParent());
                    EmbeddedPostgres pg = EmbeddedPostgres.builder()
                            .setDataDirectory(data)
                            .setCleanDataDirectory(true)
                            .setServerConfig("max_connections", "200")
                            .setServerConfig("fsync", "off")
                            .setServerConfig("synchronous_commit", "off")
                            .setServerConfig("full_page_writes", "off")
                            .start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            pg.close();
                        } catch (Exception ignored) {
                            // the JVM is going away; the watchdog below covers what close() misses
                        }
                    }, "postgres-stop"));
                    watchPostmaster(data);
                    try (Connection c = DriverManager.getConnection(pg.getJdbcUrl(USER, "postgres"), USER, PASSWORD);
                            Statement s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + DATABASE);
                    }
                    jdbcUrl = pg.getJdbcUrl(USER, DATABASE);
                    TestServers.log("postgres (embedded, port %d) started in %d ms, data %s", pg.getPort(), SharedKafka.ms(t0), data);
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not start PostgreSQL for the tests", e);
            }
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", PASSWORD);
    }

    public static String jdbcUrl() {
        datasourceProperties();
        return jdbcUrl;
    }

    /** The postmaster is not our child's child forever: make sure a SIGKILLed test JVM does not leave it running. */
    private static void watchPostmaster(Path data) throws Exception {
        Path pidFile = data.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            ProcessWatchdog.guard(pid, "QUIT", 10);
        }
    }
}
