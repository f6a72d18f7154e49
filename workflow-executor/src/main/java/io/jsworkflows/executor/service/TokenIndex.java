package io.jsworkflows.executor.service;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;

/**
 * The fields of a {@link TokenState} the token view indexes and orders by. Read alone at start, where a replica reads
 * every connection's record: the sealed token, the scopes and the instants (whose parsing was a quarter of the
 * start's time) wait until a run uses the connection.
 */
public record TokenIndex(String connectionId, String workspaceId, String handle, ConnectionStatus status, long tokenVersion,
        long grantVersion) {

    public static TokenIndex of(TokenState s) {
        return new TokenIndex(s.connectionId(), s.workspaceId(), s.handle(), s.status(), s.tokenVersion(), s.grantVersion());
    }

    /**
     * Reads the index fields of a record of the tokens topic; the record's other fields are skipped, not parsed.
     * Streamed with Jackson's parser rather than bound to this record: data binding buffers every field a record creator
     * does not take (the sealed token, the scopes, the instants) before skipping it, which was half of the start's time.
     */
    public static TokenIndex read(String json) {
        String connectionId = null;
        String workspaceId = null;
        String handle = null;
        ConnectionStatus status = null;
        long tokenVersion = 0;
        long grantVersion = 0;
        try (JsonParser p = ContractsJson.mapper().getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a valid TokenState: not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "connectionId" -> connectionId = text(p, value);
                    case "workspaceId" -> workspaceId = text(p, value);
                    case "handle" -> handle = text(p, value);
                    case "status" -> status = value == JsonToken.VALUE_NULL ? null : ConnectionStatus.valueOf(p.getText());
                    case "tokenVersion" -> tokenVersion = p.getValueAsLong();
                    case "grantVersion" -> grantVersion = p.getValueAsLong();
                    default -> p.skipChildren(); // a value, or an object or array skipped whole
                }
            }
        } catch (IOException e) {
            // the message names the position, never the payload: records carry sealed tokens
            throw new IllegalArgumentException("not a valid TokenState: " + e.getClass().getSimpleName());
        }
        if (connectionId == null || workspaceId == null || handle == null || status == null) {
            throw new IllegalArgumentException("not a valid TokenState: connectionId, workspaceId, handle and status are required");
        }
        return new TokenIndex(connectionId, workspaceId, handle, status, tokenVersion, grantVersion);
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
    }

    /** True when this state supersedes {@code other}, by the contract's order ({@link TokenState#supersedes}). */
    public boolean isNewerThan(TokenIndex other) {
        return other == null || TokenState.supersedes(grantVersion, tokenVersion, other.grantVersion, other.tokenVersion);
    }
}
