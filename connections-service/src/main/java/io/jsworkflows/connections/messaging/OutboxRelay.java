package io.jsworkflows.connections.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.jsworkflows.connections.config.ConnectionsConfig;
import io.jsworkflows.connections.persistence.OutboxRecord;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.contracts.messaging.CloudEventHeaders;
import io.jsworkflows.contracts.messaging.ProducerSettings;
import io.jsworkflows.kafka.KafkaConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;

/**
 * Relays the outbox table to Kafka, at least once and in order: rows go out in id order, a row is marked published
 * only after the broker acknowledged it and every row before it, and the first failure ends the pass (the rest is
 * retried next pass, after the failed one). Rows survive any crash between commit and publish because they are
 * only marked in the database after the ack. A PostgreSQL advisory lock lets one replica relay at a time, which keeps
 * the order per connection across replicas. The producer is idempotent, so its own retries neither reorder nor
 * duplicate; a crash after the ack but before the mark duplicates, which version-keyed readers ignore.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary constant naming the relay's advisory lock ("jswoutbx"). */
    private static final long LOCK_KEY = 0x6a73776f75746278L;

    private final ConnectionsConfig config;
    private final EntityManager em;
    private final Map<String, Object> kafkaConfig;
    private final Counter published;
    private final Counter failures;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private volatile KafkaProducer<String, String> producer;
    private volatile boolean paused;

    public OutboxRelay(ConnectionsConfig config, EntityManager em, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            MeterRegistry meters) {
        this.config = config;
        this.em = em;
        this.kafkaConfig = kafkaConfig;
        this.paused = !config.connections().outbox().enabled();
        this.published = meters.counter("jsw.outbox.published");
        this.failures = meters.counter("jsw.outbox.failures");
        // for alerting: a growing backlog or an old pending row means Kafka is not taking the relay's records
        meters.gauge("jsw.outbox.pending", pending);
        meters.gauge("jsw.outbox.oldest.pending.seconds", oldestPendingSeconds);
    }

    /** Stops relaying (what a crashed or stopped process does); rows keep accumulating in the table. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    @Scheduled(every = "${jsw.connections.outbox.poll-interval:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (paused) {
            return;
        }
        try {
            // drain: several batches per tick when there is a backlog
            for (int i = 0; i < 20 && !paused; i++) {
                if (relayBatch() < config.connections().outbox().batchSize()) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            failures.increment();
            LOG.warnf("outbox relay pass failed (%s); the rows stay pending and are retried", e.getClass().getSimpleName());
        } finally {
            measureBacklog();
        }
    }

    private void measureBacklog() {
        try {
            Object[] r = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                    "select count(*), coalesce(extract(epoch from now() - min(created_at)), 0) from outbox where published_at is null")
                    .getSingleResult());
            pending.set(((Number) r[0]).longValue());
            oldestPendingSeconds.set(((Number) r[1]).longValue());
        } catch (RuntimeException e) {
            LOG.debugf("cannot measure the outbox backlog: %s", e.getClass().getSimpleName());
        }
    }

    /** One batch; returns how many rows were published. */
    int relayBatch() {
        return QuarkusTransaction.requiringNew().timeout(60).call(() -> {
            Object locked = em.createNativeQuery("select pg_try_advisory_xact_lock(?1)").setParameter(1, LOCK_KEY).getSingleResult();
            if (!Boolean.TRUE.equals(locked)) {
                return 0; // another replica is relaying
            }
            List<OutboxRecord> rows = OutboxRecord.<OutboxRecord>find("publishedAt is null order by id")
                    .page(0, config.connections().outbox().batchSize()).list();
            if (rows.isEmpty()) {
                return 0;
            }
            KafkaProducer<String, String> p = producer();
            List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
            for (OutboxRecord r : rows) {
                acks.add(p.send(toRecord(r)));
            }
            Instant now = Instant.now();
            int ok = 0;
            for (int i = 0; i < rows.size(); i++) {
                try {
                    acks.get(i).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failures.increment();
                    LOG.warnf("outbox row %d (subject %s, topic %s) not acknowledged: %s; retrying from it next pass",
                            rows.get(i).id, rows.get(i).subjectId, rows.get(i).topic, e.getClass().getSimpleName());
                    break;
                }
                rows.get(i).publishedAt = now;
                ok++;
            }
            published.increment(ok);
            return ok;
        });
    }

    @Scheduled(every = "1h", delayed = "1m")
    void purge() {
        Instant cutoff = Instant.now().minus(config.connections().outbox().retention());
        long n = QuarkusTransaction.requiringNew().call(() -> OutboxRecord.delete("publishedAt < ?1", cutoff));
        if (n > 0) {
            LOG.infof("purged %d published outbox rows older than %s", n, config.connections().outbox().retention());
        }
    }

    static ProducerRecord<String, String> toRecord(OutboxRecord r) {
        RecordHeaders h = new RecordHeaders();
        CloudEventHeaders.of(r.ceId, r.ceType, CloudEventTypes.SOURCE_CONNECTIONS, r.createdAt, r.subjectId).forEach((k, v) -> h.add(k, bytes(v)));
        if (r.workspaceId != null) {
            h.add(PlatformHeaders.WORKSPACE, bytes(r.workspaceId));
        }
        if (r.payload != null) {
            h.add("content-type", bytes("application/json"));
        }
        return new ProducerRecord<>(r.topic, null, r.recordKey, r.payload, h);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    Map<String, Object> c = ProducerSettings.reliable(KafkaConnection.of(kafkaConfig), "connections-service-outbox");
                    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 25_000);
                    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
                    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
                    producer = new KafkaProducer<>(c, new StringSerializer(), new StringSerializer());
                }
                p = producer;
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        KafkaProducer<String, String> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }
}
