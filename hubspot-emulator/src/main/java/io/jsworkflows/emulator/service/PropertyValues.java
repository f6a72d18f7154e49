package io.jsworkflows.emulator.service;

/**
 * How HubSpot compares property values, which are all strings on the wire: numbers, ISO dates and epoch millis as
 * numbers, everything else as case-insensitive text. Search filters and sorts share these rules.
 */
final class PropertyValues {

    private PropertyValues() {
    }

    static boolean equal(String v, String x) {
        if (x == null) {
            return false;
        }
        if (v.equalsIgnoreCase(x)) {
            return true;
        }
        Double a = CrmTime.numeric(v);
        Double b = CrmTime.numeric(x);
        return a != null && b != null && a.doubleValue() == b.doubleValue();
    }

    /** Absent values sort first. */
    static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        Double x = CrmTime.numeric(a);
        Double y = CrmTime.numeric(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        return a.compareToIgnoreCase(b);
    }
}
