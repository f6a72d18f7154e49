package io.jsworkflows.localstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.localstack.stack.ServiceEnvironment;
import io.jsworkflows.localstack.stack.ServiceWiring;
import io.jsworkflows.localstack.stack.StackRunner;
import io.jsworkflows.localstack.stack.StackSettings;

/** docker-compose.yml: valid for Compose (when docker-compose is installed), and wired like the local stack. */
class DockerComposeTest {

    private static final Map<String, String> KEYS = Map.of("JSW_ADMIN_KEY", "test-admin", "JSW_CRYPTO_GRANT_KEYS", "g:AAAA",
            "JSW_CRYPTO_TOKEN_KEYS", "t:AAAA", "JSW_CRYPTO_SOURCE_KEYS", "s:AAAA");

    private final Path file = Repo.root().resolve("docker-compose.yml");

    /** The engine-free check of Debian's docker-compose (schema, interpolation, references). */
    @Test
    void composeConfigIsValid() throws Exception {
        Assumptions.assumeTrue(KubernetesManifestsTest.onPath("docker-compose"),
                "docker-compose is not installed (apt-get install --no-install-recommends docker-compose)");
        ProcessBuilder pb = new ProcessBuilder("docker-compose", "-f", file.toString(), "config", "-q").redirectErrorStream(true);
        pb.environment().putAll(KEYS);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        // and it does reject a broken file, so the check above means something
        Path bad = Files.createTempFile("compose-bad", ".yml");
        Files.writeString(bad, Files.readString(file).replace("    hostname: kafka\n", "    hostname: kafka\n    bogus_key: 1\n"));
        ProcessBuilder qb = new ProcessBuilder("docker-compose", "-f", bad.toString(), "config", "-q").redirectErrorStream(true);
        qb.environment().putAll(KEYS);
        Process q = qb.start();
        String err = new String(q.getInputStream().readAllBytes());
        q.waitFor(60, TimeUnit.SECONDS);
        Files.deleteIfExists(bad);
        assertThat(q.exitValue()).isNotZero();
        assertThat(err).contains("bogus_key");
    }

    @Test
    void servicesAreBuiltFromTheirDockerfilesAndHaveHealthChecks() throws IOException {
        JsonNode services = Repo.YAML.readTree(Files.readString(file)).path("services");
        Set<String> names = new HashSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("kafka", "kafka-topics", "postgres", "hubspot-emulator", "connections-service",
                "webhook-gateway", "token-refresher", "workflow-executor", "jaeger");
        // traces are opt-in: the collector only under its profile, the endpoint empty unless JSW_OTLP_ENDPOINT is set
        assertThat(services.path("jaeger").path("profiles").toString()).contains("tracing");
        for (StackRunner.ServiceSpec spec : StackRunner.SERVICES) {
            JsonNode s = services.path(spec.module());
            Path dockerfile = Repo.root().resolve(s.path("build").path("context").asText()).resolve(s.path("build").path("dockerfile").asText());
            assertThat(dockerfile).as(spec.module()).isRegularFile().hasFileName("Dockerfile.jvm");
            assertThat(Files.readString(dockerfile)).contains("target/quarkus-app/", "EXPOSE " + spec.port());
            assertThat(s.path("ports").get(0).asText()).isEqualTo(spec.port() + ":" + spec.port());
            assertThat(s.path("healthcheck").path("test").toString()).contains("/q/health/ready", "/" + spec.port());
        }
        assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(services.path("postgres").path("healthcheck").isMissingNode()).isFalse();
    }

    /** The source key ring (it unseals every shop's webhook secret) goes to connections-service and the gateway only. */
    @Test
    void onlyConnectionsServiceAndTheGatewayGetTheSourceKeyRing() throws IOException {
        JsonNode services = Repo.YAML.readTree(Files.readString(file)).path("services");
        Set<String> holders = new HashSet<>();
        services.fields().forEachRemaining(e -> {
            if (e.getValue().path("environment").toString().contains("JSW_CRYPTO_SOURCE_KEYS")) {
                holders.add(e.getKey());
            }
        });
        assertThat(holders).containsExactlyInAnyOrder("connections-service", "webhook-gateway");
        assertThat(services.path("webhook-gateway").path("depends_on").has("connections-service")).isTrue();
        assertThat(services.path("connections-service").path("environment").path("JSW_CONNECTIONS_INGRESS_PUBLIC_URL").asText())
                .contains("localhost:8084");
    }

    /** keys.env keeps naming the admin key JSW_ADMIN_KEY (existing files keep working); compose hands it on under the service's name. */
    @Test
    void theAdminKeyFromKeysEnvReachesConnectionsServiceUnderItsOwnName() throws IOException {
        JsonNode env = Repo.YAML.readTree(Files.readString(file)).path("services").path("connections-service").path("environment");
        assertThat(env.path("JSW_CONNECTIONS_ADMIN_KEY").asText()).startsWith("${JSW_ADMIN_KEY:?");
        assertThat(env.has("JSW_ADMIN_KEY")).isFalse();
    }

    /** Same variable names as ./jsw up gives each service (resolving the YAML merge keys). */
    @Test
    void environmentMatchesTheLocalStack() throws IOException {
        JsonNode services = Repo.YAML.readTree(Files.readString(file)).path("services");
        ServiceWiring wiring = ServiceWiring.local(StackSettings.fromEnv(Map.of("JSW_ROOT", Repo.root().toString())), KEYS);
        for (StackRunner.ServiceSpec spec : StackRunner.SERVICES) {
            Set<String> compose = new HashSet<>();
            services.path(spec.module()).path("environment").fieldNames().forEachRemaining(compose::add);
            Set<String> local = new HashSet<>(ServiceEnvironment.of(spec.module(), wiring).keySet());
            local.remove("QUARKUS_LOG_CONSOLE_COLOR");
            if (!compose.contains("<<")) {
                assertThat(compose).as(spec.module()).containsAll(local);
            } else {
                assertThat(compose).as(spec.module()).containsAll(local.stream().filter(k -> !k.startsWith("KAFKA_")
                        && !k.startsWith("JSW_HUBSPOT_")).toList());
            }
        }
    }
}
