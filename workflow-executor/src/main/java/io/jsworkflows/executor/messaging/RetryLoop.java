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
 * until then, so nothing behind it is lost; due records run on lanes and their offsets commit after the hand-off. Runs
 * parked for re-authorization also become due as soon as a connection got a newer grant's token.
 */
public final class RetryLoop implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final RunService runs;
    private final Lanes lanes;
    private final Supplier<Instant> lastReauthorization;
    private final Thread thread;
    private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
    private Instant seenReauthorization = Instant.EPOCH;
    private volatile boolean running = true;

    public RetryLoop(KafkaClients clients, String groupId, RunService runs, int lanes, Supplier<Instant> lastReauthorization) {
        this.consumer = clients.groupConsumer(groupId, "jsw-retry", 100);
        this.runs = runs;
        this.lanes = new Lanes("jsw-retry-lane", lanes);
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
                    partitions.forEach(pausedUntil::remove);
                }

                @Override
                public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
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
                if (!resume.isEmpty()) {
                    consumer.resume(resume);
                }
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (!batch.isEmpty()) {
                    process(batch, reauth);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            Log.errorf(e, "retry loop stopped");
        } finally {
            consumer.close(Duration.ofSeconds(5));
            lanes.close();
        }
    }

    private void process(ConsumerRecords<String, byte[]> batch, Instant reauth) {
        Instant now = Instant.now();
        Map<TopicPartition, Long> commit = new HashMap<>();
        List<CompletableFuture<Void>> work = new ArrayList<>();
        for (TopicPartition tp : batch.partitions()) {
            for (ConsumerRecord<String, byte[]> r : batch.records(tp)) {
                RetryRecord rr;
                try {
                    rr = ContractsJson.read(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8), RetryRecord.class);
                } catch (RuntimeException e) {
                    Log.warnf("skipping unreadable retry record %s/%d: %s", tp, r.offset(), e.getMessage());
                    commit.put(tp, r.offset() + 1);
                    continue;
                }
                boolean due = !rr.notBefore().isAfter(now)
                        || (RunService.parked(rr) && rr.errors().getLast().at().isBefore(reauth));
                if (!due) {
                    consumer.seek(tp, r.offset());
                    consumer.pause(List.of(tp));
                    pausedUntil.put(tp, rr.notBefore());
                    break;
                }
                work.add(lanes.submit(r.key(), () -> runs.handleRetry(rr)));
                commit.put(tp, r.offset() + 1);
            }
        }
        try {
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            Log.warnf("a retried run could not be handed off (%s); polling it again", e.getMessage());
            for (TopicPartition tp : batch.partitions()) {
                consumer.seek(tp, batch.records(tp).getFirst().offset());
            }
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        commit.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
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
