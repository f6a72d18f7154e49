package io.jsworkflows.e2e.drills;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs failure drills one after another, each on a platform of its own, and prints what each measured with PASS or
 * FAIL against its criterion. {@code Drills [drill...] [key=value...]}; no drill names = all five. Exit code 1 when a
 * drill failed. Needs the services packaged ({@code ./mvnw -B -ntp install -DskipTests}); see docs/reliability.md.
 */
public final class Drills {

    static final Map<String, Function<Map<String, String>, Drill>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("executor-kill", ExecutorKillDrill::new);
        ALL.put("refresher-kill", RefresherKillDrill::new);
        ALL.put("broker-restart", BrokerRestartDrill::new);
        ALL.put("emulator-faults", EmulatorFaultsDrill::new);
        ALL.put("bad-input", BadInputDrill::new);
    }

    private Drills() {
    }

    public static void main(String[] args) {
        List<String> names = new ArrayList<>();
        Map<String, String> params = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq > 0) {
                params.put(a.substring(0, eq), a.substring(eq + 1));
            } else if (ALL.containsKey(a)) {
                names.add(a);
            } else {
                System.err.println("unknown drill '" + a + "'; drills: " + String.join(", ", ALL.keySet()));
                System.exit(2);
            }
        }
        if (names.isEmpty()) {
            names.addAll(ALL.keySet());
        }
        System.exit(run(names, params) ? 0 : 1);
    }

    /** Runs the drills and prints every report again at the end, in order; true when all passed. */
    public static boolean run(List<String> names, Map<String, String> params) {
        List<Report> reports = new ArrayList<>();
        for (String n : names) {
            Drill d = ALL.get(n).apply(params);
            Report r = new Report(d.name(), d.title(), d.criterion());
            reports.add(r);
            r.log("begins: %s", d.title());
            try {
                d.run(r);
            } catch (Exception | Error e) {
                r.abort(e);
                r.log("stopped early: %s", e);
                e.printStackTrace(System.out);
            } finally {
                r.end();
            }
            r.print(System.out);
        }
        System.out.println();
        System.out.println("==== summary");
        for (Report r : reports) {
            System.out.println("  " + (r.passed() ? "PASS " : "FAIL ") + r.name());
        }
        return reports.stream().allMatch(Report::passed);
    }
}
