package io.jsworkflows.e2e.drills;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one drill measured and how it fared against the criterion. Progress lines go to stdout as they happen;
 * {@link #print} writes the block that docs/reliability.md quotes.
 */
public final class Report {

    /** One criterion the drill checks: PASS or FAIL with the figures that decided it. */
    public record Check(String what, boolean pass, String detail) {
    }

    private final String name;
    private final String title;
    private final String criterion;
    private final Instant started = Instant.now();
    private final List<String> measured = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Instant ended;
    private String aborted;

    public Report(String name, String title, String criterion) {
        this.name = name;
        this.title = title;
        this.criterion = criterion;
    }

    public String name() {
        return name;
    }

    /** A progress line, shown at once with the time since the drill started. */
    public void log(String format, Object... args) {
        long s = Duration.between(started, Instant.now()).toSeconds();
        System.out.printf("[%s +%dm%02ds] %s%n", name, s / 60, s % 60, String.format(format, args));
        System.out.flush();
    }

    /** A figure the drill measured (also logged). */
    public void measure(String label, String format, Object... args) {
        String v = String.format(format, args);
        measured.add(String.format("%-44s %s", label, v));
        log("%s: %s", label, v);
    }

    public boolean check(String what, boolean pass, String format, Object... args) {
        Check c = new Check(what, pass, String.format(format, args));
        checks.add(c);
        log("%s %s (%s)", pass ? "PASS" : "FAIL", what, c.detail());
        return pass;
    }

    /** Something a reader should know about the figures (a finding, a limit of this run). */
    public void note(String format, Object... args) {
        String n = String.format(format, args);
        notes.add(n);
        log("note: %s", n);
    }

    public void abort(Throwable t) {
        aborted = t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    public void end() {
        ended = Instant.now();
    }

    public boolean passed() {
        return aborted == null && !checks.isEmpty() && checks.stream().allMatch(Check::pass);
    }

    public void print(PrintStream out) {
        Instant end = ended == null ? Instant.now() : ended;
        long s = Duration.between(started, end).toSeconds();
        out.println();
        out.println("==== drill " + name + ": " + title);
        out.println("criterion: " + criterion);
        out.println("started " + started + ", took " + s / 60 + "m" + String.format("%02d", s % 60) + "s");
        out.println("measured:");
        measured.forEach(m -> out.println("  " + m));
        out.println("checks:");
        checks.forEach(c -> out.println("  " + (c.pass() ? "PASS " : "FAIL ") + c.what() + " (" + c.detail() + ")"));
        if (!notes.isEmpty()) {
            out.println("notes:");
            notes.forEach(n -> out.println("  - " + n));
        }
        if (aborted != null) {
            out.println("  FAIL the drill stopped early: " + aborted);
        }
        out.println("RESULT " + name + ": " + (passed() ? "PASS" : "FAIL"));
        out.flush();
    }
}
