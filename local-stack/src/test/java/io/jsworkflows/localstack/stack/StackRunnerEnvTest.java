package io.jsworkflows.localstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What ./jsw up gives each service: the gateway's place in the start order, and who holds the source key ring. */
class StackRunnerEnvTest {

    private static final Map<String, String> KEYS = Map.of(LocalKeys.GRANT_KEYS, "g:AAAA", LocalKeys.TOKEN_KEYS, "t:AAAA",
            LocalKeys.SOURCE_KEYS, "s:AAAA", LocalKeys.ADMIN_KEY, "a");

    private final ServiceWiring wiring = ServiceWiring.local(StackSettings.fromEnv(Map.of("JSW_ROOT", Path.of(".").toString())), KEYS);

    @Test
    void theGatewayStartsAfterConnectionsServiceOnItsPort() {
        List<String> order = StackRunner.SERVICES.stream().map(StackRunner.ServiceSpec::module).toList();

        assertThat(order).containsSubsequence("connections-service", "webhook-gateway");
        assertThat(StackRunner.SERVICES).contains(new StackRunner.ServiceSpec("webhook-gateway", 8084));
    }

    @Test
    void onlyConnectionsServiceAndTheGatewayHoldTheSourceKeyRing() {
        for (StackRunner.ServiceSpec spec : StackRunner.SERVICES) {
            Map<String, String> env = ServiceEnvironment.of(spec.module(), wiring);
            if (spec.module().equals("connections-service") || spec.module().equals("webhook-gateway")) {
                assertThat(env).as(spec.module()).containsEntry("JSW_CRYPTO_SOURCE_KEYS", "s:AAAA");
            } else {
                assertThat(env).as(spec.module()).doesNotContainKey("JSW_CRYPTO_SOURCE_KEYS").doesNotContainValue("s:AAAA");
            }
        }
    }

    @Test
    void theGatewayGetsKafkaAndItsRingButNoOtherSecret() {
        Map<String, String> env = ServiceEnvironment.of("webhook-gateway", wiring);

        assertThat(env).containsKey("KAFKA_BOOTSTRAP_SERVERS").doesNotContainValue("g:AAAA").doesNotContainValue("t:AAAA")
                .doesNotContainValue("a");
    }

    @Test
    void sourcesIngressUrlsPointAtTheGateway() {
        assertThat(ServiceEnvironment.of("connections-service", wiring)).containsEntry("JSW_CONNECTIONS_INGRESS_PUBLIC_URL", "http://localhost:8084");
    }
}
