package io.jsworkflows.executor.runtime;

import static io.jsworkflows.executor.runtime.GraalWorkflowRuntime.str;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One context holding an evaluated workflow module, used by one thread at a time: runs {@code start} under the run's
 * deadline (a watchdog cancels code that never yields) and turns how it ended into a {@link RunResult}. Why a class of
 * its own: one run's life in a context, apart from how contexts are made ({@link GraalSandbox}) and pooled
 * ({@link GraalWorkflowRuntime}). A context that timed out or hit a limit is not {@link #reusable}.
 */
final class WorkflowContext {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Context ctx;
    final HostBridge bridge;
    final Value workflowClass;
    final Value runFn;
    boolean reusable = true;
    private final RuntimeLimits limits;
    private final ScheduledExecutorService scheduler;

    WorkflowContext(Context ctx, HostBridge bridge, Value workflowClass, Value runFn, RuntimeLimits limits, ScheduledExecutorService scheduler) {
        this.limits = limits;
        this.scheduler = scheduler;
        this.ctx = ctx;
        this.bridge = bridge;
        this.workflowClass = workflowClass;
        this.runFn = runFn;
    }

    /** {@code t0} is when the run was asked for (its duration), {@code start} when its context was ready (its deadline). */
    RunResult run(RunRequest request, RunHost host, long t0, long start) {
        HostBridge.RunScope at = new HostBridge.RunScope(host, limits);
        Duration timeout = request.timeout();
        long deadline = start + timeout.toNanos();
        bridge.current = at;
        ctx.resetLimits(); // the statement limit counts per context, not per run
        // code that never yields keeps this thread inside JavaScript: only another thread can cancel it
        ScheduledFuture<?> watchdog = scheduler.schedule(() -> {
            at.timedOut = true;
            GraalSandbox.closeQuietly(ctx);
        }, Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        RunResult.Outcome outcome;
        String error;
        try {
            runFn.executeVoid(workflowClass, request.dataJson(), JSON.writeValueAsString(request.headers()),
                    (ProxyExecutable) a -> {
                        at.finished = true;
                        return null;
                    },
                    (ProxyExecutable) a -> {
                        at.finished = true;
                        at.failure = a.length > 0 ? str(a[0]) : "the workflow failed";
                        return null;
                    });
            at.loop.runUntil(() -> at.finished, deadline);
            outcome = at.failure == null ? RunResult.Outcome.SUCCEEDED : RunResult.Outcome.FAILED;
            error = at.failure;
        } catch (TimeoutException e) {
            reusable = false;
            outcome = RunResult.Outcome.TIMEOUT;
            error = deadlineMessage(timeout);
        } catch (IllegalStateException e) {
            reusable = false;
            outcome = RunResult.Outcome.LIMIT;
            error = e.getMessage();
        } catch (PolyglotException e) {
            reusable = false;
            // the statement limit cancels the context too: ask for it first, or a run that ran out of statements
            // before its deadline (quickly, with the Graal compiler) would be blamed on the deadline
            if (e.isResourceExhausted() && !at.timedOut) {
                outcome = RunResult.Outcome.LIMIT;
                error = "limit reached: the run executed more than " + limits.statementLimit()
                        + " JavaScript statements (jsw.executor.limits.statements)";
            } else if (e.isCancelled() || e.isInterrupted() || at.timedOut) {
                outcome = RunResult.Outcome.TIMEOUT;
                error = deadlineMessage(timeout);
            } else if (e.isGuestException()) {
                outcome = RunResult.Outcome.FAILED;
                error = e.getMessage();
            } else {
                outcome = RunResult.Outcome.FAILED;
                error = "the runtime failed: " + e.getMessage();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reusable = false;
            outcome = RunResult.Outcome.TIMEOUT;
            error = "the run was interrupted because the executor is stopping";
        } catch (JsonProcessingException e) {
            outcome = RunResult.Outcome.FAILED;
            error = "the trigger headers could not be passed to the workflow";
        } finally {
            if (!watchdog.cancel(false)) {
                reusable = false; // the watchdog ran or is running: the context is closed or closing
            }
            at.timers.values().forEach(f -> f.cancel(false));
            at.loop.close();
            bridge.current = null;
        }
        return new RunResult(outcome, error, at.console.lines(), System.nanoTime() - t0);
    }

    void close() {
        GraalSandbox.closeQuietly(ctx);
    }

    private static String deadlineMessage(Duration timeout) {
        return "the run did not finish within its deadline of " + GraalWorkflowRuntime.human(timeout) + " and was cancelled";
    }
}
