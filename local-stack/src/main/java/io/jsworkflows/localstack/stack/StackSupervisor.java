package io.jsworkflows.localstack.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * The record of what {@code jsw up} started: the pid file that keeps a second jsw out, the {@code stack.pids} file
 * {@code jsw down} and {@code jsw status} read, a warning when a part dies while the stack runs, and the stop of every
 * part in reverse start order (each part's own watchdog covers a jsw that is SIGKILLed).
 */
final class StackSupervisor {

    /** One started part: its name, its process (may appear only once it runs) and how to stop it cleanly. */
    private record Part(String name, Supplier<ProcessHandle> handle, Runnable stop) {
    }

    private final StackSettings s;
    private final StackConsole console;
    private final Deque<Part> started = new ArrayDeque<>();
    private final List<String> pidLines = new ArrayList<>();
    private volatile boolean stopping;

    StackSupervisor(StackSettings settings, StackConsole console) {
        this.s = settings;
        this.console = console;
    }

    /** Writes jsw's own pid, unless a live jsw already holds the pid file. */
    void claimPidFile() throws IOException {
        Path pidFile = s.pidFile();
        if (Files.exists(pidFile)) {
            try {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                // a pid file of a jsw that was killed may name a recycled pid: only a live jsw counts
                boolean jswAlive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .map(h -> h.info().commandLine().map(c -> c.contains("jsw.jar") || c.contains("JswCli")).orElse(true))
                        .orElse(false);
                if (jswAlive && pid != ProcessHandle.current().pid()) {
                    throw new StackException("the stack is already running (jsw pid " + pid + ", " + s.stateDir()
                            + "). Stop it with ./jsw down, or use it as it is.");
                }
            } catch (NumberFormatException ignored) {
                // a damaged pid file: overwrite it
            }
        }
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        pidLines.add("jsw " + ProcessHandle.current().pid());
        writePids();
    }

    /** Registers a part as soon as it is launched, so that a failed start still stops it. */
    void started(String name, Supplier<ProcessHandle> handle, Runnable stop) {
        started.push(new Part(name, handle, stop));
    }

    /** Records a part's pid in {@code stack.pids} once it has one. */
    void recordPid(String name, long pid) throws IOException {
        pidLines.add(name + " " + pid);
        writePids();
    }

    boolean stopping() {
        return stopping;
    }

    void markStopping() {
        stopping = true;
    }

    /** Once the stack is up: a part that exits on its own is reported; the rest keeps running. */
    void watchForCrashes() {
        for (Part part : started) {
            ProcessHandle h = part.handle().get();
            if (h != null) {
                h.onExit().thenAccept(p -> {
                    if (!stopping) {
                        console.line("jsw: " + part.name() + " stopped unexpectedly; see " + logOf(part.name())
                                + ". The rest keeps running; ./jsw down stops it.");
                    }
                });
            }
        }
    }

    /** The second Ctrl-C: no more waiting for graceful stops. */
    void killAllNow() {
        for (Part part : started) {
            ProcessHandle h = part.handle().get();
            if (h != null) {
                h.destroyForcibly();
            }
        }
    }

    /** Stops every part in reverse start order and removes the pid files. Safe to call more than once. */
    synchronized void stopAll() {
        stopping = true;
        Thread.interrupted();
        while (!started.isEmpty()) {
            Part part = started.pop();
            long t = System.nanoTime();
            try {
                part.stop().run();
                console.printf("jsw: %-20s stopped (%.1f s)%n", part.name(), StackConsole.seconds(t));
            } catch (RuntimeException e) {
                console.line("jsw: " + part.name() + " did not stop cleanly: " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(s.pidFile());
            Files.deleteIfExists(s.pidsFile());
        } catch (IOException ignored) {
            // nothing left to protect
        }
        if (!pidLines.isEmpty()) {
            console.line("jsw: stopped");
            pidLines.clear();
        }
        console.flush();
    }

    void stopAllQuietly() {
        try {
            stopAll();
        } catch (RuntimeException ignored) {
            // the JVM is going away
        }
    }

    private void writePids() throws IOException {
        Files.writeString(s.pidsFile(), String.join("\n", pidLines) + "\n");
    }

    private String logOf(String name) {
        return switch (name) {
            case "kafka" -> StackConsole.rel(s.stateDir().resolve("kafka/broker.log"));
            case "postgres" -> StackConsole.rel(s.stateDir().resolve("postgres/data/log"));
            default -> StackConsole.rel(s.logs().resolve(name + ".log"));
        };
    }
}
