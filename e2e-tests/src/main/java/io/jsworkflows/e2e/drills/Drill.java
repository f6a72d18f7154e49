package io.jsworkflows.e2e.drills;

import java.time.Duration;
import java.util.Map;

/**
 * One failure drill: starts its own platform, injects its failure under load, measures, and checks the measurement
 * against the criterion. Parameters come as {@code key=value} arguments; {@code <drill>.key=value} applies to
 * one drill only.
 */
public abstract class Drill {

    private final Map<String, String> params;

    protected Drill(Map<String, String> params) {
        this.params = params;
    }

    public abstract String name();

    public abstract String title();

    public abstract String criterion();

    public abstract void run(Report r) throws Exception;

    protected String param(String key, String fallback) {
        return params.getOrDefault(name() + "." + key, params.getOrDefault(key, fallback));
    }

    protected int intParam(String key, int fallback) {
        return Integer.parseInt(param(key, Integer.toString(fallback)));
    }

    protected double doubleParam(String key, double fallback) {
        return Double.parseDouble(param(key, Double.toString(fallback)));
    }

    protected Duration durationParam(String key, Duration fallback) {
        return Duration.parse(param(key, fallback.toString()));
    }
}
