package io.jsworkflows.executor.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import io.jsworkflows.executor.service.RunService;
import io.quarkus.logging.Log;

/**
 * Consumes the trigger topics that current bindings name, as a member of the executors' consumer group. Each polled
 * batch is spread over lanes by record key and runs in parallel; offsets are committed only after every run of the batch
 * succeeded or was handed to the retry topic or the DLQ (at least once). A batch whose hand-off failed is polled again
 * (runs already handled are dropped as duplicates).
 */
public final class TriggerLoop implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final RunService runs;
    private final Lanes lanes;
    private final Supplier<Set<String>> topics;
    private final Function<String, Instant> startOf;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean crashed;
    private volatile boolean topicsChanged = true;
    private Set<String> subscribed = Set.of();

    public TriggerLoop(KafkaClients clients, String groupId, RunService runs, int lanes, Supplier<Set<String>> topics,
            Function<String, Instant> startOf, String name) {
        this.consumer = clients.groupConsumer(groupId, name, 200);
        this.runs = runs;
        this.startOf = startOf;
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
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    continue;
                }
                process(batch);
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            Log.errorf(e, "trigger loop stopped");
        } finally {
            consumer.close(Duration.ofSeconds(crashed ? 0 : 5));
            lanes.close();
        }
    }

    private void process(ConsumerRecords<String, byte[]> batch) {
        Map<Object, List<ConsumerRecord<String, byte[]>>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            Object key = r.key() != null ? r.topic() + "\u0000" + r.key() : new TopicPartition(r.topic(), r.partition());
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<CompletableFuture<Void>> work = new ArrayList<>();
        byKey.forEach((key, records) -> work.add(lanes.submit(key, () -> records.forEach(r -> runs.handleTrigger(toTrigger(r),
                r.serializedValueSize(), r.timestamp())))));
        try {
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            if (crashed) {
                return;
            }
            Log.warnf("a run could not be handed off (%s); the batch is polled again", e.getMessage());
            rewind(batch);
            return;
        }
        if (crashed) {
            return; // simulated crash: the batch's offsets are never committed
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : batch.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = batch.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.getLast().offset() + 1));
        }
        consumer.commitSync(offsets);
    }

    /**
     * A partition the group has never committed starts at its bindings' earliest start (by record timestamp), not at
     * auto.offset.reset: a new binding on a topic nobody read yet does not run the topic's history, and records published
     * between the deploy and the first assignment are not skipped either.
     */
    private final class StartPositions implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
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

    private void rewind(ConsumerRecords<String, byte[]> batch) {
        for (TopicPartition tp : batch.partitions()) {
            consumer.seek(tp, batch.records(tp).getFirst().offset());
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
