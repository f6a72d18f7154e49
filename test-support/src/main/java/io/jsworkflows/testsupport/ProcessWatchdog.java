package io.jsworkflows.testsupport;

import java.io.IOException;

/**
 * Kills a process when this JVM exits, however it exits (a shutdown hook does not run on SIGKILL): a tiny shell
 * loop, reparented to init if we die, waits for our pid to disappear and then kills the target.
 */
public final class ProcessWatchdog {

    private ProcessWatchdog() {
    }

    public static void killWhenThisJvmExits(long targetPid, String signal) {
        long me = ProcessHandle.current().pid();
        // ends by itself once the target is gone, so a recycled pid is never signalled
        String script = "while kill -0 " + me + " 2>/dev/null && kill -0 " + targetPid + " 2>/dev/null; do sleep 1; done; "
                + "kill -0 " + me + " 2>/dev/null || kill -" + signal + " " + targetPid + " 2>/dev/null; exit 0";
        try {
            new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the process watchdog", e);
        }
    }
}
