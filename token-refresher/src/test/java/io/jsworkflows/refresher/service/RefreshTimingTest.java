package io.jsworkflows.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RefreshTimingTest {

    private final RefreshTiming timing = new RefreshTiming(Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ofSeconds(1),
            Duration.ofSeconds(60));
    private static final long NOW = 1_000_000_000L;
    private static final long MIN = 60_000;

    @Test
    void dueBetweenLeadAndLeadPlusJitterBeforeExpiry() {
        long expires = NOW + 30 * MIN;
        assertThat(timing.dueAt(NOW, expires, 0.0)).isEqualTo(expires - 10 * MIN);
        assertThat(timing.dueAt(NOW, expires, 0.999)).isBetween(expires - 12 * MIN, expires - 10 * MIN);
    }

    @Test
    void jitterSpreadsTokensIssuedTogether() {
        long expires = NOW + 30 * MIN;
        var distinct = java.util.stream.IntStream.range(0, 100).mapToLong(i -> timing.dueAt(NOW, expires, i / 100.0)).distinct()
                .count();
        assertThat(distinct).isEqualTo(100);
    }

    @Test
    void insideTheLeadWindowIsDueSoonButBeforeExpiry() {
        long expires = NOW + 4 * MIN;
        for (double r : new double[] {0, 0.5, 0.999}) {
            assertThat(timing.dueAt(NOW, expires, r)).isBetween(NOW, NOW + MIN);
        }
        assertThat(timing.dueAt(NOW, NOW - 1, 0.7)).isEqualTo(NOW);
    }

    @Test
    void backoffGrowsFromOneSecondToSixtyWithJitter() {
        assertThat(timing.backoffMillis(1, null, 0.0)).isEqualTo(1000);
        assertThat(timing.backoffMillis(1, null, 0.999)).isEqualTo(1000);
        assertThat(timing.backoffMillis(3, null, 0.0)).isEqualTo(2000);
        assertThat(timing.backoffMillis(3, null, 0.999)).isBetween(2000L, 4000L);
        assertThat(timing.backoffMillis(7, null, 0.999)).isBetween(30_000L, 60_000L);
        assertThat(timing.backoffMillis(50, null, 0.0)).isEqualTo(30_000);
        assertThat(timing.backoffMillis(50, null, 0.999)).isLessThanOrEqualTo(60_000);
    }

    @Test
    void retryAfterIsHonoured() {
        assertThat(timing.backoffMillis(1, Duration.ofSeconds(20), 0.5)).isEqualTo(20_000);
        assertThat(timing.backoffMillis(8, Duration.ofSeconds(1), 0.0)).isEqualTo(30_000);
    }
}
