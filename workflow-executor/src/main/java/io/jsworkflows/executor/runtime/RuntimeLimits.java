package io.jsworkflows.executor.runtime;

import java.time.Duration;

/**
 * Bounds of the GraalJS runtime; each breach ends or fails the run with an error that names the limit.
 *
 * @param statementLimit     JavaScript statements per run (the community edition's only CPU bound besides the deadline)
 * @param consoleLines       console lines kept per run
 * @param consoleLineChars   characters kept per console line
 * @param consoleTotalChars  characters kept per run over all lines
 * @param fetchCalls         fetch calls per run
 * @param timers             setTimeout calls per run
 * @param checkTimeout       how long compiling and evaluating a module's top-level code may take
 * @param poolSizePerVersion idle contexts kept per workflow version
 */
public record RuntimeLimits(long statementLimit, int consoleLines, int consoleLineChars, int consoleTotalChars, int fetchCalls,
        int timers, Duration checkTimeout, int poolSizePerVersion) {

    public static final RuntimeLimits DEFAULTS = new RuntimeLimits(50_000_000L, 200, 2_000, 32_000, 50, 100, Duration.ofSeconds(5), 16);
}
