package io.jsworkflows.e2e.drills;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.e2e.platform.TopicRecorder;

/**
 * Records {@code jsw.runs.events} and {@code jsw.runs.dlq} from the moment it is created and answers the drills'
 * questions: which trigger records have a final run event (succeeded or dead-lettered), how many runs each record had,
 * which idempotency keys they carried.
 */
public final class RunLedger implements AutoCloseable {

    private final TopicRecorder<RunEvent> runs;
    private final TopicRecorder<DeadLetter> dlq;

    public RunLedger(String bootstrap) {
        this.runs = TopicRecorder.fromNow(bootstrap, Topics.RUN_EVENTS, v -> ContractsJson.read(v, RunEvent.class));
        this.dlq = TopicRecorder.fromNow(bootstrap, Topics.RUN_DLQ, v -> ContractsJson.read(v, DeadLetter.class));
    }

    public static boolean isFinal(RunEvent e) {
        return e.type() == RunEvent.Type.SUCCEEDED || e.type() == RunEvent.Type.DEAD_LETTERED;
    }

    public List<RunEvent> events() {
        return runs.values();
    }

    public List<DeadLetter> deadLetters() {
        return dlq.values();
    }

    /** Run events of one workflow, grouped by the trigger record's coordinates ({@code topic/partition/offset}). */
    public Map<String, List<RunEvent>> byTrigger(String workflowId) {
        return group(workflowId, RunEvent::trigger);
    }

    /** Run events of one workflow, grouped by idempotency key. */
    public Map<String, List<RunEvent>> byKey(String workflowId) {
        return group(workflowId, RunEvent::idempotencyKey);
    }

    private Map<String, List<RunEvent>> group(String workflowId, Function<RunEvent, String> by) {
        Map<String, List<RunEvent>> out = new HashMap<>();
        for (RunEvent e : runs.values()) {
            if (workflowId.equals(e.workflowId())) {
                out.computeIfAbsent(by.apply(e), k -> new ArrayList<>()).add(e);
            }
        }
        return out;
    }

    /** The coordinates among {@code triggers} that have no final run event (yet). */
    public Set<String> withoutFinal(String workflowId, Collection<String> triggers) {
        Map<String, List<RunEvent>> by = byTrigger(workflowId);
        Set<String> out = new LinkedHashSet<>();
        for (String t : triggers) {
            if (by.getOrDefault(t, List.of()).stream().noneMatch(RunLedger::isFinal)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Dead letters by the coordinates of their original record. */
    public Map<String, List<DeadLetter>> deadLettersByTrigger() {
        return dlq.values().stream().filter(d -> d.original() != null)
                .collect(Collectors.groupingBy(d -> d.original().coordinates()));
    }

    /** Waits until every trigger has a final run event, logging progress; returns the trigger records still open. */
    public Set<String> awaitFinals(String workflowId, Collection<String> triggers, Duration timeout, Report r) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Instant nextLog = Instant.now();
        Set<String> open = withoutFinal(workflowId, triggers);
        while (!open.isEmpty() && Instant.now().isBefore(deadline)) {
            if (!Instant.now().isBefore(nextLog)) {
                r.log("%d of %d trigger records have a final run event", triggers.size() - open.size(), triggers.size());
                nextLog = Instant.now().plusSeconds(20);
            }
            Poll.hold(Duration.ofMillis(500));
            open = withoutFinal(workflowId, triggers);
        }
        return open;
    }

    /** Percentile (0..100) of a list of durations in milliseconds. */
    public static long percentile(List<Long> millis, double p) {
        if (millis.isEmpty()) {
            return -1;
        }
        List<Long> sorted = millis.stream().sorted().toList();
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    @Override
    public void close() {
        runs.close();
        dlq.close();
    }
}
