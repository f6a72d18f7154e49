package io.jsworkflows.executor.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.service.CrashGuard;
import io.jsworkflows.executor.service.DefinitionsDirectory;
import io.jsworkflows.executor.service.RunStart;
import io.jsworkflows.executor.service.RunService;
import io.jsworkflows.executor.service.TokenView;
import io.jsworkflows.executor.service.TriggerOwnership;
import io.jsworkflows.executor.service.WorkflowRegistry;
import io.jsworkflows.kafka.TopicViewReader;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts and stops the executor's Kafka streams: the definitions view and the token view (all partitions, from the
 * beginning), the trigger loop (topics follow the bindings) and the retry loop.
 */
@ApplicationScoped
public class ExecutorStreams {

    private final ExecutorConfig config;
    private final KafkaClients kafka;
    private final WorkflowRegistry registry;
    private final TokenView tokens;
    private final RunService runs;
    private final DefinitionsDirectory directory;
    private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();
    private final List<TriggerLoop> triggerLoops = new CopyOnWriteArrayList<>();
    private volatile RetryLoop retryLoop;
    private TopicViewReader definitionsReader;
    private TopicViewReader tokensReader;
    private TopicViewReader inflightReader;
    private final CrashGuard crashes;
    private final TriggerOwnership ownership;

    public ExecutorStreams(ExecutorConfig config, KafkaClients kafka, WorkflowRegistry registry, TokenView tokens, RunService runs,
            DefinitionsDirectory directory, CrashGuard crashes, TriggerOwnership ownership) {
        this.ownership = ownership;
        this.crashes = crashes;
        this.config = config;
        this.kafka = kafka;
        this.registry = registry;
        this.tokens = tokens;
        this.runs = runs;
        this.directory = directory;
    }

    void start(@Observes StartupEvent ev) {
        checkTimeouts(config);
        io.jsworkflows.executor.service.FetchBudget.check(config);
        directory.load();
        definitionsReader = view(Topics.WORKFLOW_DEFINITIONS,
                r -> registry.applyRecord(r.key(), r.value() == null ? null : ContractsJson.read(r.value(), WorkflowDefinition.class)));
        tokensReader = view(Topics.CONNECTION_TOKENS,
                r -> tokens.applyRecord(r.key(), r.value()));
        tokensReader.caughtUp().thenRun(tokens::markReady);
        if (crashes.enabled()) {
            ensureTopic(RunStart.TOPIC, RunStart.PARTITIONS);
            inflightReader = view(RunStart.TOPIC, r -> crashes.apply(r.key(), r.value()));
        }
        registry.onChange(() -> triggerLoops.forEach(TriggerLoop::topicsChanged));
        // runs start only once the crash records are known: they decide whether a redelivered run may run again
        inflightCaughtUp().thenRun(() -> {
            startTriggerLoop("jsw-trigger");
            retryLoop = new RetryLoop(kafka, config.executor().retry().groupId(), runs, config.executor().retry().lanes(),
                    tokens::lastReauthorization, config.executor().triggers().maxPollInterval()).start();
            running.add(retryLoop);
        });
        Log.infof("workflow executor started: %d workflows known so far", registry.all().size());
    }

    /** Starts one more member of the trigger consumer group (a replica's worth of consumption). */
    public TriggerLoop startTriggerLoop(String name) {
        TriggerLoop loop = new TriggerLoop(kafka, config.executor().triggers().groupId(), runs, crashes, config.executor().triggers().lanes(),
                () -> registry.topics().stream().filter(ownership::consumable).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
                registry::startOf, config.executor().triggers().maxPollInterval(), name).start();
        triggerLoops.add(loop);
        running.add(loop);
        return loop;
    }

    /** Run deadlines must stay well below the groups' poll deadline: refuse to start otherwise. */
    static void checkTimeouts(ExecutorConfig config) {
        java.time.Duration interval = config.executor().triggers().maxPollInterval();
        java.time.Duration max = config.executor().maxTimeout();
        java.time.Duration dflt = config.executor().defaultTimeout();
        if (max.multipliedBy(2).compareTo(interval) > 0 || dflt.compareTo(max) > 0) {
            throw new IllegalStateException("jsw.executor.max-timeout (" + max + ") must be at most half of jsw.executor.triggers.max-poll-interval ("
                    + interval + "), and jsw.executor.default-timeout (" + dflt + ") at most max-timeout");
        }
    }

    /**
     * Names of the consumer loops that stopped by themselves (liveness): a dead loop leaves the replica up and ready but
     * no longer running triggers or retries, so Kubernetes must restart it.
     */
    public List<String> deadLoops() {
        List<String> dead = new ArrayList<>();
        triggerLoops.forEach(l -> {
            if (!l.alive()) {
                dead.add(l.name());
            }
        });
        RetryLoop r = retryLoop;
        if (r != null && !r.alive()) {
            dead.add("jsw-retry-loop");
        }
        for (TopicViewReader v : new TopicViewReader[] { definitionsReader, tokensReader, inflightReader }) {
            if (v != null && !v.alive()) {
                dead.add(v.name());
            }
        }
        return dead;
    }

    private TopicViewReader view(String topic, Consumer<ConsumerRecord<String, String>> apply) {
        TopicViewReader reader = new TopicViewReader(kafka.connection(), topic, apply);
        kafka.bindMetrics(reader.consumer());
        running.add(reader);
        return reader.start();
    }

    public List<TriggerLoop> triggerLoops() {
        return new ArrayList<>(triggerLoops);
    }

    public void forget(TriggerLoop loop) {
        triggerLoops.remove(loop);
        running.remove(loop);
    }

    public CompletableFuture<Void> definitionsCaughtUp() {
        return definitionsReader == null ? new CompletableFuture<>() : definitionsReader.caughtUp();
    }

    /** The crash records' view must be current before runs start: it decides whether a redelivered run may run. */
    public CompletableFuture<Void> inflightCaughtUp() {
        return inflightReader == null ? CompletableFuture.completedFuture(null) : inflightReader.caughtUp();
    }

    /** jsw.runs.inflight is the executor's own topic: create it (compacted) when the deployment did not. */
    private void ensureTopic(String name, int partitions) {
        try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
            if (!admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS).contains(name)) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(name, partitions, (short) -1)
                        .configs(java.util.Map.of("cleanup.policy", "compact")))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                Log.warnf("cannot create %s (%s); create it as a compacted topic with %d partitions", name, e.getMessage(), partitions);
            }
        }
    }

    /** Whether the broker answered the token view's fetches lately (false while Kafka is unreachable). */
    public boolean kafkaReachable(java.time.Duration window) {
        return tokensReader != null && tokensReader.fetchedWithin(window);
    }

    public CompletableFuture<Void> tokensCaughtUp() {
        return tokensReader == null ? new CompletableFuture<>() : tokensReader.caughtUp();
    }

    void stop(@Observes ShutdownEvent ev) {
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                Log.debugf("closing %s: %s", c, e.getMessage());
            }
        }
    }
}
