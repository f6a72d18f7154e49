package io.jsworkflows.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.json.ContractsJson;

class EventJsonTest {

    static final Instant T = Instant.parse("2026-11-29T10:15:30Z");
    static final TriggerRecord ORDER = new TriggerRecord("shopify.orders", 2, 41, "shop.myshopify.com", "{\"id\":1}",
            Map.of("X-Shopify-Webhook-Id", "w-1"));

    static Stream<Object> events() {
        return Stream.of(
                new GrantState(1, "c1", "w1", "my-hubspot", ConnectionStatus.ACTIVE, List.of("oauth", "tickets"), 123L,
                        "demo.hubspot.com", "g1:abc", "t1:def", T, 2, T),
                new TokenState(1, "c1", "w1", "my-hubspot", 123L, List.of("oauth"), ConnectionStatus.ACTIVE, "t1:xyz", T, 7, 2,
                        T, null),
                new RefreshRequest(1, "r1", "c1", "w1", RefreshRequest.Reason.HTTP_401, 7, "workflow-executor", T),
                new ConnectionEvent(1, "e1", ConnectionEvent.Type.NEEDS_REAUTH, "c1", "w1", "my-hubspot",
                        ConnectionStatus.NEEDS_REAUTH, "BAD_REFRESH_TOKEN", 2, 7, "/jsworkflows/token-refresher", T),
                new WorkflowDefinition(1, "contact-from-order", "w1", 3, "export class Workflow {}",
                        new TriggerBinding("shopify.orders", Map.of("X-Shopify-Topic", "orders/create")), Duration.ofSeconds(30),
                        RetryPolicy.DEFAULT, List.of("my-hubspot"), T),
                new RunEvent(1, "e2", RunEvent.Type.SUCCEEDED, "run-1", "contact-from-order", "w1", 3, ORDER.coordinates(), "w-1", 1,
                        42L, null, List.of(new RunEvent.ConsoleLine("info", "created 17")),
                        List.of(new RunEvent.HttpCall("POST", "api.hubapi.com", "/crm/v3/objects/contacts", 201, 12)), T),
                new RetryRecord(1, "run-1", "contact-from-order", "w1", 3, "w-1", 2, T, ORDER,
                        List.of(new AttemptError(1, "HTTP_5XX", "HubSpot answered 503", true, T))),
                new DeadLetter(1, "run-1", "contact-from-order", "w1", 3L, "w-1", "attempts exhausted", ORDER,
                        List.of(new AttemptError(5, "THROWN", "INVALID_OPTION", false, T)), T));
    }

    @ParameterizedTest
    @MethodSource("events")
    void roundTrip(Object event) {
        String json = ContractsJson.write(event);
        assertThat(json).contains("\"schemaVersion\":1");
        assertThat(ContractsJson.read(json, event.getClass())).isEqualTo(event);
    }

    @Test
    void instantsAndDurationsAreIsoStrings() {
        String json = ContractsJson.write(events().filter(WorkflowDefinition.class::isInstance).findFirst().orElseThrow());
        assertThat(json).contains("\"updatedAt\":\"2026-11-29T10:15:30Z\"").contains("\"timeout\":\"PT30S\"");
    }

    @Test
    void newerWriterFieldsAreIgnored() {
        String json = "{\"schemaVersion\":2,\"requestId\":\"r\",\"connectionId\":\"c\",\"reason\":\"MANUAL\",\"futureField\":[1,2]}";
        RefreshRequest r = ContractsJson.read(json, RefreshRequest.class);
        assertThat(r.schemaVersion()).isEqualTo(2);
        assertThat(r.reason()).isEqualTo(RefreshRequest.Reason.MANUAL);
    }

    @Test
    void parseErrorsDoNotQuoteThePayload() {
        assertThatThrownBy(() -> ContractsJson.read("{\"sealedAccessToken\": secret-value-123", TokenState.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a valid TokenState")
                .satisfies(e -> assertThat(e.getCause().getMessage()).doesNotContain("secret-value-123"));
    }

    @Test
    void tokenStateOrdering() {
        TokenState v7 = new TokenState(1, "c", "w", "h", 1L, List.of(), ConnectionStatus.ACTIVE, "x", T, 7, 2, T, null);
        TokenState v8 = new TokenState(1, "c", "w", "h", 1L, List.of(), ConnectionStatus.ACTIVE, "x", T, 8, 2, T, null);
        TokenState newGrant = new TokenState(1, "c", "w", "h", 1L, List.of(), ConnectionStatus.ACTIVE, "x", T, 1, 3, T, null);
        assertThat(v8.isNewerThan(v7)).isTrue();
        assertThat(v7.isNewerThan(v8)).isFalse();
        assertThat(v7.isNewerThan(v7)).isFalse();
        assertThat(newGrant.isNewerThan(v8)).isTrue();
    }

    @Test
    void triggerBindingMatchesHeadersCaseInsensitively() {
        TriggerBinding b = new TriggerBinding("shopify.orders", Map.of("X-Shopify-Topic", "orders/create"));
        assertThat(b.matches("shopify.orders", Map.of("x-shopify-topic", "orders/create"))).isTrue();
        assertThat(b.matches("shopify.orders", Map.of("x-shopify-topic", "orders/paid"))).isFalse();
        assertThat(b.matches("other", Map.of("x-shopify-topic", "orders/create"))).isFalse();
    }

    @Test
    void retryBackoffGrowsAndCaps() {
        assertThat(RetryPolicy.DEFAULT.backoffBefore(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(RetryPolicy.DEFAULT.backoffBefore(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(RetryPolicy.DEFAULT.backoffBefore(6)).isEqualTo(Duration.ofMinutes(7));
    }
}
