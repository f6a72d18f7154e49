package io.jsworkflows.executor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.RunEvent.ConsoleLine;
import io.jsworkflows.executor.runtime.WorkerProtocol.Msg;

/** Every message survives its binary form, nulls and non-ASCII text included; broken frames fail loudly. */
class WorkerProtocolTest {

    static Msg roundTrip(Msg m) throws IOException {
        ByteBuffer b = WorkerProtocol.encode(m);
        byte[] bytes = Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
        return WorkerProtocol.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void everyMessageRoundTrips() throws IOException {
        List<Msg> all = List.of(
                new WorkerProtocol.Init(new RuntimeLimits(7, 1, 2, 3, 4, 5, Duration.ofMillis(1500), 6), "/tmp/x/lanes.sock", "ab12", 8),
                new WorkerProtocol.Evict("wf", 3),
                new WorkerProtocol.Hello("ab12"),
                new WorkerProtocol.Run("wf", 2, "export class Workflow {}", "{\"name\":\"Zoë ✓\"}", Map.of("X-A", "1", "X-B", ""), 30_000_000_000L,
                        Map.of("my-hubspot", "tok")),
                new WorkerProtocol.Run("wf", 2, null, "{}", null, 1, null),
                new WorkerProtocol.NeedSource(),
                new WorkerProtocol.Result(new RunResult(RunResult.Outcome.LIMIT, "limit reached: ∞", List.of(new ConsoleLine("warn", "ü")), 42)),
                new WorkerProtocol.Result(new RunResult(RunResult.Outcome.SUCCEEDED, null, List.of(), 1)),
                new WorkerProtocol.Check("wf", "src"),
                new WorkerProtocol.Checked(null),
                new WorkerProtocol.TokenCall(9, "my-hubspot"),
                new WorkerProtocol.TokenReply(9, RunHost.TokenResult.error("No connection named 'x'")),
                new WorkerProtocol.FetchCall(10, new RunHost.FetchRequest("https://api.hubapi.com/x", "POST",
                        List.of(List.of("content-type", "application/json"), Collections.singletonList("x-empty")), null)),
                new WorkerProtocol.FetchReply(10, new RunHost.FetchResponse(201, "Created", "https://api.hubapi.com/x",
                        List.of(List.of("a", "b")), "{\"id\":\"1\"}"), null, null),
                new WorkerProtocol.FetchReply(11, null, "EGRESS_DENIED", "refused"));
        for (Msg m : all) {
            assertThat(roundTrip(m)).as(m.toString()).isEqualTo(m);
        }
    }

    @Test
    void aLargeBodyCrossesWhole() throws IOException {
        String body = "x".repeat(3_000_000);
        var reply = (WorkerProtocol.FetchReply) roundTrip(new WorkerProtocol.FetchReply(1, new RunHost.FetchResponse(200, "OK", "u",
                new ArrayList<>(), body), null, null));
        assertThat(reply.response().body()).hasSize(3_000_000);
    }

    @Test
    void brokenFramesAreRejected() {
        assertThatThrownBy(() -> WorkerProtocol.read(new DataInputStream(new ByteArrayInputStream(new byte[] { 0x7f, 0, 0, 0 }))))
                .isInstanceOf(IOException.class).hasMessageContaining("broken worker channel");
        assertThatThrownBy(() -> WorkerProtocol.read(new DataInputStream(new ByteArrayInputStream(new byte[] { 0, 0, 0, 1, 99 }))))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown message type 99");
        assertThatThrownBy(() -> WorkerProtocol.read(new DataInputStream(new ByteArrayInputStream(new byte[] { 0, 0 }))))
                .isInstanceOf(EOFException.class);
    }
}
