package io.jsworkflows.executor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Graal compiler in real worker JVMs: with the jars the build copies to target/graal-compiler the workers' GraalJS
 * runs on Truffle's optimizing runtime (as the worker itself reports it), without them on the interpreter.
 */
class GraalCompilerTest {

    @Test
    void workersWithTheCompilerRunTheOptimizingRuntime() {
        Path dir = GraalCompiler.defaultFolder();
        assertThat(GraalCompiler.problem(dir)).as("the build copies the compiler's jars to " + dir).isEmpty();
        List<String> options = GraalCompiler.jvmOptions(dir).orElseThrow();
        assertThat(options).contains("-XX:+EnableJVMCI", "-XX:-UseJVMCICompiler");
        try (ProcessWorkflowRuntime rt = new ProcessWorkflowRuntime(ProcessWorkflowRuntimeTest.LIMITS, 1, 2, "256m", null, options)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> rt.workerEngine() != null);
            assertThat(rt.workerEngine()).isNotEqualTo("Interpreted").startsWith("GraalVM");
            RunResult r = ProcessWorkflowRuntimeTest.run(rt, "compiled", ProcessWorkflowRuntimeTest.NORMAL, "compiled-1", 0,
                    CompletableFuture.completedFuture(null));
            assertThat(r.outcome()).isEqualTo(RunResult.Outcome.SUCCEEDED);
        }
    }

    @Test
    void workersWithoutTheCompilerOnlyInterpret() {
        try (ProcessWorkflowRuntime rt = new ProcessWorkflowRuntime(ProcessWorkflowRuntimeTest.LIMITS, 1, 1, "256m", null, List.of())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> rt.workerEngine() != null);
            assertThat(rt.workerEngine()).isEqualTo("Interpreted");
        }
    }

    @Test
    void aFolderWithoutEveryJarIsNotUsed(@TempDir Path dir) throws Exception {
        assertThat(GraalCompiler.problem(dir.resolve("missing"))).hasValueSatisfying(p -> assertThat(p).contains("does not exist"));
        Files.createFile(dir.resolve("compiler-25.0.2.jar"));
        Files.createFile(dir.resolve("collections-25.0.2.jar"));
        Files.createFile(dir.resolve("word-25.0.2.jar"));
        assertThat(GraalCompiler.problem(dir)).hasValueSatisfying(p -> assertThat(p).contains("truffle-compiler-"));
        assertThat(GraalCompiler.jvmOptions(dir)).isEmpty();
    }
}
