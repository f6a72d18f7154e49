package io.jsworkflows.executor.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.contracts.hubspot.EndpointScopes;

/**
 * At deploy: the HubSpot calls visible in a workflow's source, checked against the scopes of the connections it names
 * (all of the workspace's connections when it names none literally). A reading of the source text, not of the program:
 * a URL or method built at run time is not seen here, and the run-time check ({@link ScopeErrors}) still stops it.
 */
@ApplicationScoped
public class ScopeWarnings {

    private static final Pattern CALL = Pattern.compile("/crm/v[34]/objects/[A-Za-z0-9_-]+(?:/[A-Za-z0-9_${}./-]*)?");
    private static final Pattern METHOD = Pattern.compile("method\\s*:\\s*['\"`]([A-Za-z]+)['\"`]");
    private static final Pattern TEMPLATE = Pattern.compile("\\$\\{[^}]*}");
    private static final int LOOK_AHEAD = 400;

    private final TokenView tokens;

    public ScopeWarnings(TokenView tokens) {
        this.tokens = tokens;
    }

    /** One sentence per connection and missing scope; empty when every visible call is covered. */
    public List<String> of(WorkflowDefinition d) {
        List<TokenState> connections = new ArrayList<>();
        boolean named = !d.handles().isEmpty();
        if (named) {
            d.handles().forEach(h -> tokens.stateOf(d.workspaceId(), h).ifPresent(connections::add));
        } else {
            connections.addAll(tokens.statesOf(d.workspaceId()));
        }
        if (connections.isEmpty()) {
            return List.of();
        }
        Set<String> warnings = new LinkedHashSet<>();
        String src = d.source();
        Matcher m = CALL.matcher(src);
        List<int[]> calls = new ArrayList<>();
        while (m.find()) {
            calls.add(new int[] { m.start(), m.end() });
        }
        for (int i = 0; i < calls.size(); i++) {
            int start = calls.get(i)[0];
            int end = calls.get(i)[1];
            int limit = Math.min(src.length(), Math.min(end + LOOK_AHEAD, i + 1 < calls.size() ? calls.get(i + 1)[0] : Integer.MAX_VALUE));
            Matcher method = METHOD.matcher(src.substring(end, limit));
            String verb = method.find() ? method.group(1).toUpperCase(Locale.ROOT) : "GET";
            String path = TEMPLATE.matcher(src.substring(start, end)).replaceAll("x");
            Optional<EndpointScopes.Requirement> need = EndpointScopes.of(verb, path);
            if (need.isEmpty()) {
                continue;
            }
            String scope = need.get().scope();
            int line = 1 + (int) src.substring(0, start).chars().filter(c -> c == '\n').count();
            String call = "the " + verb + " to " + ScopeErrors.endpoint(path) + " on line " + line;
            if (named) {
                for (TokenState c : connections) {
                    if (c.scopes() == null || !c.scopes().contains(scope)) {
                        warnings.add("The HubSpot connection '" + c.handle() + "' lacks the scope " + scope + ", which " + call
                                + " needs; reconnect it with \"" + need.get().rows() + "\" ticked.");
                    }
                }
            } else if (connections.stream().noneMatch(c -> c.scopes() != null && c.scopes().contains(scope))) {
                warnings.add("None of this workspace's HubSpot connections has the scope " + scope + ", which " + call
                        + " needs; reconnect one with \"" + need.get().rows() + "\" ticked.");
            }
        }
        return List.copyOf(warnings);
    }
}
