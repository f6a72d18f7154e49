package io.jsworkflows.shopifyemulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @Test
    void shopifysScheduleIsEightDoublingRetriesOverFourHours() {
        List<Duration> delays = RetrySchedule.shopify().delays();

        assertThat(delays).hasSize(8);
        for (int i = 1; i < delays.size(); i++) {
            assertThat(delays.get(i).toNanos()).isBetween(2 * delays.get(i - 1).toNanos() - 2, 2 * delays.get(i - 1).toNanos() + 2);
        }
        assertThat(RetrySchedule.shopify().total()).isCloseTo(Duration.ofHours(4), Duration.ofNanos(8));
    }

    @Test
    void aTimeScaleShrinksEveryWait() {
        RetrySchedule scaled = RetrySchedule.shopify().scaled(1.0 / 10_000);

        assertThat(scaled.retries()).isEqualTo(8);
        assertThat(scaled.total()).isCloseTo(Duration.ofMillis(1440), Duration.ofNanos(16));
        assertThat(scaled.delays().get(0)).isLessThan(RetrySchedule.shopify().delays().get(0));
    }
}
