package io.jsworkflows.connections.runs.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.jsworkflows.connections.runs.persistence.DeadLetterEntry;
import io.jsworkflows.connections.runs.persistence.Run;
import io.jsworkflows.connections.runs.persistence.RunEventEntry;
import io.jsworkflows.connections.runs.persistence.WorkflowEntry;
import io.jsworkflows.connections.service.ApiProblem;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.RunEvent.ConsoleLine;
import io.jsworkflows.contracts.events.RunEvent.HttpCall;
import io.jsworkflows.contracts.json.ContractsJson;
import io.quarkus.panache.common.Parameters;

/** What a workspace may read of its runs, dead letters and workflows; every query is bounded to the caller's workspace. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class RunQueries {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /** The list's filters, validated: status is a RunEvent type (FAILED or failed or dead-lettered), workflow an exact id. */
    public record Filter(String status, String workflow, int limit) {

        public static Filter of(String status, String workflow, Integer limit) {
            String s = null;
            if (status != null && !status.isBlank()) {
                String norm = status.trim().toUpperCase(Locale.ROOT).replace('-', '_');
                try {
                    s = RunEvent.Type.valueOf(norm).name();
                } catch (IllegalArgumentException e) {
                    throw ApiProblem.badRequest("invalid-status", "Unknown run status",
                            "status must be one of started, succeeded, failed, retry-scheduled, dead-lettered, parked.");
                }
            }
            String w = workflow == null || workflow.isBlank() ? null : workflow.trim();
            int l = limit == null ? DEFAULT_LIMIT : limit;
            if (l < 1 || l > MAX_LIMIT) {
                throw ApiProblem.badRequest("invalid-limit", "Invalid limit", "limit must be between 1 and " + MAX_LIMIT + ".");
            }
            return new Filter(s, w, l);
        }
    }

    /** The workspace's runs, newest first. */
    public List<RunView> runs(String workspaceId, Filter f) {
        StringBuilder q = new StringBuilder("workspaceId = :ws");
        Parameters p = Parameters.with("ws", workspaceId);
        if (f.status() != null) {
            q.append(" and status = :status");
            p.and("status", f.status());
        }
        if (f.workflow() != null) {
            q.append(" and workflowId = :workflow");
            p.and("workflow", f.workflow());
        }
        q.append(" order by startedAt desc, runId");
        return Run.<Run>find(q.toString(), p).page(0, f.limit()).list().stream().map(RunView::of).toList();
    }

    public RunDetail run(String workspaceId, String runId) {
        Run r = Run.findOwned(workspaceId, runId).orElseThrow(() -> runNotFound(runId));
        Map<Integer, List<RunEventEntry>> byAttempt = new LinkedHashMap<>();
        for (RunEventEntry e : RunEventEntry.ofRun(r.runId)) {
            byAttempt.computeIfAbsent(e.attempt, a -> new ArrayList<>()).add(e);
        }
        List<RunDetail.Attempt> attempts = new ArrayList<>();
        byAttempt.forEach((attempt, events) -> {
            RunEventEntry latest = events.getFirst();
            Long duration = null;
            String error = null;
            List<ConsoleLine> console = new ArrayList<>();
            List<HttpCall> calls = new ArrayList<>();
            for (RunEventEntry e : events) {
                if (RunReadModel.rank(e.type) >= RunReadModel.rank(latest.type)) {
                    latest = e;
                }
                if (e.durationMillis != null) {
                    duration = e.durationMillis;
                }
                if (error == null) {
                    error = e.error; // the failure itself; what followed it (retry, dead letter) repeats or summarises it
                }
                console.addAll(list(e.console, ConsoleLine.class));
                calls.addAll(list(e.httpCalls, HttpCall.class));
            }
            attempts.add(new RunDetail.Attempt(attempt, latest.type, duration, error, console, calls, events.getFirst().occurredAt,
                    events.getLast().occurredAt));
        });
        return new RunDetail(RunView.of(r), attempts);
    }

    public List<DeadLetterView> deadLetters(String workspaceId, int limit) {
        return DeadLetterEntry.<DeadLetterEntry>find("workspaceId = ?1 order by deadLetteredAt desc, id", workspaceId)
                .page(0, limit).list().stream().map(DeadLetterView::of).toList();
    }

    public Optional<DeadLetterView> deadLetter(String workspaceId, String id) {
        return DeadLetterEntry.findOwned(workspaceId, id).map(DeadLetterView::of);
    }

    public List<WorkflowView> workflows(String workspaceId) {
        return WorkflowEntry.listByWorkspace(workspaceId).stream().map(WorkflowView::of).toList();
    }

    private static <T> List<T> list(String json, Class<T> type) {
        try {
            return ContractsJson.mapper().readValue(json, ContractsJson.mapper().getTypeFactory().constructCollectionType(List.class, type));
        } catch (IOException e) {
            throw new IllegalStateException("unreadable stored " + type.getSimpleName() + " list (" + e.getClass().getSimpleName() + ")");
        }
    }

    static ApiProblem runNotFound(String runId) {
        // the same answer whether the run is unknown or another workspace's
        return ApiProblem.notFound("run-not-found", "Run not found",
                "This workspace has no run with that id. List your runs with GET /api/v1/runs.");
    }

    static ApiProblem deadLetterNotFound() {
        return ApiProblem.notFound("dead-letter-not-found", "Dead letter not found",
                "This workspace has no dead letter with that id. List them with GET /api/v1/dead-letters.");
    }
}
