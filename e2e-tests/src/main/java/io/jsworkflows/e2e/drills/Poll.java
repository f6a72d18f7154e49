package io.jsworkflows.e2e.drills;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in a drill: polls it, and says how long it took (or that it never came). */
public final class Poll {

    private Poll() {
    }

    /** Polls until the condition holds; returns the time it took, or null when it did not hold within the timeout. */
    public static Duration until(Duration timeout, Duration every, BooleanSupplier condition) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - t0);
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(every.toMillis());
        }
    }

    /** Lets time pass on purpose (the length of a fault, an observation window). */
    public static void hold(Duration d) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(d.toMillis());
    }

    public static String seconds(Duration d) {
        return d == null ? "never" : String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
