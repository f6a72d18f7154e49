package io.jsworkflows.executor.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.runtime.GraalCompiler;
import io.jsworkflows.executor.runtime.GraalWorkflowRuntime;
import io.jsworkflows.executor.runtime.ProcessWorkflowRuntime;
import io.jsworkflows.executor.runtime.RuntimeLimits;
import io.jsworkflows.executor.runtime.WorkflowRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/** The workflow runtime: GraalJS in worker JVMs ({@code jsw.executor.isolation=process}) or in the executor's own heap. */
public class RuntimeProducer {

    @Produces
    @Singleton
    WorkflowRuntime runtime(ExecutorConfig config, MeterRegistry meters) {
        var l = config.executor().limits();
        RuntimeLimits limits = new RuntimeLimits(l.statements(), l.consoleLines(), l.consoleLineChars(), l.consoleTotalChars(),
                l.fetchCalls(), l.timers(), l.checkTimeout(), l.contextsPerVersion());
        if (config.executor().isolation() == ExecutorConfig.Isolation.PROCESS) {
            var w = config.executor().workers();
            List<String> options = new ArrayList<>(compilerOptions(w));
            options.addAll(w.jvmOptions().orElse(List.of()));
            ProcessWorkflowRuntime runtime = new ProcessWorkflowRuntime(limits, w.count(), w.runsEach(), w.heap(), w.classpath().orElse(null), options);
            // a worker that dies often is a tenant's runaway workflow (or a heap too small for honest ones): alert on it
            FunctionCounter.builder("jsw.executor.worker.deaths", runtime, ProcessWorkflowRuntime::workerDeaths)
                    .description("worker JVMs that died (a runaway run, an out-of-memory exit, a kill) and were replaced").register(meters);
            Gauge.builder("jsw.executor.workers.live", runtime, ProcessWorkflowRuntime::connectedWorkers)
                    .description("worker JVMs connected and ready to host runs (a starting one counts once it connected)").register(meters);
            Gauge.builder("jsw.executor.workers.runs", runtime, ProcessWorkflowRuntime::hosted)
                    .description("runs and deploy checks the workers host right now").register(meters);
            return runtime;
        }
        return new GraalWorkflowRuntime(limits);
    }

    /** The workers' JVM options for the Graal compiler, and the log line that says which mode they run in. */
    static List<String> compilerOptions(ExecutorConfig.Workers w) {
        if (!w.graalCompiler()) {
            Log.info("workflow workers: Graal compiler off (jsw.executor.workers.graal-compiler=false), GraalJS runs interpreted");
            return List.of();
        }
        Path dir = w.graalCompilerPath().map(Path::of).orElseGet(GraalCompiler::defaultFolder);
        Optional<List<String>> options = GraalCompiler.jvmOptions(dir);
        if (options.isEmpty()) {
            Log.warn("workflow workers: the Graal compiler cannot be used (" + GraalCompiler.problem(dir).orElse("unknown") + "), GraalJS "
                    + "runs interpreted");
            return List.of();
        }
        Log.info("workflow workers: GraalJS with the Graal compiler from " + dir);
        return options.get();
    }

    void close(@Disposes WorkflowRuntime runtime) {
        runtime.close();
    }
}
