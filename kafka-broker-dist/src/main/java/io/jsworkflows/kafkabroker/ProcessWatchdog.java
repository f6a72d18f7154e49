package io.jsworkflows.kafkabroker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops a process when the JVM that started it is gone, however it went (a shutdown hook does not run on SIGKILL): a
 * small shell loop in its own session (so Ctrl-C in the terminal does not kill it) polls our pid, then sends
 * {@code signal} to the target and, if it is still there after a grace period, SIGKILL. It ends by itself once the
 * target is gone, so a recycled pid is never signalled. Used by the local stack, the test servers and the e2e platform.
 */
public final class ProcessWatchdog {

    private static final boolean HAS_SETSID = Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"));

    private ProcessWatchdog() {
    }

    public static long guard(long targetPid, String signal, int graceSeconds) {
        long me = ProcessHandle.current().pid();
        String script = "while kill -0 " + me + " 2>/dev/null && kill -0 " + targetPid + " 2>/dev/null; do sleep 1; done; "
                + "if kill -0 " + targetPid + " 2>/dev/null; then kill -" + signal + " " + targetPid + " 2>/dev/null; n=0; "
                + "while kill -0 " + targetPid + " 2>/dev/null && [ $n -lt " + graceSeconds + " ]; do sleep 1; n=$((n+1)); done; "
                + "kill -KILL " + targetPid + " 2>/dev/null; fi; exit 0";
        try {
            return detached(List.of("sh", "-c", script)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().pid();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the process watchdog", e);
        }
    }

    /** A process builder whose process gets its own session: no terminal signals reach it, only ours. */
    public static ProcessBuilder detached(List<String> command) {
        List<String> cmd = new ArrayList<>();
        if (HAS_SETSID) {
            cmd.add("setsid");
        }
        cmd.addAll(command);
        return new ProcessBuilder(cmd);
    }
}
