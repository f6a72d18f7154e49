package io.jsworkflows.connections.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.runs.service.RunQueries;
import io.jsworkflows.connections.service.ApiProblem;

/** The runs list's filters as people type them in the page or the API. */
class RunQueriesFilterUnitTest {

    @Test
    void statusesAreReadInEitherSpellingAndBlanksMeanNoFilter() {
        assertThat(RunQueries.Filter.of("dead-lettered", " wf-1 ", null)).isEqualTo(new RunQueries.Filter("DEAD_LETTERED", "wf-1", 50));
        assertThat(RunQueries.Filter.of("FAILED", "", 10)).isEqualTo(new RunQueries.Filter("FAILED", null, 10));
        assertThat(RunQueries.Filter.of("", null, null)).isEqualTo(new RunQueries.Filter(null, null, 50));
    }

    @Test
    void unknownStatusesAndLimitsOutOfRangeAreA400() {
        assertThatThrownBy(() -> RunQueries.Filter.of("exploded", null, null)).isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).status()).isEqualTo(400)).hasMessageContaining("dead-lettered");
        assertThatThrownBy(() -> RunQueries.Filter.of(null, null, 0)).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> RunQueries.Filter.of(null, null, 201)).isInstanceOf(ApiProblem.class);
    }
}
