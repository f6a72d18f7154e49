package io.jsworkflows.executor.service;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.hubspot.EndpointScopes;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.runtime.ErrorCategory;
import io.jsworkflows.executor.runtime.RunHost.FetchException;

/**
 * Scope errors that say what to grant. A HubSpot call whose connection lacks the scope the endpoint needs (the
 * product's resource/operation table, {@link EndpointScopes}) fails before it is sent; HubSpot's own 403
 * {@code MISSING_SCOPES} is translated the same way. Both name the connection, the missing scope and the row to tick
 * when reconnecting. Category {@value #CATEGORY}: not transient, a retry cannot heal it; a reconnect and a replay do.
 */
public final class ScopeErrors {

    public static final ErrorCategory CATEGORY = ErrorCategory.MISSING_SCOPE;

    /** The error for a call its connection's scopes do not cover, or null when they do (or the table has no row for it). */
    public FetchException missingBeforeSending(TokenState connection, String method, URI target) {
        String path = target.normalize().getPath();
        Optional<EndpointScopes.Requirement> need = EndpointScopes.of(method, path);
        if (need.isEmpty() || connection.scopes() == null || connection.scopes().contains(need.get().scope())) {
            return null;
        }
        String verb = method == null ? "GET" : method.toUpperCase(java.util.Locale.ROOT);
        return error(connection.handle(), List.of(need.get().scope()), "a " + verb + " to " + endpoint(path) + " needs it");
    }

    /** The translated error for HubSpot's 403 {@code MISSING_SCOPES} answer, or null for any other 403. */
    public FetchException missingInAnswer(TokenState connection, String body) {
        if (body == null || !body.contains("MISSING_SCOPES")) {
            return null;
        }
        Set<String> required = new LinkedHashSet<>();
        try {
            JsonNode n = ContractsJson.mapper().readTree(body);
            if (!"MISSING_SCOPES".equals(n.path("category").asText())) {
                return null;
            }
            for (JsonNode e : n.path("errors")) {
                for (JsonNode s : e.path("context").path("requiredGranularScopes")) {
                    required.add(s.asText());
                }
            }
        } catch (Exception e) {
            return null;
        }
        return error(connection.handle(), new ArrayList<>(required), "HubSpot refused the call (403 MISSING_SCOPES)");
    }

    private static FetchException error(String handle, List<String> scopes, String why) {
        if (scopes.isEmpty()) {
            return new FetchException(CATEGORY, "the HubSpot connection '" + handle + "' lacks a scope this call needs (" + why
                    + "); reconnect it with the rows this workflow uses ticked");
        }
        List<String> rows = new ArrayList<>();
        for (String s : scopes) {
            String r = EndpointScopes.rowsGranting(s);
            if (!r.isEmpty() && !rows.contains(r)) {
                rows.add(r);
            }
        }
        String scopeText = scopes.size() == 1 ? "the scope " + scopes.getFirst() : "one of the scopes " + String.join(", ", scopes);
        return new FetchException(CATEGORY, "the HubSpot connection '" + handle + "' lacks " + scopeText + " (" + why + "); "
                + (rows.isEmpty() ? "reconnect it granting that scope" : "reconnect it with \"" + String.join("\" or \"", rows) + "\" ticked"));
    }

    /** The endpoint without ids: {@code /crm/v3/objects/deals}, never a record id or an e-mail address from the path. */
    static String endpoint(String path) {
        String[] parts = path.split("/");
        return parts.length >= 5 ? String.join("/", parts[0], parts[1], parts[2], parts[3], parts[4]) : path;
    }
}
