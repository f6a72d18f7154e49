package io.jsworkflows.localstack.stack;

/** The end of a successful {@code jsw up}: where each part answers, then {@link StackRunner#READY_LINE} for scripts. */
final class ReadyBanner {

    private final StackSettings s;
    private final StackConsole console;

    ReadyBanner(StackSettings settings, StackConsole console) {
        this.s = settings;
        this.console = console;
    }

    void print(long t0) {
        String c = "http://localhost:" + StackSettings.CONNECTIONS_PORT;
        String e = "http://localhost:" + StackSettings.EMULATOR_PORT;
        console.printf("%njsw: everything is up in %.1f s%n", StackConsole.seconds(t0));
        console.line("  Web page (connections)  " + c + "/ui");
        console.line("  Connections API         " + c + "/api/v1   (admin key: JSW_ADMIN_KEY in " + StackConsole.rel(s.keysFile()) + ")");
        console.line("  Workflows API           http://localhost:" + StackSettings.EXECUTOR_PORT + "/api/v1/workflows");
        console.line("  Webhook ingress         http://localhost:" + StackSettings.GATEWAY_PORT + "/webhooks/shopify/{sourceId}   (./jsw sources add)");
        console.line("  Token refresher         http://localhost:" + StackSettings.REFRESHER_PORT + "/q/health");
        console.line("  HubSpot emulator        " + e + "   (consent page: " + e + "/oauth/authorize?..., operator API: " + e + "/_emulator/state)");
        console.line("  Kafka bootstrap         " + s.kafkaBootstrap());
        console.line("  PostgreSQL              " + s.dbUrl());
        console.line("  Logs                    " + StackConsole.rel(s.logs()) + "/");
        console.line("  Run events              ./jsw tail runs      (also: ./jsw tail connections, ./jsw tail dlq)");
        console.blankLine();
        console.line("  Try it, in another terminal:   ./jsw demo");
        console.line("  Stop: Ctrl-C here, or ./jsw down");
        console.blankLine();
        console.line(StackRunner.READY_LINE);
        console.flush();
    }
}
