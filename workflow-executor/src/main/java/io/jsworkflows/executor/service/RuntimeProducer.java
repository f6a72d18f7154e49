package io.jsworkflows.executor.service;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.runtime.GraalWorkflowRuntime;
import io.jsworkflows.executor.runtime.ProcessWorkflowRuntime;
import io.jsworkflows.executor.runtime.RuntimeLimits;
import io.jsworkflows.executor.runtime.WorkflowRuntime;

/** The workflow runtime: GraalJS in worker JVMs ({@code jsw.executor.isolation=process}) or in the executor's own heap. */
public class RuntimeProducer {

    @Produces
    @Singleton
    WorkflowRuntime runtime(ExecutorConfig config) {
        var l = config.executor().limits();
        RuntimeLimits limits = new RuntimeLimits(l.statements(), l.consoleLines(), l.consoleLineChars(), l.consoleTotalChars(),
                l.fetchCalls(), l.timers(), l.checkTimeout(), l.contextsPerVersion());
        if (config.executor().isolation() == ExecutorConfig.Isolation.PROCESS) {
            var w = config.executor().workers();
            return new ProcessWorkflowRuntime(limits, w.count(), w.runsEach(), w.heap(), w.classpath().orElse(null),
                    w.jvmOptions().orElse(java.util.List.of()));
        }
        return new GraalWorkflowRuntime(limits);
    }

    void close(@Disposes WorkflowRuntime runtime) {
        runtime.close();
    }
}
