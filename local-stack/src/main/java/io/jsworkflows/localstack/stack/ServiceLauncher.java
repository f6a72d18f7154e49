package io.jsworkflows.localstack.stack;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts one service of the stack: its JVM options and environment, its log file, its place in the supervisor's
 * record, and the wait for its readiness check, so the next service starts only once this one is ready.
 */
final class ServiceLauncher {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final StackSettings s;
    private final StackConsole console;
    private final StackSupervisor supervisor;
    private final ServiceJars jars;

    ServiceLauncher(StackSettings settings, StackConsole console, StackSupervisor supervisor, ServiceJars jars) {
        this.s = settings;
        this.console = console;
        this.supervisor = supervisor;
        this.jars = jars;
    }

    void start(StackRunner.ServiceSpec spec, ServiceWiring wiring) throws IOException, InterruptedException {
        long t = System.nanoTime();
        String name = spec.module();
        console.step(name, "starting on http://localhost:" + spec.port() + " (log " + StackConsole.rel(s.logs().resolve(name + ".log")) + ")");
        List<String> jvm = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Xmx" + heap(name)));
        ManagedService svc = new ManagedService(name, spec.port(), jars.jarOf(name), s.logs().resolve(name + ".log"), jvm,
                ServiceEnvironment.of(name, wiring));
        svc.start();
        supervisor.started(name, () -> svc.process().toHandle(), () -> svc.stop(STOP_GRACE));
        supervisor.recordPid(name, svc.pid());
        svc.awaitReady(READY_TIMEOUT);
        console.done(name, t, "ready");
    }

    /**
     * The service's heap: {@code JSW_HEAP_<MODULE>} (e.g. {@code JSW_HEAP_HUBSPOT_EMULATOR=2g}, for a benchmark whose
     * emulator keeps hundreds of thousands of contacts) or the default, enough for the demo and the tests.
     */
    static String heap(String module) {
        String set = System.getenv("JSW_HEAP_" + module.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        if (set != null && set.matches("\\d+[kmgKMG]")) {
            return set;
        }
        return module.equals("workflow-executor") ? "768m" : "384m";
    }
}
