package io.jsworkflows.executor.service;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.messaging.KafkaClients;
import io.quarkus.logging.Log;

/**
 * Poison-run protection. Before an attempt runs, its start is recorded durably on {@code jsw.runs.inflight}; when the
 * outcome was handed on, the record is removed. Every replica reads that topic, so when a trigger or retry record comes
 * back after its executor died mid-run, the next replica sees the unfinished start and counts a crash. After
 * {@code jsw.executor.crash.max-crashes} crashes the run goes to the DLQ without running again: a runaway run (memory,
 * CPU) cannot take down one replica after another.
 */
@ApplicationScoped
public class CrashGuard {

    public static final String REASON = "the executor stopped while this run was in progress (possible runaway memory or CPU)";

    private final ExecutorConfig config;
    private final KafkaClients kafka;
    private final Map<String, RunStart> unfinished = new ConcurrentHashMap<>();
    private final String replica = UUID.randomUUID().toString().substring(0, 8);

    public CrashGuard(ExecutorConfig config, KafkaClients kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    public boolean enabled() {
        return config.executor().crash().protection();
    }

    /** Applies one record of jsw.runs.inflight (null = finished). */
    public void apply(String key, String value) {
        if (value == null) {
            unfinished.remove(key);
        } else {
            unfinished.put(key, ContractsJson.read(value, RunStart.class));
        }
    }

    /** Crashes already seen for this attempt: an unfinished start of the same attempt counts one more. */
    public int crashesBefore(String workflowId, String idempotencyKey, int attempt) {
        RunStart s = unfinished.get(key(workflowId, idempotencyKey));
        return s != null && s.attempt() == attempt ? s.crashes() + 1 : 0;
    }

    public int maxCrashes() {
        return config.executor().crash().maxCrashes();
    }

    /** Records the start durably; throws when Kafka does not acknowledge it (the record is then processed again). */
    public void started(String runId, String workflowId, String idempotencyKey, int attempt, int crashes) {
        RunStart s = new RunStart(RunStart.SCHEMA_VERSION, runId, workflowId, idempotencyKey, attempt, crashes, replica, Instant.now());
        try {
            kafka.send(RunStart.TOPIC, key(workflowId, idempotencyKey), s, RunStart.CE_TYPE).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording a run start");
        } catch (Exception e) {
            throw new IllegalStateException("could not record a run start: " + e.getMessage(), e);
        }
        unfinished.put(key(workflowId, idempotencyKey), s);
    }

    public void finished(String workflowId, String idempotencyKey) {
        String k = key(workflowId, idempotencyKey);
        unfinished.remove(k);
        kafka.send(RunStart.TOPIC, k, null, RunStart.CE_TYPE).whenComplete((md, t) -> {
            if (t != null) {
                Log.warnf("run end of %s not recorded: %s", k, t.getMessage());
            }
        });
    }

    public Optional<RunStart> unfinished(String workflowId, String idempotencyKey) {
        return Optional.ofNullable(unfinished.get(key(workflowId, idempotencyKey)));
    }

    static String key(String workflowId, String idempotencyKey) {
        return workflowId + ":" + idempotencyKey;
    }
}
