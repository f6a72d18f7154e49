package io.jsworkflows.executor.runtime;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.jsworkflows.executor.runtime.WorkerMessage.Checked;
import io.jsworkflows.executor.runtime.WorkerMessage.FetchCall;
import io.jsworkflows.executor.runtime.WorkerMessage.FetchReply;
import io.jsworkflows.executor.runtime.WorkerMessage.NeedSource;
import io.jsworkflows.executor.runtime.WorkerMessage.Result;
import io.jsworkflows.executor.runtime.WorkerMessage.Run;
import io.jsworkflows.executor.runtime.WorkerMessage.TokenCall;
import io.jsworkflows.executor.runtime.WorkerMessage.TokenReply;

/**
 * One run slot of a worker: a Unix-socket connection that hosts one run or check at a time and is read by the thread
 * that made the call, which answers token requests inline and hands fetch requests to the {@link RunHost} (whose
 * completion writes the answer). Why a class of its own: this is the executor's half of the protocol for one call;
 * which lane a call gets, and what a dead worker means for it, are the pool's and the runtime's business.
 */
final class WorkerLane {

    private static final Logger LOG = Logger.getLogger(WorkerLane.class.getName());

    final WorkerProcess worker;
    final SocketChannel ch;
    private final DataInputStream in;
    private final ScheduledExecutorService timers;

    WorkerLane(WorkerProcess worker, SocketChannel ch, DataInputStream in, ScheduledExecutorService timers) {
        this.worker = worker;
        this.ch = ch;
        this.in = in;
        this.timers = timers;
    }

    /** The call's worker died: {@code alone} when the call was the only one it was hosting; {@code stopping} when the executor is. */
    static final class WorkerDied extends Exception {
        final boolean alone;
        final boolean stopping;

        WorkerDied(boolean alone, boolean stopping) {
            super(null, null, false, false);
            this.alone = alone;
            this.stopping = stopping;
        }
    }

    /** Writes a frame; from the calling thread or the thread that completes a host call. */
    void send(WorkerMessage m) throws IOException {
        ByteBuffer b = WorkerProtocol.encode(m);
        synchronized (this) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    private void reply(WorkerMessage m) {
        try {
            send(m);
        } catch (IOException e) {
            // the worker is gone: the calling thread learns it from its read
        }
    }

    /**
     * Sends a run or check and reads the lane until its answer ({@link Result} or {@link Checked}).
     *
     * @param version workflow@version of a run, whose source the worker keeps once it has it; null for a check
     * @param limit   how long before a worker that has not answered is taken for stuck and killed
     */
    WorkerMessage call(WorkerMessage request, String version, RunHost host, Duration limit) throws WorkerDied {
        worker.active.incrementAndGet();
        // the worker's own watchdog ends a run at its deadline; one that does not answer long after is stuck (GC thrashing, ...)
        ScheduledFuture<?> stuck = timers.schedule(() -> {
            LOG.warning("workflow worker " + worker.process.pid() + " did not answer within " + limit + "; killing it");
            worker.die();
        }, limit.toNanos(), TimeUnit.NANOSECONDS);
        try {
            WorkerMessage first = request;
            if (request instanceof Run r && r.source() != null && worker.known.contains(version)) {
                first = new Run(r.workflowId(), r.version(), null, r.dataJson(), r.headers(), r.timeoutNanos(), r.tokens());
            }
            send(first);
            if (version != null && first == request) {
                worker.known.add(version);
            }
            while (true) {
                WorkerMessage m = WorkerProtocol.read(in);
                switch (m) {
                    case TokenCall t -> token(t, host);
                    case FetchCall f -> fetch(f, host);
                    case NeedSource n -> {
                        send(request); // the worker lost or never had it (a replacement, an eviction)
                        worker.known.add(version);
                    }
                    case Result r -> {
                        return r;
                    }
                    case Checked c -> {
                        return c;
                    }
                    default -> throw new IOException("broken worker channel: " + m.getClass().getSimpleName());
                }
            }
        } catch (ClosedByInterruptException e) {
            // the executor is stopping; the lane is closed, and with it this worker
            Thread.currentThread().interrupt();
            worker.die();
            throw new WorkerDied(false, true);
        } catch (IOException | RuntimeException e) {
            worker.die();
            throw new WorkerDied(worker.activeAtDeath == 1, false);
        } finally {
            stuck.cancel(false);
            worker.active.decrementAndGet();
        }
    }

    private void token(TokenCall t, RunHost host) {
        CompletableFuture<RunHost.TokenResult> r;
        try {
            r = host == null
                    ? CompletableFuture.completedFuture(RunHost.TokenResult.error("api.getOAuthToken is only available while a run is in progress"))
                    : host.getOAuthToken(t.handle());
        } catch (RuntimeException e) {
            r = CompletableFuture.failedFuture(e);
        }
        // usually complete at once (the token view): answered on this thread
        r.whenComplete((tok, e) -> reply(new TokenReply(t.call(), e == null ? tok
                : RunHost.TokenResult.error("The token lookup failed unexpectedly; the run will be retried."))));
    }

    private void fetch(FetchCall f, RunHost host) {
        CompletableFuture<RunHost.FetchResponse> r;
        try {
            r = host == null
                    ? CompletableFuture.failedFuture(new RunHost.FetchException(ErrorCategory.INVALID, "fetch is only available while a run is in progress"))
                    : host.fetch(f.request());
        } catch (RuntimeException e) {
            r = CompletableFuture.failedFuture(e);
        }
        // answered by the thread that completes the request (the HTTP client's), while the calling thread reads on
        r.whenComplete((resp, e) -> {
            if (e == null) {
                reply(new FetchReply(f.call(), resp, null, null));
                host.handedOver(resp); // written to the worker: the executor's copy may go
            } else {
                Throwable u = EventLoop.unwrap(e);
                reply(u instanceof RunHost.FetchException fe ? new FetchReply(f.call(), null, fe.category().name(), fe.getMessage())
                        : new FetchReply(f.call(), null, "NETWORK", u.getClass().getSimpleName()
                                + (u.getMessage() == null ? "" : ": " + u.getMessage())));
            }
        });
    }
}
