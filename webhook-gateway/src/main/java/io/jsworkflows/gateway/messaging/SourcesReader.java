package io.jsworkflows.gateway.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.SourceState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.gateway.service.SourceDirectory;
import io.jsworkflows.kafka.KafkaConnection;
import io.jsworkflows.kafka.TopicViewReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Follows {@code jsw.sources} from the beginning on every replica and feeds {@link SourceDirectory}, through the
 * platform's topic view (every partition, no group; readiness knows when it caught up and whether the broker answers).
 * Connection settings come from Quarkus' {@code kafka.*}.
 */
@ApplicationScoped
public class SourcesReader {

    private final SourceDirectory directory;
    private final Map<String, Object> connection;
    private final MeterRegistry registry;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private TopicViewReader view;
    private KafkaClientMetrics clientMetrics;

    public SourcesReader(SourceDirectory directory, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            MeterRegistry registry) {
        this.directory = directory;
        this.registry = registry;
        this.connection = KafkaConnection.of(kafkaConfig);
    }

    void start(@Observes StartupEvent event) {
        directory.size(); // creates the directory now: a missing or malformed source key ring fails the start, not each record
        view = new TopicViewReader(connection, Topics.SOURCES,
                r -> directory.apply(r.key(), r.value() == null ? null : ContractsJson.read(r.value(), SourceState.class)));
        clientMetrics = new KafkaClientMetrics(view.consumer()); // lag and fetch rates of the view
        clientMetrics.bindTo(registry);
        view.caughtUp().whenComplete((done, failure) -> {
            if (failure != null) {
                caughtUp.completeExceptionally(failure);
            } else {
                Log.infof("%d sources known", directory.size());
                caughtUp.complete(null);
            }
        });
        view.start();
    }

    /** Completes once every partition reached the end offset it had when the reader started. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /** Whether the broker answered one of the view's fetches within {@code window} (silence: Kafka unreachable). */
    public boolean fetchedWithin(Duration window) {
        TopicViewReader v = view;
        return v != null && v.fetchedWithin(window);
    }

    @PreDestroy
    void close() {
        if (view != null) {
            view.close();
        }
        if (clientMetrics != null) {
            clientMetrics.close();
        }
    }
}
