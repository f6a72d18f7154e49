package io.jsworkflows.emulator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * HubSpot's ten-secondly policy is rolling: no 10 s span ever admits more than the limit. A fixed window lets a client
 * burst twice the limit across its boundary; these tests pin the rolling behaviour with explicit instants.
 */
class RollingRateLimitTest {

    private static final int LIMIT = 5;
    private static final long INTERVAL = 10_000;

    @Test
    void aBurstRightAfterAFixedWindowBoundaryIsRefused() {
        Portal portal = new Portal(1, "p.hubspot.com", "u@example.com", 2);
        List<Long> admitted = new ArrayList<>();
        // one request opens a fixed window at t=0; the rest of the limit comes at the end of that window
        take(portal, 0, admitted);
        for (int i = 1; i < LIMIT; i++) {
            take(portal, 9_500, admitted);
        }
        assertThat(admitted).hasSize(LIMIT);
        // right after the fixed boundary: only the t=0 request has left the rolling window
        int refused = 0;
        for (int i = 0; i < LIMIT; i++) {
            if (!take(portal, 10_000, admitted)) {
                refused++;
            }
        }
        assertThat(refused).isEqualTo(LIMIT - 1);
        assertThat(maxInAnyRollingSpan(admitted)).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void theBudgetComesBackAsEachRequestLeavesTheRollingWindow() {
        Portal portal = new Portal(1, "p.hubspot.com", "u@example.com", 2);
        assertThat(portal.take(LIMIT, INTERVAL, 0).remaining()).isEqualTo(LIMIT - 1);
        assertThat(portal.take(LIMIT, INTERVAL, 4_000).remaining()).isEqualTo(LIMIT - 2);
        assertThat(portal.take(LIMIT, INTERVAL, 4_000).remaining()).isEqualTo(LIMIT - 3);
        assertThat(portal.take(LIMIT, INTERVAL, 8_000).remaining()).isEqualTo(LIMIT - 4);
        assertThat(portal.take(LIMIT, INTERVAL, 8_000).remaining()).isZero();
        var refused = portal.take(LIMIT, INTERVAL, 9_999);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        // the t=0 request leaves the window at t=10 000
        assertThat(refused.retryAfterMillis()).isEqualTo(1);
        // at t=10 000 the t=0 request has left the window: one slot, used by this request
        var first = portal.take(LIMIT, INTERVAL, 10_000);
        assertThat(first.allowed()).isTrue();
        assertThat(first.remaining()).isZero();
        assertThat(portal.take(LIMIT, INTERVAL, 13_999).allowed()).isFalse();
        // at t=14 000 both t=4 000 requests have left
        assertThat(portal.take(LIMIT, INTERVAL, 14_000).remaining()).isEqualTo(1);
    }

    @Test
    void refusedRequestsDoNotUseTheBudget() {
        Portal portal = new Portal(1, "p.hubspot.com", "u@example.com", 2);
        portal.take(1, INTERVAL, 0);
        for (long t = 1; t < INTERVAL; t += 1_000) {
            assertThat(portal.take(1, INTERVAL, t).allowed()).isFalse();
        }
        assertThat(portal.take(1, INTERVAL, INTERVAL).allowed()).isTrue();
    }

    @Test
    void aLimitAboveTheInitialCapacityKeepsEveryInstant() {
        Portal portal = new Portal(1, "p.hubspot.com", "u@example.com", 2);
        for (int i = 0; i < 40; i++) {
            assertThat(portal.take(40, INTERVAL, i * 100L).remaining()).isEqualTo(39 - i);
        }
        assertThat(portal.take(40, INTERVAL, 9_999).allowed()).isFalse();
        // each early request frees exactly one slot as it leaves, in order
        assertThat(portal.take(40, INTERVAL, 10_000).allowed()).isTrue();
        assertThat(portal.take(40, INTERVAL, 10_050).allowed()).isFalse();
        assertThat(portal.take(40, INTERVAL, 10_100).allowed()).isTrue();
    }

    @Test
    void resetEmptiesTheWindow() {
        Portal portal = new Portal(1, "p.hubspot.com", "u@example.com", 2);
        portal.take(1, INTERVAL, 0);
        assertThat(portal.take(1, INTERVAL, 1).allowed()).isFalse();
        portal.resetBudget();
        assertThat(portal.take(1, INTERVAL, 2).allowed()).isTrue();
    }

    private static boolean take(Portal portal, long now, List<Long> admitted) {
        boolean allowed = portal.take(LIMIT, INTERVAL, now).allowed();
        if (allowed) {
            admitted.add(now);
        }
        return allowed;
    }

    private static int maxInAnyRollingSpan(List<Long> admitted) {
        int max = 0;
        for (long end : admitted) {
            int n = (int) admitted.stream().filter(t -> t > end - INTERVAL && t <= end).count();
            max = Math.max(max, n);
        }
        return max;
    }
}
