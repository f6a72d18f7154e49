package io.jsworkflows.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.e2e.platform.TopicRecorder;

/**
 * A connection is ACTIVE in connections-service a moment before its first token has travelled through the refresher
 * and the tokens topic to the executor. Tests that count failures start only after one order has run successfully.
 */
final class Probe {

    private Probe() {
    }

    static void awaitFirstRun(PlatformUnderTest platform, PlatformClient client, PlatformClient.Workspace ws, String... workflowIds)
            throws Exception {
        try (TopicRecorder<RunEvent> runs = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.RUN_EVENTS,
                v -> ContractsJson.read(v, RunEvent.class))) {
            PlatformClient.Order probe = PlatformClient.order("Probe" + Math.abs(ws.id().hashCode()), 0);
            client.publish(ws, List.of(probe));
            // a first attempt that came too early is retried after the examples' initial backoff (10 s)
            await("a first successful run in workspace " + ws.id()).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                    .until(() -> List.of(workflowIds).stream().allMatch(w -> runs.values().stream().anyMatch(e -> e.type() == RunEvent.Type.SUCCEEDED
                            && w.equals(e.workflowId()) && ws.id().equals(e.workspaceId()) && probe.webhookId().equals(e.idempotencyKey()))));
        }
    }
}
