package io.jsworkflows.e2e.drills;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jsworkflows.localstack.stack.ManagedService;

/**
 * Samples every service's {@code /q/health/ready} twice a second on a thread of its own, so that a drill can say when
 * each service stopped being ready and when it was ready again.
 */
public final class HealthWatch implements AutoCloseable {

    /** One sample: the HTTP status of readiness (-1: no answer). */
    public record Sample(Instant at, String service, int status) {
    }

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public HealthWatch(DrillPlatform p) {
        thread = Thread.ofPlatform().daemon().name("drill-health").start(() -> {
            while (running) {
                for (ManagedService s : p.services()) {
                    samples.add(new Sample(Instant.now(), s.name(), p.readiness(s)));
                }
                try {
                    Poll.hold(Duration.ofMillis(500));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /**
     * Per service, from {@code since}: how long it was not ready in total and when it was last ready again, e.g.
     * "not ready 12.5 s (3 spans), ready again at +41.0 s".
     */
    public Map<String, String> outages(Instant since) {
        Map<String, List<Sample>> by = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (!s.at().isBefore(since)) {
                by.computeIfAbsent(s.service(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        by.forEach((service, list) -> {
            long downMillis = 0;
            int spans = 0;
            Instant downSince = null;
            Instant backAt = null;
            for (Sample s : list) {
                if (s.status() != 200 && downSince == null) {
                    downSince = s.at();
                    spans++;
                } else if (s.status() == 200 && downSince != null) {
                    downMillis += Duration.between(downSince, s.at()).toMillis();
                    backAt = s.at();
                    downSince = null;
                }
            }
            String last = list.isEmpty() ? "?" : Integer.toString(list.getLast().status());
            if (spans == 0) {
                out.put(service, "ready throughout");
            } else if (downSince != null) {
                out.put(service, "NOT READY since +" + seconds(since, downSince) + " (last answer " + last + ")");
            } else {
                out.put(service, String.format("not ready %.1f s in %d span(s), ready again at +%s", downMillis / 1000.0, spans,
                        seconds(since, backAt)));
            }
        });
        return out;
    }

    private static String seconds(Instant from, Instant to) {
        return String.format("%.1f s", Duration.between(from, to).toMillis() / 1000.0);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
