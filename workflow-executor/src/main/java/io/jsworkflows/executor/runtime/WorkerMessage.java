package io.jsworkflows.executor.runtime;

import java.util.Map;

/**
 * The messages between the executor and a worker JVM; their binary form is {@link WorkerProtocol}'s. Why apart from the
 * codec: these records are what the executor's and the worker's code talk in, the codec is how they cross.
 *
 * <p>Two channels: the worker's stdin carries {@link Init} and {@link Evict} (and its end tells the worker the executor
 * is gone); each of the worker's lanes is a Unix domain socket that hosts one run or check at a time: {@link Run} /
 * {@link Check} from the executor, {@link TokenCall} / {@link FetchCall} from the worker with their replies, then
 * {@link Result} / {@link Checked}. A lane opens with {@link Hello} from the worker. The executor also uses the type for
 * answers of its own (no worker available, stopping), which are never sent.
 */
interface WorkerMessage {

    /** stdin, first: the runtime's limits, where to connect the lanes, and the nonce that proves a lane is this worker's. */
    record Init(RuntimeLimits limits, String socket, String nonce, int lanes) implements WorkerMessage {
    }

    /** stdin: drop pooled state of the workflow's versions other than {@code keepVersion}. */
    record Evict(String workflowId, long keepVersion) implements WorkerMessage {
    }

    /** lane, worker → executor, first frame. */
    /** {@code engine}: the worker's GraalJS runtime ({@code Engine.getImplementationName()}: "Interpreted" without a compiler). */
    record Hello(String nonce, String engine) implements WorkerMessage {
    }

    /**
     * A run; {@code source} is null when the executor believes the worker has it already (by workflow version);
     * {@code tokens} by handle: those of the handles the source names that were ready at once (see {@link RunHost#tokenNow}).
     */
    record Run(String workflowId, long version, String source, String dataJson, Map<String, String> headers, long timeoutNanos,
            Map<String, String> tokens) implements WorkerMessage {
    }

    /** The worker does not know the run's source: the executor sends the run again with it. */
    record NeedSource() implements WorkerMessage {
    }

    record Result(RunResult result) implements WorkerMessage {
    }

    record Check(String workflowId, String source) implements WorkerMessage {
    }

    record Checked(String error) implements WorkerMessage {
    }

    record TokenCall(long call, String handle) implements WorkerMessage {
    }

    record TokenReply(long call, RunHost.TokenResult token) implements WorkerMessage {
    }

    record FetchCall(long call, RunHost.FetchRequest request) implements WorkerMessage {
    }

    /** Either {@code response} or {@code category} + {@code error}. */
    record FetchReply(long call, RunHost.FetchResponse response, String category, String error) implements WorkerMessage {
    }
}
