package io.jsworkflows.executor.service;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RetryPolicy;
import io.jsworkflows.contracts.events.RetryRecord;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.TriggerRecord;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.messaging.KafkaClients;
import io.jsworkflows.executor.runtime.RunHost;
import io.jsworkflows.executor.runtime.RunRequest;
import io.jsworkflows.executor.runtime.RunResult;
import io.jsworkflows.executor.runtime.WorkflowRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;

/**
 * Runs workflows for trigger and retry records and hands every outcome on: success, a retry record (exponential
 * backoff per the workflow's policy), a parked retry (the connection needs re-authorization), or a dead letter with the
 * original record and every attempt's error. A method returns only after the hand-off was acknowledged by Kafka, so the
 * caller may then commit the record's offset (at least once).
 */
@ApplicationScoped
public class RunService {

    /** Header names the executor adds to the {@code headers} a workflow receives. */
    public static final String IDEMPOTENCY_HEADER = "X-JSW-Idempotency-Key";
    public static final String RUN_ID_HEADER = "X-JSW-Run-Id";
    public static final String ATTEMPT_HEADER = "X-JSW-Attempt";
    static final String NEEDS_REAUTH = "NEEDS_REAUTH";
    private static final Duration HANDOFF_TIMEOUT = Duration.ofSeconds(30);

    private final ExecutorConfig config;
    private final WorkflowRegistry registry;
    private final WorkflowRuntime runtime;
    private final TokenView tokens;
    private final FetchGateway gateway;
    private final KafkaClients kafka;
    private final Deduplicator dedupe;
    private final MeterRegistry meters;
    private final CrashGuard crashes;
    private final TriggerOwnership ownership;
    private final Timer tokenLatency;
    private final Counter duplicates;

