package io.jsworkflows.executor.service;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.runtime.GraalWorkflowRuntime;
import io.jsworkflows.executor.runtime.RuntimeLimits;
import io.jsworkflows.executor.runtime.WorkflowRuntime;

/** The workflow runtime: in-process GraalJS today; a pool of worker JVMs can implement the same interface. */
public class RuntimeProducer {

    @Produces
    @Singleton
    WorkflowRuntime runtime(ExecutorConfig config) {
        var l = config.executor().limits();
        return new GraalWorkflowRuntime(new RuntimeLimits(l.statements(), l.consoleLines(), l.consoleLineChars(), l.consoleTotalChars(),
                l.fetchCalls(), l.timers(), l.checkTimeout(), l.contextsPerVersion()));
    }

    void close(@Disposes WorkflowRuntime runtime) {
        runtime.close();
    }
}
