package io.jsworkflows.executor.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.messaging.KafkaClients;

/** The run-start view as the records of jsw.runs.inflight build it. */
class CrashGuardTest {

    // never used to send: these tests only apply records as the view reads them
    private final KafkaClients nowhere = new KafkaClients(Map.of("bootstrap.servers", "127.0.0.1:1"));
    private final CrashGuard guard = new CrashGuard(null, nowhere);

    @AfterEach
    void close() {
        nowhere.close();
    }

    private static String start(int attempt, int crashes) {
        return ContractsJson.write(new RunStart(RunStart.SCHEMA_VERSION, "run-1", "wf", "key-1", attempt, crashes, "other", Instant.now()));
    }

    @Test
    void anUnfinishedStartOfTheSameAttemptCountsOneMoreCrash() {
        guard.apply(CrashGuard.key("wf", "key-1"), start(1, 1));
        assertThat(guard.crashesBefore("wf", "key-1", 1)).isEqualTo(2);
        assertThat(guard.crashesBefore("wf", "key-1", 2)).isZero(); // another attempt: not this one's crash
        assertThat(guard.unfinished("wf", "key-1")).map(RunStart::runId).contains("run-1");
        assertThat(guard.crashesBefore("wf", "other-key", 1)).isZero();
    }

    @Test
    void aTombstoneEndsTheStart() {
        guard.apply(CrashGuard.key("wf", "key-1"), start(1, 0));
        guard.apply(CrashGuard.key("wf", "key-1"), null);
        assertThat(guard.crashesBefore("wf", "key-1", 1)).isZero();
        assertThat(guard.unfinished("wf", "key-1")).isEmpty();
    }
}
