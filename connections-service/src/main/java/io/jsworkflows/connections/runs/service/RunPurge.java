package io.jsworkflows.connections.runs.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jsworkflows.connections.config.ConnectionsConfig;
import io.jsworkflows.connections.runs.persistence.DeadLetterEntry;
import io.jsworkflows.connections.runs.persistence.Run;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Bounded retention of the read model: runs after jsw.connections.runs.retention (their events go with them), dead letters
 * after jsw.connections.runs.dead-letter-retention (30 days).
 */
@ApplicationScoped
public class RunPurge {

    private static final Logger LOG = Logger.getLogger(RunPurge.class);

    private final ConnectionsConfig config;

    public RunPurge(ConnectionsConfig config) {
        this.config = config;
    }

    @Scheduled(every = "${jsw.connections.runs.purge-interval:1h}", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void purge() {
        Instant now = Instant.now();
        Instant runCutoff = now.minus(config.connections().runs().retention());
        Instant dlqCutoff = now.minus(config.connections().runs().deadLetterRetention());
        // run_event rows go by ON DELETE CASCADE
        long runs = QuarkusTransaction.requiringNew().call(() -> Run.delete("lastEventAt < ?1", runCutoff));
        long dead = QuarkusTransaction.requiringNew().call(() -> DeadLetterEntry.delete("deadLetteredAt < ?1", dlqCutoff));
        if (runs > 0 || dead > 0) {
            LOG.infof("purged %d runs older than %s and %d dead letters older than %s", runs, runCutoff, dead, dlqCutoff);
        }
    }
}
