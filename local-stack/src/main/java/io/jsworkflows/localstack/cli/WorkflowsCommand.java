package io.jsworkflows.localstack.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.localstack.client.WorkflowsApi;
import io.jsworkflows.localstack.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "workflows", mixinStandardHelpOptions = true, description = "Deploy and list workflows.",
        subcommands = {WorkflowsCommand.Deploy.class, WorkflowsCommand.ListWorkflows.class})
public final class WorkflowsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, description = {"Deploy a workflow (an ES module exporting class Workflow) bound to a trigger topic:",
        "  ./jsw workflows deploy examples/workflows/contact-from-order.js --trigger shopify.orders --match X-Shopify-Topic=orders/create"})
    static final class Deploy implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE.js")
        Path file;

        @Option(names = "--trigger", paramLabel = "TOPIC", description = "trigger topic (default: from FILE.json next to the source)")
        String topic;

        @Option(names = "--match", paramLabel = "HEADER=VALUE", description = "only records with this header value (repeatable)")
        List<String> match = List.of();

        @Option(names = "--id", description = "workflow id (default: the file name without .js)")
        String id;

        @Option(names = "--api-key", description = "workspace API key (default: JSW_API_KEY, else the demo workspace's)")
        String apiKey;

        @Override
        public Integer call() throws Exception {
            StackSettings s = StackSettings.fromEnv();
            String wid = id != null ? id : file.getFileName().toString().replaceFirst("\\.m?js$", "");
            JsonNode r = new WorkflowsApi(s).deploy(WorkflowsApi.apiKey(s, apiKey), wid, file, topic, PublishCommand.parseHeaders(match));
            System.out.println("jsw: deployed " + r.path("id").asText(wid) + " version " + r.path("version").asText("?"));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the workspace's workflows.")
    static final class ListWorkflows implements Callable<Integer> {

        @Option(names = "--api-key", description = "workspace API key (default: JSW_API_KEY, else the demo workspace's)")
        String apiKey;

        @Override
        public Integer call() throws Exception {
            StackSettings s = StackSettings.fromEnv();
            JsonNode list = new WorkflowsApi(s).list(WorkflowsApi.apiKey(s, apiKey));
            JsonNode items = list.isArray() ? list : list.path("workflows");
            for (JsonNode w : items) {
                System.out.printf("  %-28s v%-4s %s %s%n", w.path("id").asText(), w.path("version").asText(),
                        w.path("trigger").path("topic").asText(), w.path("trigger").path("headerMatch"));
            }
            return 0;
        }
    }
}
