package io.jsworkflows.executor.service;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.executor.runtime.WorkflowRuntime;

/**
 * The workflow definitions this replica runs: fed by {@code jsw.workflows.definitions} (every replica reads all of it)
 * and by the definitions directory. A definition with a lower version never replaces a higher one; definitions from
 * the directory belong to the directory and ignore the topic. Workflow ids are per workspace: everything here is keyed
 * by {@link WorkflowDefinition#key()} ({@code workspaceId/workflowId}), and so is the runtime's cache of compiled
 * sources, so two workspaces' {@code contact} never share anything.
 */
@ApplicationScoped
public class WorkflowRegistry {

    private final WorkflowRuntime runtime;
    private final Map<String, WorkflowDefinition> definitions = new ConcurrentHashMap<>();
    private final Set<String> fromDirectory = ConcurrentHashMap.newKeySet();
    /** Records keyed by the bare workflowId (written before ids were per workspace): bare id -> the definition's key. */
    private final Map<String, String> bareKeys = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public WorkflowRegistry(WorkflowRuntime runtime) {
        this.runtime = runtime;
    }

    /** Called when the set of trigger topics may have changed. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void applyFromDirectory(WorkflowDefinition d) {
        fromDirectory.add(d.key());
        definitions.put(d.key(), d);
        changed(d.key(), d.version());
    }

    /** A record of {@code jsw.workflows.definitions}: a definition, or a tombstone (null) for its key. */
    public void applyRecord(String recordKey, WorkflowDefinition d) {
        boolean bare = recordKey != null && recordKey.indexOf('/') < 0;
        if (d == null) {
            String key = bare ? bareKeys.remove(recordKey) : recordKey;
            if (key != null) {
                remove(key);
            }
            return;
        }
        if (bare) {
            bareKeys.put(recordKey, d.key());
        }
        apply(d);
    }

    /** Whether the topic also holds a record of this workflow under its bare id, which a delete must tombstone too. */
    public boolean hasBareRecord(String workspaceId, String workflowId) {
        return WorkflowDefinition.key(workspaceId, workflowId).equals(bareKeys.get(workflowId));
    }

    /** Applies a definition from the topic (or a local deploy); returns whether it became current. */
    public boolean apply(WorkflowDefinition d) {
        if (fromDirectory.contains(d.key())) {
            return false;
        }
        boolean[] applied = new boolean[1];
        definitions.compute(d.key(), (id, cur) -> {
            if (cur == null || d.version() > cur.version()
                    || (d.version() == cur.version() && d.updatedAt() != null && cur.updatedAt() != null && d.updatedAt().isAfter(cur.updatedAt()))) {
                applied[0] = true;
                return d;
            }
            return cur;
        });
        if (applied[0]) {
            changed(d.key(), d.version());
        }
        return applied[0];
    }

    /** Removes the workflow with this {@link WorkflowDefinition#key() key}. */
    public void remove(String key) {
        if (fromDirectory.contains(key)) {
            return;
        }
        if (definitions.remove(key) != null) {
            changed(key, -1);
        }
    }

    public void remove(String workspaceId, String workflowId) {
        remove(WorkflowDefinition.key(workspaceId, workflowId));
    }

    public boolean isFromDirectory(String workspaceId, String workflowId) {
        return fromDirectory.contains(WorkflowDefinition.key(workspaceId, workflowId));
    }

    /** The workspace's workflow with this id: another workspace's workflow of the same id is a different workflow. */
    public Optional<WorkflowDefinition> get(String workspaceId, String workflowId) {
        return workspaceId == null || workflowId == null ? Optional.empty()
                : Optional.ofNullable(definitions.get(WorkflowDefinition.key(workspaceId, workflowId)));
    }

    public Collection<WorkflowDefinition> all() {
        return definitions.values();
    }

    public List<WorkflowDefinition> boundTo(String topic) {
        return definitions.values().stream().filter(d -> d.trigger().topic().equals(topic)).toList();
    }

    /**
     * Where a partition of the topic that the trigger group never consumed starts: the earliest {@code from} of the
     * topic's bindings; null (the beginning) when one of them has none.
     */
    public java.time.Instant startOf(String topic) {
        java.time.Instant earliest = null;
        for (WorkflowDefinition d : boundTo(topic)) {
            if (d.trigger().from() == null) {
                return null;
            }
            earliest = earliest == null || d.trigger().from().isBefore(earliest) ? d.trigger().from() : earliest;
        }
        return earliest;
    }

    public Set<String> topics() {
        Set<String> t = new TreeSet<>();
        definitions.values().forEach(d -> t.add(d.trigger().topic()));
        return t;
    }

    private void changed(String key, long version) {
        runtime.evict(key, version);
        listeners.forEach(Runnable::run);
    }
}
