package io.jsworkflows.localstack.stack;

import io.jsworkflows.kafkabroker.ProcessWatchdog;

import java.util.List;

/** Started by WatchdogTest as a separate JVM: starts a long sleep under a watchdog, prints its pid, waits to be killed. */
public final class WatchdogProbe {

    private WatchdogProbe() {
    }

    public static void main(String[] args) throws Exception {
        Process sleeper = ProcessWatchdog.detached(List.of("sleep", "300")).start();
        ProcessWatchdog.guard(sleeper.pid(), "TERM", 5);
        System.out.println(sleeper.pid());
        System.out.flush();
        Thread.sleep(300_000);
    }
}
