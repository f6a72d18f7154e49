package io.jsworkflows.executor.runtime;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jsworkflows.contracts.json.ContractsJson;

/**
 * The channel between the executor and a worker JVM (the worker's stdin and stdout): frames of a 4-byte big-endian
 * length followed by that many bytes of JSON. Only plain data crosses it; tokens travel only as answers to the worker's
 * own {@code token} requests of a run in progress, never into logs.
 */
final class WorkerProtocol {

    /** A frame larger than this is a broken channel, not a message (record and response bodies are bounded far below). */
    static final int MAX_FRAME = 64 * 1024 * 1024;
    private static final ObjectMapper JSON = ContractsJson.mapper();

    private WorkerProtocol() {
    }

    /**
     * One message. Executor → worker: {@code init} (limits), {@code run}, {@code check}, {@code evict}, {@code reply} (to a
     * token or fetch request). Worker → executor: {@code ready}, {@code result}, {@code checked}, {@code token},
     * {@code fetch}. {@code id} identifies a run/check (executor's numbering) or a host call (worker's numbering);
     * {@code ref} is the run a host call belongs to.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Frame(String type, long id, long ref, RuntimeLimits limits, RunRequest run, RunResult result, String workflowId, String source,
            Long version, String handle, RunHost.TokenResult token, RunHost.FetchRequest request, RunHost.FetchResponse response,
            String errorCategory, String error) {

        static Frame of(String type, long id) {
            return new Frame(type, id, 0, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        static Frame init(RuntimeLimits limits) {
            return new Frame("init", 0, 0, limits, null, null, null, null, null, null, null, null, null, null, null);
        }

        static Frame run(long id, RunRequest run) {
            return new Frame("run", id, 0, null, run, null, null, null, null, null, null, null, null, null, null);
        }

        static Frame result(long id, RunResult result) {
            return new Frame("result", id, 0, null, null, result, null, null, null, null, null, null, null, null, null);
        }

        static Frame check(long id, String workflowId, String source) {
            return new Frame("check", id, 0, null, null, null, workflowId, source, null, null, null, null, null, null, null);
        }

        static Frame checked(long id, String error) {
            return new Frame("checked", id, 0, null, null, null, null, null, null, null, null, null, null, null, error);
        }

        static Frame evict(String workflowId, long keepVersion) {
            return new Frame("evict", 0, 0, null, null, null, workflowId, null, keepVersion, null, null, null, null, null, null);
        }

        static Frame tokenRequest(long id, long ref, String handle) {
            return new Frame("token", id, ref, null, null, null, null, null, null, handle, null, null, null, null, null);
        }

        static Frame fetchRequest(long id, long ref, RunHost.FetchRequest request) {
            return new Frame("fetch", id, ref, null, null, null, null, null, null, null, null, request, null, null, null);
        }

        static Frame tokenReply(long id, RunHost.TokenResult token) {
            return new Frame("reply", id, 0, null, null, null, null, null, null, null, token, null, null, null, null);
        }

        static Frame fetchReply(long id, RunHost.FetchResponse response, String errorCategory, String error) {
            return new Frame("reply", id, 0, null, null, null, null, null, null, null, null, null, response, errorCategory, error);
        }
    }

    /** Writes one frame; callers serialise writes to one stream. */
    static void write(DataOutputStream out, Frame f) throws IOException {
        byte[] b = JSON.writeValueAsBytes(f);
        out.writeInt(b.length);
        out.write(b);
        out.flush();
    }

    /** Reads one frame; {@link EOFException} when the other side closed the channel. */
    static Frame read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_FRAME) {
            throw new IOException("broken worker channel: frame of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return JSON.readValue(b, Frame.class);
    }
}
