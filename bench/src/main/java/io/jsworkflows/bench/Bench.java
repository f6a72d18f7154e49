package io.jsworkflows.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Small helpers the benchmark drivers share: /proc CPU, percentiles, HTTP, result files. */
final class Bench {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final long CLK_TCK = clkTck();

    private Bench() {
    }

    // ------------------------------------------------------------------ processes

    /**
     * CPU time (user + system) a process and its live descendants used so far, in nanoseconds, from /proc/PID/stat; -1
     * if the process is gone. Descendants count because the executor runs workflows in worker JVMs of its own
     * ({@code jsw.executor.isolation=process}).
     */
    static long cpuNanos(long pid) {
        long own = ownCpuNanos(pid);
        if (own < 0) {
            return -1;
        }
        return own + ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
                .mapToLong(h -> Math.max(0, ownCpuNanos(h.pid()))).sum();
    }

    private static long ownCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            return ticks * 1_000_000_000L / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clkTck() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(s);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }

    /** The 1-minute load average. */
    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ statistics

    /** Nearest-rank percentile of sorted values. */
    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }

    // ------------------------------------------------------------------ HTTP

    record Reply(int status, String body) {
    }

    static Reply http(String method, String url, String bearer, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted");
        }
    }

    static Reply expect(String what, String method, String url, String bearer, String json) {
        Reply r = http(method, url, bearer, json);
        if (r.status() / 100 != 2) {
            throw new IllegalStateException(what + ": HTTP " + r.status() + " " + r.body());
        }
        return r;
    }

    /** Sum of every sample of a Prometheus metric (all label sets), or -1 when absent. */
    static double metric(String metricsText, String name, String labelFilter) {
        double sum = 0;
        boolean found = false;
        for (String line : metricsText.split("\n")) {
            if (line.startsWith(name) && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')
                    && (labelFilter == null || line.contains(labelFilter))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : -1;
    }

    // ------------------------------------------------------------------ files

    static Map<String, String> readEnvFile(Path file) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#") || !l.contains("=")) {
                continue;
            }
            String k = l.substring(0, l.indexOf('=')).trim();
            String v = l.substring(l.indexOf('=') + 1).trim();
            if (k.startsWith("export ")) {
                k = k.substring(7).trim();
            }
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            m.put(k, v);
        }
        return m;
    }

    /** Adds results to a properties file (sorted keys), keeping what other drivers wrote there. */
    static synchronized void saveResults(Path file, Map<String, ?> results) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file)) {
                p.load(in);
            }
        }
        results.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder b = new StringBuilder();
        new TreeMap<>(p).forEach((k, v) -> b.append(k).append('=').append(escape(String.valueOf(v))).append('\n'));
        Files.writeString(file, b.toString());
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    static void log(String pattern, Object... args) {
        System.out.println("bench: " + fmt(pattern, args));
        System.out.flush();
    }

    static Map<String, String> args(String[] argv, Map<String, String> defaults) {
        Map<String, String> a = new LinkedHashMap<>(defaults);
        for (String s : argv) {
            int eq = s.indexOf('=');
            if (eq <= 0 || !a.containsKey(s.substring(0, eq))) {
                throw new IllegalArgumentException("unknown argument '" + s + "'; known: " + List.copyOf(defaults.keySet()));
            }
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return a;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
