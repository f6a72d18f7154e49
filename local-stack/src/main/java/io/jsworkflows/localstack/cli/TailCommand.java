package io.jsworkflows.localstack.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.localstack.client.EventFormat;
import io.jsworkflows.localstack.client.KafkaTools;
import io.jsworkflows.localstack.client.Records;
import io.jsworkflows.localstack.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", mixinStandardHelpOptions = true, description = "Follow run events, connection events or dead letters, one line per event (Ctrl-C ends).")
public final class TailCommand implements Callable<Integer> {

    enum Stream {
        runs, connections, dlq
    }

    @Parameters(index = "0", paramLabel = "runs|connections|dlq")
    Stream stream;

    @Option(names = "--new", description = "only events published from now on (default: everything retained, then follow)")
    boolean onlyNew;

    @Option(names = "--max", description = "stop after this many events")
    Integer max;

    @Override
    public Integer call() {
        StackSettings s = StackSettings.fromEnv();
        String topic = switch (stream) {
            case runs -> Topics.RUN_EVENTS;
            case connections -> Topics.CONNECTION_EVENTS;
            case dlq -> Topics.RUN_DLQ;
        };
        Function<String, String> format = switch (stream) {
            case runs -> EventFormat::run;
            case connections -> EventFormat::connection;
            case dlq -> EventFormat::deadLetter;
        };
        KafkaTools.awaitReachable(s.kafkaBootstrap(), Duration.ofSeconds(10));
        int seen = 0;
        try (KafkaConsumer<String, String> c = KafkaTools.consumer(s.kafkaBootstrap(), null)) {
            List<TopicPartition> tps = Records.assignAll(c, topic);
            if (onlyNew) {
                c.seekToEnd(tps);
            } else {
                c.seekToBeginning(tps);
            }
            System.err.println("jsw: following " + topic + " (Ctrl-C to stop)");
            while (max == null || seen < max) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    System.out.println(r.value() == null ? "(tombstone for " + r.key() + ")" : format.apply(r.value()));
                    System.out.flush();
                    if (max != null && ++seen >= max) {
                        break;
                    }
                }
            }
        }
        return 0;
    }
}
