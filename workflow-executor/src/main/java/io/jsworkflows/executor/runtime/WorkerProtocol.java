package io.jsworkflows.executor.runtime;

import static io.jsworkflows.executor.runtime.FrameFields.map;
import static io.jsworkflows.executor.runtime.FrameFields.pairs;
import static io.jsworkflows.executor.runtime.FrameFields.str;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.jsworkflows.contracts.events.RunEvent.ConsoleLine;
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
 * The frame codec of the executor–worker channel ({@link WorkerMessage}): a 4-byte big-endian length, a type byte, then
 * the fields ({@link FrameFields}). Only plain data crosses; tokens travel only with a run or as answers to its own
 * {@code getOAuthToken} request, never into logs. Hand-written: one allocation per frame and no reflection, on a path
 * that every run crosses four times.
 */
final class WorkerProtocol {

    /** A frame larger than this is a broken channel, not a message (record and response bodies are bounded far below). */
    static final int MAX_FRAME = 64 * 1024 * 1024;

    private WorkerProtocol() {
    }

    private static final int INIT = 1, EVICT = 2, HELLO = 3, RUN = 4, NEED_SOURCE = 5, RESULT = 6, CHECK = 7, CHECKED = 8,
            TOKEN_CALL = 9, TOKEN_REPLY = 10, FETCH_CALL = 11, FETCH_REPLY = 12;
    private static final RunResult.Outcome[] OUTCOMES = RunResult.Outcome.values();

    /** The frame of a message: length prefix included, ready to write. */
    static ByteBuffer encode(WorkerMessage m) {
        // a fetch answer's frame is sized for its body (exact for ASCII), so a large body is not copied while the buffer doubles
        FrameFields.Out o = new FrameFields.Out(m instanceof FetchReply f && f.response() != null && f.response().body() != null
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
                    str(d, h.engine());
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
    static WorkerMessage decode(ByteBuffer body) throws IOException {
        return decode(new DataInputStream(new FrameFields.ByteBufferInput(body)));
    }

    /** Reads one frame from a stream; {@link java.io.EOFException} when the other side closed it. */
    static WorkerMessage read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > MAX_FRAME) {
            throw new IOException("broken worker channel: frame of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return decode(ByteBuffer.wrap(b));
    }

    private static WorkerMessage decode(DataInput d) throws IOException {
        int type = d.readByte();
        return switch (type) {
            case INIT -> new Init(new RuntimeLimits(d.readLong(), d.readInt(), d.readInt(), d.readInt(), d.readInt(), d.readInt(),
                    Duration.ofNanos(d.readLong()), d.readInt()), str(d), str(d), d.readInt());
            case EVICT -> new Evict(str(d), d.readLong());
            case HELLO -> new Hello(str(d), str(d));
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
}
