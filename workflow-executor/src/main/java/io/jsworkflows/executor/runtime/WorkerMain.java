package io.jsworkflows.executor.runtime;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.jsworkflows.executor.runtime.WorkerMessage.Check;
import io.jsworkflows.executor.runtime.WorkerMessage.Checked;
import io.jsworkflows.executor.runtime.WorkerMessage.Evict;
import io.jsworkflows.executor.runtime.WorkerMessage.FetchCall;
import io.jsworkflows.executor.runtime.WorkerMessage.FetchReply;
import io.jsworkflows.executor.runtime.WorkerMessage.Hello;
import io.jsworkflows.executor.runtime.WorkerMessage.Init;
import io.jsworkflows.executor.runtime.WorkerMessage.NeedSource;
import io.jsworkflows.executor.runtime.WorkerMessage.Result;
import io.jsworkflows.executor.runtime.WorkerMessage.Run;
import io.jsworkflows.executor.runtime.WorkerMessage.TokenCall;
import io.jsworkflows.executor.runtime.WorkerMessage.TokenReply;

/**
 * Entry point of a worker JVM started by {@link ProcessWorkflowRuntime}: hosts the in-process {@link GraalWorkflowRuntime}.
 * Its stdin brings the limits and evictions; it connects {@code lanes} Unix domain sockets to the executor, and each
 * lane's own thread runs the JavaScript of the run that arrives on it and reads the answers to that run's token and fetch
 * requests itself (no hand-off between threads). The worker dies with the executor: when its stdin closes, a lane
 * breaks, or the executor's pid disappears.
 */
public final class WorkerMain {

    private final GraalWorkflowRuntime runtime;
    /** Sources by workflow version, so that the executor sends each only once per worker. */
    private final Map<String, String> sources = new ConcurrentHashMap<>();

    private WorkerMain(GraalWorkflowRuntime runtime) {
        this.runtime = runtime;
    }

    public static void main(String[] args) throws IOException {
        long parent = Long.parseLong(args[0]);
        // watchdog: a worker never outlives the executor that started it, however the executor ended
        ProcessHandle.of(parent).ifPresentOrElse(h -> h.onExit().thenRun(() -> Runtime.getRuntime().halt(3)), () -> Runtime.getRuntime().halt(3));
        System.setOut(System.err); // nothing of the worker's belongs on stdout
        DataInputStream control = new DataInputStream(new BufferedInputStream(System.in, 1 << 12));
        try {
            Init init = (Init) WorkerProtocol.read(control);
            WorkerMain worker = new WorkerMain(new GraalWorkflowRuntime(init.limits()));
            for (int i = 0; i < init.lanes(); i++) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(init.socket()));
                Lane lane = new Lane(ch);
                lane.send(new Hello(init.nonce(), worker.runtime.engineName()));
                Thread t = new Thread(() -> worker.serve(lane), "jsw-lane-" + i);
                t.setDaemon(true);
                t.start();
            }
            while (true) {
                if (WorkerProtocol.read(control) instanceof Evict e) {
                    worker.runtime.evict(e.workflowId(), e.keepVersion());
                    String prefix = e.workflowId() + "@";
                    worker.sources.keySet().removeIf(k -> k.startsWith(prefix) && !k.equals(key(e.workflowId(), e.keepVersion())));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the executor closed the channel (or is gone): nothing left to serve
            Runtime.getRuntime().halt(0);
        }
    }

    private static String key(String workflowId, long version) {
        return workflowId + "@" + version;
    }

