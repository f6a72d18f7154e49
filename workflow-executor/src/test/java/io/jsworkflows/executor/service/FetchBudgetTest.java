package io.jsworkflows.executor.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.runtime.RunHost.FetchException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A run's share fails at once past its limit; the replica's total makes a fetch wait, then fail; ending a run frees all it held. */
class FetchBudgetTest {

    static ExecutorConfig config(String run, String replica, String wait) {
        return new SmallRyeConfigBuilder().withMapping(ExecutorConfig.class)
                .withDefaultValue("jsw.executor.fetch.max-run-bytes", run)
                .withDefaultValue("jsw.executor.fetch.max-replica-bytes", replica)
                .withDefaultValue("jsw.executor.fetch.replica-wait", wait)
                .build().getConfigMapping(ExecutorConfig.class);
    }

    static FetchBudget budget(String run, String replica, String wait) {
        return new FetchBudget(config(run, replica, wait), new SimpleMeterRegistry());
    }

    static Throwable failure(CompletableFuture<Void> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRunPastItsShareFailsAtOnceNamingTheLimit() {
        FetchBudget b = budget("100", "1000", "PT10S");
        FetchBudget.Share s = b.open();
        assertThat(failure(s.reserve(60))).isNull();
        Throwable t = failure(s.reserve(41));
        assertThat(t).isInstanceOf(FetchException.class).hasMessageContaining("jsw.executor.fetch.max-run-bytes");
        assertThat(((FetchException) t).category()).isEqualTo(io.jsworkflows.executor.runtime.ErrorCategory.LIMIT);
        assertThat(b.used()).isEqualTo(60);
        s.release(60);
        assertThat(failure(s.reserve(100))).isNull();
    }

    @Test
    void aFullReplicaMakesAFetchWaitForBytesAnotherRunReleases() {
        FetchBudget b = budget("100", "150", "PT30S");
        FetchBudget.Share first = b.open();
        FetchBudget.Share second = b.open();
        assertThat(failure(first.reserve(100))).isNull();
        CompletableFuture<Void> waiting = second.reserve(80);
        assertThat(waiting).isNotDone();
        Object response = new Object();
        first.attach(response, 100);
        first.releaseBody(response); // handed to the worker
        assertThat(failure(waiting)).isNull();
        assertThat(b.used()).isEqualTo(80);
        assertThat(b.peak()).isEqualTo(100);
    }

    @Test
    void aReplicaThatStaysFullFailsTheFetchAfterTheWait() {
        FetchBudget b = budget("100", "150", "PT0.1S");
        FetchBudget.Share first = b.open();
        assertThat(failure(first.reserve(100))).isNull();
        Throwable t = failure(b.open().reserve(80));
        assertThat(t).isInstanceOf(FetchException.class).hasMessageContaining("jsw.executor.fetch.max-replica-bytes");
        assertThat(b.used()).isEqualTo(100);
    }

    @Test
    void endingARunReleasesEverythingAndRefusesMore() {
        FetchBudget b = budget("100", "150", "PT1S");
        FetchBudget.Share s = b.open();
        assertThat(failure(s.reserve(70))).isNull();
        s.attach(new Object(), 70);
        s.close();
        assertThat(b.used()).isZero();
        assertThat(failure(s.reserve(1))).isInstanceOf(FetchException.class);
        s.release(70); // a late release of a body of the ended run changes nothing
        assertThat(b.used()).isZero();
    }

    @Test
    void aConfigurationThatBoundsNothingIsRefused() {
        assertThatThrownBy(() -> FetchBudget.check(config("0", "100", "PT1S"))).hasMessageContaining("max-run-bytes");
        assertThatThrownBy(() -> FetchBudget.check(config("200", "100", "PT1S"))).hasMessageContaining("max-replica-bytes");
        FetchBudget.check(config("16777216", "134217728", "PT2S"));
    }
}
