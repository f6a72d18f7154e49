package io.jsworkflows.executor.service;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.RetryRecord;
import io.jsworkflows.contracts.events.TriggerRecord;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.runtime.ErrorCategory;
import io.jsworkflows.executor.runtime.RunRequest;
import io.jsworkflows.executor.runtime.RunResult;
import io.jsworkflows.executor.runtime.WorkflowRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;

/**
 * Runs workflows for trigger and retry records: decides which workflows a record runs (owner, binding, duplicates,
 * malformed input), guards each attempt against runs that stop executors or workers ({@link CrashGuard}), runs it in
 * the {@link WorkflowRuntime} and leaves its outcome to {@link RunOutcomes}. A method returns only after every outcome
 * was handed on and acknowledged, so the caller may then commit the record's offset (at least once).
 */
@ApplicationScoped
public class RunService {

    /** Header names the executor adds to the {@code headers} a workflow receives. */
    public static final String IDEMPOTENCY_HEADER = "X-JSW-Idempotency-Key";
    public static final String RUN_ID_HEADER = "X-JSW-Run-Id";
    public static final String ATTEMPT_HEADER = "X-JSW-Attempt";

    private final ExecutorConfig config;
    private final WorkflowRegistry registry;
    private final WorkflowRuntime runtime;
    private final TokenView tokens;
    private final FetchGateway gateway;
    private final Deduplicator dedupe;
    private final MeterRegistry meters;
    private final CrashGuard crashes;
    private final TriggerOwnership ownership;
    private final RunOutcomes outcomes;
    private final RunEvents events;
    private final Timer tokenLatency;
    private final Counter duplicates;
    private final RunTracing tracing;
    private final Timer triggerToCompletion;
    /** Registered once per outcome: a lookup by name and tags on every run showed in the profile. */
    private final java.util.Map<RunResult.Outcome, Timer> runDuration = new java.util.EnumMap<>(RunResult.Outcome.class);

    public RunService(ExecutorConfig config, WorkflowRegistry registry, WorkflowRuntime runtime, TokenView tokens, FetchGateway gateway,
            MeterRegistry meters, CrashGuard crashes, TriggerOwnership ownership, RunOutcomes outcomes, RunEvents events, RunTracing tracing) {
        this.tracing = tracing;
        for (RunResult.Outcome o : RunResult.Outcome.values()) {
            runDuration.put(o, Timer.builder("jsw.run.duration").tag("outcome", o.name().toLowerCase(java.util.Locale.ROOT))
                    .publishPercentileHistogram().register(meters));
        }
        this.triggerToCompletion = Timer.builder("jsw.run.trigger.to.completion")
                .description("from a trigger record's timestamp to its first attempt's outcome").publishPercentileHistogram().register(meters);
        this.config = config;
        this.registry = registry;
        this.runtime = runtime;
        this.tokens = tokens;
        this.gateway = gateway;
        this.meters = meters;
        this.crashes = crashes;
        this.ownership = ownership;
        this.outcomes = outcomes;
        this.events = events;
        this.dedupe = new Deduplicator(config.executor().triggers().dedupeWindow(), config.executor().triggers().dedupeMaxEntries());
        this.tokenLatency = Timer.builder("jsw.token.lookup").description("api.getOAuthToken latency").publishPercentiles(0.5, 0.99)
                .register(meters);
        this.duplicates = Counter.builder("jsw.runs.duplicates").description("trigger records dropped as duplicates").register(meters);
    }

