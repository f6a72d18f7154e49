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
 * the directory belong to the directory and ignore the topic.
 */
@ApplicationScoped
public class WorkflowRegistry {

    private final WorkflowRuntime runtime;
    private final Map<String, WorkflowDefinition> definitions = new ConcurrentHashMap<>();
    private final Set<String> fromDirectory = ConcurrentHashMap.newKeySet();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public WorkflowRegistry(WorkflowRuntime runtime) {
        this.runtime = runtime;
    }

    /** Called when the set of trigger topics may have changed. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void applyFromDirectory(WorkflowDefinition d) {
        fromDirectory.add(d.workflowId());
        definitions.put(d.workflowId(), d);
        changed(d.workflowId(), d.version());
    }

    /** Applies a definition from the topic (or a local deploy); returns whether it became current. */
    public boolean apply(WorkflowDefinition d) {
        if (fromDirectory.contains(d.workflowId())) {
            return false;
        }
        boolean[] applied = new boolean[1];
        definitions.compute(d.workflowId(), (id, cur) -> {
            if (cur == null || d.version() > cur.version()
                    || (d.version() == cur.version() && d.updatedAt() != null && cur.updatedAt() != null && d.updatedAt().isAfter(cur.updatedAt()))) {
                applied[0] = true;
                return d;
            }
            return cur;
        });
        if (applied[0]) {
            changed(d.workflowId(), d.version());
        }
        return applied[0];
    }

    public void remove(String workflowId) {
        if (fromDirectory.contains(workflowId)) {
            return;
        }
        if (definitions.remove(workflowId) != null) {
            changed(workflowId, -1);
        }
    }

    public boolean isFromDirectory(String workflowId) {
        return fromDirectory.contains(workflowId);
    }

    public Optional<WorkflowDefinition> get(String workflowId) {
        return Optional.ofNullable(definitions.get(workflowId));
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

    private void changed(String workflowId, long version) {
        runtime.evict(workflowId, version);
        listeners.forEach(Runnable::run);
    }
}
