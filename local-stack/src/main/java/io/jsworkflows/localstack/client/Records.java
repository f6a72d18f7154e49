package io.jsworkflows.localstack.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import io.jsworkflows.localstack.stack.StackException;

/** Publishing one record with headers, and assigning a consumer to every partition of a topic. */
public final class Records {

    private Records() {
    }

    public static RecordMetadata publish(KafkaProducer<String, String> producer, String topic, String key, String value,
            Map<String, String> headers) {
        List<Header> hs = new ArrayList<>();
        headers.forEach((k, v) -> hs.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        try {
            return producer.send(new ProducerRecord<>(topic, null, key, value, hs)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new StackException("publishing to " + topic + " failed: " + KafkaTools.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    /** Assigns every partition of the topic (no consumer group); fails readably if the topic does not exist. */
    public static List<TopicPartition> assignAll(KafkaConsumer<String, String> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, java.time.Duration.ofSeconds(15));
        if (infos == null || infos.isEmpty()) {
            throw new StackException("topic " + topic + " does not exist (yet)");
        }
        List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(tps);
        return tps;
    }

    public static Map<TopicPartition, Long> endOffsets(KafkaConsumer<String, String> consumer, Collection<TopicPartition> tps) {
        return consumer.endOffsets(tps, java.time.Duration.ofSeconds(15));
    }

    public static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
