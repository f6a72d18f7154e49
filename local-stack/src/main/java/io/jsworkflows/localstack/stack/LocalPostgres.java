package io.jsworkflows.localstack.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.jsworkflows.kafkabroker.ProcessWatchdog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The stack's PostgreSQL: an embedded server with its data kept under the state directory and a {@code jsw} database,
 * or, with {@code JSW_DB_URL}, an existing one that only has to accept the configured login.
 */
final class LocalPostgres {

    private final StackSettings s;
    private final StackConsole console;
    private final StackSupervisor supervisor;

    LocalPostgres(StackSettings settings, StackConsole console, StackSupervisor supervisor) {
        this.s = settings;
        this.console = console;
        this.supervisor = supervisor;
    }

    void start() throws IOException, SQLException {
        if (s.externalDbUrl() != null) {
            console.step("postgres", "using the existing PostgreSQL at " + s.externalDbUrl() + " (JSW_DB_URL)");
            try (Connection c = DriverManager.getConnection(s.externalDbUrl(), s.externalDbUser(), s.externalDbPassword())) {
                c.isValid(5);
            } catch (SQLException e) {
                throw new StackException("cannot connect to " + s.externalDbUrl() + " as " + s.externalDbUser() + ": " + e.getMessage());
            }
            return;
        }
        long t = System.nanoTime();
        Path dir = s.stateDir().resolve("postgres");
        Path data = dir.resolve("data");
        boolean fresh = !Files.exists(data.resolve("postgresql.conf"));
        console.step("postgres", "starting PostgreSQL 18 on 127.0.0.1:" + s.postgresPort() + ", data " + StackConsole.rel(data)
                + (fresh ? " (new)" : " (kept)"));
        Files.createDirectories(dir.resolve("runtime"));
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(dir.resolve("runtime").toFile())
                    .setPort(s.postgresPort())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    .start();
        } catch (IOException e) {
            throw new StackException("PostgreSQL did not start: " + e.getMessage() + " (data " + data + ")");
        }
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim());
        // SIGINT = PostgreSQL's fast shutdown: clean, and quick
        ProcessWatchdog.guard(postmaster, "INT", 20);
        supervisor.started("postgres", () -> ProcessHandle.of(postmaster).orElse(null), () -> {
            try {
                pg.close();
            } catch (IOException e) {
                ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroy);
            }
        });
        supervisor.recordPid("postgres", postmaster);
        createDatabaseIfMissing(pg);
        console.done("postgres", t, "ready at " + s.dbUrl());
    }

    /** The services migrate their own schemas (Flyway); they only need the database to exist. */
    private static void createDatabaseIfMissing(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
                PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = 'jsw'")) {
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE DATABASE jsw");
                    }
                }
            }
        }
    }
}
