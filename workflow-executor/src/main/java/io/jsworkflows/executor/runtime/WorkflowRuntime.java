package io.jsworkflows.executor.runtime;

/**
 * Hosts users' workflow code. Everything that crosses this interface is plain data (source text, JSON strings, records)
 * plus the {@link RunHost} callbacks, so that an implementation can live in another process (a pool of worker JVMs
 * with their own heap limit) without changing the callers.
 */
public interface WorkflowRuntime extends AutoCloseable {

    /**
     * Compiles the module and checks that it exports {@code class Workflow} with a {@code start} method.
     *
     * @throws InvalidWorkflowException with a message a workflow author can act on
     */
    void check(String workflowId, String source);

    /** Runs one attempt on the calling thread and returns when it has finished, failed or hit its deadline. */
    RunResult run(RunRequest request, RunHost host);

    /**
     * Whether it has been able to host a run since it started (worker JVMs: one connected once). Readiness waits for it;
     * a worker dying later does not take it back, or one tenant's runaway workflow could take a replica out of service.
     */
    default boolean started() {
        return true;
    }

    /** Drops pooled state of every version of this workflow older than {@code keepVersion} (or all, with -1). */
    void evict(String workflowId, long keepVersion);

    @Override
    void close();
}