    /** Idempotency key of a trigger record: Shopify's webhook id, else its coordinates. */
    public static String idempotencyKey(TriggerRecord r) {
        for (var h : r.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase("X-Shopify-Webhook-Id") && !h.getValue().isBlank()) {
                return h.getValue();
            }
        }
        return r.coordinates();
    }

    /**
     * Every workflow of the record's owner (see {@link TriggerOwnership}) bound to its topic, whose header match fits and
     * whose binding had started by the record's timestamp, runs once for it. Nothing runs for a record nobody owns.
     *
     * @param cover how the trigger loop protects the record against a stopping executor
     */
    public void handleTrigger(TriggerRecord record, int sizeBytes, long timestampMillis, CrashCover cover) {
        handle(record, sizeBytes, timestampMillis, null, cover);
    }

    /** As {@link #handleTrigger}, each attempt with its own start mark. */
    public void handleTrigger(TriggerRecord record, int sizeBytes, long timestampMillis) {
        handle(record, sizeBytes, timestampMillis, null, CrashCover.RUN);
    }

    /** As {@link #handleTrigger}, for one workflow only: a replay of records before its deploy. */
    public void handleReplay(TriggerRecord record, int sizeBytes, long timestampMillis, String workflowId) {
        handle(record, sizeBytes, timestampMillis, workflowId, CrashCover.RUN);
    }

    private void handle(TriggerRecord record, int sizeBytes, long timestampMillis, String onlyWorkflow, CrashCover cover) {
        List<WorkflowDefinition> bound = registry.boundTo(record.topic());
        if (bound.isEmpty()) {
            return;
        }
        String owner = ownership.ownerOf(record);
        if (owner == null) {
            return;
        }
        List<WorkflowDefinition> matching = bound.stream()
                .filter(d -> owner.equals(d.workspaceId()))
                .filter(d -> onlyWorkflow == null || onlyWorkflow.equals(d.workflowId()))
                .filter(d -> d.trigger().matches(record.topic(), record.headers()))
                .filter(d -> onlyWorkflow != null || d.trigger().startedBefore(timestampMillis))
                .toList();
        if (matching.isEmpty()) {
            return;
        }
        String key = idempotencyKey(record);
        String malformed = malformed(record, sizeBytes);
        for (WorkflowDefinition d : matching) {
            String dedupeKey = d.workspaceId() + "/" + d.workflowId();
            if (!dedupe.firstTime(dedupeKey, key)) {
                duplicates.increment();
                continue;
            }
            try {
                if (malformed != null) {
                    AttemptError e = new AttemptError(1, ErrorCategory.MALFORMED_RECORD.name(), malformed, false, Instant.now());
                    Attempt a = new Attempt(d, record, UUID.randomUUID().toString(), key, 0, List.of(), timeout(d), cover);
                    outcomes.deadLetter(a, List.of(e), malformed);
                } else {
                    attempt(new Attempt(d, record, UUID.randomUUID().toString(), key, 1, List.of(), timeout(d), cover));
                    // from the record's timestamp (the gateway's publish) to the first attempt's outcome handed on
                    triggerToCompletion.record(Math.max(0, System.currentTimeMillis() - timestampMillis), TimeUnit.MILLISECONDS);
                }
            } catch (RuntimeException e) {
                dedupe.forget(dedupeKey, key);
                throw e;
            }
        }
    }

    /**
     * A record of jsw.runs.retry whose time has come. It runs only under the workspace that owned its trigger: the
     * retry's workspace, the original record's owner and the workflow's current workspace must all agree, so a deleted
     * workflow's id taken by another workspace never receives the old owner's retries, parked runs or DLQ replays.
     */
    public void handleRetry(RetryRecord r) {
        if (r.workspaceId() == null) {
            dropRetry("workspace-mismatch", r);
            return;
        }
        WorkflowDefinition d = registry.get(r.workspaceId(), r.workflowId()).orElse(null);
        if (d == null) {
            dropRetry("workflow-deleted", r);
            return;
        }
        String owner = r.original() == null ? null : ownership.ownerOf(r.original());
        if (r.workspaceId() == null || !r.workspaceId().equals(d.workspaceId()) || !r.workspaceId().equals(owner)) {
            dropRetry("workspace-mismatch", r);
            return;
        }
        Attempt a = new Attempt(d, r.original(), r.runId(), r.idempotencyKey(), r.attempt(), r.errors(), timeout(d), CrashCover.RUN);
        if (parked(r) && Duration.between(r.errors().getFirst().at(), Instant.now()).compareTo(config.executor().retry().parkMaxAge()) > 0) {
            outcomes.deadLetter(a, r.errors(), "the connection was not re-authorized within " + config.executor().retry().parkMaxAge());
            return;
        }
        attempt(a);
    }

    /** Whether the retry's workflow is gone: the retry is dropped whenever it is read, due or not. */
    public boolean workflowDeleted(RetryRecord r) {
        return registry.get(r.workspaceId(), r.workflowId()).isEmpty();
    }

    private void dropRetry(String reason, RetryRecord r) {
        meters.counter("jsw.runs.retries.dropped", "reason", reason).increment();
        Log.infof("dropping retry of run %s of workflow %s (%s)", r.runId(), r.workflowId(), reason);
    }

    /** Whether a retry record parks a run until its connection is re-authorized. */
    public static boolean parked(RetryRecord r) {
        return !r.errors().isEmpty() && ErrorCategory.NEEDS_REAUTH.name().equals(r.errors().getLast().category());
    }

    private Duration timeout(WorkflowDefinition d) {
        return d.timeout() == null ? config.executor().defaultTimeout() : d.timeout();
    }

    /**
     * Runs an attempt until it has an outcome other than "it stopped its worker", counting such stops (and, for an
     * attempt with its own start mark, the executors that stopped during it before) as crashes: at
     * {@code crash.max-crashes} the run is dead-lettered without running again.
     */
    private void attempt(Attempt a) {
        boolean guard = crashes.enabled();
        // its own unfinished start (a replay, a retry, an in-process replica): executors stopped while running this attempt
        int seen = guard ? crashes.crashesBefore(a.workflowId(), a.idempotencyKey(), a.number()) : 0;
        // an attempt with crashes behind it keeps its own mark even inside a marked batch, so the next one counts too
        boolean marked = guard && (a.cover() != CrashCover.BATCH || seen > 0);
        // a record replayed after a stopped batch counts that stop once, without blaming it in its history
        int crashed = Math.max(seen, a.cover() == CrashCover.REPLAY && guard ? 1 : 0);
        if (seen > 0) {
            a = a.withError(crashError(a));
            if (seen >= crashes.maxCrashes()) {
                String prior = crashes.unfinished(a.workflowId(), a.idempotencyKey()).map(RunStart::runId).orElse(a.runId());
                Attempt p = new Attempt(a.workflow(), a.record(), prior, a.idempotencyKey(), a.number(), a.history(), a.timeout(), a.cover());
                outcomes.deadLetter(p, p.history(), CrashGuard.REASON + "; it stopped the executor " + seen + " times");
                crashes.finished(a.workflowId(), a.idempotencyKey());
                return;
            }
        }
        while (true) {
            if (marked) {
                crashes.started(a.runId(), a.workflowId(), a.idempotencyKey(), a.number(), crashed);
            }
            if (runAttempt(a)) {
                break;
            }
            // the run killed its worker JVM (isolation=process): seen directly, counted here without a Kafka write
            crashed++;
            a = a.withError(crashError(a));
            if (crashed >= crashes.maxCrashes()) {
                outcomes.deadLetter(a, a.history(), CrashGuard.REASON + "; it stopped its worker " + crashed + " times");
                break;
            }
        }
        if (marked) {
            crashes.finished(a.workflowId(), a.idempotencyKey());
        }
    }

    private static AttemptError crashError(Attempt a) {
        return new AttemptError(a.number(), ErrorCategory.CRASH.name(), CrashGuard.REASON, false, Instant.now());
    }

    /** False when the run killed the worker hosting it: nothing was handed on, the caller counts a crash. */
    private boolean runAttempt(Attempt a) {
        RunEvents.Pending started = events.started(a);
        Context trace = tracing.startRun(a);
        AttemptHost host = new AttemptHost(a.workspaceId(), a.timeout(), gateway.openShare(), tokens, gateway, tokenLatency, trace);
        RunResult result;
        try {
            WorkflowDefinition d = a.workflow();
            // the runtime caches compiled sources by the workflow's platform-wide key: ids are per workspace
            result = runtime.run(new RunRequest(d.key(), d.version(), d.source(), a.record().value(), a.headers(), a.timeout()), host);
        } finally {
            started.cancel();
            host.share.close(); // the run's response bodies are no longer the executor's to hold
        }
        runDuration.get(result.outcome()).record(Duration.ofNanos(result.durationNanos()));
        tracing.endRun(trace, result);
        try (Scope s = trace.makeCurrent()) { // the run event and any retry or dead letter carry the run's trace
            if (result.succeeded()) {
                outcomes.succeeded(a, result, host.calls());
                return true;
            }
            if (result.outcome() == RunResult.Outcome.CRASHED) {
                outcomes.crashed(a, result, host.calls());
                return false;
            }
            outcomes.failed(a, result, host.calls(), host.needsReauth, host.transientCategory);
            return true;
        }
    }

    /** Null when the record can run; otherwise why it cannot (too large, not JSON, nested too deep). */
    private String malformed(TriggerRecord r, int sizeBytes) {
        int max = config.executor().limits().triggerRecordBytes();
        if (sizeBytes > max) {
            return "the record is " + sizeBytes + " bytes, more than the limit of " + max + " (jsw.executor.limits.trigger-record-bytes)";
        }
        if (r.value() == null) {
            return "the record has no value (a tombstone), so it has no JSON body to run with";
        }
        int maxDepth = config.executor().limits().dataDepth();
        try (JsonParser p = ContractsJson.mapper().getFactory().createParser(r.value())) {
            int depth = 0;
            JsonToken t = p.nextToken();
            if (t == null) {
                return "the record value is empty, not JSON";
            }
            while (t != null) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (++depth > maxDepth) {
                        return "the record's JSON is nested deeper than " + maxDepth + " levels (jsw.executor.limits.data-depth)";
                    }
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                }
                t = p.nextToken();
                if (depth == 0 && t != null) {
                    return "the record value is not a single JSON document";
                }
            }
            return null;
        } catch (IOException e) {
            return "the record value is not JSON: " + e.getClass().getSimpleName().replace("Exception", "").replace("Json", "JSON ")
                    + " at " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
                            ? "line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr() : "an unknown position");
        }
    }
}
