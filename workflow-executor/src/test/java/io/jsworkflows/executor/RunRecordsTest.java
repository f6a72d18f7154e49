package io.jsworkflows.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import jakarta.inject.Inject;

import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.messaging.ExecutorStreams;
import io.jsworkflows.executor.messaging.TriggerLoop;
import io.jsworkflows.executor.service.BatchMark;
import io.jsworkflows.executor.service.CrashGuard;
import io.jsworkflows.executor.service.RunStart;
import io.jsworkflows.testsupport.HubSpotApiTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * What a run costs in Kafka records on the executor's own run topics (jsw.runs.inflight, jsw.runs.events), with the
 * defaults (no started events, batch marks with isolation=process), and what a batch mark left by a stopped loop does:
 * its records are replayed one at a time, each with its own start mark, so a poison record is still dead-lettered.
 */
@QuarkusTest
@TestProfile(RunRecordsTest.Defaults.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotApiTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
class RunRecordsTest {

    /** The production defaults for run events, which the other tests' profile overrides to see every start. */
    public static class Defaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jsw.executor.events.started-after", "");
        }
    }

    @Inject
    CrashGuard crashGuard;

    @Inject
    ExecutorStreams streams;

    @Inject
    ExecutorConfig config;

    static final String KEY = "test-key-1";
    static final String QUIET = "export class Workflow { async start(data) { console.log('order ' + data.name); } }";
    /** Every record of jsw.runs.inflight since its beginning: the keys of start marks and of their tombstones. */
    static TopicRecords.Recording<String> inflight;

    static List<String> keys() {
        return inflight.all().stream().map(TopicRecords.Received::key).toList();
    }

    static List<String> tombstones() {
        return inflight.all().stream().filter(r -> r.value() == null).map(TopicRecords.Received::key).toList();
    }

    @BeforeAll
    static void init() {
        Fixtures.init();
        // the executor creates the topic at start
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> (inflight = TopicRecords.fromBeginning(RunStart.TOPIC, v -> v)) != null);
    }

    @Test
    @Order(1)
    void aSuccessfulRunWritesExactlyOneRecordToTheRunTopics() {
        Fixtures.createTopic("orders.run-records", 1);
        Fixtures.deploy(KEY, "run-records", QUIET, "orders.run-records", null).statusCode(201);
        int n = 40;
        Fixtures.sendBurst("orders.run-records", IntStream.range(0, n).mapToObj(i -> new String[] { "records-shop-" + (i % 4),
                Fixtures.order(40_000 + i, "records-" + i + "@example.com") }).toList(), i -> Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> events("run-records", RunEvent.Type.SUCCEEDED).size() >= n);
        // what a straggler would still write arrives within this wait
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(Fixtures.runEvents().matching(e -> e.workflowId().equals("run-records"))).hasSize(n)
                .extracting(RunEvent::type).containsOnly(RunEvent.Type.SUCCEEDED);
        // no record per run on jsw.runs.inflight; what the batch marks of the topic's one partition cost is per batch
        assertThat(keys().stream().filter(k -> k.startsWith("run-records:")).toList()).isEmpty();
        assertThat(keys().stream().filter(k -> k.contains("/orders.run-records/")).toList()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    @Order(2)
    void aBatchLeftMarkedByStoppedReplicasIsReplayedOneRecordAtATimeAndItsPoisonIsDeadLettered() {
        String topic = "orders.batch-replay";
        String group = config.executor().triggers().groupId();
        Fixtures.createTopic(topic, 1);
        String first = UUID.randomUUID().toString();
        String poison = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        // replica A marked the partition up to offset 2 and stopped mid-batch; replica B replayed the batch and stopped
        // while running the poison record alone (its start mark counts A's stop: crashes=1)
        Fixtures.send(RunStart.TOPIC, BatchMark.key(group, topic, 0), ContractsJson.write(new BatchMark(BatchMark.SCHEMA_VERSION, group,
                topic, 0, 2, "dead-replica-a", Instant.now())), Map.of());
        WorkflowRunsTest.publishStart("batch-replay", poison, 1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> crashGuard.batchMark(group, topic, 0).isPresent()
                && crashGuard.unfinished("batch-replay", poison).isPresent());
        Fixtures.deploy(KEY, "batch-replay", QUIET, topic, null).statusCode(201);
        // offsets 0, 1, 2 are the marked batch; 3 comes after it
        for (String k : List.of(first, poison, second, after)) {
            Fixtures.send(topic, "jsw-demo.myshopify.com", Fixtures.order(41_000, k + "@example.com"), Fixtures.shopifyHeaders(k));
        }

        DeadLetter dl = await().atMost(Duration.ofSeconds(60)).until(
                () -> Fixtures.deadLetters().matching(d -> d.workflowId().equals("batch-replay")), l -> !l.isEmpty()).getFirst();
        assertThat(dl.idempotencyKey()).isEqualTo(poison);
        assertThat(dl.reason()).startsWith(CrashGuard.REASON).contains("stopped the executor 2 times");
        assertThat(dl.attempts()).extracting(AttemptError::category).containsExactly("CRASH");
        await().atMost(Duration.ofSeconds(60)).until(() -> events("batch-replay", RunEvent.Type.SUCCEEDED).size() >= 3);
        assertThat(events("batch-replay", RunEvent.Type.SUCCEEDED)).extracting(RunEvent::idempotencyKey)
                .containsExactlyInAnyOrder(first, second, after);
        assertThat(Fixtures.runEvents().matching(e -> e.workflowId().equals("batch-replay") && e.idempotencyKey().equals(poison)))
                .extracting(RunEvent::type).containsExactly(RunEvent.Type.DEAD_LETTERED);
        // the replayed records ran with their own start marks (written, then removed); the one after the batch did not
        await().atMost(Duration.ofSeconds(10)).until(() -> tombstones().contains("batch-replay:" + second));
        assertThat(keys()).filteredOn(k -> k.equals("batch-replay:" + first)).hasSize(2);
        assertThat(keys()).filteredOn(k -> k.equals("batch-replay:" + second)).hasSize(2);
        assertThat(keys()).doesNotContain("batch-replay:" + after);
        // this replica took the mark over and moved it past the record after the batch
        assertThat(crashGuard.batchMark(group, topic, 0)).hasValueSatisfying(m -> {
            assertThat(m.replica()).isNotEqualTo("dead-replica-a");
            assertThat(m.to()).isGreaterThanOrEqualTo(3);
        });
    }

    @Test
    @Order(3)
    void aLoopStoppedMidBatchLeavesItsMarkAndTheNextOwnerReplaysTheBatchOneRecordAtATime() {
        String topic = "orders.batch-crash";
        String group = config.executor().triggers().groupId();
        Fixtures.createTopic(topic, 1);
        // the first record holds its key's lane; the three behind it wait for it
        Fixtures.deploy(KEY, "batch-crash", "export class Workflow { async start(data) { if (data.slow) await new Promise(r => setTimeout(r, 3000)); "
                + "console.log(data.n); } }", topic, null).statusCode(201);
        List<String> keys = IntStream.range(0, 4).mapToObj(i -> UUID.randomUUID().toString()).toList();
        Fixtures.sendBurst(topic, IntStream.range(0, 4).mapToObj(i -> new String[] { "one-shop",
                "{\"n\":" + i + (i == 0 ? ",\"slow\":true" : "") + "}" }).toList(), i -> Fixtures.shopifyHeaders(keys.get(i)));
        await().atMost(Duration.ofSeconds(30)).until(() -> crashGuard.batchMark(group, topic, 0).isPresent());
        List<TriggerLoop> before = streams.triggerLoops();
        before.forEach(l -> {
            l.crash();
            streams.forget(l);
        });
        // the stopped loop neither committed nor removed its mark
        assertThat(crashGuard.batchMark(group, topic, 0)).isPresent();
        streams.startTriggerLoop("jsw-trigger-restarted");

        await().atMost(Duration.ofSeconds(120)).until(() -> events("batch-crash", RunEvent.Type.SUCCEEDED).size() >= 4);
        assertThat(events("batch-crash", RunEvent.Type.SUCCEEDED)).extracting(RunEvent::idempotencyKey).containsExactlyInAnyOrderElementsOf(keys);
        // the records behind the first ran on the restarted loop, one at a time, each with its own start mark
        for (String k : keys.subList(1, 4)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> tombstones().contains("batch-crash:" + k));
            assertThat(keys()).filteredOn(x -> x.equals("batch-crash:" + k)).hasSize(2);
        }
    }

    static List<RunEvent> events(String workflowId, RunEvent.Type type) {
        return Fixtures.runEvents().matching(e -> e.workflowId().equals(workflowId) && e.type() == type);
    }
}
