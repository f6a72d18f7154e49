package io.jsworkflows.executor.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

import io.jsworkflows.contracts.events.TriggerRecord;
import io.jsworkflows.executor.service.CrashCover;
import io.jsworkflows.executor.service.CrashGuard;
import io.jsworkflows.executor.service.RunService;
import io.quarkus.logging.Log;

/**
 * Consumes the trigger topics that current bindings name, as a member of the executors' consumer group. Records run on
 * lanes in order per key while the loop keeps polling; a partition's offset is committed once its records' runs
 * succeeded or were handed to the retry topic or the DLQ (at least once, see {@link PartitionProgress}). A record whose
 * hand-off failed is polled again (runs already handled are dropped as duplicates). If the loop stops by itself, liveness
 * goes DOWN so the replica is restarted.
 *
 * <p>Crash cover ({@link CrashGuard}): before it runs records of a partition beyond its mark, the loop marks the
 * partition on jsw.runs.inflight up to {@value #MARK_AHEAD} records further (one acknowledged write per partition, not
 * per run) and removes the mark when the partition leaves it cleanly. A partition assigned with a mark still present
 * and not yet committed past is a batch whose owner stopped mid-run: its records up to the mark run one at a time, each
 * with its own start mark ({@link CrashCover#REPLAY}), so a record that stops executors is still found.
 */
public final class TriggerLoop implements AutoCloseable {

    /** A partition with this many records in flight is paused until some finish. */
    static final int MAX_IN_FLIGHT_PER_PARTITION = 500;
    /** How far past the last polled record a batch mark reaches: one mark write per this many records of a partition. */
    static final int MARK_AHEAD = 500;
    private static final Duration MARK_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final RunService runs;
    private final Lanes lanes;
    private final Supplier<Set<String>> topics;
    private final Function<String, Instant> startOf;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean crashed;
    private volatile boolean died;
    /** Offsets done but not yet committed because the group was rebalancing. */
    private final PendingCommits pending = new PendingCommits();
    private final PartitionProgress progress;
    private volatile boolean topicsChanged = true;
    private Set<String> subscribed = Set.of();
    private final String groupId;
    private final CrashGuard crashes;
    private final boolean batchMarks;
    /** How far this loop's mark of each partition reaches (present once it wrote or adopted one). */
    private final Map<TopicPartition, Long> markedTo = new HashMap<>();
    /** Partitions being replayed after a stopped owner: records up to this offset run one at a time. */
    private final Map<TopicPartition, Long> replayTo = new HashMap<>();

    public TriggerLoop(KafkaClients clients, String groupId, RunService runs, CrashGuard crashes, int lanes, Supplier<Set<String>> topics,
            Function<String, Instant> startOf, Duration maxPollInterval, String name) {
        this.consumer = clients.groupConsumer(groupId, name, 200, maxPollInterval);
        this.groupId = groupId;
        this.crashes = crashes;
        this.batchMarks = crashes.batchMarks();
        this.runs = runs;
        this.startOf = startOf;
        this.progress = new PartitionProgress(consumer, MAX_IN_FLIGHT_PER_PARTITION);
        this.lanes = new Lanes(name + "-lane", lanes);
        this.topics = topics;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    }

    public TriggerLoop start() {
        thread.start();
        return this;
    }

    /** The set of bound topics changed: resubscribe on the next turn. */
    public void topicsChanged() {
        topicsChanged = true;
    }

    private void loop() {
        try {
            while (running) {
                if (topicsChanged) {
                    topicsChanged = false;
                    Set<String> wanted = topics.get();
                    if (!wanted.equals(subscribed)) {
                        if (wanted.isEmpty()) {
                            progress.forget(consumer.assignment());
                            consumer.unsubscribe();
                        } else {
                            consumer.subscribe(wanted, new StartPositions());
                        }
                        subscribed = wanted;
                        Log.infof("trigger topics: %s", wanted);
                    }
                }
                if (subscribed.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                // polls on while runs are in flight: a slow run holds up only its own key, never the loop
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                Set<TopicPartition> unmarked = batch.isEmpty() ? Set.of() : mark(batch);
                for (ConsumerRecord<String, byte[]> r : batch) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (unmarked.contains(tp)) {
                        continue;
                    }
                    Long replay = replayTo.get(tp);
                    // a replayed partition runs one record at a time: a record that stops the executor is then alone in it
                    Object key = replay != null ? tp : r.key() != null ? r.topic() + "\u0000" + r.key() : tp;
                    CrashCover cover = replay != null && r.offset() <= replay ? CrashCover.REPLAY : batchMarks ? CrashCover.BATCH : CrashCover.RUN;
                    progress.track(tp, r.offset(),
                            lanes.submit(key, () -> runs.handleTrigger(toTrigger(r), r.serializedValueSize(), r.timestamp(), cover)));
                }
                commit(progress.advance());
                endReplays();
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                died = true;
                Log.errorf(e, "trigger loop %s stopped; liveness reports it", thread.getName());
            }
        } finally {
            consumer.close(Duration.ofSeconds(crashed ? 0 : 5));
            lanes.close();
        }
    }

