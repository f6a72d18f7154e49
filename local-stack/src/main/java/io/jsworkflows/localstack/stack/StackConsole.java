package io.jsworkflows.localstack.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** What {@code jsw up} prints while it works: one aligned line per step as it starts and as it finishes. */
final class StackConsole {

    private final PrintStream out;

    StackConsole(PrintStream out) {
        this.out = out;
    }

    void step(String what, String text) {
        out.printf("jsw: %-20s %s%n", what, text);
        out.flush();
    }

    void done(String what, long t0, String text) {
        out.printf(Locale.ROOT, "jsw: %-20s %s (%.1f s)%n", what, text, seconds(t0));
        out.flush();
    }

    void line(String text) {
        out.println(text);
    }

    void blankLine() {
        out.println();
    }

    void printf(String format, Object... args) {
        out.printf(Locale.ROOT, format, args);
    }

    void flush() {
        out.flush();
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Paths under the working directory are shown relative to it: shorter, and what the user typed ./jsw from. */
    static String rel(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }
}
