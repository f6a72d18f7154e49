package io.jsworkflows.refresher.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.refresher.RefresherReplica;
import io.jsworkflows.refresher.config.RefresherConfig;
import io.jsworkflows.refresher.service.RefresherStats;
import io.jsworkflows.refresher.support.Configs;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.PlatformTopics;
import io.jsworkflows.testsupport.SharedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;

/**
 * How many connections one refresher replica keeps fresh, against the real emulator and a real broker on this machine.
 * Not a test: run {@code token-refresher/bench.sh} (see the README). Phases:
 * <ol>
 * <li>burst: N connections all due at once; the time to refresh them all is the replica's refresh throughput;</li>
 * <li>steady state: 100,000 connections with 30-minute tokens on the production schedule (lead 10 min, jitter 2 min),
 * expiries spread so refreshes fall due at the rate 100,000 connections need; watched for a few minutes: refreshes per
 * second, due-to-start lag, tokens expired (must be 0);</li>
 * <li>hand-over: a fresh replica (new group) rebuilds all partitions from grants and tokens; time until ready.</li>
 * </ol>
 */
public final class RefreshBenchmark {

    static final String GRANT_KEYS = TokenCipher.generateKey("bench-g");
    static final String TOKEN_KEYS = TokenCipher.generateKey("bench-t");

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);
        int burst = Integer.parseInt(System.getProperty("bench.burst", "20000"));
        int steady = Integer.parseInt(System.getProperty("bench.connections", "100000"));
        Duration watch = Duration.parse(System.getProperty("bench.watch", "PT3M"));
        int inFlight = Integer.parseInt(System.getProperty("bench.max-in-flight", "64"));

        long t0 = System.nanoTime();
        String bootstrap = SharedKafka.bootstrapServers();
        PlatformTopics.create(bootstrap);
        HubSpotEmulator emulator = HubSpotEmulator.at(HubSpotEmulatorTestResource.baseUrl());
        emulator.setAccessTokenLifetime(Duration.ofMinutes(30));
        System.out.printf("broker and emulator up in %d ms; %d cores%n", ms(t0), Runtime.getRuntime().availableProcessors());

        // distinct grants from the emulator, shared round-robin by the connections (the emulator keeps refresh tokens)
        List<HubSpotEmulator.Tokens> pool = issue(emulator, 1000);
        TokenCipher grantCipher = TokenCipher.fromConfig(GRANT_KEYS, "bench grant keys");
        TokenCipher tokenCipher = TokenCipher.fromConfig(TOKEN_KEYS, "bench token keys");
        Vertx vertx = Vertx.vertx();
        Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262144, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new StringSerializer())) {

            // ---- phase 1: burst throughput: every token is inside the 10-minute lead window at once (due now, expiring in 9 min)
            RefresherConfig burstConfig = config(emulator, "bench-burst", Duration.ofMinutes(10), Duration.ofSeconds(1), inFlight);
            try (RefresherReplica replica = new RefresherReplica("bench-burst", burstConfig, kafka, vertx, new SimpleMeterRegistry()).start()) {
                awaitReady(replica);
                RefresherStats stats = replica.node().stats();
                List<String> ids = new ArrayList<>();
                Instant expires = Instant.now().plus(Duration.ofMinutes(9));
                for (int i = 0; i < burst; i++) {
                    String id = "burst-" + i;
                    ids.add(id);
                    publish(producer, grant(grantCipher, tokenCipher, id, pool.get(i % pool.size()), expires));
                }
                producer.flush();
                long start = System.nanoTime();
                while (stats.refreshes(RefresherStats.Outcome.SUCCESS) + stats.refreshes(RefresherStats.Outcome.TRANSIENT) < burst) {
                    Thread.sleep(100);
                    if (ms(start) > 600_000) {
                        throw new IllegalStateException("burst did not finish in 10 minutes");
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("phase 1 burst: %d refreshes in %.1f s = %.0f refreshes/s (max in flight %d, transient %d, expired %d)%n",
                        burst, seconds, burst / seconds, inFlight, stats.refreshes(RefresherStats.Outcome.TRANSIENT),
                        stats.expiredWhileOwnedCount());
                double period = 1800 - 600 - 60; // seconds between refreshes of one connection on the production schedule
                System.out.printf("  => at that rate one replica keeps %.0f connections with 30-minute tokens fresh (one refresh per %.0f s each)%n",
                        burst / seconds * period, period);
                for (String id : ids) {
                    producer.send(new ProducerRecord<>(Topics.CONNECTION_GRANTS, id, null));
                }
                producer.flush();
            }

            // ---- phase 2: steady state with 100,000 connections on the production schedule
            RefresherConfig prod = config(emulator, "bench-steady", Duration.ofMinutes(10), Duration.ofMinutes(2), inFlight);
            try (RefresherReplica replica = new RefresherReplica("bench-steady", prod, kafka, vertx, new SimpleMeterRegistry()).start()) {
                awaitReady(replica);
                RefresherStats stats = replica.node().stats();
                Instant now = Instant.now();
                long publishStart = System.nanoTime();
                for (int i = 0; i < steady; i++) {
                    // expiries uniform over [12 min, 30 min]: due times uniform over the next ~20 minutes = the steady rate
                    long expiresInMs = 12 * 60_000L + ThreadLocalRandom.current().nextLong(18 * 60_000L);
                    publish(producer, grant(grantCipher, tokenCipher, "steady-" + i, pool.get(i % pool.size()), now.plusMillis(expiresInMs)));
                }
                producer.flush();
                while (replica.node().ownedConnections() < steady || replica.node().scheduledCount() < steady - 1000) {
                    Thread.sleep(100);
                }
                System.out.printf("phase 2: %d connections published and scheduled in %d ms; heap used %d MB%n", steady,
                        ms(publishStart), usedHeapMb());
                long s0 = stats.refreshes(RefresherStats.Outcome.SUCCESS);
                long w0 = System.nanoTime();
                long end = w0 + watch.toNanos();
                while (System.nanoTime() < end) {
                    Thread.sleep(30_000);
                    long done = stats.refreshes(RefresherStats.Outcome.SUCCESS) - s0;
                    System.out.printf("  after %3d s: %6d refreshes (%.0f/s), in flight %d, lag mean %.0f ms max %.0f ms, expired %d%n",
                            ms(w0) / 1000, done, done / ((System.nanoTime() - w0) / 1e9), replica.node().inFlight(),
                            stats.meanLagMillis(), stats.maxLagMillis(), stats.expiredWhileOwnedCount());
                }
                long done = stats.refreshes(RefresherStats.Outcome.SUCCESS) - s0;
                System.out.printf("phase 2 steady: %d connections, %d refreshes in %d s = %.0f/s needed and done, lag mean %.0f ms, "
                        + "transient %d, expired while owned %d%n", steady, done, watch.toSeconds(), done / (double) watch.toSeconds(),
                        stats.meanLagMillis(), stats.refreshes(RefresherStats.Outcome.TRANSIENT), stats.expiredWhileOwnedCount());

                // ---- phase 3: a new replica (own group) rebuilds every partition from grants and tokens
                RefresherConfig other = config(emulator, "bench-rebuild", Duration.ofMinutes(10), Duration.ofMinutes(2), inFlight);
                long r0 = System.nanoTime();
                try (RefresherReplica fresh = new RefresherReplica("bench-rebuild", other, kafka, vertx, new SimpleMeterRegistry()).start()) {
                    awaitReady(fresh);
                    System.out.printf("phase 3 rebuild: a fresh replica owned and rebuilt %d connections (12 partitions) in %d ms%n",
                            fresh.node().ownedConnections(), ms(r0));
                }
            }
        }
        vertx.closeAndAwait();
        System.exit(0);
    }

    static RefresherConfig config(HubSpotEmulator emulator, String group, Duration lead, Duration jitter, int inFlight) {
        // the mapping's defaults for every setting the benchmark does not choose (a new setting cannot break it)
        RefresherConfig defaults = new SmallRyeConfigBuilder().withMapping(RefresherConfig.class).build()
                .getConfigMapping(RefresherConfig.class);
        return Configs.override(defaults, Map.ofEntries(
                Map.entry("crypto.grantKeys", GRANT_KEYS), Map.entry("crypto.tokenKeys", TOKEN_KEYS),
                Map.entry("hubspot.apiUrl", emulator.baseUrl()), Map.entry("hubspot.clientId", HubSpotEmulator.CLIENT_ID),
                Map.entry("hubspot.clientSecret", HubSpotEmulator.CLIENT_SECRET),
                Map.entry("refresher.lead", lead), Map.entry("refresher.jitter", jitter), Map.entry("refresher.maxInFlight", inFlight),
                Map.entry("refresher.requestTimeout", Duration.ofSeconds(10)), Map.entry("refresher.backoffMin", Duration.ofSeconds(1)),
                Map.entry("refresher.backoffMax", Duration.ofSeconds(60)), Map.entry("refresher.configAlarmRetry", Duration.ofMinutes(5)),
                Map.entry("refresher.recentRefreshWindow", Duration.ofSeconds(5)), Map.entry("refresher.groupId", group),
                Map.entry("refresher.sweepInterval", Duration.ofSeconds(1)), Map.entry("refresher.handoverTimeout", Duration.ofSeconds(15))));
    }

    static List<HubSpotEmulator.Tokens> issue(HubSpotEmulator emulator, int n) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<HubSpotEmulator.Tokens>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(() -> emulator.issueTokens(HubSpotEmulator.PORTAL_ID, List.of("oauth"))));
            }
            List<HubSpotEmulator.Tokens> out = new ArrayList<>();
            for (Future<HubSpotEmulator.Tokens> f : fs) {
                out.add(f.get());
            }
            return out;
        }
    }

    static GrantState grant(TokenCipher grantCipher, TokenCipher tokenCipher, String id, HubSpotEmulator.Tokens t, Instant expiresAt) {
        return new GrantState(GrantState.SCHEMA_VERSION, id, "ws-bench", "h-" + id, ConnectionStatus.ACTIVE, List.of("oauth"),
                HubSpotEmulator.PORTAL_ID, "bench.hubspot.com", grantCipher.seal(t.refreshToken(), id), tokenCipher.seal(t.accessToken(), id),
                expiresAt, 1, Instant.now());
    }

    static void publish(KafkaProducer<String, String> producer, GrantState g) {
        producer.send(new ProducerRecord<>(Topics.CONNECTION_GRANTS, g.connectionId(), ContractsJson.write(g)));
    }

    static void awaitReady(RefresherReplica replica) throws InterruptedException {
        long start = System.nanoTime();
        while (!replica.ready()) {
            Thread.sleep(50);
            if (ms(start) > 300_000) {
                throw new IllegalStateException(replica.node().name() + " not ready after 5 minutes");
            }
        }
    }

    static long usedHeapMb() {
        Runtime rt = Runtime.getRuntime();
        rt.gc();
        return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    }

    static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