    /**
     * Marks the partitions whose polled records reach past their mark, and waits for Kafka to acknowledge the marks
     * (one round trip per poll). Returns the partitions whose mark failed: their records are not run now, the partition
     * is read again from the first of them.
     */
    private Set<TopicPartition> mark(ConsumerRecords<String, byte[]> batch) {
        if (!batchMarks) {
            return Set.of();
        }
        Map<TopicPartition, Long> wanted = new HashMap<>();
        Map<TopicPartition, CompletableFuture<?>> acks = new HashMap<>();
        for (TopicPartition tp : batch.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = batch.records(tp);
            long last = rs.getLast().offset();
            Long to = markedTo.get(tp);
            if (to == null || last > to) {
                wanted.put(tp, last + MARK_AHEAD);
                acks.put(tp, crashes.markBatch(groupId, tp.topic(), tp.partition(), last + MARK_AHEAD));
            }
        }
        Set<TopicPartition> failed = new HashSet<>();
        for (var e : acks.entrySet()) {
            TopicPartition tp = e.getKey();
            try {
                e.getValue().get(MARK_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                markedTo.put(tp, wanted.get(tp));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            } catch (Exception ex) {
                Log.warnf("could not mark a batch of %s (%s); reading it again", tp, ex.getMessage());
                failed.add(tp);
                progress.rewind(tp, batch.records(tp).getFirst().offset());
            }
        }
        return failed;
    }

    /** A replayed partition whose replayed records all finished goes back to running keys in parallel. */
    private void endReplays() {
        replayTo.entrySet().removeIf(e -> !progress.busy(e.getKey()) && consumer.assignment().contains(e.getKey())
                && consumer.position(e.getKey()) > e.getValue());
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (crashed) {
            return; // a simulated crash never commits
        }
        pending.commit(consumer, offsets);
    }

    public String name() {
        return thread.getName();
    }

    /** False once the loop stopped by itself (not closed): the replica no longer consumes its triggers. */
    public boolean alive() {
        return !died && (thread.isAlive() || !running);
    }

    /**
     * A partition the group has never committed starts at its bindings' earliest start (by record timestamp), not at
     * auto.offset.reset: a new binding on a topic nobody read yet does not run the topic's history, and records published
     * between the deploy and the first assignment are not skipped either.
     */
    private final class StartPositions implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (crashed) {
                return; // a simulated crash leaves everything as a killed replica would: uncommitted and marked
            }
            // commit what is done; runs still in flight may run again on the partition's next owner (at least once)
            commit(progress.advance());
            for (TopicPartition tp : partitions) {
                // a partition that leaves with nothing in flight leaves no mark; one still running keeps it, so its next
                // owner replays what may still be running here one record at a time
                if (markedTo.remove(tp) != null && !progress.busy(tp)) {
                    crashes.clearBatch(groupId, tp.topic(), tp.partition());
                }
                replayTo.remove(tp);
            }
            progress.forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> {
                markedTo.remove(tp);
                replayTo.remove(tp);
            });
            progress.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // the consumer keeps a partition's pause across a rebalance, but the progress that paused it forgot it on
            // revocation: without this a partition paused then would never be resumed
            consumer.resume(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition tp : partitions) {
                crashes.batchMark(groupId, tp.topic(), tp.partition()).ifPresent(m -> {
                    OffsetAndMetadata c = committed.get(tp);
                    if (c == null || c.offset() <= m.to()) {
                        Log.warnf("%s comes back with a batch mark of replica %s up to offset %d (committed: %s): its owner stopped "
                                + "mid-batch; replaying those records one at a time", tp, m.replica(), m.to(), c == null ? "none" : c.offset());
                        replayTo.put(tp, m.to());
                        markedTo.put(tp, m.to()); // the mark stays until the partition leaves this loop cleanly
                    }
                });
            }
            List<TopicPartition> fresh = partitions.stream().filter(tp -> committed.get(tp) == null).toList();
            if (fresh.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(fresh); // before the times: nothing appended after is skipped
            Map<TopicPartition, Long> times = new HashMap<>();
            for (TopicPartition tp : fresh) {
                Instant from = startOf.apply(tp.topic());
                if (from == null || from.equals(Instant.EPOCH)) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    times.put(tp, from.toEpochMilli());
                }
            }
            if (times.isEmpty()) {
                return;
            }
            consumer.offsetsForTimes(times).forEach((tp, at) -> consumer.seek(tp, at == null ? ends.get(tp) : at.offset()));
        }
    }

    public static TriggerRecord toTrigger(ConsumerRecord<String, byte[]> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new TriggerRecord(r.topic(), r.partition(), r.offset(), r.key(),
                r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8), headers);
    }

    /**
     * Stops as a killed replica would: the current batch is neither finished nor committed, and the group hands the
     * partitions to another member, which runs the uncommitted records again.
     */
    public void crash() {
        crashed = true;
        running = false;
        consumer.wakeup();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
