package io.jsworkflows.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints the benchmark table from what the drivers saved ({@code results.properties}) and the output of the two reused
 * benchmarks ({@code workflow-executor/bench/run-benchmark.sh}, {@code token-refresher/bench.sh}). A figure that was not
 * measured says so, with the reason.
 *
 * <p>Usage: {@code Report results=... token-bench-log=... refresher-log=... mode=short out=report.md load-start=...}
 */
public final class Report {

    private final Properties r = new Properties();
    private final List<String[]> rows = new ArrayList<>();

    public static void main(String[] argv) throws IOException {
        Map<String, String> a = Bench.args(argv, new LinkedHashMap<>(Map.of("results", "bench/target/results.properties",
                "token-bench-log", "bench/target/logs/token-bench.log", "refresher-log", "bench/target/logs/refresher-bench.log",
                "mode", "short", "out", "bench/target/report.md", "load-start", "", "started", "", "node-version", "")));
        Report rep = new Report();
        Path results = Path.of(a.get("results"));
        if (Files.exists(results)) {
            try (var in = Files.newBufferedReader(results)) {
                rep.r.load(in);
            }
        }
        String table = rep.build(a);
        Files.createDirectories(Path.of(a.get("out")).toAbsolutePath().getParent());
        Files.writeString(Path.of(a.get("out")), table);
        System.out.print(table);
    }

