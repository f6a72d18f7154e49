package io.jsworkflows.localstack.stack;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jsw up}: builds what is missing, then starts Kafka, PostgreSQL, the topics, the emulator, connections-service,
 * webhook-gateway (it reads the sources connections-service publishes), token-refresher and workflow-executor in that
 * order, each waited for, and stays in the foreground until Ctrl-C / SIGTERM ({@code jsw down}), when it stops
 * everything in reverse order. Every child also has a watchdog, so a SIGKILLed jsw leaves nothing behind.
 *
 * <p>This class owns the order and the foreground life of the stack; each step is its own class.
 */
public final class StackRunner {

    /** One service of the stack: its module and port. */
    public record ServiceSpec(String module, int port) {
    }

    /** The services, in start order. */
    public static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("hubspot-emulator", StackSettings.EMULATOR_PORT),
            new ServiceSpec("connections-service", StackSettings.CONNECTIONS_PORT),
            new ServiceSpec("webhook-gateway", StackSettings.GATEWAY_PORT),
            new ServiceSpec("token-refresher", StackSettings.REFRESHER_PORT),
            new ServiceSpec("workflow-executor", StackSettings.EXECUTOR_PORT));

    public static final String READY_LINE = "jsw: ready";

    private final StackSettings s;
    private final StackConsole console;
    private final StackSupervisor supervisor;
    private final ServiceJars jars;
    private final LocalKafka kafka;
    private final LocalPostgres postgres;
    private final StackTopics topics;
    private final ServiceLauncher launcher;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile Thread mainThread;
    private volatile boolean up;

    public StackRunner(StackSettings settings, PrintStream out) {
        this.s = settings;
        this.console = new StackConsole(out);
        this.supervisor = new StackSupervisor(settings, console);
        this.jars = new ServiceJars(settings, console);
        this.kafka = new LocalKafka(settings, console, supervisor);
        this.postgres = new LocalPostgres(settings, console, supervisor);
        this.topics = new StackTopics(settings, console);
        this.launcher = new ServiceLauncher(settings, console, supervisor, jars);
    }

    /** Runs the stack until asked to stop; returns the exit code. */
    public int run() throws Exception {
        long t0 = System.nanoTime();
        mainThread = Thread.currentThread();
        Files.createDirectories(s.logs());
        supervisor.claimPidFile();
        installSignalHandlers();
        try {
            PortCheck.requireFree(s, SERVICES, console);
            jars.buildMissing(SERVICES);
            ServiceWiring wiring = ServiceWiring.local(s, LocalKeys.loadOrCreate(s));
            kafka.start();
            postgres.start();
            topics.create();
            for (ServiceSpec spec : SERVICES) {
                launcher.start(spec, wiring);
            }
            new ReadyBanner(s, console).print(t0);
        } catch (StackException | InterruptedException e) {
            // asked to stop (a signal) before stopAll marks the stack as stopping: 130 only for a Ctrl-C
            boolean interrupted = supervisor.stopping();
            if (!interrupted) {
                console.line("jsw: " + e.getMessage());
            }
            supervisor.stopAll();
            return interrupted ? 130 : 1;
        } catch (Exception e) {
            console.line("jsw: start failed: " + e);
            supervisor.stopAll();
            return 1;
        }
        up = true;
        Thread.interrupted(); // a signal that came while we were finishing the start is in the latch
        supervisor.watchForCrashes();
        while (stopRequested.getCount() > 0) {
            try {
                stopRequested.await();
            } catch (InterruptedException e) {
                // only the latch ends the wait
            }
        }
        supervisor.stopAll();
        return 0;
    }

    private void installSignalHandlers() {
        for (String sig : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), signal -> onSignal());
            } catch (IllegalArgumentException e) {
                // the signal is reserved on this JVM: the shutdown hook below still stops the stack
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(supervisor::stopAllQuietly, "jsw-stop"));
    }

    private void onSignal() {
        if (supervisor.stopping()) {
            console.line("jsw: stopping now (second signal)");
            supervisor.killAllNow();
            Runtime.getRuntime().halt(130);
        }
        supervisor.markStopping();
        console.blankLine();
        console.line("jsw: stopping...");
        stopRequested.countDown();
        // only a start in progress needs waking up; once up, the main thread is parked on the latch
        Thread t = mainThread;
        if (t != null && !up) {
            t.interrupt();
        }
    }
}
