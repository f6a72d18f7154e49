package io.jsworkflows.localstack.stack;

import io.jsworkflows.kafkabroker.ProcessWatchdog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A child of jsw dies when jsw is SIGKILLed: the watchdog, not a shutdown hook, takes care of it. */
class WatchdogTest {

    @Test
    void childDiesWhenTheJvmThatStartedItIsKilled() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WatchdogProbe.class.getName())
                .redirectErrorStream(true).start();
        long child;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(probe.getInputStream()))) {
            child = Long.parseLong(r.readLine().trim());
            ProcessHandle target = ProcessHandle.of(child).orElseThrow();
            assertThat(target.isAlive()).isTrue();
            assertThat(target.parent().map(ProcessHandle::pid)).contains(probe.pid());

            probe.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
            await().atMost(Duration.ofSeconds(15)).until(() -> !target.isAlive());
        } finally {
            probe.destroyForcibly();
        }
    }

    @Test
    void detachedProcessesGetTheirOwnSession() {
        List<String> cmd = ProcessWatchdog.detached(List.of("true")).command();
        assertThat(cmd.getLast()).isEqualTo("true");
        assertThat(cmd.getFirst()).isIn("setsid", "true");
    }
}
