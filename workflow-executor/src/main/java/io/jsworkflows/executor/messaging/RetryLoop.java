package io.jsworkflows.executor.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.RetryRecord;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.service.RunService;
import io.quarkus.logging.Log;

/**
 * Consumes {@code jsw.runs.retry}. A record whose {@code notBefore} lies ahead pauses its partition (seeking back to it)
 * until then, so nothing behind it is lost; due records run on lanes while the loop keeps polling, and their offsets
 * commit after the hand-off ({@link PartitionProgress}). Runs
 * parked for re-authorization also become due as soon as a connection got a newer grant's token.
 */
public final class RetryLoop implements AutoCloseable {

    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final RunService runs;
    private final Lanes lanes;
    private final Supplier<Instant> lastReauthorization;
    private final Thread thread;
    private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
    private Instant seenReauthorization = Instant.EPOCH;
    private volatile boolean running = true;
    private volatile boolean died;
    /** Offsets done but not yet committed because the group was rebalancing. */
    private final PendingCommits pending = new PendingCommits();
    private final PartitionProgress progress;

    public RetryLoop(KafkaClients clients, String groupId, RunService runs, int lanes, Supplier<Instant> lastReauthorization,
            Duration maxPollInterval) {
        this.consumer = clients.groupConsumer(groupId, "jsw-retry", 100, maxPollInterval);
        this.runs = runs;
        this.lanes = new Lanes("jsw-retry-lane", lanes);
        this.progress = new PartitionProgress(consumer, 200);
        this.lastReauthorization = lastReauthorization;
        this.thread = Thread.ofPlatform().daemon().name("jsw-retry-loop").unstarted(this::loop);
    }

    public RetryLoop start() {
        thread.start();
        return this;
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(Topics.RUN_RETRY), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                    commit(progress.advance());
                    progress.forget(partitions);
                    partitions.forEach(pausedUntil::remove);
                }

                @Override
                public void onPartitionsLost(java.util.Collection<TopicPartition> partitions) {
                    progress.forget(partitions);
                    partitions.forEach(pausedUntil::remove);
                }

                @Override
                public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                    // the consumer keeps a partition's pause across a rebalance, but its reason (pausedUntil, the
                    // progress) was dropped on revocation: a partition paused then would never be resumed
                    consumer.resume(partitions);
                }
            });
            while (running) {
                Instant now = Instant.now();
                Instant reauth = lastReauthorization.get();
                boolean wake = reauth.isAfter(seenReauthorization);
                seenReauthorization = reauth;
                List<TopicPartition> resume = new ArrayList<>();
                pausedUntil.entrySet().removeIf(e -> {
                    if (wake || !e.getValue().isAfter(now)) {
                        resume.add(e.getKey());
                        return true;
                    }
                    return false;
                });
                resume.removeIf(progress::pausedHere);
                if (!resume.isEmpty()) {
                    consumer.resume(resume);
                }
                // polls on while retried runs are in flight: a slow one never holds the loop past max.poll.interval
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (!batch.isEmpty()) {
                    dispatch(batch, reauth);
                }
                commit(progress.advance());
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                died = true;
                Log.errorf(e, "retry loop stopped; liveness reports it");
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            lanes.close();
        }
    }

    private void dispatch(ConsumerRecords<String, byte[]> batch, Instant reauth) {
        Instant now = Instant.now();
        for (TopicPartition tp : batch.partitions()) {
            for (ConsumerRecord<String, byte[]> r : batch.records(tp)) {
                RetryRecord rr;
                try {
                    rr = ContractsJson.read(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8), RetryRecord.class);
                } catch (RuntimeException e) {
                    Log.warnf("skipping unreadable retry record %s/%d: %s", tp, r.offset(), e.getMessage());
                    progress.track(tp, r.offset(), CompletableFuture.completedFuture(null));
                    continue;
                }
                boolean due = !rr.notBefore().isAfter(now)
                        || (RunService.parked(rr) && rr.errors().getLast().at().isBefore(reauth))
                        || runs.workflowDeleted(rr);
                if (!due) {
                    consumer.seek(tp, r.offset());
                    consumer.pause(List.of(tp));
                    // looked at again every second: a retry of a workflow deleted meanwhile is dropped then, instead of
                    // holding up the retries behind it on its partition until its own time comes
                    Instant recheck = now.plus(RECHECK);
                    pausedUntil.put(tp, rr.notBefore().isBefore(recheck) ? rr.notBefore() : recheck);
                    break;
                }
                progress.track(tp, r.offset(), lanes.submit(r.key(), () -> runs.handleRetry(rr)));
            }
        }
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        pending.commit(consumer, offsets);
    }

    /** False once the loop stopped by itself (not closed): retries and parked runs no longer run on this replica. */
    public boolean alive() {
        return !died && (thread.isAlive() || !running);
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
