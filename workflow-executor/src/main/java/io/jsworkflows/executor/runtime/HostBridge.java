package io.jsworkflows.executor.runtime;

import static io.jsworkflows.executor.runtime.GraalWorkflowRuntime.str;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jsworkflows.executor.runtime.RunHost.FetchException;
import io.jsworkflows.executor.runtime.RunHost.FetchRequest;
import io.jsworkflows.executor.runtime.RunHost.FetchResponse;

/**
 * The {@code host} object the prelude closes over, one per context: console, fetch, tokens and timers of the run that
 * currently uses the context, each bounded by the runtime's limits. Why a class of its own: this is the only door from
 * the guest to the platform, so it is kept small and apart from the contexts' life cycle.
 */
final class HostBridge {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RuntimeLimits limits;
    private final ScheduledExecutorService scheduler;
    /** The run using the context now; null between runs (a call then is refused). */
    RunScope current;

    HostBridge(RuntimeLimits limits, ScheduledExecutorService scheduler) {
        this.limits = limits;
        this.scheduler = scheduler;
    }

    /** State of the run that currently uses the context: its event loop, console, timers and counts. */
    static final class RunScope {
        final EventLoop loop;
        final RunHost host;
        final ConsoleBuffer console;
        final Map<Integer, ScheduledFuture<?>> timers = new HashMap<>();
        int fetches;
        int timerCount;
        int nextTimer = 1;
        boolean finished;
        String failure;
        volatile boolean timedOut;

        RunScope(RunHost host, RuntimeLimits limits) {
            this.host = host;
            this.console = new ConsoleBuffer(limits);
            this.loop = new EventLoop(host.inbox());
        }
    }


    ProxyObject proxy() {
        Map<String, Object> m = new HashMap<>();
        m.put("log", (ProxyExecutable) a -> {
            RunScope at = current;
            if (at != null) {
                at.console.add(str(a[0]), str(a[1]));
            }
            return null;
        });
        m.put("fetch", (ProxyExecutable) this::fetch);
        m.put("token", (ProxyExecutable) this::token);
        m.put("setTimer", (ProxyExecutable) this::setTimer);
        m.put("clearTimer", (ProxyExecutable) this::clearTimer);
        return ProxyObject.fromMap(m);
    }

    private Object fetch(Value... a) {
        Value resolve = a[1];
        Value reject = a[2];
        RunScope at = current;
        if (at == null) {
            reject.executeVoid("fetch is only available while a run is in progress (call it inside start)");
            return null;
        }
        if (++at.fetches > limits.fetchCalls()) {
            reject.executeVoid("limit reached: a run may make at most " + limits.fetchCalls()
                    + " fetch calls (jsw.executor.limits.fetch-calls)");
            return null;
        }
        CompletableFuture<FetchResponse> f;
        try {
            f = at.host.fetch(JSON.readValue(str(a[0]), FetchRequest.class));
        } catch (JsonProcessingException e) {
            f = CompletableFuture.failedFuture(new FetchException(ErrorCategory.INVALID, "the request could not be read"));
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        at.loop.track(f, r -> resolve.executeVoid(json(r)), t -> reject.executeVoid(message(t)));
        return null;
    }

    private Object token(Value... a) {
        Value callback = a[1];
        RunScope at = current;
        if (at == null) {
            callback.executeVoid(null, "api.getOAuthToken is only available while a run is in progress");
            return null;
        }
        CompletableFuture<RunHost.TokenResult> f;
        try {
            f = at.host.getOAuthToken(str(a[0]));
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        at.loop.track(f, r -> callback.executeVoid(r.token(), r.error()),
                t -> callback.executeVoid(null, "The token lookup failed: " + message(t)));
        return null;
    }

    private Object setTimer(Value... a) {
        RunScope at = current;
        if (at == null) {
            return "setTimeout is only available while a run is in progress";
        }
        if (++at.timerCount > limits.timers()) {
            return "limit reached: a run may call setTimeout at most " + limits.timers() + " times (jsw.executor.limits.timers)";
        }
        long delay = a[0].fitsInLong() ? a[0].asLong() : (long) a[0].asDouble();
        Value fn = a[1];
        int id = at.nextTimer++;
        at.loop.retain();
        at.timers.put(id, scheduler.schedule(() -> at.loop.post(() -> {
            if (at.timers.remove(id) != null) {
                at.loop.release();
                fn.executeVoid();
            }
        }), delay, TimeUnit.MILLISECONDS));
        return id;
    }

    private Object clearTimer(Value... a) {
        RunScope at = current;
        if (at != null && a[0].fitsInInt()) {
            ScheduledFuture<?> f = at.timers.remove(a[0].asInt());
            if (f != null) {
                f.cancel(false);
                at.loop.release();
            }
        }
        return null;
    }

    private static String json(FetchResponse r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String message(Throwable t) {
        Throwable u = EventLoop.unwrap(t);
        if (u instanceof FetchException fe) {
            return fe.getMessage();
        }
        return u.getClass().getSimpleName() + (u.getMessage() == null ? "" : ": " + u.getMessage());
    }
}
