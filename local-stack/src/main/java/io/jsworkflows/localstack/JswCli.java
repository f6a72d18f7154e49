package io.jsworkflows.localstack;

import java.nio.file.Files;

import io.jsworkflows.localstack.cli.DemoCommand;
import io.jsworkflows.localstack.cli.DlqCommand;
import io.jsworkflows.localstack.cli.DownCommand;
import io.jsworkflows.localstack.cli.PublishCommand;
import io.jsworkflows.localstack.cli.ShopifyCommand;
import io.jsworkflows.localstack.cli.SourcesCommand;
import io.jsworkflows.localstack.cli.StatusCommand;
import io.jsworkflows.localstack.cli.TailCommand;
import io.jsworkflows.localstack.cli.UpCommand;
import io.jsworkflows.localstack.cli.WorkflowsCommand;
import io.jsworkflows.localstack.stack.StackException;
import io.jsworkflows.localstack.stack.StackSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jsw} command line (run by the {@code ./jsw} script, which also owns {@code test}, {@code build} and {@code mvn}). */
@Command(name = "jsw", mixinStandardHelpOptions = true, version = "jsw 0.1.0",
        description = "Runs jsworkflows on this machine and talks to it.",
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, DemoCommand.class, PublishCommand.class,
            SourcesCommand.class, ShopifyCommand.class, TailCommand.class, WorkflowsCommand.class, DlqCommand.class})
public final class JswCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        StackSettings settings = StackSettings.fromEnv();
        quietLibraryLogs(settings);
        CommandLine cli = new CommandLine(new JswCli());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof StackException) {
                cmd.getErr().println("jsw: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        System.exit(cli.execute(args));
    }

    /** Kafka's and zonky's own logging goes to .jsw/logs/cli.log, warnings and up: the terminal is for people. */
    private static void quietLibraryLogs(StackSettings s) {
        try {
            Files.createDirectories(s.logs());
            System.setProperty("org.slf4j.simpleLogger.logFile", s.logs().resolve("cli.log").toString());
        } catch (Exception e) {
            System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }
}
