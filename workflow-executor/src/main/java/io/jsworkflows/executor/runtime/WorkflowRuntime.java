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

    /** Drops pooled state of every version of this workflow older than {@code keepVersion} (or all, with -1). */
    void evict(String workflowId, long keepVersion);

    @Override
    void close();
}
