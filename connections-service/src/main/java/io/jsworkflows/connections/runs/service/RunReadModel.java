package io.jsworkflows.connections.runs.service;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.jsworkflows.connections.config.ConnectionsConfig;
import io.jsworkflows.connections.runs.persistence.DeadLetterEntry;
import io.jsworkflows.connections.runs.persistence.Run;
import io.jsworkflows.connections.runs.persistence.RunEventEntry;
import io.jsworkflows.connections.runs.persistence.WorkflowEntry;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.contracts.json.ContractsJson;

/**
 * Writes the executor's run events, dead letters and workflow definitions into the read model. Idempotent: an event id
 * or a dead letter's run id is stored once, so redelivery and replays of a topic add nothing; a run's status only moves
 * forward by (attempt, place of the event in its attempt), so an older event arriving late does not regress it. The
 * workspace of every row is the one the executor put on the record; a record without one belongs to nobody and is
 * ignored. Log lines name ids only, never console output, errors or record values.
 */
@ApplicationScoped
public class RunReadModel {

    private static final Logger LOG = Logger.getLogger(RunReadModel.class);

    private final ConnectionsConfig config;

    public RunReadModel(ConnectionsConfig config) {
        this.config = config;
    }

    /** Place of an event type within one attempt: STARTED, then its outcome, then what follows the outcome. */
    static int rank(String type) {
        return switch (type) {
            case "STARTED" -> 0;
            case "FAILED" -> 1;
            case "RETRY_SCHEDULED" -> 2;
            case "SUCCEEDED", "PARKED" -> 3;
            case "DEAD_LETTERED" -> 4;
            default -> 0;
        };
    }

    static boolean terminal(RunEvent.Type type) {
        return type == RunEvent.Type.SUCCEEDED || type == RunEvent.Type.PARKED || type == RunEvent.Type.DEAD_LETTERED;
    }

    /** Applies one run event; returns whether it changed anything. */
    @Transactional
    public boolean apply(RunEvent e) {
        if (e.workspaceId() == null || e.runId() == null || e.eventId() == null || e.workflowId() == null || e.type() == null
                || e.occurredAt() == null) {
            LOG.debugf("ignoring run event %s of run %s: no workspace, workflow or time", e.eventId(), e.runId());
            return false;
        }
        if (e.occurredAt().isBefore(Instant.now().minus(config.connections().runs().retention()))) {
            return false; // past retention: a rewound topic must not bring purged runs back
        }
        if (RunEventEntry.findById(e.eventId()) != null) {
            return false; // redelivered
        }
        Run run = Run.findById(e.runId(), LockModeType.PESSIMISTIC_WRITE);
        if (run != null && !run.workspaceId.equals(e.workspaceId())) {
            LOG.warnf("ignoring run event %s: run %s belongs to another workspace than the event names", e.eventId(), e.runId());
            return false;
        }
        if (run == null) {
            run = new Run();
            run.runId = e.runId();
            run.workspaceId = e.workspaceId();
            run.startedAt = e.occurredAt();
            run.lastEventAt = e.occurredAt();
            run.statusRank = -1;
            run.attempt = -1;
            merge(run, e);
            run.persist();
        } else {
            merge(run, e);
        }
        RunEventEntry entry = new RunEventEntry();
        entry.eventId = e.eventId();
        entry.runId = e.runId();
        entry.workspaceId = e.workspaceId();
        entry.type = e.type().name();
        entry.attempt = e.attempt();
        entry.durationMillis = e.durationMillis();
        entry.error = e.error();
        entry.console = ContractsJson.write(e.console());
        entry.httpCalls = ContractsJson.write(e.httpCalls());
        entry.occurredAt = e.occurredAt();
        entry.persist();
        return true;
    }

