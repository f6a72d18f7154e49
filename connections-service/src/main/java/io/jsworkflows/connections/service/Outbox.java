package io.jsworkflows.connections.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.jsworkflows.connections.persistence.Connection;
import io.jsworkflows.connections.persistence.OutboxRecord;
import io.jsworkflows.connections.persistence.TriggerSource;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.SourceState;
import io.jsworkflows.contracts.json.ContractsJson;

/**
 * Writes Kafka records into the outbox table inside the caller's transaction (MANDATORY): a change and the records
 * that report it commit together or not at all. {@code OutboxRelay} publishes them.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Outbox {

    public void grantState(Connection c) {
        GrantState g = new GrantState(GrantState.SCHEMA_VERSION, c.id, c.workspaceId, c.handle, c.status,
                c.grantedScopes, c.hubId, c.hubDomain, c.sealedRefreshToken, c.sealedAccessToken, c.expiresAt,
                c.grantVersion, Instant.now());
        add(c.id, c.workspaceId, Topics.CONNECTION_GRANTS, ContractsJson.write(g), CloudEventTypes.GRANT_STATE);
    }

    public void event(Connection c, ConnectionEvent.Type type, String reason) {
        ConnectionEvent e = new ConnectionEvent(ConnectionEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, c.id,
                c.workspaceId, c.handle, c.status, reason, c.grantVersion, c.tokenVersion,
                CloudEventTypes.SOURCE_CONNECTIONS, Instant.now());
        add(c.id, c.workspaceId, Topics.CONNECTION_EVENTS, ContractsJson.write(e), CloudEventTypes.CONNECTION_EVENT);
    }

    /**
     * The grant's tombstone. The token's follows from token-refresher, the only writer of {@code jsw.connections.tokens}
     * (Kafka's ACLs refuse this service there), when it sees this one.
     */
    public void tombstones(Connection c) {
        add(c.id, c.workspaceId, Topics.CONNECTION_GRANTS, null, CloudEventTypes.GRANT_STATE);
    }

    /** The source's current state on the compacted {@code jsw.sources} topic (its secret stays sealed). */
    public void sourceState(TriggerSource s) {
        SourceState v = new SourceState(SourceState.SCHEMA_VERSION, s.id, s.workspaceId, s.kind, s.shopDomain, s.sealedSecret,
                s.version, s.updatedAt);
        add(s.id, s.workspaceId, Topics.SOURCES, ContractsJson.write(v), CloudEventTypes.SOURCE_STATE);
    }

    /** A deleted source: the gateway forgets it and compaction removes its secret from the topic. */
    public void sourceTombstone(TriggerSource s) {
        add(s.id, s.workspaceId, Topics.SOURCES, null, CloudEventTypes.SOURCE_STATE);
    }

    private void add(String subjectId, String workspaceId, String topic, String payload, String ceType) {
        OutboxRecord r = new OutboxRecord();
        r.subjectId = subjectId;
        r.workspaceId = workspaceId;
        r.topic = topic;
        r.recordKey = subjectId;
        r.payload = payload;
        r.ceType = ceType;
        r.ceId = UUID.randomUUID().toString();
        r.createdAt = Instant.now();
        r.persist();
    }
}
