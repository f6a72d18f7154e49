package io.jsworkflows.localstack.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.localstack.client.Http;
import io.jsworkflows.localstack.client.SourcesApi;
import io.jsworkflows.localstack.client.WorkflowsApi;
import io.jsworkflows.localstack.stack.StackException;
import io.jsworkflows.localstack.stack.StackSettings;
import io.jsworkflows.shopifyemulator.DeliveryOptions;
import io.jsworkflows.shopifyemulator.DeliveryReport;
import io.jsworkflows.shopifyemulator.RetrySchedule;
import io.jsworkflows.shopifyemulator.ShopifyWebhook;
import io.jsworkflows.shopifyemulator.WebhookSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "shopify", mixinStandardHelpOptions = true, description = "Act as Shopify towards the stack's webhook ingress.",
        subcommands = {ShopifyCommand.Send.class})
public final class ShopifyCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "send", mixinStandardHelpOptions = true, description = {
        "Deliver a JSON file as a Shopify webhook to a source's ingress URL, signed and retried as Shopify does:",
        "  ./jsw shopify send examples/shopify/order-created.json --source src_... --secret S [--topic orders/create]",
        "Retries follow Shopify's schedule (8 over 4 hours) on a shorter clock: --time-scale (default 0.001, i.e. 14.4 s)."})
    static final class Send implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE.json")
        Path file;

        @Option(names = "--source", required = true, description = "the source id (./jsw sources list)")
        String source;

        @Option(names = "--secret", required = true, description = "the source's webhook signing secret")
        String secret;

        @Option(names = "--topic", description = "X-Shopify-Topic (default orders/create)")
        String topic = "orders/create";

        @Option(names = "--shop", description = "X-Shopify-Shop-Domain (default: the source's, looked up with the workspace API key)")
        String shop;

        @Option(names = "--url", description = "where to deliver (default: the source's ingress URL)")
        String url;

        @Option(names = "--time-scale", description = "the retry schedule's clock: 1 = Shopify's real 4 hours (default 0.001)")
        double timeScale = 0.001;

        @Option(names = "--once", description = "no retries")
        boolean once;

        @Option(names = "--api-key", description = "workspace API key, to look the source up (default: JSW_API_KEY, else the demo workspace's)")
        String apiKey;

        @Override
        public Integer call() throws Exception {
            StackSettings s = StackSettings.fromEnv();
            if (!Files.isRegularFile(file)) {
                throw new StackException("no such file: " + file);
            }
            byte[] body = Files.readAllBytes(file);
            try {
                Http.JSON.readTree(body);
            } catch (Exception e) {
                throw new StackException(file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
            String shopDomain = shop;
            String target = url;
            if (shopDomain == null || target == null) {
                JsonNode src = new SourcesApi(s).find(WorkflowsApi.apiKey(s, apiKey), source);
                if (src == null) {
                    throw new StackException("no source " + source + " in this workspace (./jsw sources list); or pass --shop and --url");
                }
                shopDomain = shopDomain != null ? shopDomain : src.path("shopDomain").asText();
                target = target != null ? target : src.path("ingressUrl").asText();
            }
            DeliveryOptions options = DeliveryOptions.shopify().withTimeScale(timeScale);
            if (once) {
                options = options.withRetries(RetrySchedule.none());
            }
            ShopifyWebhook webhook = ShopifyWebhook.of(topic, shopDomain, body);
            System.out.println("jsw: delivering " + file + " as " + topic + " from " + shopDomain + " to " + target
                    + " (X-Shopify-Webhook-Id " + webhook.webhookId() + ")");
            DeliveryReport report = new WebhookSender(options).deliver(URI.create(target), secret, webhook);
            System.out.println(report.describe().indent(2).stripTrailing());
            return report.delivered() ? 0 : 1;
        }
    }
}
