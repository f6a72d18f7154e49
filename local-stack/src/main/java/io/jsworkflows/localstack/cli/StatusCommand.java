package io.jsworkflows.localstack.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.jsworkflows.localstack.stack.StackRunner;
import io.jsworkflows.localstack.stack.StackSettings;
import io.jsworkflows.localstack.stack.StackState;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show which parts of the local stack are running.")
public final class StatusCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        StackSettings s = StackSettings.fromEnv();
        List<StackState.Entry> entries = StackState.read(s);
        if (entries.isEmpty()) {
            System.out.println("jsw: not running");
            return 3;
        }
        boolean all = true;
        for (StackState.Entry e : entries) {
            boolean alive = ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false);
            all &= alive;
            String where = StackRunner.SERVICES.stream().filter(spec -> spec.module().equals(e.name())).findFirst()
                    .map(spec -> "  http://localhost:" + spec.port()).orElse("");
            System.out.printf("  %-20s pid %-8d %-8s%s%n", e.name(), e.pid(), alive ? "running" : "gone", where);
        }
        return all ? 0 : 1;
    }
}
