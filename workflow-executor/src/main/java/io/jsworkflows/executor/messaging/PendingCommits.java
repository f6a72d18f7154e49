package io.jsworkflows.executor.messaging;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

import io.quarkus.logging.Log;

/**
 * The offsets a hand-committing loop (triggers, retries) has handed off and not yet committed. A commit the group refuses
 * while it rebalances is kept and sent with the next one; offsets of partitions the loop no longer owns are dropped
 * (those partitions are re-run from their last commit by their new owner). Used from the loop's own thread only.
 */
final class PendingCommits {

    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

    void commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        pending.putAll(offsets);
        pending.keySet().retainAll(consumer.assignment());
        if (pending.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(pending);
            pending.clear();
        } catch (RebalanceInProgressException | CommitFailedException e) {
            // the group is rebalancing: commit after it
            Log.debugf("commit postponed: %s", e.getMessage());
        }
    }
}
