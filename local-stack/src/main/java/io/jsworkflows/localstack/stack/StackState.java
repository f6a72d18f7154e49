package io.jsworkflows.localstack.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code jsw up} wrote to {@code .jsw/stack.pids} ("name pid" lines: jsw itself, then each part it started),
 * and how {@code jsw down} stops it: SIGTERM to jsw, which stops the rest in order; then whatever is still alive.
 */
public final class StackState {

    public record Entry(String name, long pid) {
    }

    private StackState() {
    }

    public static List<Entry> read(StackSettings s) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (Files.exists(s.pidsFile())) {
            for (String line : Files.readAllLines(s.pidsFile())) {
                String[] p = line.trim().split("\\s+");
                if (p.length == 2) {
                    try {
                        out.add(new Entry(p[0], Long.parseLong(p[1])));
                    } catch (NumberFormatException ignored) {
                        // skip a damaged line
                    }
                }
            }
        } else if (Files.exists(s.pidFile())) {
            try {
                out.add(new Entry("jsw", Long.parseLong(Files.readString(s.pidFile()).trim())));
            } catch (NumberFormatException ignored) {
                // nothing usable
            }
        }
        return out;
    }

    /** Returns true if everything stopped without SIGKILL. */
    public static boolean stop(StackSettings s, List<Entry> entries, Duration timeout, PrintStream out) throws IOException {
        boolean clean = true;
        Optional<ProcessHandle> jsw = entries.stream().filter(e -> e.name().equals("jsw")).findFirst()
                .flatMap(e -> ProcessHandle.of(e.pid())).filter(ProcessHandle::isAlive);
        if (jsw.isPresent()) {
            out.println("jsw: stopping the stack (jsw pid " + jsw.get().pid() + ")...");
            jsw.get().destroy();
            clean &= awaitExit(jsw.get(), timeout);
            if (jsw.get().isAlive()) {
                jsw.get().destroyForcibly();
            }
        }
        // leftovers: jsw was SIGKILLed (its watchdogs may not have finished yet) or could not stop something
        for (Entry e : entries) {
            if (e.name().equals("jsw")) {
                continue;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(e.pid()).filter(ProcessHandle::isAlive).filter(p -> looksLikeOurs(p, s));
            if (h.isPresent()) {
                out.println("jsw: stopping leftover " + e.name() + " (pid " + e.pid() + ")");
                h.get().destroy();
                if (!awaitExit(h.get(), Duration.ofSeconds(20))) {
                    h.get().destroyForcibly();
                    clean = false;
                }
            }
        }
        Files.deleteIfExists(s.pidFile());
        Files.deleteIfExists(s.pidsFile());
        return clean;
    }

    /** Guards against a recycled pid: our processes run java or postgres from this checkout's or .jsw's files. */
    static boolean looksLikeOurs(ProcessHandle p, StackSettings s) {
        String cmd = p.info().commandLine().orElse(p.info().command().orElse(""));
        return cmd.isEmpty() || cmd.contains(s.root().toString()) || cmd.contains(s.stateDir().toString()) || cmd.contains("postgres");
    }

    private static boolean awaitExit(ProcessHandle p, Duration timeout) {
        try {
            p.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !p.isAlive();
        }
    }
}
