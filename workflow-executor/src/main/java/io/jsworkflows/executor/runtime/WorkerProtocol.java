package io.jsworkflows.executor.runtime;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jsworkflows.contracts.events.RunEvent.ConsoleLine;

/**
 * The messages between the executor and a worker JVM, in a compact binary form: a 4-byte big-endian length, a type
 * byte, then the fields (strings as a 4-byte UTF-8 length, -1 for null, and the bytes). Only plain data crosses; tokens
 * travel only as answers to a run's own {@code getOAuthToken} request, never into logs.
 *
 * <p>Two channels: the worker's stdin carries {@link Init} and {@link Evict} (and its end tells the worker the executor
 * is gone); each of the worker's lanes is a Unix domain socket that hosts one run or check at a time: {@link Run} /
 * {@link Check} from the executor, {@link TokenCall} / {@link FetchCall} from the worker with their replies, then
 * {@link Result} / {@link Checked}. A lane opens with {@link Hello} from the worker.
 */
final class WorkerProtocol {

    /** A frame larger than this is a broken channel, not a message (record and response bodies are bounded far below). */
    static final int MAX_FRAME = 64 * 1024 * 1024;

    private WorkerProtocol() {
    }

    /** A message; the executor also uses it for answers of its own (no worker available, stopping), never sent. */
    interface Msg {
    }

    /** stdin, first: the runtime's limits, where to connect the lanes, and the nonce that proves a lane is this worker's. */
    record Init(RuntimeLimits limits, String socket, String nonce, int lanes) implements Msg {
    }

    /** stdin: drop pooled state of the workflow's versions other than {@code keepVersion}. */
    record Evict(String workflowId, long keepVersion) implements Msg {
    }

    /** lane, worker → executor, first frame. */
    record Hello(String nonce) implements Msg {
    }

    /**
     * A run; {@code source} is null when the executor believes the worker has it already (by workflow version);
     * {@code tokens} by handle: those of the handles the source names that were ready at once (see {@link RunHost#tokenNow}).
     */
    record Run(String workflowId, long version, String source, String dataJson, Map<String, String> headers, long timeoutNanos,
            Map<String, String> tokens) implements Msg {
    }

    /** The worker does not know the run's source: the executor sends the run again with it. */
    record NeedSource() implements Msg {
    }

    record Result(RunResult result) implements Msg {
    }

    record Check(String workflowId, String source) implements Msg {
    }

    record Checked(String error) implements Msg {
    }

    record TokenCall(long call, String handle) implements Msg {
    }

    record TokenReply(long call, RunHost.TokenResult token) implements Msg {
    }

    record FetchCall(long call, RunHost.FetchRequest request) implements Msg {
    }

    /** Either {@code response} or {@code category} + {@code error}. */
    record FetchReply(long call, RunHost.FetchResponse response, String category, String error) implements Msg {
    }

    private static final int INIT = 1, EVICT = 2, HELLO = 3, RUN = 4, NEED_SOURCE = 5, RESULT = 6, CHECK = 7, CHECKED = 8,
            TOKEN_CALL = 9, TOKEN_REPLY = 10, FETCH_CALL = 11, FETCH_REPLY = 12;
    private static final RunResult.Outcome[] OUTCOMES = RunResult.Outcome.values();

