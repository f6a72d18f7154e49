package io.jsworkflows.executor.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The per-portal budget's arithmetic. */
class RateBudgetsTest {

    @Test
    void noWindowHoldsMoreThanMaxSlots() {
        RateBudgets b = new RateBudgets(3, Duration.ofSeconds(10), Duration.ofMillis(200));
        long ms = 1_000_000L;
        assertThat(b.reserveAt(1, 0)).isZero();
        assertThat(b.reserveAt(1, 0)).isZero();
        assertThat(b.reserveAt(1, 50 * ms)).isZero();
        // the fourth waits until the first leaves the window (10 s + margin), the fifth until the second does
        assertThat(b.reserveAt(1, 100 * ms)).isEqualTo(10_100 * ms);
        assertThat(b.reserveAt(1, 100 * ms)).isEqualTo(10_100 * ms);
        // other portals have their own budget
        assertThat(b.reserveAt(2, 100 * ms)).isZero();
        assertThat(b.reserve(3)).isEqualTo(Duration.ZERO);
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
    void aSlotCountsFromItsAnswerWhenThatCameLaterThanItsReservation() {
        RateBudgets b = new RateBudgets(2, Duration.ofSeconds(10), Duration.ZERO);
        long ms = 1_000_000L;
        assertThat(b.reserveAt(1, 0)).isZero();
        assertThat(b.reserveAt(1, 0)).isZero();
        // the first answer comes 300 ms after both were reserved: HubSpot may have counted the first request as late as that
        b.observeAt(1, 300 * ms, null, null, null);
        assertThat(b.reserveAt(1, 0)).isEqualTo(10_300 * ms);
        // the second one's answer has not come: it still counts from its reservation
        assertThat(b.reserveAt(1, 0)).isEqualTo(10_000 * ms);
    }

    @Test
    void after429NothingIsSentBeforeTheInterval() {
        RateBudgets b = new RateBudgets(110, Duration.ofSeconds(1), Duration.ZERO);
        assertThat(b.blockAfter429(9)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.reserve(9)).isGreaterThan(Duration.ofMillis(900));
    }
}