    public RunService(ExecutorConfig config, WorkflowRegistry registry, WorkflowRuntime runtime, TokenView tokens, FetchGateway gateway,
            KafkaClients kafka, MeterRegistry meters, CrashGuard crashes, TriggerOwnership ownership) {
        this.crashes = crashes;
        this.ownership = ownership;
        this.config = config;
        this.registry = registry;
        this.runtime = runtime;
        this.tokens = tokens;
        this.gateway = gateway;
        this.kafka = kafka;
        this.meters = meters;
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
     */
    public void handleTrigger(TriggerRecord record, int sizeBytes, long timestampMillis) {
        handle(record, sizeBytes, timestampMillis, null);
    }

    /** As {@link #handleTrigger}, for one workflow only: a replay of records before its deploy. */
    public void handleReplay(TriggerRecord record, int sizeBytes, long timestampMillis, String workflowId) {
        handle(record, sizeBytes, timestampMillis, workflowId);
    }

    private void handle(TriggerRecord record, int sizeBytes, long timestampMillis, String onlyWorkflow) {
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
                    String runId = UUID.randomUUID().toString();
                    AttemptError e = new AttemptError(1, "MALFORMED_RECORD", malformed, false, Instant.now());
                    deadLetter(d, runId, key, record, List.of(e), malformed, 0);
                } else {
                    attempt(d, UUID.randomUUID().toString(), key, record, 1, List.of());
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
        if (parked(r) && Duration.between(r.errors().getFirst().at(), Instant.now()).compareTo(config.executor().retry().parkMaxAge()) > 0) {
            deadLetter(d, r.runId(), r.idempotencyKey(), r.original(), r.errors(),
                    "the connection was not re-authorized within " + config.executor().retry().parkMaxAge(), r.attempt());
            return;
        }
        attempt(d, r.runId(), r.idempotencyKey(), r.original(), r.attempt(), r.errors());
    }

    /** Whether the retry's workflow is gone: the retry is dropped whenever it is read, due or not. */
    public boolean workflowDeleted(RetryRecord r) {
        return registry.get(r.workspaceId(), r.workflowId()).isEmpty();
    }

    private void dropRetry(String reason, RetryRecord r) {
        meters.counter("jsw.runs.retries.dropped", "reason", reason).increment();
        Log.infof("dropping retry of run %s of workflow %s (%s)", r.runId(), r.workflowId(), reason);
    }

    /** A policy within the configured bounds: deploys check them, definitions published before they existed are clamped. */
    private RetryPolicy bounded(RetryPolicy p) {
        var b = config.executor().retry();
        Duration max = p.maxBackoff().compareTo(b.maxBackoff()) > 0 ? b.maxBackoff() : p.maxBackoff();
        Duration initial = p.initialBackoff().compareTo(b.minBackoff()) < 0 ? b.minBackoff() : p.initialBackoff();
        if (initial.compareTo(max) > 0) {
            max = initial;
        }
        return new RetryPolicy(Math.min(p.maxAttempts(), b.maxAttempts()), initial, max, p.multiplier());
    }

    /** Whether a retry record parks a run until its connection is re-authorized. */
    public static boolean parked(RetryRecord r) {
        return !r.errors().isEmpty() && NEEDS_REAUTH.equals(r.errors().getLast().category());
    }

    private void attempt(WorkflowDefinition d, String runId, String key, TriggerRecord record, int attempt, List<AttemptError> before) {
        boolean guard = crashes.enabled();
        int crashed = guard ? crashes.crashesBefore(d.workflowId(), key, attempt) : 0;
        List<AttemptError> history = before;
        if (crashed > 0) {
            history = new ArrayList<>(before);
            history.add(new AttemptError(attempt, "CRASH", CrashGuard.REASON, false, Instant.now()));
            if (crashed >= crashes.maxCrashes()) {
                String prior = crashes.unfinished(d.workflowId(), key).map(RunStart::runId).orElse(runId);
                deadLetter(d, prior, key, record, history, CrashGuard.REASON + "; it stopped the executor " + crashed + " times", attempt);
                crashes.finished(d.workflowId(), key);
                return;
            }
        }
        while (true) {
            if (guard) {
                crashes.started(runId, d.workflowId(), key, attempt, crashed);
            }
            if (runAttempt(d, runId, key, record, attempt, history)) {
                break;
            }
            // the run killed its worker JVM (jsw.executor.isolation=process): a crash, counted like an executor's
            crashed++;
            history = new ArrayList<>(history);
            history.add(new AttemptError(attempt, "CRASH", CrashGuard.REASON, false, Instant.now()));
            if (crashed >= crashes.maxCrashes()) {
                deadLetter(d, runId, key, record, history, CrashGuard.REASON + "; it stopped its worker " + crashed + " times", attempt);
                break;
            }
        }
        if (guard) {
            crashes.finished(d.workflowId(), key);
        }
    }

    /** False when the run killed the worker hosting it: nothing was handed on, the caller counts a crash. */
    private boolean runAttempt(WorkflowDefinition d, String runId, String key, TriggerRecord record, int attempt, List<AttemptError> before) {
        Duration timeout = d.timeout() == null ? config.executor().defaultTimeout() : d.timeout();
        event(d, runId, key, record, attempt, RunEvent.Type.STARTED, null, null, List.of(), List.of());
        Map<String, String> headers = new LinkedHashMap<>(record.headers());
        headers.put(IDEMPOTENCY_HEADER, key);
        headers.put(RUN_ID_HEADER, runId);
        headers.put(ATTEMPT_HEADER, Integer.toString(attempt));
        AttemptHost host = new AttemptHost(d.workspaceId(), timeout, gateway.openShare());
        RunResult result;
        try {
            result = runtime.run(new RunRequest(d.key(), d.version(), d.source(), record.value(), headers, timeout), host);
        } finally {
            host.share.close(); // the run's response bodies are no longer the executor's to hold
        }
        meters.timer("jsw.run.duration", "outcome", result.outcome().name().toLowerCase()).record(Duration.ofNanos(result.durationNanos()));
        if (result.succeeded()) {
            count("succeeded");
            event(d, runId, key, record, attempt, RunEvent.Type.SUCCEEDED, result.durationMillis(), null, result.console(), host.calls());
            return true;
        }
        if (result.outcome() == RunResult.Outcome.CRASHED) {
            count("crashed");
            event(d, runId, key, record, attempt, RunEvent.Type.FAILED, result.durationMillis(), result.error(), result.console(), host.calls());
            return false;
        }
        String category = switch (result.outcome()) {
            case TIMEOUT -> "TIMEOUT";
            case LIMIT -> "LIMIT";
            default -> host.needsReauth ? NEEDS_REAUTH : host.transientCategory != null ? host.transientCategory : "THROWN";
        };
        boolean transientFailure = switch (category) {
            case "TIMEOUT", "HTTP_5XX", "HTTP_429", "NETWORK" -> true;
            default -> false;
        };
        AttemptError error = new AttemptError(attempt, category, result.error(), transientFailure, Instant.now());
        List<AttemptError> errors = new ArrayList<>(before);
        errors.add(error);
        event(d, runId, key, record, attempt, RunEvent.Type.FAILED, result.durationMillis(), result.error(), result.console(), host.calls());
        RetryPolicy policy = bounded(d.retryPolicy() == null ? RetryPolicy.DEFAULT : d.retryPolicy());
        if (NEEDS_REAUTH.equals(category)) {
            // parking does not use up an attempt: the workflow is not at fault
            Instant notBefore = Instant.now().plus(config.executor().retry().parkRecheck());
            if (!retry(d, runId, key, record,
                    new RetryRecord(RetryRecord.SCHEMA_VERSION, runId, d.workflowId(), d.workspaceId(), d.version(), key, attempt, notBefore, record, errors),
                    errors, attempt)) {
                return true;
            }
            count("parked");
            event(d, runId, key, record, attempt, RunEvent.Type.PARKED, result.durationMillis(), result.error(), List.of(), List.of());
        } else if (attempt < policy.maxAttempts()) {
            Duration backoff = policy.backoffBefore(attempt + 1);
            long jitter = backoff.toMillis() / 10 == 0 ? 0 : ThreadLocalRandom.current().nextLong(backoff.toMillis() / 10);
            Instant notBefore = Instant.now().plus(backoff).plusMillis(jitter);
            if (!retry(d, runId, key, record,
                    new RetryRecord(RetryRecord.SCHEMA_VERSION, runId, d.workflowId(), d.workspaceId(), d.version(), key, attempt + 1, notBefore, record, errors),
                    errors, attempt)) {
                return true;
            }
            count("retry_scheduled");
            event(d, runId, key, record, attempt, RunEvent.Type.RETRY_SCHEDULED, result.durationMillis(), result.error(), List.of(), List.of());
        } else {
            deadLetter(d, runId, key, record, errors, "failed " + attempt + " of " + policy.maxAttempts() + " attempts; last error: "
                    + result.error(), attempt);
        }
        return true;
    }

    private void deadLetter(WorkflowDefinition d, String runId, String key, TriggerRecord record, List<AttemptError> errors, String reason,
            int attempt) {
        String why = reason;
        try {
            handOff(Topics.RUN_DLQ, RetryRecord.key(d.workflowId(), key), new DeadLetter(DeadLetter.SCHEMA_VERSION, runId, d.workflowId(),
                    d.workspaceId(), d.version(), key, reason, record, errors, Instant.now()), CloudEventTypes.DEAD_LETTER);
        } catch (IllegalStateException e) {
            if (!tooLarge(e) || record.value() == null) {
                throw e;
            }
            // a refused dead letter would rewind the batch forever and stop the partition: carry the record without its
            // value (still on its topic at these coordinates), so the letter is small and the partition moves on
            why = reason + " (the record's value, " + record.value().length() + " characters, is too large to carry in a dead letter; "
                    + "read it at " + record.coordinates() + ")";
            handOff(Topics.RUN_DLQ, RetryRecord.key(d.workflowId(), key), new DeadLetter(DeadLetter.SCHEMA_VERSION, runId, d.workflowId(),
                    d.workspaceId(), d.version(), key, why, withoutValue(record), errors, Instant.now()), CloudEventTypes.DEAD_LETTER);
        }
        count("dead_lettered");
        meters.counter("jsw.runs.dlq").increment();
        event(d, runId, key, record, attempt, RunEvent.Type.DEAD_LETTERED, null, why, List.of(), List.of());
    }

    /** Schedules a retry; a retry record too large for Kafka would block the partition, so the run is dead-lettered instead. */
    private boolean retry(WorkflowDefinition d, String runId, String key, TriggerRecord record, RetryRecord retry, List<AttemptError> errors,
            int attempt) {
        try {
            handOff(Topics.RUN_RETRY, RetryRecord.key(d.workflowId(), key), retry, CloudEventTypes.RETRY_RECORD);
            return true;
        } catch (IllegalStateException e) {
            if (!tooLarge(e)) {
                throw e;
            }
            deadLetter(d, runId, key, record, errors, "the run failed and its record is too large to schedule a retry (Kafka's "
                    + "max.request.size); last error: " + errors.getLast().message(), attempt);
            return false;
        }
    }

    static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private static TriggerRecord withoutValue(TriggerRecord r) {
        return new TriggerRecord(r.topic(), r.partition(), r.offset(), r.key(), null, r.headers());
    }

    private void handOff(String topic, String key, Object value, String ceType) {
        try {
            kafka.send(topic, key, value, ceType).get(HANDOFF_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing a run to " + topic);
        } catch (Exception e) {
            // the caller does not commit the trigger offset: the record is processed again
            throw new IllegalStateException("could not hand a run to " + topic + ": " + e.getMessage(), e);
        }
    }

    private void event(WorkflowDefinition d, String runId, String key, TriggerRecord record, int attempt, RunEvent.Type type, Long millis,
            String error, List<RunEvent.ConsoleLine> console, List<RunEvent.HttpCall> calls) {
        RunEvent e = new RunEvent(RunEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, runId, d.workflowId(), d.workspaceId(),
                d.version(), record.coordinates(), key, attempt, millis, error, console, calls, Instant.now());
        kafka.send(Topics.RUN_EVENTS, runId, e, CloudEventTypes.RUN_EVENT).whenComplete((md, t) -> {
            if (t != null) {
                Log.warnf("run event %s of run %s not published: %s", type, runId, t.getMessage());
            }
        });
    }

    private void count(String outcome) {
        meters.counter("jsw.runs", "outcome", outcome).increment();
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

    /** The platform side of one attempt: token lookups in the workflow's workspace, fetch, and what happened. */
    final class AttemptHost implements RunHost, FetchGateway.CallSink {
        final String workspaceId;
        final Duration timeout;
        final long deadline;
        final List<RunEvent.HttpCall> calls = Collections.synchronizedList(new ArrayList<>());
        /** Tokens this attempt obtained: never published, even where a workflow put one into a request path. */
        final java.util.Set<String> secrets = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** The run's share of the memory for response bodies. */
        final FetchBudget.Share share;
        volatile boolean needsReauth;
        volatile String transientCategory;

        AttemptHost(String workspaceId, Duration timeout, FetchBudget.Share share) {
            this.workspaceId = workspaceId;
            this.share = share;
            this.timeout = timeout;
            this.deadline = System.nanoTime() + timeout.toNanos();
        }

        @Override
        public CompletableFuture<TokenResult> getOAuthToken(String handle) {
            long t0 = System.nanoTime();
            return tokens.lookup(workspaceId, handle, timeout).handle((l, t) -> {
                tokenLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                if (t != null) {
                    return TokenResult.error("The token lookup failed unexpectedly; the run will be retried.");
                }
                if (l.needsReauth()) {
                    needsReauth = true;
                }
                if (l.token() != null) {
                    secrets.add(l.token());
                    return TokenResult.ok(l.token());
                }
                return TokenResult.error(l.error());
            });
        }

        @Override
        public String tokenNow(String handle) {
            long t0 = System.nanoTime();
            String token = tokens.tokenNow(workspaceId, handle, timeout).orElse(null);
            if (token != null) {
                secrets.add(token);
                tokenLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS); // the run gets it at once, if it asks
            }
            return token;
        }

        @Override
        public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
            return gateway.fetch(request, this);
        }

        @Override
        public void handedOver(FetchResponse response) {
            share.releaseBody(response);
        }

        @Override
        public FetchBudget.Share share() {
            return share;
        }

        @Override
        public void call(String method, String host, String path, int status, long millis) {
            calls.add(new RunEvent.HttpCall(method, host, PathRedactor.redact(path, secrets), status, millis));
        }

        @Override
        public void transientFailure(String category) {
            transientCategory = category;
        }

        @Override
        public Duration remaining() {
            return Duration.ofNanos(deadline - System.nanoTime());
        }

        List<RunEvent.HttpCall> calls() {
            synchronized (calls) {
                return List.copyOf(calls);
            }
        }
    }
}
