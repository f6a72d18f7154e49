package io.jsworkflows.executor.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The per-portal budget's arithmetic. */
class RateBudgetsTest {

    @Test
    void noWindowHoldsMoreThanMaxSlots() {
        RateBudgets b = new RateBudgets(3, Duration.ofSeconds(10), Duration.ofMillis(200));
        assertThat(b.reserve(1)).isZero();
        assertThat(b.reserve(1)).isZero();
        assertThat(b.reserve(1)).isZero();
        // the fourth waits until the first leaves the window (10 s + margin)
        assertThat(b.reserve(1)).isBetween(Duration.ofMillis(10_100), Duration.ofMillis(10_200));
        assertThat(b.reserve(1)).isBetween(Duration.ofMillis(10_100), Duration.ofMillis(10_200));
        // other portals have their own budget
        assertThat(b.reserve(2)).isZero();
    }

    @Test
    void hubSpotsHeadersCorrectTheBudget() {
        RateBudgets b = new RateBudgets(110, Duration.ofSeconds(10), Duration.ZERO);
        b.reserve(7);
        // HubSpot says only 1 of 5 is left in a 2 s window: someone else used 3 more
        b.observe(7, 5, 1, 2_000L);
        assertThat(b.interval(7)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.reserve(7)).isZero();
        assertThat(b.reserve(7)).isGreaterThan(Duration.ofMillis(1_500));
    }

    @Test
    void after429NothingIsSentBeforeTheInterval() {
        RateBudgets b = new RateBudgets(110, Duration.ofSeconds(1), Duration.ZERO);
        assertThat(b.blockAfter429(9)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.reserve(9)).isGreaterThan(Duration.ofMillis(900));
    }
}
