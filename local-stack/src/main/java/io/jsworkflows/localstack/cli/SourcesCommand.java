package io.jsworkflows.localstack.cli;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.localstack.client.SourcesApi;
import io.jsworkflows.localstack.client.WorkflowsApi;
import io.jsworkflows.localstack.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sources", mixinStandardHelpOptions = true, description = "Add, list and delete the workspace's trigger sources (Shopify stores).",
        subcommands = {SourcesCommand.Add.class, SourcesCommand.ListSources.class, SourcesCommand.Delete.class})
public final class SourcesCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static String describe(JsonNode src) {
        return String.format("%-28s %-8s %-36s %s  topics %s", src.path("id").asText(), src.path("kind").asText(),
                src.path("shopDomain").asText(), src.path("ingressUrl").asText(), src.path("topics"));
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
        "Add a Shopify store as a source; enter the printed ingress URL as the webhook address in Shopify:",
        "  ./jsw sources add acme-store.myshopify.com --secret \"$SHOPIFY_WEBHOOK_SECRET\"",
        "Without --secret a random one is generated and printed once (for ./jsw shopify send)."})
    static final class Add implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "SHOP_DOMAIN", description = "the store's permanent domain, NAME.myshopify.com")
        String shopDomain;

        @Option(names = "--secret", description = "the webhook signing secret (Shopify app's client secret)")
        String secret;

        @Option(names = "--api-key", description = "workspace API key (default: JSW_API_KEY, else the demo workspace's)")
        String apiKey;

        @Override
        public Integer call() throws Exception {
            StackSettings s = StackSettings.fromEnv();
            boolean generated = secret == null || secret.isBlank();
            String sec = generated ? randomSecret() : secret;
            JsonNode src = new SourcesApi(s).addShopify(WorkflowsApi.apiKey(s, apiKey), shopDomain, sec);
            System.out.println("jsw: added source " + src.path("id").asText() + " for " + src.path("shopDomain").asText());
            System.out.println("  ingress URL (Shopify webhook address): " + src.path("ingressUrl").asText());
            System.out.println("  records go to: " + src.path("topics"));
            if (generated) {
                // shown once: the API never returns it
                System.out.println("  webhook secret (generated, shown once): " + sec);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the workspace's sources.")
    static final class ListSources implements Callable<Integer> {

        @Option(names = "--api-key", description = "workspace API key (default: JSW_API_KEY, else the demo workspace's)")
        String apiKey;

        @Override
        public Integer call() throws Exception {
            StackSettings s = StackSettings.fromEnv();
            JsonNode list = new SourcesApi(s).list(WorkflowsApi.apiKey(s, apiKey));
            if (list.isEmpty()) {
                System.out.println("jsw: no sources (add one with ./jsw sources add SHOP.myshopify.com)");
            }
            for (JsonNode src : list) {
                System.out.println("  " + describe(src));
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a source: its webhooks are refused from then on.")
    static final class Delete implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "SOURCE_ID")
        String id;

        @Option(names = "--api-key", description = "workspace API key (default: JSW_API_KEY, else the demo workspace's)")
        String apiKey;

        @Override
        public Integer call() throws Exception {
            StackSettings s = StackSettings.fromEnv();
            new SourcesApi(s).delete(WorkflowsApi.apiKey(s, apiKey), id);
            System.out.println("jsw: deleted source " + id);
            return 0;
        }
    }

    /** 32 random bytes, hex: the shape of a Shopify app's client secret is opaque, any long random string will do. */
    static String randomSecret() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return "shpss_" + HexFormat.of().formatHex(raw);
    }
}
