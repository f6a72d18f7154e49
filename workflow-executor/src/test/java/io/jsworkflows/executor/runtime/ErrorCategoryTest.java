package io.jsworkflows.executor.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** What counts as transient is decided once; the worker channel carries a category by name. */
class ErrorCategoryTest {

    @Test
    void onlyTheOutsideWorldsFailuresAreTransient() {
        assertThat(Arrays.stream(ErrorCategory.values()).filter(ErrorCategory::isTransient))
                .containsExactlyInAnyOrder(ErrorCategory.NETWORK, ErrorCategory.TIMEOUT, ErrorCategory.HTTP_5XX, ErrorCategory.HTTP_429);
    }

    @Test
    void aCategoryCrossesTheWorkerChannelByNameAndAnUnknownOneIsANetworkFailure() {
        for (ErrorCategory c : ErrorCategory.values()) {
            assertThat(ErrorCategory.ofWire(c.name())).isEqualTo(c);
        }
        assertThat(ErrorCategory.ofWire(null)).isEqualTo(ErrorCategory.NETWORK);
        assertThat(ErrorCategory.ofWire("SOMETHING_ELSE")).isEqualTo(ErrorCategory.NETWORK);
    }
}
