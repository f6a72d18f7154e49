package io.jsworkflows.emulator.service;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Injected faults. A rule matches a method (or any) and a path pattern ({@code *} matches any characters), then adds
 * latency and, with the given share of requests, answers with an error status, resets the connection or sends the
 * body slowly. {@code times} limits how many requests a rule affects.
 */
@ApplicationScoped
public class Faults {

    public static final Set<Integer> ERROR_STATUSES = Set.of(429, 500, 502, 503, 504);

    public enum Kind {
        NONE, ERROR, RESET, SLOW_BODY
    }

    /** What to do with one request. */
    public record Action(long latencyMillis, Kind kind, int status, int slowBytesPerSecond) {
        static final Action NOTHING = new Action(0, Kind.NONE, 0, 0);
    }

    public record Rule(String id, String method, String path, Pattern pattern, long latencyMillis, Integer errorStatus,
            double errorRate, double resetRate, Integer slowBodyBytesPerSecond, double slowBodyRate, Long times,
            AtomicLong applied) {

        public boolean matches(String m, String p) {
            return (method == null || method.equalsIgnoreCase(m)) && pattern.matcher(p).matches();
        }
    }

    private final CopyOnWriteArrayList<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    public Rule add(String method, String path, Long latencyMillis, Integer errorStatus, Double errorRate, Double resetRate,
            Integer slowBodyBytesPerSecond, Double slowBodyRate, Long times) {
        if (path == null || path.isBlank() || !path.startsWith("/")) {
            throw new IllegalArgumentException("'path' is required and must start with '/', e.g. /crm/v3/objects/contacts*.");
        }
        if (errorStatus != null && !ERROR_STATUSES.contains(errorStatus)) {
            throw new IllegalArgumentException("'errorStatus' must be one of " + new java.util.TreeSet<>(ERROR_STATUSES) + ".");
        }
        double er = rate("errorRate", errorRate, errorStatus != null);
        double rr = rate("resetRate", resetRate, false);
        double sr = rate("slowBodyRate", slowBodyRate, slowBodyBytesPerSecond != null);
        if (slowBodyBytesPerSecond != null && slowBodyBytesPerSecond <= 0) {
            throw new IllegalArgumentException("'slowBodyBytesPerSecond' must be positive.");
        }
        if (latencyMillis != null && latencyMillis < 0) {
            throw new IllegalArgumentException("'latencyMs' must not be negative.");
        }
        if (times != null && times <= 0) {
            throw new IllegalArgumentException("'times' must be positive when given.");
        }
        String regex = "\\Q" + path.replace("*", "\\E.*\\Q") + "\\E";
        Rule r = new Rule("f" + ids.incrementAndGet(), method == null ? null : method.toUpperCase(Locale.ROOT), path,
                Pattern.compile(regex), latencyMillis == null ? 0 : latencyMillis, errorStatus, er, rr,
                slowBodyBytesPerSecond, sr, times, new AtomicLong());
        rules.add(r);
        return r;
    }

    private static double rate(String name, Double v, boolean defaultAll) {
        if (v == null) {
            return defaultAll ? 1.0 : 0.0;
        }
        if (v < 0 || v > 1) {
            throw new IllegalArgumentException("'" + name + "' is a share between 0.0 and 1.0.");
        }
        return v;
    }

    /** Hot path: an empty list costs one volatile read. */
    public Action decide(String method, String path) {
        if (rules.isEmpty()) {
            return Action.NOTHING;
        }
        for (Rule r : rules) {
            if (!r.matches(method, path)) {
                continue;
            }
            if (r.times() != null && r.applied().incrementAndGet() > r.times()) {
                continue;
            }
            if (r.times() == null) {
                r.applied().incrementAndGet();
            }
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            if (r.resetRate() > 0 && rnd.nextDouble() < r.resetRate()) {
                return new Action(r.latencyMillis(), Kind.RESET, 0, 0);
            }
            if (r.errorStatus() != null && rnd.nextDouble() < r.errorRate()) {
                return new Action(r.latencyMillis(), Kind.ERROR, r.errorStatus(), 0);
            }
            if (r.slowBodyBytesPerSecond() != null && rnd.nextDouble() < r.slowBodyRate()) {
                return new Action(r.latencyMillis(), Kind.SLOW_BODY, 0, r.slowBodyBytesPerSecond());
            }
            return new Action(r.latencyMillis(), Kind.NONE, 0, 0);
        }
        return Action.NOTHING;
    }

    public List<Rule> rules() {
        return List.copyOf(rules);
    }

    public boolean remove(String id) {
        return rules.removeIf(r -> r.id().equals(id));
    }

    public void clear() {
        rules.clear();
    }
}
