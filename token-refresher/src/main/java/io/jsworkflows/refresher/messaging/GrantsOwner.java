package io.jsworkflows.refresher.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.refresher.health.LoopHeartbeat;
import io.jsworkflows.refresher.service.RefreshChainState;
import io.jsworkflows.refresher.service.RefresherNode;

/**
 * Partition ownership: a consumer group over {@code jsw.connections.grants}. On assignment it reads the same partitions
 * of {@code jsw.connections.tokens} and {@code jsw.connections.refresh-chain} from the beginning, then the grants
 * partitions from the beginning; a partition is scheduled only once all three are caught up. On revocation the node finishes and flushes in-flight refreshes first, so the
 * next owner reads their results. A plain consumer because SmallRye channels cannot run a rebuild per assigned
 * partition inside the rebalance.
 */
public final class GrantsOwner implements ConsumerRebalanceListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GrantsOwner.class);

    private final RefresherNode node;
    private final Map<String, Object> kafka;
    private final Duration rebuildTimeout;
    private final LoopHeartbeat heartbeat;
    private final KafkaConsumer<String, String> consumer;
    private final Map<TopicPartition, Long> catchingUp = new ConcurrentHashMap<>();
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean joined;
    private volatile boolean running = true;

    /**
     * @param rebuildTimeout how long reading back a topic's assigned partitions may take before the loop gives up
     * @param stallTimeout how long the loop may go without progress before liveness reports it stalled
     */
    public GrantsOwner(RefresherNode node, Map<String, Object> kafka, String groupId, String clientId, Duration rebuildTimeout,
            Duration stallTimeout) {
        this.node = node;
        this.kafka = kafka;
        this.rebuildTimeout = rebuildTimeout;
        this.heartbeat = new LoopHeartbeat(clientId + "-grants", stallTimeout);
        Map<String, Object> props = KafkaClientConfig.consumer(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // the state is rebuilt from the beginning on every assignment: committed offsets are never used
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // moving only the partitions that change owner keeps the others refreshing during a rebalance
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        // a replica killed with SIGKILL never leaves the group: its connections wait for the session timeout (Kafka's
        // default 45 s) before another replica refreshes them; 10 s keeps that well inside any refresh lead
        props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        this.thread = Thread.ofPlatform().name(clientId + "-grants").unstarted(this::run);
    }

    /** For its client metrics only ({@code metrics()} may be called from any thread). */
    public org.apache.kafka.clients.consumer.Consumer<String, String> consumer() {
        return consumer;
    }

    public void start() {
        thread.start();
    }

    /** Ready when the loop is alive, the group has been joined and every assigned partition is rebuilt. */
    public boolean ready() {
        return joined && catchingUp.isEmpty() && running && heartbeat.up();
    }

    /** The consumer loop: down when it stopped with an error or stalled. */
    public LoopHeartbeat.Status loopStatus() {
        return heartbeat.status();
    }

    public Set<Integer> assignedPartitions() {
        return Set.copyOf(assigned);
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.CONNECTION_GRANTS), this);
            while (running) {
                heartbeat.beat();
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    GrantState g = parse(r, GrantState.class);
                    if (r.value() == null ? r.key() != null : g != null && actionable(r, g)) {
                        node.applyGrant(r.partition(), r.key(), g);
                    }
                }
                checkCaughtUp();
            }
            heartbeat.closed();
        } catch (WakeupException e) {
            heartbeat.closed();
        } catch (Throwable e) {
            // liveness goes DOWN: a restart rebuilds the partitions, where skipping a record here could lose a grant
            heartbeat.died(e);
            LOG.errorf(e, "grants consumer stopped");
        } finally {
            try {
                consumer.close(Duration.ofSeconds(20)); // leaves the group: the revocation hands partitions over
            } catch (RuntimeException e) {
                LOG.warnf("grants consumer close: %s", e.toString());
            }
            if (!assigned.isEmpty()) {
                // the close could not hand them over: stop refreshing what other replicas own by now
                node.partitionsRevoked(List.copyOf(assigned), true);
                assigned.clear();
            }
        }
    }

    /**
     * A grant the refresher can act on. One without a status or a workspace is not (a writer's bug, or a newer schema):
     * it is skipped, as unreadable records are, rather than stopping every connection of the partition.
     */
    private static boolean actionable(ConsumerRecord<String, String> r, GrantState g) {
        String missing = r.key() == null ? "key" : g.status() == null ? "status" : g.workspaceId() == null ? "workspaceId" : null;
        if (missing != null) {
            LOG.warnf("skipping %s-%d@%d: a grant without %s", r.topic(), r.partition(), r.offset(), missing);
        }
        return missing == null;
    }

    private void checkCaughtUp() {
        for (var it = catchingUp.entrySet().iterator(); it.hasNext();) {
            var en = it.next();
            if (consumer.position(en.getKey()) >= en.getValue()) {
                node.partitionCaughtUp(en.getKey().partition());
                it.remove(); // only now: ready() must not see the partition before it is scheduled
            }
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            joined = true;
            return;
        }
        long t0 = System.nanoTime();
        for (TopicPartition tp : partitions) {
            catchingUp.put(tp, Long.MAX_VALUE); // not ready while the tokens are read; the real end offset follows
            assigned.add(tp.partition());
            node.partitionAssigned(tp.partition());
        }
        int tokens = readBack(Topics.CONNECTION_TOKENS, partitions, TokenState.class, node::applyToken);
        int links = readBack(Topics.REFRESH_CHAIN, partitions, RefreshChainState.class, node::applyChain);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            long end = ends.getOrDefault(tp, 0L);
            if (end <= 0) {
                node.partitionCaughtUp(tp.partition());
                catchingUp.remove(tp);
            } else {
                catchingUp.put(tp, end);
            }
        }
        joined = true;
        LOG.infof("assigned grants partitions %s: %d token and %d refresh chain records read in %d ms",
                partitionNumbers(partitions), tokens, links, (System.nanoTime() - t0) / 1_000_000);
    }

    /** What a read-back record is applied to: the node's view of one owned connection. */
    @FunctionalInterface
    private interface ReadBack<T> {
        void apply(int partition, String connectionId, T value);
    }

    /**
     * Reads the same partitions of a co-partitioned compacted topic (tokens, refresh chain) from the beginning to their
     * current end: each connection's latest state there.
     */
    private <T> int readBack(String topic, Collection<TopicPartition> grants, Class<T> type, ReadBack<T> apply) {
        List<TopicPartition> tps = new ArrayList<>();
        grants.forEach(tp -> tps.add(new TopicPartition(topic, tp.partition())));
        Map<String, Object> props = KafkaClientConfig.consumer(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        int count = 0;
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            reader.assign(tps);
            reader.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = new HashMap<>(reader.endOffsets(tps));
            ends.values().removeIf(end -> end <= 0);
            long deadline = System.nanoTime() + rebuildTimeout.toNanos();
            while (!ends.isEmpty()) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("could not read " + topic + " partitions " + ends.keySet()
                            + " to their end within " + rebuildTimeout + " (jsw.refresher.rebuild-timeout)");
                }
                heartbeat.beat(); // a long rebuild is progress, not a stall
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                    T value = parse(r, type);
                    if (r.key() != null && (r.value() == null || value != null)) {
                        apply.apply(r.partition(), r.key(), value);
                        count++;
                    }
                }
                ends.entrySet().removeIf(en -> reader.position(en.getKey()) >= en.getValue());
            }
        }
        return count;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        release(partitions, false);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        release(partitions, true);
    }

    private void release(Collection<TopicPartition> partitions, boolean lost) {
        if (partitions.isEmpty()) {
            return;
        }
        partitions.forEach(catchingUp::remove);
        List<Integer> numbers = partitionNumbers(partitions);
        assigned.removeAll(numbers);
        node.partitionsRevoked(numbers, lost);
    }

    private static List<Integer> partitionNumbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    private static <T> T parse(ConsumerRecord<String, String> r, Class<T> type) {
        if (r.value() == null) {
            return null;
        }
        try {
            return ContractsJson.read(r.value(), type);
        } catch (IllegalArgumentException e) {
            // ContractsJson's message never quotes the value (it may hold sealed tokens)
            LOG.warnf("skipping %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
