package io.jsworkflows.refresher;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.refresher.config.RefresherConfig;
import io.jsworkflows.refresher.health.LoopHeartbeat;
import io.jsworkflows.refresher.messaging.GrantsOwner;
import io.jsworkflows.refresher.messaging.KafkaStatePublisher;
import io.jsworkflows.refresher.service.RefreshTiming;
import io.jsworkflows.refresher.service.RefreshTracing;
import io.jsworkflows.refresher.service.RefresherNode;
import io.jsworkflows.refresher.service.RefresherStats;
import io.jsworkflows.refresher.service.TokenEndpointClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.mutiny.core.Vertx;

/**
 * One refresher replica: its group member on the grants topic, its schedule, its token endpoint client and its
 * producer. The application runs one; tests and the benchmark may run more in one JVM.
 */
public final class RefresherReplica implements AutoCloseable {

    private final KafkaStatePublisher publisher;
    private final TokenEndpointClient client;
    private final RefresherNode node;
    private final GrantsOwner owner;
    private final List<KafkaClientMetrics> clientMetrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    public RefresherReplica(String name, RefresherConfig config, Map<String, Object> kafka, Vertx vertx, MeterRegistry registry) {
        this(name, config, kafka, vertx, registry, null);
    }

    /** @param endpoint replaces the HTTP token endpoint client when not null (the benchmark wraps it to count calls) */
    public RefresherReplica(String name, RefresherConfig config, Map<String, Object> kafka, Vertx vertx, MeterRegistry registry,
            RefresherNode.Endpoint endpoint) {
        this(name, config, kafka, vertx, registry, endpoint, OpenTelemetry.noop());
    }

    /** @param openTelemetry where the refresh spans go (the application's; tests' extra replicas run untraced) */
    public RefresherReplica(String name, RefresherConfig config, Map<String, Object> kafka, Vertx vertx, MeterRegistry registry,
            RefresherNode.Endpoint endpoint, OpenTelemetry openTelemetry) {
        TokenCipher grantCipher = TokenCipher.fromConfig(config.crypto().grantKeys().orElse(null),
                "grant key ring (jsw.crypto.grant-keys, env JSW_CRYPTO_GRANT_KEYS)");
        TokenCipher tokenCipher = TokenCipher.fromConfig(config.crypto().tokenKeys().orElse(null),
                "token key ring (jsw.crypto.token-keys, env JSW_CRYPTO_TOKEN_KEYS)");
        String clientId = required(config.hubspot().clientId().orElse(null), "jsw.hubspot.client-id", "JSW_HUBSPOT_CLIENT_ID");
        String clientSecret = required(config.hubspot().clientSecret().orElse(null), "jsw.hubspot.client-secret",
                "JSW_HUBSPOT_CLIENT_SECRET");
        RefresherConfig.Refresher r = config.refresher();
        this.client = new TokenEndpointClient(vertx, config.hubspot().apiUrl(), clientId, clientSecret, r.maxInFlight(),
                r.requestTimeout());
        this.publisher = new KafkaStatePublisher(kafka, name, r.chainWriteTimeout(), openTelemetry);
        RefresherNode.Settings settings = new RefresherNode.Settings(
                new RefreshTiming(r.lead(), r.jitter(), r.backoffMin(), r.backoffMax()), r.maxInFlight(), r.configAlarmRetry(),
                r.recentRefreshWindow(), r.sweepInterval(), r.handoverTimeout(), r.loopStallTimeout());
        this.node = new RefresherNode(name, settings, grantCipher, tokenCipher, endpoint != null ? endpoint : client::refresh,
                publisher, new RefresherStats(registry), new RefreshTracing(openTelemetry));
        this.owner = new GrantsOwner(node, kafka, r.groupId(), name, r.rebuildTimeout(), r.loopStallTimeout());
        // the plain clients' own metrics (lag, request rates); SmallRye's channels get theirs from Quarkus
        this.clientMetrics = List.of(new KafkaClientMetrics(owner.consumer()), new KafkaClientMetrics(publisher.producer()));
        clientMetrics.forEach(m -> m.bindTo(registry));
    }

    private static String required(String value, String property, String env) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("The HubSpot OAuth app is not configured: set " + property + " (env " + env + ").");
        }
        return value;
    }

    public RefresherReplica start() {
        node.start();
        owner.start();
        return this;
    }

    public RefresherNode node() {
        return node;
    }

    public GrantsOwner owner() {
        return owner;
    }

    public TokenEndpointClient client() {
        return client;
    }

    /** Ready when both loops run and every owned partition is rebuilt. */
    public boolean ready() {
        return owner.ready() && node.schedulerStatus().up();
    }

    /** The replica's own loops, for liveness. */
    public List<LoopHeartbeat.Status> loops() {
        return List.of(owner.loopStatus(), node.schedulerStatus());
    }

    /** Leaves the group first (finishing and publishing in-flight refreshes of its partitions), then stops. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        owner.close();
        clientMetrics.forEach(KafkaClientMetrics::close);
        node.close();
        client.close();
        publisher.close();
    }
}