    String build(Map<String, String> a) throws IOException {
        throughput();
        latency();
        cpu();
        tokenLookup(read(a.get("token-bench-log")));
        refresher(read(a.get("refresher-log")), a.get("mode"));
        coldStart();
        rateBudget();

        StringBuilder b = new StringBuilder();
        b.append("jsworkflows benchmark, ").append(a.get("started").isBlank() ? ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                : a.get("started")).append(" (").append(a.get("mode")).append(" mode)\n");
        b.append("machine: ").append(machine()).append("; Java ").append(Runtime.version()).append(", Node ")
                .append(a.get("node-version").isBlank() ? "?" : a.get("node-version")).append('\n');
        b.append("build: ").append(build()).append('\n');
        b.append("load average (1 min): ").append(a.get("load-start").isBlank() ? "?" : a.get("load-start")).append(" at the start, ")
                .append(Bench.fmt("%.2f", Bench.load1())).append(" at the end").append(phaseLoads()).append("\n\n");
        b.append("| Figure | jsworkflows | Node.js 20 + kafkajs | Goal | Met |\n");
        b.append("|---|---|---|---|---|\n");
        for (String[] row : rows) {
            b.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ rows

    void throughput() {
        String orders = r.getProperty("jsw.burst.runs", "?");
        if (!has("jsw.burst.runs-per-s") || !has("node.burst.runs-per-s")) {
            rows.add(new String[] { "Throughput, contact workflow via Kafka → emulator (0 ms, no limit)", notMeasured("stack.error"),
                    notMeasured("stack.error"), "≥ 1.5× Node", "?" });
            return;
        }
        double jsw = d("jsw.burst.runs-per-s");
        double node = d("node.burst.runs-per-s");
        double ratio = jsw / node;
        rows.add(new String[] { "Throughput: burst of " + orders + " orders on the trigger topic → contact runs against the emulator (0 ms, limit off), one replica",
                Bench.fmt("**%.0f runs/s**%s", jsw, failures("jsw.burst")), Bench.fmt("**%.0f runs/s**%s", node, failures("node.burst")),
                "≥ 1.5× Node", Bench.fmt("%s (%.2f×)", ratio >= 1.5 ? "yes" : "no", ratio) });
    }

    void latency() {
        if (!has("jsw.half.p99-ms") || !has("node.half.p99-ms")) {
            rows.add(new String[] { "Trigger → completion latency at half load", notMeasured("stack.error"), notMeasured("stack.error"),
                    "p99 ≤ 50 ms", "?" });
            return;
        }
        long jsw99 = l("jsw.half.p99-ms");
        rows.add(new String[] { "Trigger → completion latency at half load (each side at half its own throughput, open loop), p50 / p95 / p99",
                Bench.fmt("%d / %d / **%d ms** at %.0f/s%s", l("jsw.half.p50-ms"), l("jsw.half.p95-ms"), jsw99, d("jsw.half.offered-per-s"),
                        failures("jsw.half")),
                Bench.fmt("%d / %d / **%d ms** at %.0f/s%s", l("node.half.p50-ms"), l("node.half.p95-ms"), l("node.half.p99-ms"),
                        d("node.half.offered-per-s"), failures("node.half")),
                "p99 ≤ 50 ms", jsw99 <= 50 ? "yes" : "no" });
    }

    void cpu() {
        if (!has("jsw.burst.cpu-ms-per-run") || !has("node.burst.cpu-ms-per-run")) {
            return;
        }
        rows.add(new String[] { "CPU per run in the burst, from /proc: the consumer process (= runs per CPU-second); in brackets the emulator's and the broker's",
                Bench.fmt("**%.2f ms** (= %.0f/CPU-s) (%.2f, %.2f)", d("jsw.burst.cpu-ms-per-run"), 1000 / d("jsw.burst.cpu-ms-per-run"),
                        d("jsw.burst.emulator-cpu-ms-per-run"), d("jsw.burst.kafka-cpu-ms-per-run")),
                Bench.fmt("**%.2f ms** (= %.0f/CPU-s) (%.2f, %.2f)", d("node.burst.cpu-ms-per-run"), 1000 / d("node.burst.cpu-ms-per-run"),
                        d("node.burst.emulator-cpu-ms-per-run"), d("node.burst.kafka-cpu-ms-per-run")),
                "—", "—" });
        if (has("jsw.burst.profile")) {
            rows.add(new String[] { "Where the executor's CPU went in the burst (JFR execution samples by the innermost known part)",
                    r.getProperty("jsw.burst.profile"), "—", "—", "—" });
        }
    }

    void tokenLookup(String log) {
        // threads=1  runs=...  getOAuthToken us p50=30.0 p99=82.0
        Matcher m = Pattern.compile("threads=(\\d+) .*?getOAuthToken us p50=([0-9.]+) p99=([0-9.]+)").matcher(log == null ? "" : log);
        List<String> parts = new ArrayList<>();
        double worst99 = -1;
        while (m.find()) {
            double p99 = Double.parseDouble(m.group(3));
            worst99 = Math.max(worst99, p99);
            parts.add(Bench.fmt("%s µs / **%s µs** (%s thread%s)", trim(m.group(2)), trim(m.group(3)), m.group(1), m.group(1).equals("1") ? "" : "s"));
        }
        String stack = has("tokenlookup.stack.p99-us") && d("tokenlookup.stack.p99-us") >= 0
                ? Bench.fmt("; in the stack's executor during the half-load run: %.0f µs / %.0f µs", d("tokenlookup.stack.p50-us"),
                        d("tokenlookup.stack.p99-us"))
                : "";
        if (parts.isEmpty()) {
            rows.add(new String[] { "getOAuthToken inside a run, p50 / p99", "not measured by workflow-executor/bench/run-benchmark.sh: "
                    + failure(log, "bench/target/logs/token-bench.log") + stack, "n/a", "p99 ≤ 0.1 ms",
                    stack.isEmpty() ? "?" : d("tokenlookup.stack.p99-us") <= 100 ? "yes (stack metric only)" : "no (stack metric only)" });
            return;
        }
        rows.add(new String[] { "getOAuthToken inside a run, p50 / p99 (workflow-executor/bench/run-benchmark.sh: runtime + token view + emulator, no Kafka)",
                String.join("; ", parts) + stack, "n/a (a variable in the process)", "p99 ≤ 0.1 ms", worst99 <= 100 ? "yes" : "no" });
    }

    void refresher(String log, String mode) {
        String s = log == null ? "" : log;
        Matcher burst = Pattern.compile("phase 1 burst: (\\d+) refreshes in ([0-9.]+) s = (\\d+) refreshes/s.*?transient (\\d+), expired (\\d+)").matcher(s);
        Matcher keeps = Pattern.compile("one replica keeps (\\d+) connections").matcher(s);
        if (!burst.find() || !keeps.find()) {
            rows.add(new String[] { "Refresher capacity: connections one replica keeps fresh (30-minute tokens)",
                    "not measured: " + failure(log, "bench/target/logs/refresher-bench.log"), "—", "≥ 100,000", "?" });
            return;
        }
        long capacity = Long.parseLong(keeps.group(1));
        StringBuilder v = new StringBuilder(Bench.fmt("**%,d** (%s refreshes in %s s = %s/s × 1,140 s between refreshes)", capacity,
                burst.group(1), burst.group(2), burst.group(3)));
        Matcher steady = Pattern.compile("phase 2 steady: (\\d+) connections, (\\d+) refreshes in (\\d+) s .*?expired while owned (\\d+)").matcher(s);
        if (steady.find() && Long.parseLong(steady.group(3)) > 0) {
            v.append(Bench.fmt("; steady state %,d connections for %s s: %s refreshes, %s expired", Long.parseLong(steady.group(1)),
                    steady.group(3), steady.group(2), steady.group(4)));
        }
        Matcher rebuild = Pattern.compile("phase 3 rebuild: .*? rebuilt (\\d+) connections .* in (\\d+) ms").matcher(s);
        if (rebuild.find() && Long.parseLong(rebuild.group(1)) > 0) {
            v.append(Bench.fmt("; rebuild of %,d by a new replica %.1f s", Long.parseLong(rebuild.group(1)), Long.parseLong(rebuild.group(2)) / 1000.0));
        }
        v.append(mode.equals("full") ? "" : " (short mode: a 10,000 burst only; --full adds 100,000 connections for 3 min)");
        rows.add(new String[] { "Refresher capacity: connections one replica keeps fresh (30-minute tokens, token-refresher/bench.sh)",
                v.toString(), "—", "≥ 100,000", capacity >= 100_000 ? "yes" : "no" });
    }

    void coldStart() {
        if (!has("coldstart.max.ms")) {
            rows.add(new String[] { "Executor cold start to ready with 100,000 tokens on jsw.connections.tokens",
                    notMeasured("coldstart.error"), "—", "≤ 5 s", "?" });
            return;
        }
        int runs = (int) l("coldstart.runs");
        List<String> each = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            each.add(Bench.fmt("%.1f s", l("coldstart.run" + i + ".ms") / 1000.0));
        }
        double worst = l("coldstart.max.ms") / 1000.0;
        String baseline = has("coldstart.baseline.ms") ? Bench.fmt("; with no token on the topic %.1f s", l("coldstart.baseline.ms") / 1000.0) : "";
        String heap = has("coldstart.heap-bytes-per-token") ? Bench.fmt("; heap after a full GC %.0f MB, %.0f MB without tokens = %,d bytes per token",
                l("coldstart.run1.heap-bytes") / 1e6, l("coldstart.baseline.heap-bytes") / 1e6, l("coldstart.heap-bytes-per-token")) : "";
        rows.add(new String[] { Bench.fmt("Executor cold start (process start → /q/health/ready) with %,d tokens on jsw.connections.tokens",
                l("coldstart.tokens")),
                Bench.fmt("**%.1f s**%s (%s; %,d connections in the token view; Quarkus itself up after %.1f s%s)", worst,
                        runs > 1 ? " worst of " + runs : "", String.join(", ", each), l("coldstart.run1.connections"),
                        d("coldstart.run1.quarkus-started-s"), baseline + heap),
                "—", "≤ 5 s", worst <= 5 ? "yes" : "no" });
    }

    void rateBudget() {
        if (!has("rate.share") || d("rate.share") < 0) {
            rows.add(new String[] { "Rate-budget efficiency at one portal, HubSpot's 110/10 s on", notMeasured("stack.error"), "—",
                    "≥ 95 %, 0 429s", "?" });
            return;
        }
        double share = d("rate.share") * 100;
        long e429 = l("rate.emulator-429");
        rows.add(new String[] { Bench.fmt("Rate-budget efficiency: %d orders at once for one portal, the emulator at HubSpot's 110 per 10 s (the executor learns it from the headers)",
                l("rate.orders")),
                Bench.fmt("**%.1f %%** of 110/10 s used (%d windows in %.1f s), **%d** 429s at the emulator (%d seen by the executor), %d failed runs",
                        share, l("rate.windows"), l("rate.elapsed-ms") / 1000.0, e429, l("rate.executor-429"), l("rate.failures")),
                "—", "≥ 95 %, 0 429s", share >= 95 && e429 == 0 ? "yes" : "no" });
    }

    // ------------------------------------------------------------------ helpers

    /** Why a reused benchmark gave no figure: its first error line, if any. */
    static String failure(String log, String file) {
        if (log == null) {
            return "it did not run (skipped?)";
        }
        boolean compile = log.contains("COMPILATION ERROR");
        for (String line : log.split("\n")) {
            if (line.startsWith("[ERROR] /") || line.startsWith("Exception")) {
                String l = line.replaceAll("^\\[ERROR\\] ", "").replace(System.getProperty("user.dir") + "/", "");
                return (compile ? "it did not compile: " : "") + (l.length() > 200 ? l.substring(0, 200) + "..." : l) + " (see " + file + ")";
            }
        }
        return "it printed no result (see " + file + ")";
    }

    String phaseLoads() {
        List<String> l = new ArrayList<>();
        for (String p : List.of("jsw.burst", "node.burst", "jsw.half", "node.half")) {
            if (has(p + ".load1")) {
                l.add(p + " " + Bench.fmt("%.1f", d(p + ".load1")));
            }
        }
        return l.isEmpty() ? "" : " (after each phase: " + String.join(", ", l) + ")";
    }

    String failures(String prefix) {
        long f = has(prefix + ".failures") ? l(prefix + ".failures") : 0;
        return f == 0 ? "" : Bench.fmt(" (%d failed: %s)", f, r.getProperty(prefix + ".last-failure", "?"));
    }

    String notMeasured(String errorKey) {
        return "not measured" + (r.getProperty(errorKey) != null ? ": " + r.getProperty(errorKey) : " (the driver did not finish; see bench/target/logs/)");
    }

    boolean has(String k) {
        return r.getProperty(k) != null;
    }

    double d(String k) {
        return Double.parseDouble(r.getProperty(k));
    }

    long l(String k) {
        return Math.round(d(k));
    }

    static String trim(String n) {
        return n.endsWith(".0") ? n.substring(0, n.length() - 2) : n;
    }

    static String read(String file) throws IOException {
        Path p = Path.of(file);
        return Files.exists(p) ? Files.readString(p) : null;
    }

    /** The commit and when each service's packaged jar (what ./jsw up runs) was built. */
    static String build() {
        StringBuilder b = new StringBuilder();
        try {
            Process p = new ProcessBuilder("git", "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d %H:%M").redirectErrorStream(true).start();
            b.append("HEAD ").append(new String(p.getInputStream().readAllBytes()).trim());
            p.waitFor();
        } catch (IOException | InterruptedException e) {
            b.append("HEAD ?");
        }
        b.append("; jars built");
        for (String m : List.of("hubspot-emulator", "connections-service", "token-refresher", "workflow-executor")) {
            Path jar = Path.of(m, "target/quarkus-app/quarkus-run.jar");
            try {
                b.append(' ').append(m).append(' ').append(Files.getLastModifiedTime(jar).toInstant().toString().substring(0, 16).replace('T', ' '));
            } catch (IOException e) {
                b.append(' ').append(m).append(" (missing)");
            }
            b.append(m.equals("workflow-executor") ? " UTC" : ",");
        }
        return b.toString();
    }

    static String machine() {
        String model = "?";
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // leave the unknowns
        }
        return Bench.fmt("%d cores (%s), %.0f GB RAM, %s", Runtime.getRuntime().availableProcessors(), model, memKb / 1024.0 / 1024.0,
                System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }
}
