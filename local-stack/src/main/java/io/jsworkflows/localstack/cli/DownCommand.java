package io.jsworkflows.localstack.cli;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.jsworkflows.localstack.stack.StackSettings;
import io.jsworkflows.localstack.stack.StackState;
import picocli.CommandLine.Command;

@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the stack that ./jsw up started (from .jsw/jsw.pid), and anything of it that is left.")
public final class DownCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        StackSettings s = StackSettings.fromEnv();
        List<StackState.Entry> entries = StackState.read(s);
        if (entries.isEmpty() && !Files.exists(s.pidFile())) {
            System.out.println("jsw: nothing is running (no " + s.pidFile() + ")");
            return 0;
        }
        boolean clean = StackState.stop(s, entries, Duration.ofSeconds(60), System.out);
        System.out.println(clean ? "jsw: stopped" : "jsw: stopped (some processes had to be killed)");
        return 0;
    }
}
