package io.jsworkflows.e2e.drills;

import java.util.Map;

/** Reads samples out of a Prometheus text exposition ({@code /q/metrics}). */
public final class Metrics {

    private Metrics() {
    }

    /** Sum of every sample of {@code name} whose labels include all of {@code labels}; NaN when there is none. */
    public static double sum(String text, String name, Map<String, String> labels) {
        double total = 0;
        boolean found = false;
        if (text == null) {
            return Double.NaN;
        }
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith(name)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String metric = brace > 0 && brace < space ? line.substring(0, brace) : line.substring(0, Math.max(0, space));
            if (!metric.equals(name)) {
                continue;
            }
            String labelText = brace > 0 && brace < space ? line.substring(brace, line.indexOf('}', brace) + 1) : "";
            boolean all = labels.entrySet().stream().allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (!all) {
                continue;
            }
            try {
                total += Double.parseDouble(line.substring(space + 1).trim());
                found = true;
            } catch (NumberFormatException ignored) {
                // a sample we cannot read does not count
            }
        }
        return found ? total : Double.NaN;
    }

    public static double sum(String text, String name) {
        return sum(text, name, Map.of());
    }
}
