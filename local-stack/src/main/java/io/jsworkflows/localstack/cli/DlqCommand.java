package io.jsworkflows.localstack.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.messaging.CloudEventHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RetryRecord;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.localstack.client.EventFormat;
import io.jsworkflows.localstack.client.KafkaTools;
import io.jsworkflows.localstack.client.Records;
import io.jsworkflows.localstack.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Dead letters.", subcommands = {DlqCommand.Replay.class})
public final class DlqCommand implements Runnable {

    /** The consumer group whose committed offsets remember what was replayed already. */
    static final String REPLAY_GROUP = "jsw-cli-dlq-replay";

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = {"Run dead-lettered records again: each becomes a retry (jsw.runs.retry) of its own workflow "
            + "with a fresh attempt budget, the original record and headers unchanged. Other workflows on the same topic do not "
            + "run again, and the executor's duplicate filter does not drop it.",
        "Each dead letter is replayed once: the position is kept in consumer group " + REPLAY_GROUP + "; --all starts over."})
    static final class Replay implements Callable<Integer> {

        @Option(names = "--workflow", description = "only dead letters of this workflow id")
        String workflow;

        @Option(names = "--all", description = "replay every retained dead letter, also those replayed before")
        boolean all;

        @Option(names = "--dry-run", description = "show what would be replayed, publish nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            StackSettings s = StackSettings.fromEnv();
            KafkaTools.awaitReachable(s.kafkaBootstrap(), Duration.ofSeconds(10));
            int replayed = 0;
            int skipped = 0;
            try (KafkaConsumer<String, String> c = KafkaTools.consumer(s.kafkaBootstrap(), REPLAY_GROUP);
                    KafkaProducer<String, String> p = KafkaTools.producer(s.kafkaBootstrap())) {
                List<TopicPartition> tps = Records.assignAll(c, Topics.RUN_DLQ);
                Map<TopicPartition, Long> end = Records.endOffsets(c, tps);
                if (all) {
                    c.seekToBeginning(tps);
                }
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!caughtUp(c, tps, end) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (r.offset() >= end.get(tp)) {
                            continue;
                        }
                        commit.put(tp, new OffsetAndMetadata(r.offset() + 1));
                        if (r.value() == null) {
                            continue;
                        }
                        DeadLetter d = ContractsJson.read(r.value(), DeadLetter.class);
                        if (d.original() == null || d.workflowId() == null || (workflow != null && !workflow.equals(d.workflowId()))) {
                            // no workflow: the record itself was unusable (not JSON, too big); a replay would fail the same way
                            skipped++;
                            continue;
                        }
                        System.out.println((dryRun ? "would replay " : "replaying ") + EventFormat.deadLetter(r.value()));
                        if (!dryRun) {
                            RetryRecord retry = new RetryRecord(RetryRecord.SCHEMA_VERSION, UUID.randomUUID().toString(), d.workflowId(),
                                    d.workspaceId(), d.workflowVersion() == null ? 0 : d.workflowVersion(), d.idempotencyKey(), 1, Instant.now(),
                                    d.original(), List.of());
                            Records.publish(p, Topics.RUN_RETRY, RetryRecord.key(d.workflowId(), d.idempotencyKey()),
                                    ContractsJson.write(retry), cloudEventHeaders());
                        }
                        replayed++;
                    }
                }
                if (!dryRun && !commit.isEmpty()) {
                    c.commitSync(commit);
                }
            }
            System.out.println("jsw: " + (dryRun ? "would replay " : "replayed ") + replayed + " dead letter(s)"
                    + (skipped > 0 ? ", skipped " + skipped : ""));
            return 0;
        }

        private static Map<String, String> cloudEventHeaders() {
            Map<String, String> h = CloudEventHeaders.of(CloudEventTypes.RETRY_RECORD, "/jsworkflows/jsw-cli");
            h.put("content-type", "application/json");
            return h;
        }

        private static boolean caughtUp(KafkaConsumer<String, String> c, List<TopicPartition> tps, Map<TopicPartition, Long> end) {
            for (TopicPartition tp : tps) {
                if (c.position(tp, Duration.ofSeconds(10)) < end.get(tp)) {
                    return false;
                }
            }
            return true;
        }
    }
}
