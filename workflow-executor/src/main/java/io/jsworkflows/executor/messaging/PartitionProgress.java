package io.jsworkflows.executor.messaging;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.quarkus.logging.Log;

/**
 * The records a group consumer handed to lanes and not yet committed, per partition, so that the consumer keeps polling
 * while runs are in flight (a slow run never holds the poll loop past max.poll.interval, and other partitions and keys
 * move on). Commits advance per partition to just after the last record whose work, and all work before it, is done. A
 * record whose hand-off failed rewinds its partition to it once the partition's other work finished (those already
 * handled are dropped as duplicates when they come again). A partition with too much in flight is paused until it
 * drains. Hand-written: no Kafka or SmallRye component tracks out-of-order completion for plain consumers.
 */
final class PartitionProgress {

    private record InFlight(long offset, CompletableFuture<Void> work) {
    }

    private final KafkaConsumer<?, ?> consumer;
    private final int maxInFlight;
    private final Map<TopicPartition, Deque<InFlight>> inFlight = new HashMap<>();
    private final Map<TopicPartition, Long> rewindTo = new HashMap<>();
    private final Set<TopicPartition> pausedHere = new HashSet<>();

    PartitionProgress(KafkaConsumer<?, ?> consumer, int maxInFlight) {
        this.consumer = consumer;
        this.maxInFlight = maxInFlight;
    }

    void track(TopicPartition tp, long offset, CompletableFuture<Void> work) {
        inFlight.computeIfAbsent(tp, p -> new ArrayDeque<>()).addLast(new InFlight(offset, work));
    }

    /** Records a partition could not hand off this turn (without work): the partition is read again from there. */
    void rewind(TopicPartition tp, long offset) {
        rewindTo.merge(tp, offset, Math::min);
    }

    /** Whether anything of the partition is still running. */
    boolean busy(TopicPartition tp) {
        Deque<InFlight> q = inFlight.get(tp);
        return q != null && !q.isEmpty();
    }

    /**
     * Collects what is done: returns the offsets to commit; rewinds partitions whose failed work has settled; pauses
     * partitions with too much in flight or a pending rewind, and resumes them when that is over.
     */
    Map<TopicPartition, OffsetAndMetadata> advance() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (var e : inFlight.entrySet()) {
            TopicPartition tp = e.getKey();
            Deque<InFlight> q = e.getValue();
            while (!q.isEmpty() && q.peekFirst().work().isDone()) {
                InFlight head = q.peekFirst();
                if (head.work().isCompletedExceptionally()) {
                    rewind(tp, head.offset());
                    break;
                }
                q.pollFirst();
                if (!rewindTo.containsKey(tp)) {
                    commit.put(tp, new OffsetAndMetadata(head.offset() + 1));
                }
            }
        }
        for (var it = rewindTo.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            TopicPartition tp = e.getKey();
            Deque<InFlight> q = inFlight.get(tp);
            if (q != null && q.stream().anyMatch(f -> !f.work().isDone())) {
                continue; // let the partition's other work finish first, so nothing of it runs twice at once
            }
            if (q != null) {
                q.clear();
            }
            if (consumer.assignment().contains(tp)) {
                Log.warnf("a run of %s could not be handed off; reading the partition again from offset %d", tp, e.getValue());
                consumer.seek(tp, e.getValue());
            }
            it.remove();
        }
        Set<TopicPartition> wantPaused = new HashSet<>();
        inFlight.forEach((tp, q) -> {
            if (q.size() >= maxInFlight) {
                wantPaused.add(tp);
            }
        });
        wantPaused.addAll(rewindTo.keySet());
        wantPaused.retainAll(consumer.assignment());
        Set<TopicPartition> pause = new HashSet<>(wantPaused);
        pause.removeAll(pausedHere);
        Set<TopicPartition> resume = new HashSet<>(pausedHere);
        resume.removeAll(wantPaused);
        resume.retainAll(consumer.assignment());
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
        pausedHere.clear();
        pausedHere.addAll(wantPaused);
        return commit;
    }

    /** Whether this class paused the partition (the caller must not resume it for its own reasons). */
    boolean pausedHere(TopicPartition tp) {
        return pausedHere.contains(tp);
    }

    /** The partitions left this member: their runs may finish, but nothing of them is committed or rewound here. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            inFlight.remove(tp);
            rewindTo.remove(tp);
            pausedHere.remove(tp);
        });
    }
}