    /** One lane: runs and checks, one at a time, on this thread. */
    private void serve(Lane lane) {
        try {
            while (true) {
                WorkerMessage m = lane.next(-1);
                switch (m) {
                    case Run r -> run(lane, r);
                    case Check c -> {
                        String error = null;
                        try {
                            runtime.check(c.workflowId(), c.source());
                        } catch (InvalidWorkflowException e) {
                            error = e.getMessage();
                        }
                        lane.send(new Checked(error));
                    }
                    default -> {
                        // a late answer to a call of a run that already ended: dropped
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // a lane breaks only when the executor is gone or gave this worker up
            Runtime.getRuntime().halt(0);
        }
    }

    private void run(Lane lane, Run r) throws IOException {
        String key = key(r.workflowId(), r.version());
        String source = r.source();
        if (source != null) {
            sources.put(key, source);
        } else if ((source = sources.get(key)) == null) {
            lane.send(new NeedSource());
            return;
        }
        long t0 = System.nanoTime();
        RunResult result;
        lane.tokens = r.tokens();
        try {
            result = runtime.run(new RunRequest(r.workflowId(), r.version(), source, r.dataJson(), r.headers(), Duration.ofNanos(r.timeoutNanos())),
                    lane);
        } catch (RuntimeException e) {
            result = new RunResult(RunResult.Outcome.FAILED, "the runtime failed: " + e.getClass().getSimpleName(), List.of(), System.nanoTime() - t0);
        } finally {
            lane.calls.clear();
            lane.tokens = null;
        }
        lane.send(new Result(result));
    }

    /**
     * A lane's socket, used only by its own thread except {@link #wakeup}. Non-blocking with a selector, so that the run's
     * event loop can wait for an answer and a timer at once.
     */
    private static final class Lane implements RunHost, RunHost.Inbox {
        final SocketChannel ch;
        final Selector selector;
        final SelectionKey key;
        /** Token and fetch calls of the current run awaiting their answer. */
        final Map<Long, CompletableFuture<?>> calls = new HashMap<>();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        long nextCall;
        /** Tokens that came with the current run, by handle. */
        Map<String, String> tokens;

        Lane(SocketChannel ch) throws IOException {
            this.ch = ch;
            ch.configureBlocking(false);
            this.selector = Selector.open();
            this.key = ch.register(selector, SelectionKey.OP_READ);
        }

        void send(WorkerMessage m) throws IOException {
            ByteBuffer b = WorkerProtocol.encode(m);
            while (b.hasRemaining()) {
                if (ch.write(b) == 0) {
                    // the executor reads every lane while it hosts a call: this wait ends
                    key.interestOps(SelectionKey.OP_WRITE);
                    selector.select(1000);
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
        }

        /** The next message, waiting at most {@code nanos} (-1: no limit); null when none arrived in time or on wakeup. */
        WorkerMessage next(long nanos) throws IOException {
            WorkerMessage m = parse();
            if (m != null) {
                return m;
            }
            long deadline = nanos < 0 ? Long.MAX_VALUE : System.nanoTime() + nanos;
            while (true) {
                int n = ch.read(in);
                if (n < 0) {
                    throw new java.io.EOFException("lane closed");
                }
                if (n > 0 && (m = parse()) != null) {
                    return m;
                }
                if (n > 0) {
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (nanos >= 0 && left <= 0) {
                    return null;
                }
                int ready = nanos < 0 ? selector.select() : selector.select(Math.max(1, (left + 999_999) / 1_000_000));
                selector.selectedKeys().clear();
                if (ready == 0 && nanos >= 0) {
                    // timed out or woken up (a timer posted work): let the event loop look
                    if ((m = readAvailable()) != null) {
                        return m;
                    }
                    return null;
                }
            }
        }

        private WorkerMessage readAvailable() throws IOException {
            int n = ch.read(in);
            if (n < 0) {
                throw new java.io.EOFException("lane closed");
            }
            return parse();
        }

        /** A complete frame from the input buffer, or null. */
        private WorkerMessage parse() throws IOException {
            if (in.position() < 4) {
                return null;
            }
            int len = in.getInt(0);
            if (len < 1 || len > WorkerProtocol.MAX_FRAME) {
                throw new IOException("broken worker channel: frame of " + len + " bytes");
            }
            if (in.position() < 4 + len) {
                if (in.capacity() < 4 + len) {
                    ByteBuffer bigger = ByteBuffer.allocate(4 + len);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
                return null;
            }
            in.flip();
            ByteBuffer body = in.slice(4, len);
            WorkerMessage m = WorkerProtocol.decode(body);
            in.position(4 + len);
            in.compact();
            if (in.capacity() > 1 << 20 && in.position() < 1 << 16) {
                // do not keep a large response's buffer for the rest of the worker's life
                ByteBuffer small = ByteBuffer.allocate(1 << 16);
                in.flip();
                small.put(in);
                in = small;
            }
            return m;
        }

        @Override
        public Inbox inbox() {
            return this;
        }

        @Override
        public void pump(long nanos) {
            try {
                WorkerMessage m = next(nanos);
                while (m != null) {
                    deliver(m);
                    m = parse(); // more that arrived together
                }
            } catch (IOException e) {
                // the executor is gone or gave this worker up
                Runtime.getRuntime().halt(0);
            }
        }

        @SuppressWarnings("unchecked")
        private void deliver(WorkerMessage m) throws IOException {
            switch (m) {
                case TokenReply t -> {
                    CompletableFuture<?> c = calls.remove(t.call());
                    if (c != null) {
                        ((CompletableFuture<TokenResult>) c).complete(t.token());
                    }
                }
                case FetchReply f -> {
                    CompletableFuture<?> c = calls.remove(f.call());
                    if (c != null) {
                        CompletableFuture<FetchResponse> r = (CompletableFuture<FetchResponse>) c;
                        if (f.response() != null) {
                            r.complete(f.response());
                        } else {
                            r.completeExceptionally(new FetchException(ErrorCategory.ofWire(f.category()), f.error()));
                        }
                    }
                }
                default -> throw new IOException("broken worker channel: " + m.getClass().getSimpleName() + " during a run");
            }
        }

        @Override
        public void wakeup() {
            selector.wakeup();
        }

        @Override
        public CompletableFuture<TokenResult> getOAuthToken(String handle) {
            String ready = tokens == null ? null : tokens.get(handle);
            if (ready != null) {
                return CompletableFuture.completedFuture(TokenResult.ok(ready));
            }
            return ask(id -> new TokenCall(id, handle));
        }

        @Override
        public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
            return ask(id -> new FetchCall(id, request));
        }

        /** Sends a call of the current run to the executor; its answer completes the future in {@link #deliver}. */
        private <T> CompletableFuture<T> ask(java.util.function.LongFunction<WorkerMessage> call) {
            long id = ++nextCall;
            CompletableFuture<T> c = new CompletableFuture<>();
            calls.put(id, c);
            try {
                send(call.apply(id));
            } catch (IOException e) {
                Runtime.getRuntime().halt(0); // the executor is gone
            }
            return c;
        }
    }
}
