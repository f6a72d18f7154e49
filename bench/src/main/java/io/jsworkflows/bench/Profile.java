package io.jsworkflows.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's CPU goes during a phase: a JFR recording (settings=profile, started and stopped with jcmd) whose
 * execution samples are attributed to the first frame, from the top of the stack, that belongs to a known part.
 */
final class Profile {

    /** Package prefixes per part, in the order they are tried on each frame. */
    private static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("Kafka client", List.of("org.apache.kafka."));
        PARTS.put("JSON (Jackson)", List.of("com.fasterxml.jackson."));
        PARTS.put("HTTP client", List.of("jdk.internal.net.http.", "java.net.http.", "sun.nio.", "java.nio.channels."));
        PARTS.put("GraalJS (interpreter)", List.of("com.oracle.truffle.", "org.graalvm."));
        PARTS.put("crypto", List.of("com.sun.crypto.", "sun.security."));
        PARTS.put("executor (io.jsworkflows)", List.of("io.jsworkflows."));
    }

    private Profile() {
    }

    static boolean start(long pid) {
        return pid > 0 && jcmd(pid, "JFR.start", "name=bench-profile", "settings=profile");
    }

    static String stopAndSummarize(long pid, Path file) {
        if (!jcmd(pid, "JFR.stop", "name=bench-profile", "filename=" + file)) {
            return "no recording";
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        int total = 0;
        try {
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                total++;
                counts.merge(part(e.getStackTrace().getFrames()), 1, Integer::sum);
            }
        } catch (IOException e) {
            return "unreadable recording: " + e.getMessage();
        }
        int all = total;
        return String.join(", ", counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(en -> Bench.fmt("%s %.0f %%", en.getKey(), 100.0 * en.getValue() / all)).toList())
                + Bench.fmt(" (%d samples)", all);
    }

    private static String part(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            if (f.getMethod() == null || f.getMethod().getType() == null) {
                continue;
            }
            String cls = f.getMethod().getType().getName();
            for (Map.Entry<String, List<String>> p : PARTS.entrySet()) {
                if (p.getValue().stream().anyMatch(cls::startsWith)) {
                    return p.getKey();
                }
            }
        }
        return "other (JDK, Quarkus, GC barriers)";
    }

    private static boolean jcmd(long pid, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.contains("Could not");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
