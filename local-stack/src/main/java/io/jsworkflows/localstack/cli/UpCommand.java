package io.jsworkflows.localstack.cli;

import java.util.concurrent.Callable;

import io.jsworkflows.localstack.stack.StackRunner;
import io.jsworkflows.localstack.stack.StackSettings;
import picocli.CommandLine.Command;

@Command(name = "up", mixinStandardHelpOptions = true, description = {"Build what is missing, start Kafka, PostgreSQL, the HubSpot emulator and the three services, "
        + "and keep them running until Ctrl-C or ./jsw down.",
    "Environment: JSW_KAFKA_BOOTSTRAP (use an existing Kafka), JSW_DB_URL/JSW_DB_USER/JSW_DB_PASSWORD (an existing PostgreSQL), "
        + "JSW_KAFKA_PORT (9092), JSW_POSTGRES_PORT (55432), JSW_STATE_DIR (.jsw)."})
public final class UpCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return new StackRunner(StackSettings.fromEnv(), System.out).run();
    }
}
