package io.jsworkflows.executor.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.RetryPolicy;
import io.jsworkflows.contracts.events.TriggerBinding;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.executor.runtime.RunHost;
import io.jsworkflows.executor.runtime.RunRequest;
import io.jsworkflows.executor.runtime.RunResult;
import io.jsworkflows.executor.runtime.WorkflowRuntime;

class WorkflowRegistryTest {

    /** Records which workflow keys the registry asked the runtime to evict. */
    static final class EvictionLog implements WorkflowRuntime {
        final List<String> evicted = new ArrayList<>();

        @Override
        public void check(String workflowId, String source) {
        }

        @Override
        public RunResult run(RunRequest request, RunHost host) {
            throw new UnsupportedOperationException("not run here");
        }

        @Override
        public void evict(String workflowId, long keepVersion) {
            evicted.add(workflowId + "@" + keepVersion);
        }

        @Override
        public void close() {
        }
    }

    static WorkflowDefinition def(String ws, String id, long version, String source) {
        return new WorkflowDefinition(WorkflowDefinition.SCHEMA_VERSION, id, ws, version, source,
                new TriggerBinding("shopify.orders", Map.of(), null), null, RetryPolicy.DEFAULT, List.of(), Instant.now());
    }

    @Test
    void workflowIdsArePerWorkspaceDownToTheRuntimesCache() {
        EvictionLog runtime = new EvictionLog();
        WorkflowRegistry r = new WorkflowRegistry(runtime);
        r.applyRecord("ws-a/contact", def("ws-a", "contact", 1, "A"));
        r.applyRecord("ws-b/contact", def("ws-b", "contact", 1, "B"));
        assertThat(r.get("ws-a", "contact")).hasValueSatisfying(d -> assertThat(d.source()).isEqualTo("A"));
        assertThat(r.get("ws-b", "contact")).hasValueSatisfying(d -> assertThat(d.source()).isEqualTo("B"));
        assertThat(runtime.evicted).containsExactly("ws-a/contact@1", "ws-b/contact@1");
        r.applyRecord("ws-b/contact", null);
        assertThat(r.get("ws-b", "contact")).isEmpty();
        assertThat(r.get("ws-a", "contact")).isPresent();
    }

    @Test
    void aRecordKeyedByTheBareIdIsReadAndItsTombstoneRemovesIt() {
        WorkflowRegistry r = new WorkflowRegistry(new EvictionLog());
        r.applyRecord("contact", def("ws-a", "contact", 3, "old key"));
        assertThat(r.get("ws-a", "contact")).isPresent();
        assertThat(r.hasBareRecord("ws-a", "contact")).isTrue();
        assertThat(r.hasBareRecord("ws-b", "contact")).isFalse();
        // a newer version under the workspace's key wins; the bare key's tombstone still removes the workflow
        r.applyRecord("ws-a/contact", def("ws-a", "contact", 4, "new key"));
        assertThat(r.get("ws-a", "contact")).hasValueSatisfying(d -> assertThat(d.version()).isEqualTo(4));
        r.applyRecord("ws-a/contact", null);
        r.applyRecord("contact", null);
        assertThat(r.get("ws-a", "contact")).isEmpty();
    }
}
