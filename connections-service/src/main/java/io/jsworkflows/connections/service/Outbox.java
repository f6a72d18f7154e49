package io.jsworkflows.connections.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.jsworkflows.connections.persistence.Connection;
import io.jsworkflows.connections.persistence.OutboxRecord;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.GrantState;
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
        add(c.id, Topics.CONNECTION_GRANTS, ContractsJson.write(g), CloudEventTypes.GRANT_STATE);
    }

    public void event(Connection c, ConnectionEvent.Type type, String reason) {
        ConnectionEvent e = new ConnectionEvent(ConnectionEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, c.id,
                c.workspaceId, c.handle, c.status, reason, c.grantVersion, c.tokenVersion,
                CloudEventTypes.SOURCE_CONNECTIONS, Instant.now());
        add(c.id, Topics.CONNECTION_EVENTS, ContractsJson.write(e), CloudEventTypes.CONNECTION_EVENT);
    }

    /**
     * Tombstones on both compacted connection topics: the grant (so refreshers stop) and the token (so executors drop
     * the access token at once, even while no refresher runs).
     */
    public void tombstones(String connectionId) {
        add(connectionId, Topics.CONNECTION_GRANTS, null, CloudEventTypes.GRANT_STATE);
        add(connectionId, Topics.CONNECTION_TOKENS, null, CloudEventTypes.TOKEN_STATE);
    }

    private void add(String connectionId, String topic, String payload, String ceType) {
        OutboxRecord r = new OutboxRecord();
        r.connectionId = connectionId;
        r.topic = topic;
        r.recordKey = connectionId;
        r.payload = payload;
        r.ceType = ceType;
        r.ceId = UUID.randomUUID().toString();
        r.createdAt = Instant.now();
        r.persist();
    }
}
