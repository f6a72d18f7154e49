package io.jsworkflows.kafkabroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Entry point of a broker JVM: formats KRaft storage on first start (like {@code kafka-storage format --standalone}),
 * then runs {@code kafka.Kafka}. Usage: {@code BrokerMain <server.properties> <clusterId> [watch-parent]}.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        String props = args[0];
        String clusterId = args[1];
        boolean watchParent = args.length < 3 || Boolean.parseBoolean(args[2]);
        if (watchParent) {
            // never outlive the JVM that started us, even if it was SIGKILLed
            ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(1)));
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(Path.of(props))) {
            p.load(in);
        }
        if (!Files.exists(Path.of(p.getProperty("log.dirs"), "meta.properties"))) {
            int rc = kafka.tools.StorageTool$.MODULE$.execute(
                    new String[] {"format", "--standalone", "-t", clusterId, "-c", props}, System.out);
            if (rc != 0) {
                System.exit(rc);
            }
        }
        kafka.Kafka.main(new String[] {props});
    }
}
