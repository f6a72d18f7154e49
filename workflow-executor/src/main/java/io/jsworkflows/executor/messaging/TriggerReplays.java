package io.jsworkflows.executor.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.service.RunService;
import io.quarkus.logging.Log;

/**
 * Replays a topic's retained records for one newly deployed workflow that asked for it ({@code "start"} before the
 * deploy). This reader runs, for that workflow only, the records from the requested start up to the topic's end at the
 * deploy (at least the trigger group's committed offsets), partition by partition in offset order. Not only up to the
 * committed offsets: records the trigger loop had dispatched but not committed when the binding appeared would fall
 * between the two. Where they overlap, the duplicate filter drops the second run (at least once across replicas).
 * Hand-written (a consumer without a group, bounded by offsets read at the deploy):
 * no messaging channel reads a range. The deploying replica replays; if it stops midway the replay is not resumed.
 */
@ApplicationScoped
public class TriggerReplays {

    private final KafkaClients kafka;
    private final RunService runs;
    private final ExecutorConfig config;

    public TriggerReplays(KafkaClients kafka, RunService runs, ExecutorConfig config) {
        this.kafka = kafka;
        this.runs = runs;
        this.config = config;
    }

    public void start(WorkflowDefinition d) {
        Thread.ofPlatform().daemon().name("jsw-replay-" + d.workflowId()).start(() -> {
            try {
                long n = replay(d);
                Log.infof("replay of workflow %s (workspace %s) on %s finished: %d records", d.workflowId(), d.workspaceId(),
                        d.trigger().topic(), n);
            } catch (Exception e) {
                Log.warnf("replay of workflow %s on %s stopped: %s", d.workflowId(), d.trigger().topic(), e.getMessage());
            }
        });
    }

    private long replay(WorkflowDefinition d) throws Exception {
        String topic = d.trigger().topic();
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (var admin = kafka.admin()) {
            committed = admin.listConsumerGroupOffsets(config.executor().triggers().groupId()).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
        }
        long count = 0;
        try (KafkaConsumer<String, byte[]> c = kafka.rangeConsumer("jsw-replay")) {
            Map<TopicPartition, Long> until = new HashMap<>();
            Map<TopicPartition, Long> times = new HashMap<>();
            List<TopicPartition> all = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> ends = c.endOffsets(all);
            all.forEach(tp -> {
                // up to the end at the deploy, not only the committed offset: records the trigger loop had dispatched but
                // not yet committed before the binding existed would otherwise fall between the loop and the replay; a
                // record both run here and by the loop is dropped by the duplicate filter (or runs twice, at least once)
                OffsetAndMetadata o = committed.get(tp);
                long end = Math.max(o == null ? 0 : o.offset(), ends.getOrDefault(tp, 0L));
                if (end > 0) {
                    until.put(tp, end);
                    times.put(tp, d.trigger().from().toEpochMilli());
                }
            });
            Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(times);
            List<TopicPartition> parts = new ArrayList<>();
            starts.forEach((tp, s) -> {
                if (s != null && s.offset() < until.get(tp)) {
                    parts.add(tp);
                }
            });
            if (parts.isEmpty()) {
                return 0;
            }
            c.assign(parts);
            parts.forEach(tp -> c.seek(tp, starts.get(tp).offset()));
            List<TopicPartition> open = new ArrayList<>(parts);
            while (!open.isEmpty()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= until.get(tp)) {
                        continue;
                    }
                    runs.handleReplay(TriggerLoop.toTrigger(r), r.serializedValueSize(), r.timestamp(), d.workflowId());
                    count++;
                }
                open.removeIf(tp -> c.position(tp) >= until.get(tp));
                c.pause(parts.stream().filter(tp -> !open.contains(tp)).toList());
            }
        }
        return count;
    }
}
