package io.jsworkflows.e2e.drills;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;

/** Whether each connection's next token came before its previous one expired, from the TokenStates seen. */
public final class TokenChains {

    /** gaps: refreshes published after the previous token's expiry; expiredAtEnd: last token no longer valid at the end. */
    public record Result(int connections, int refreshes, int gaps, int expiredAtEnd, int notActive, Duration minMargin, List<String> examples,
            List<Instant> expiries) {

        /** Refreshes that came after the previous token's expiry, counting only expiries outside [from, to]. */
        public long gapsOutside(Instant from, Instant to) {
            return expiries.stream().filter(e -> e.isBefore(from) || e.isAfter(to)).count();
        }

        @Override
        public String toString() {
            return String.format("%d connections, %d refreshes, %d after expiry, %d expired at the end, %d non-ACTIVE states, "
                    + "tightest refresh %s before expiry%s", connections, refreshes, gaps, expiredAtEnd, notActive,
                    minMargin == null ? "n/a" : minMargin.toMillis() + " ms", examples.isEmpty() ? "" : " " + examples);
        }
    }

    private TokenChains() {
    }

    public static Result analyse(List<TokenState> states, Set<String> connectionIds, Instant from, Instant end) {
        Map<String, List<TokenState>> chains = new HashMap<>();
        for (TokenState t : states) {
            if (t != null && connectionIds.contains(t.connectionId())) {
                chains.computeIfAbsent(t.connectionId(), k -> new ArrayList<>()).add(t);
            }
        }
        int refreshes = 0;
        int gaps = 0;
        int expiredAtEnd = 0;
        int notActive = 0;
        Duration min = null;
        List<String> examples = new ArrayList<>();
        List<Instant> expiries = new ArrayList<>();
        for (var en : chains.entrySet()) {
            List<TokenState> chain = en.getValue().stream()
                    .sorted(Comparator.comparingLong(TokenState::grantVersion).thenComparingLong(TokenState::tokenVersion)).toList();
            for (int i = 0; i < chain.size(); i++) {
                TokenState t = chain.get(i);
                if (t.status() != ConnectionStatus.ACTIVE) {
                    notActive++;
                }
                if (i == 0 || t.refreshedAt().isBefore(from)) {
                    continue;
                }
                TokenState prev = chain.get(i - 1);
                if (prev.tokenVersion() == t.tokenVersion() && prev.grantVersion() == t.grantVersion()) {
                    continue;
                }
                if (prev.grantVersion() != t.grantVersion()) {
                    continue; // a new grant (reconnect) brings its own token
                }
                refreshes++;
                if (prev.expiresAt() == null || t.refreshedAt() == null) {
                    continue;
                }
                Duration margin = Duration.between(t.refreshedAt(), prev.expiresAt());
                if (min == null || margin.compareTo(min) < 0) {
                    min = margin;
                }
                if (!margin.isPositive()) {
                    gaps++;
                    expiries.add(prev.expiresAt());
                    if (examples.size() < 3) {
                        examples.add(en.getKey() + " v" + t.tokenVersion() + " " + (-margin.toMillis()) + " ms late");
                    }
                }
            }
            TokenState last = chain.getLast();
            if (last.expiresAt() == null || !last.expiresAt().isAfter(end)) {
                expiredAtEnd++;
            }
        }
        return new Result(chains.size(), refreshes, gaps, expiredAtEnd, notActive, min, examples, expiries);
    }
}
