package io.jsworkflows.connections.runs.service;

import java.util.Locale;

/** Durations as the pages show them. */
final class Durations {

    private Durations() {
    }

    /** 840 ms, 12.3 s; empty while unknown. */
    static String human(Long millis) {
        if (millis == null) {
            return "";
        }
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
