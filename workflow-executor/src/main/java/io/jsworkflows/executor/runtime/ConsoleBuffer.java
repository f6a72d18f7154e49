package io.jsworkflows.executor.runtime;

import java.util.ArrayList;
import java.util.List;

import io.jsworkflows.contracts.events.RunEvent.ConsoleLine;

/** A run's console output, bounded by lines, characters per line and characters in total. */
final class ConsoleBuffer {

    private final RuntimeLimits limits;
    private final List<ConsoleLine> lines = new ArrayList<>();
    private int chars;
    private boolean truncated;

    ConsoleBuffer(RuntimeLimits limits) {
        this.limits = limits;
    }

    void add(String level, String message) {
        if (truncated) {
            return;
        }
        String m = message == null ? "" : message;
        if (m.length() > limits.consoleLineChars()) {
            m = m.substring(0, limits.consoleLineChars()) + "… (line cut at " + limits.consoleLineChars() + " characters)";
        }
        if (lines.size() >= limits.consoleLines() || chars + m.length() > limits.consoleTotalChars()) {
            truncated = true;
            lines.add(new ConsoleLine("warn", "… further console output dropped: a run keeps at most " + limits.consoleLines()
                    + " lines and " + limits.consoleTotalChars() + " characters (jsw.executor.limits.console-*)"));
            return;
        }
        chars += m.length();
        lines.add(new ConsoleLine(level, m));
    }

    List<ConsoleLine> lines() {
        return List.copyOf(lines);
    }
}
