package io.jsworkflows.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** A stand-in test JVM: starts the shared servers, prints their pids, then waits to be killed. */
public final class OrphanProbe {

    private OrphanProbe() {
    }

    public static void main(String[] args) throws Exception {
        SharedKafka.bootstrapServers();
        SharedPostgres.jdbcUrl();
        long brokerPid = SharedKafka.brokerPid();
        Path pgData = TestServers.workDir().resolve("postgres-" + ProcessHandle.current().pid());
        long postmasterPid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).getFirst().trim());
        System.out.println("PIDS " + brokerPid + " " + postmasterPid);
        System.out.flush();
        Thread.currentThread().join();
    }
}
