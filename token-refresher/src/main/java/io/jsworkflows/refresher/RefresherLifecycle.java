package io.jsworkflows.refresher;

import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.jsworkflows.refresher.config.RefresherConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.core.Vertx;

/** Starts this process's replica with the application and stops it (handing its partitions over) on shutdown. */
@ApplicationScoped
public class RefresherLifecycle {

    private final RefresherReplica replica;

    public RefresherLifecycle(RefresherConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka, Vertx vertx,
            MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.replica = new RefresherReplica("token-refresher", config, kafka, vertx, registry, null, openTelemetry);
    }

    void onStart(@Observes StartupEvent event) {
        replica.start();
    }

    public RefresherReplica replica() {
        return replica;
    }

    @PreDestroy
    void stop() {
        replica.close();
    }
}
