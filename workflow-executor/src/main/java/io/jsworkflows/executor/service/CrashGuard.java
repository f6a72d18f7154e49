package io.jsworkflows.executor.service;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.messaging.KafkaClients;
import io.quarkus.logging.Log;

/**
 * Poison-run protection, the view and the writer of {@code jsw.runs.inflight}. Two kinds of marks: a {@link RunStart}
 * per attempt (recorded durably before it runs, removed when its outcome was handed on), and a {@link BatchMark} per
 * trigger partition (the records a loop polled and may be running). Every replica reads the topic, so a replica that
 * gets records back after their executor died mid-run sees what was unfinished: a run start counts a crash; a batch
 * mark makes the loop replay that batch record by record, each with a run start. After
 * {@code jsw.executor.crash.max-crashes} crashes the run goes to the DLQ without running again: a runaway run (memory,
 * CPU) cannot take down one replica after another.
 *
 * <p>Which kind covers an attempt ({@code jsw.executor.crash.marks}): with isolation=process user code cannot stop the
 * executor (a worker's death is seen directly and counted in memory), so trigger records are covered per batch and a
 * successful run writes nothing here; with in-process isolation a run can stop the JVM, so every attempt has its own
 * run start. Retries always have their own.
 */
@ApplicationScoped
public class CrashGuard {

    public static final String REASON = "the executor stopped while this run was in progress (possible runaway memory or CPU)";

    private final ExecutorConfig config;
    private final KafkaClients kafka;
    private final Map<String, RunStart> unfinished = new ConcurrentHashMap<>();
    private final Map<String, BatchMark> batches = new ConcurrentHashMap<>();
    private final String replica = UUID.randomUUID().toString().substring(0, 8);

    public CrashGuard(ExecutorConfig config, KafkaClients kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    public boolean enabled() {
        return config.executor().crash().protection();
    }

    /** Whether trigger records are covered by batch marks (else each attempt records its own start). */
    public boolean batchMarks() {
        if (!enabled()) {
            return false;
        }
        return switch (config.executor().crash().marks()) {
            case BATCH -> true;
            case RUN -> false;
            case AUTO -> config.executor().isolation() == ExecutorConfig.Isolation.PROCESS;
        };
    }

    /** Applies one record of jsw.runs.inflight (null = finished). */
    public void apply(String key, String value) {
        if (key != null && key.startsWith(BatchMark.KEY_PREFIX)) {
            if (value == null) {
                batches.remove(key);
            } else {
                batches.put(key, ContractsJson.read(value, BatchMark.class));
            }
            return;
        }
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

    /** The mark a loop of this group left on the partition and has not removed. */
    public Optional<BatchMark> batchMark(String group, String topic, int partition) {
        return Optional.ofNullable(batches.get(BatchMark.key(group, topic, partition)));
    }

    /** Marks records of the partition up to {@code to} as possibly in flight; complete when Kafka acknowledged it. */
    public CompletableFuture<?> markBatch(String group, String topic, int partition, long to) {
        BatchMark m = new BatchMark(BatchMark.SCHEMA_VERSION, group, topic, partition, to, replica, Instant.now());
        String k = BatchMark.key(group, topic, partition);
        return kafka.send(RunStart.TOPIC, k, m, BatchMark.CE_TYPE).thenRun(() -> batches.put(k, m));
    }

    /** The partition left its loop with nothing in flight: its mark goes (not waited for; a stale mark costs a replay). */
    public void clearBatch(String group, String topic, int partition) {
        String k = BatchMark.key(group, topic, partition);
        batches.remove(k);
        kafka.send(RunStart.TOPIC, k, null, BatchMark.CE_TYPE).whenComplete((md, t) -> {
            if (t != null) {
                Log.warnf("batch mark %s not removed: %s", k, t.getMessage());
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