    /** The frame of a message: length prefix included, ready to write. */
    static ByteBuffer encode(Msg m) {
        // a fetch answer's frame is sized for its body (exact for ASCII), so a large body is not copied while the buffer doubles
        Out o = new Out(m instanceof FetchReply f && f.response() != null && f.response().body() != null
                ? 1024 + f.response().body().length() : 512);
        DataOutputStream d = o.data;
        try {
            d.writeInt(0); // length, patched below
            switch (m) {
                case Init i -> {
                    d.writeByte(INIT);
                    RuntimeLimits l = i.limits();
                    d.writeLong(l.statementLimit());
                    d.writeInt(l.consoleLines());
                    d.writeInt(l.consoleLineChars());
                    d.writeInt(l.consoleTotalChars());
                    d.writeInt(l.fetchCalls());
                    d.writeInt(l.timers());
                    d.writeLong(l.checkTimeout().toNanos());
                    d.writeInt(l.poolSizePerVersion());
                    str(d, i.socket());
                    str(d, i.nonce());
                    d.writeInt(i.lanes());
                }
                case Evict e -> {
                    d.writeByte(EVICT);
                    str(d, e.workflowId());
                    d.writeLong(e.keepVersion());
                }
                case Hello h -> {
                    d.writeByte(HELLO);
                    str(d, h.nonce());
                }
                case Run r -> {
                    d.writeByte(RUN);
                    str(d, r.workflowId());
                    d.writeLong(r.version());
                    str(d, r.source());
                    str(d, r.dataJson());
                    map(d, r.headers());
                    d.writeLong(r.timeoutNanos());
                    map(d, r.tokens());
                }
                case NeedSource n -> d.writeByte(NEED_SOURCE);
                case Result r -> {
                    d.writeByte(RESULT);
                    RunResult x = r.result();
                    d.writeByte(x.outcome().ordinal());
                    str(d, x.error());
                    d.writeInt(x.console().size());
                    for (ConsoleLine c : x.console()) {
                        str(d, c.level());
                        str(d, c.message());
                    }
                    d.writeLong(x.durationNanos());
                }
                case Check c -> {
                    d.writeByte(CHECK);
                    str(d, c.workflowId());
                    str(d, c.source());
                }
                case Checked c -> {
                    d.writeByte(CHECKED);
                    str(d, c.error());
                }
                case TokenCall t -> {
                    d.writeByte(TOKEN_CALL);
                    d.writeLong(t.call());
                    str(d, t.handle());
                }
                case TokenReply t -> {
                    d.writeByte(TOKEN_REPLY);
                    d.writeLong(t.call());
                    str(d, t.token().token());
                    str(d, t.token().error());
                }
                case FetchCall f -> {
                    d.writeByte(FETCH_CALL);
                    d.writeLong(f.call());
                    RunHost.FetchRequest q = f.request();
                    str(d, q.url());
                    str(d, q.method());
                    pairs(d, q.headers());
                    str(d, q.body());
                }
                case FetchReply f -> {
                    d.writeByte(FETCH_REPLY);
                    d.writeLong(f.call());
                    RunHost.FetchResponse r = f.response();
                    d.writeBoolean(r != null);
                    if (r != null) {
                        d.writeInt(r.status());
                        str(d, r.statusText());
                        str(d, r.url());
                        pairs(d, r.headers());
                        str(d, r.body());
                    } else {
                        str(d, f.category());
                        str(d, f.error());
                    }
                }
                default -> throw new IllegalArgumentException("not a worker message: " + m.getClass().getSimpleName());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory: cannot happen
        }
        ByteBuffer b = o.buffer();
        if (b.remaining() - 4 > MAX_FRAME) {
            throw new IllegalArgumentException("a worker message of " + b.remaining() + " bytes is larger than the channel allows");
        }
        b.putInt(0, b.remaining() - 4);
        return b;
    }

    /** Decodes one frame body (without its length prefix). */
    static Msg decode(ByteBuffer body) throws IOException {
        return decode(new DataInputStream(new ByteBufferInput(body)));
    }

    /** Reads one frame from a stream; {@link java.io.EOFException} when the other side closed it. */
    static Msg read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > MAX_FRAME) {
            throw new IOException("broken worker channel: frame of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return decode(ByteBuffer.wrap(b));
    }

    private static Msg decode(DataInput d) throws IOException {
        int type = d.readByte();
        return switch (type) {
            case INIT -> new Init(new RuntimeLimits(d.readLong(), d.readInt(), d.readInt(), d.readInt(), d.readInt(), d.readInt(),
                    Duration.ofNanos(d.readLong()), d.readInt()), str(d), str(d), d.readInt());
            case EVICT -> new Evict(str(d), d.readLong());
            case HELLO -> new Hello(str(d));
            case RUN -> {
                String id = str(d);
                long version = d.readLong();
                String source = str(d);
                String data = str(d);
                yield new Run(id, version, source, data, map(d), d.readLong(), map(d));
            }
            case NEED_SOURCE -> new NeedSource();
            case RESULT -> {
                RunResult.Outcome outcome = OUTCOMES[d.readByte()];
                String error = str(d);
                int n = d.readInt();
                List<ConsoleLine> console = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    console.add(new ConsoleLine(str(d), str(d)));
                }
                yield new Result(new RunResult(outcome, error, List.copyOf(console), d.readLong()));
            }
            case CHECK -> new Check(str(d), str(d));
            case CHECKED -> new Checked(str(d));
            case TOKEN_CALL -> new TokenCall(d.readLong(), str(d));
            case TOKEN_REPLY -> new TokenReply(d.readLong(), new RunHost.TokenResult(str(d), str(d)));
            case FETCH_CALL -> new FetchCall(d.readLong(), new RunHost.FetchRequest(str(d), str(d), pairs(d), str(d)));
            case FETCH_REPLY -> {
                long call = d.readLong();
                yield d.readBoolean() ? new FetchReply(call, new RunHost.FetchResponse(d.readInt(), str(d), str(d), pairs(d), str(d)), null, null)
                        : new FetchReply(call, null, str(d), str(d));
            }
            default -> throw new IOException("broken worker channel: unknown message type " + type);
        };
    }

    private static void str(DataOutputStream d, String s) throws IOException {
        if (s == null) {
            d.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    private static String str(DataInput d) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            return null;
        }
        if (n > MAX_FRAME) {
            throw new IOException("broken worker channel: string of " + n + " bytes");
        }
        byte[] b = new byte[n];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void map(DataOutputStream d, Map<String, String> m) throws IOException {
        if (m == null) {
            d.writeInt(-1);
            return;
        }
        d.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            str(d, e.getKey());
            str(d, e.getValue());
        }
    }

    private static Map<String, String> map(DataInput d) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            return null;
        }
        Map<String, String> m = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            m.put(str(d), str(d));
        }
        return m;
    }

    private static void pairs(DataOutputStream d, List<List<String>> pairs) throws IOException {
        if (pairs == null) {
            d.writeInt(-1);
            return;
        }
        d.writeInt(pairs.size());
        for (List<String> p : pairs) {
            str(d, p.get(0));
            str(d, p.size() > 1 ? p.get(1) : null);
        }
    }

    private static List<List<String>> pairs(DataInput d) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            return null;
        }
        List<List<String>> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String k = str(d);
            String v = str(d);
            l.add(v == null ? java.util.Collections.singletonList(k) : List.of(k, v));
        }
        return l;
    }

    /** A byte array output whose buffer is handed out without a copy. */
    private static final class Out extends ByteArrayOutputStream {
        final DataOutputStream data = new DataOutputStream(this);

        Out(int size) {
            super(size);
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    /** Reads a ByteBuffer's remaining bytes. */
    private static final class ByteBufferInput extends InputStream {
        private final ByteBuffer b;

        ByteBufferInput(ByteBuffer b) {
            this.b = b;
        }

        @Override
        public int read() {
            return b.hasRemaining() ? b.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (!b.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, b.remaining());
            b.get(dst, off, n);
            return n;
        }
    }
}