    private static void merge(Run run, RunEvent e) {
        if (e.occurredAt().isBefore(run.startedAt)) {
            run.startedAt = e.occurredAt();
        }
        if (e.occurredAt().isAfter(run.lastEventAt)) {
            run.lastEventAt = e.occurredAt();
        }
        int rank = rank(e.type().name());
        boolean newer = e.attempt() > run.attempt || (e.attempt() == run.attempt && rank > run.statusRank);
        if (!newer) {
            return; // an older event: its console and calls are kept as an event row, the run's state stays
        }
        run.status = e.type().name();
        run.statusRank = rank;
        run.attempt = e.attempt();
        run.workflowId = e.workflowId();
        run.workflowVersion = e.workflowVersion();
        if (e.idempotencyKey() != null) {
            run.idempotencyKey = e.idempotencyKey();
        }
        if (e.trigger() != null) {
            run.trigger = e.trigger();
        }
        if (e.durationMillis() != null) {
            run.durationMillis = e.durationMillis();
        }
        if (e.type() == RunEvent.Type.SUCCEEDED) {
            run.error = null;
        } else if (e.error() != null) {
            run.error = e.error();
        }
        run.finishedAt = terminal(e.type()) ? e.occurredAt() : null;
    }

    /**
     * Stores a dead letter once. Its id is the dead-lettered run's id; a dead letter without a run id (a record that
     * never became a run) is identified by its place on the topic.
     */
    @Transactional
    public boolean apply(DeadLetter d, int partition, long offset) {
        if (d.workspaceId() == null) {
            LOG.debugf("ignoring dead letter at partition %d offset %d: no workspace", partition, offset);
            return false;
        }
        Instant at = d.deadLetteredAt() == null ? Instant.now() : d.deadLetteredAt();
        if (at.isBefore(Instant.now().minus(config.connections().runs().deadLetterRetention()))) {
            return false;
        }
        String id = d.runId() != null ? d.runId() : "dlq-" + partition + "-" + offset;
        if (DeadLetterEntry.findById(id) != null) {
            return false;
        }
        DeadLetterEntry e = new DeadLetterEntry();
        e.id = id;
        e.workspaceId = d.workspaceId();
        e.runId = d.runId();
        e.workflowId = d.workflowId();
        e.workflowVersion = d.workflowVersion();
        e.idempotencyKey = d.idempotencyKey();
        e.reason = d.reason();
        e.record = ContractsJson.write(d);
        e.deadLetteredAt = at;
        e.persist();
        return true;
    }

    /**
     * A definition or, with a null definition, the tombstone of its topic key ({@code workspaceId/workflowId}; the bare
     * workflowId for records written before workflow ids were per workspace).
     */
    @Transactional
    public void apply(String definitionKey, WorkflowDefinition d) {
        WorkflowEntry w = WorkflowEntry.findById(definitionKey, LockModeType.PESSIMISTIC_WRITE);
        if (d == null) {
            if (w != null) {
                w.delete();
            }
            return;
        }
        // the key must be the definition's own: a record cannot file a workflow under another workspace's key
        if (d.workspaceId() == null || d.workflowId() == null
                || !(definitionKey.equals(d.key()) || definitionKey.equals(d.workflowId()))) {
            LOG.debugf("ignoring a definition whose key %s is not its own", definitionKey);
            return;
        }
        if (w != null && w.workspaceId.equals(d.workspaceId()) && w.version > d.version()) {
            return; // an older version arriving late
        }
        if (definitionKey.equals(d.key())) {
            // the same workflow under its older, bare key is superseded
            WorkflowEntry bare = WorkflowEntry.findById(d.workflowId());
            if (bare != null && bare.workspaceId.equals(d.workspaceId())) {
                bare.delete();
            }
        }
        if (w == null) {
            w = new WorkflowEntry();
            w.definitionKey = definitionKey;
        }
        w.workflowId = d.workflowId();
        w.workspaceId = d.workspaceId();
        w.version = d.version();
        w.triggerTopic = d.trigger() == null ? null : d.trigger().topic();
        w.handles = String.join(" ", d.handles().stream().sorted(Comparator.naturalOrder()).toList());
        w.updatedAt = d.updatedAt();
        if (!w.isPersistent()) {
            w.persist();
        }
    }

    static List<String> split(String handles) {
        return handles == null || handles.isBlank() ? List.of() : List.of(handles.split(" "));
    }
}
