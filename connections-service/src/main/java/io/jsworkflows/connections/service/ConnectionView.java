package io.jsworkflows.connections.service;

import java.time.Instant;
import java.util.List;

import io.jsworkflows.connections.persistence.Connection;
import io.jsworkflows.contracts.events.ConnectionStatus;

/** What the API and the web page show of a connection: never a token, sealed or not. */
public record ConnectionView(
        String id,
        String handle,
        String provider,
        ConnectionStatus status,
        String statusReason,
        List<String> scopes,
        List<String> requestedScopes,
        List<Resource> resources,
        Long hubId,
        String hubDomain,
        String authorizedUser,
        Instant expiresAt,
        Instant lastRefreshAt,
        Instant authorizedAt,
        long grantVersion,
        long tokenVersion,
        Instant createdAt,
        Instant updatedAt) {

    /** One selected row of the catalog. */
    public record Resource(String resource, String operation) {
        static Resource parse(String s) {
            int i = s.indexOf(':');
            return new Resource(s.substring(0, i), s.substring(i + 1));
        }
    }

    public static ConnectionView of(Connection c) {
        List<String> scopes = c.grantedScopes != null && !c.grantedScopes.isEmpty() ? c.grantedScopes : c.requestedScopes;
        return new ConnectionView(c.id, c.handle, c.provider, c.status, c.statusReason, List.copyOf(scopes),
                List.copyOf(c.requestedScopes), c.requestedResources.stream().map(Resource::parse).toList(), c.hubId,
                c.hubDomain, c.authorizedUser, c.expiresAt, c.lastRefreshAt, c.authorizedAt, c.grantVersion, c.tokenVersion,
                c.createdAt, c.updatedAt);
    }
}
