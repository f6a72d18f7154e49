package io.jsworkflows.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A test JVM killed with SIGKILL (no shutdown hooks) leaves neither the Kafka broker nor PostgreSQL running. */
@EnabledOnOs(OS.LINUX)
class OrphanGuardTest {

    @Test
    void serversDieWithAKilledTestJvm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Djswtest.servers=local", "-Djswtest.work.dir=" + TestServers.workDir(), OrphanProbe.class.getName()))
                .redirectErrorStream(true).start();
        long brokerPid;
        long postmasterPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream()))) {
            String line;
            String pids = null;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("PIDS ")) {
                    pids = line;
                    break;
                }
            }
            assertThat(pids).as("probe printed the server pids; it said:\n%s", seen).isNotNull();
            String[] parts = pids.split(" ");
            brokerPid = Long.parseLong(parts[1]);
            postmasterPid = Long.parseLong(parts[2]);
            assertThat(ProcessHandle.of(brokerPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            assertThat(ProcessHandle.of(postmasterPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            new ProcessBuilder("kill", "-9", Long.toString(probe.pid())).start().waitFor();
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false)).as("broker alive").isFalse();
            assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false)).as("postmaster alive").isFalse();
        });
    }
}
