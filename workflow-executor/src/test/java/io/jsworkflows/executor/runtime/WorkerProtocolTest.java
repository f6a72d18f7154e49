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

/** Every message survives its binary form, nulls and non-ASCII text included; broken frames fail loudly. */
class WorkerProtocolTest {

    static WorkerMessage roundTrip(WorkerMessage m) throws IOException {
        ByteBuffer b = WorkerProtocol.encode(m);
        byte[] bytes = Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
        return WorkerProtocol.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void everyMessageRoundTrips() throws IOException {
        List<WorkerMessage> all = List.of(
                new WorkerMessage.Init(new RuntimeLimits(7, 1, 2, 3, 4, 5, Duration.ofMillis(1500), 6), "/tmp/x/lanes.sock", "ab12", 8),
                new WorkerMessage.Evict("wf", 3),
                new WorkerMessage.Hello("ab12", "GraalVM CE"),
                new WorkerMessage.Run("wf", 2, "export class Workflow {}", "{\"name\":\"Zoë ✓\"}", Map.of("X-A", "1", "X-B", ""), 30_000_000_000L,
                        Map.of("my-hubspot", "tok")),
                new WorkerMessage.Run("wf", 2, null, "{}", null, 1, null),
                new WorkerMessage.NeedSource(),
                new WorkerMessage.Result(new RunResult(RunResult.Outcome.LIMIT, "limit reached: ∞", List.of(new ConsoleLine("warn", "ü")), 42)),
                new WorkerMessage.Result(new RunResult(RunResult.Outcome.SUCCEEDED, null, List.of(), 1)),
                new WorkerMessage.Check("wf", "src"),
                new WorkerMessage.Checked(null),
                new WorkerMessage.TokenCall(9, "my-hubspot"),
                new WorkerMessage.TokenReply(9, RunHost.TokenResult.error("No connection named 'x'")),
                new WorkerMessage.FetchCall(10, new RunHost.FetchRequest("https://api.hubapi.com/x", "POST",
                        List.of(List.of("content-type", "application/json"), Collections.singletonList("x-empty")), null)),
                new WorkerMessage.FetchReply(10, new RunHost.FetchResponse(201, "Created", "https://api.hubapi.com/x",
                        List.of(List.of("a", "b")), "{\"id\":\"1\"}"), null, null),
                new WorkerMessage.FetchReply(11, null, "EGRESS_DENIED", "refused"));
        for (WorkerMessage m : all) {
            assertThat(roundTrip(m)).as(m.toString()).isEqualTo(m);
        }
    }

    @Test
    void aLargeBodyCrossesWhole() throws IOException {
        String body = "x".repeat(3_000_000);
        var reply = (WorkerMessage.FetchReply) roundTrip(new WorkerMessage.FetchReply(1, new RunHost.FetchResponse(200, "OK", "u",
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
