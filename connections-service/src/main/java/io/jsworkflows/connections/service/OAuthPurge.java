package io.jsworkflows.connections.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jsworkflows.connections.config.ConnectionsConfig;
import io.jsworkflows.connections.persistence.Connection;
import io.jsworkflows.connections.persistence.ConnectionAudit;
import io.jsworkflows.connections.persistence.OAuthState;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Housekeeping of the connect flow: OAuth states a day after they expired, and connections nobody authorized for a week
 * (each with an audit row and a DELETED event, like a delete; a PENDING connection holds no grant to revoke).
 */
@ApplicationScoped
public class OAuthPurge {

    private static final Logger LOG = Logger.getLogger(OAuthPurge.class);

    private final ConnectionsConfig config;
    private final Outbox outbox;

    public OAuthPurge(ConnectionsConfig config, Outbox outbox) {
        this.config = config;
        this.outbox = outbox;
    }

    @Scheduled(every = "1h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void purge() {
        Instant now = Instant.now();
        long states = QuarkusTransaction.requiringNew().call(() -> OAuthState.delete("expiresAt < ?1",
                now.minus(config.connections().oauth().stateRetention())));
        Instant cutoff = now.minus(config.connections().oauth().pendingRetention());
        List<String> abandoned = QuarkusTransaction.requiringNew().call(() -> Connection.<Connection>list(
                "status = ?1 and grantVersion = 0 and updatedAt < ?2", ConnectionStatus.PENDING, cutoff).stream().map(c -> c.id).toList());
        int purged = 0;
        for (String id : abandoned) {
            // one transaction each, re-checked under the lock: an authorization may have arrived meanwhile
            purged += QuarkusTransaction.requiringNew().call(() -> purgePending(id, cutoff)) ? 1 : 0;
        }
        if (states > 0 || purged > 0) {
            LOG.infof("purged %d old OAuth states and %d connections left PENDING since before %s", states, purged, cutoff);
        }
    }

    private boolean purgePending(String id, Instant cutoff) {
        Connection c = Connection.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (c == null || c.status != ConnectionStatus.PENDING || c.grantVersion != 0 || !c.updatedAt.isBefore(cutoff)
                || OAuthState.count("connectionId = ?1 and expiresAt > ?2", id, Instant.now()) > 0) {
            return false;
        }
        ConnectionAudit a = new ConnectionAudit();
        a.connectionId = c.id;
        a.workspaceId = c.workspaceId;
        a.handle = c.handle;
        a.action = "PURGED";
        a.grantVersion = 0;
        a.revokedAtHubspot = false;
        a.detail = "Never authorized within " + config.connections().oauth().pendingRetention() + "; nothing to revoke.";
        a.occurredAt = Instant.now();
        a.persist();
        c.status = ConnectionStatus.DELETED;
        outbox.event(c, ConnectionEvent.Type.DELETED, a.detail);
        c.delete();
        LOG.infof("connection %s of workspace %s purged: never authorized", c.id, c.workspaceId);
        return true;
    }
}
