package io.jsworkflows.executor.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.jsworkflows.executor.runtime.WorkerProtocol.Frame;

/**
 * Entry point of a worker JVM started by {@link ProcessWorkflowRuntime}: hosts the in-process {@link GraalWorkflowRuntime}
 * and serves run and check requests from its stdin, answering on its stdout. Tokens and fetch are asked of the executor
 * (the run's {@link RunHost} lives there). The worker dies with the executor: when its stdin closes or the executor's
 * pid disappears.
 */
public final class WorkerMain {

    private final DataOutputStream out;
    private final Map<Long, CompletableFuture<Frame>> calls = new ConcurrentHashMap<>();
    private final AtomicLong callIds = new AtomicLong();

    private WorkerMain(DataOutputStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        long parent = Long.parseLong(args[0]);
        // watchdog: a worker never outlives the executor that started it, however the executor ended
        ProcessHandle.of(parent).ifPresentOrElse(h -> h.onExit().thenRun(() -> Runtime.getRuntime().halt(3)), () -> Runtime.getRuntime().halt(3));
        DataOutputStream frames = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(System.err); // stdout carries frames only
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        new WorkerMain(frames).serve(in);
    }

    private void serve(DataInputStream in) {
        ExecutorService runs = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jsw-worker-run");
            t.setDaemon(true);
            return t;
        });
        try {
            Frame init = WorkerProtocol.read(in);
            GraalWorkflowRuntime runtime = new GraalWorkflowRuntime(init.limits());
            send(Frame.of("ready", 0));
            while (true) {
                Frame f = WorkerProtocol.read(in);
                switch (f.type()) {
                    case "run" -> runs.execute(() -> {
                        long t0 = System.nanoTime();
                        RunResult r;
                        try {
                            r = runtime.run(f.run(), new RemoteHost(f.id()));
                        } catch (RuntimeException e) {
                            r = new RunResult(RunResult.Outcome.FAILED, "the runtime failed: " + e.getClass().getSimpleName(), java.util.List.of(),
                                    System.nanoTime() - t0);
                        }
                        send(Frame.result(f.id(), r));
                    });
                    case "check" -> runs.execute(() -> {
                        try {
                            runtime.check(f.workflowId(), f.source());
                            send(Frame.checked(f.id(), null));
                        } catch (InvalidWorkflowException e) {
                            send(Frame.checked(f.id(), e.getMessage()));
                        }
                    });
                    case "evict" -> runtime.evict(f.workflowId(), f.version());
                    case "reply" -> {
                        CompletableFuture<Frame> c = calls.remove(f.id());
                        if (c != null) {
                            c.complete(f);
                        }
                    }
                    default -> System.err.println("jsw worker: unknown frame " + f.type());
                }
            }
        } catch (IOException e) {
            // the executor closed the channel (or is gone): nothing left to serve
            Runtime.getRuntime().halt(0);
        }
    }

    private void send(Frame f) {
        try {
            synchronized (out) {
                WorkerProtocol.write(out, f);
            }
        } catch (IOException e) {
            Runtime.getRuntime().halt(0);
        }
    }

    /** The run's host callbacks, answered by the executor. */
    private final class RemoteHost implements RunHost {
        private final long run;

        RemoteHost(long run) {
            this.run = run;
        }

        private CompletableFuture<Frame> ask(long id, Frame request) {
            CompletableFuture<Frame> c = new CompletableFuture<>();
            calls.put(id, c);
            send(request);
            return c;
        }

        @Override
        public CompletableFuture<TokenResult> getOAuthToken(String handle) {
            long id = callIds.incrementAndGet();
            return ask(id, Frame.tokenRequest(id, run, handle)).thenApply(Frame::token);
        }

        @Override
        public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
            long id = callIds.incrementAndGet();
            return ask(id, Frame.fetchRequest(id, run, request)).thenApply(f -> {
                if (f.response() == null) {
                    throw new FetchException(f.errorCategory() == null ? "NETWORK" : f.errorCategory(), f.error());
                }
                return f.response();
            });
        }
    }
}
