package io.jsworkflows.localstack.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.TriggerRecord;
import io.jsworkflows.contracts.json.ContractsJson;

class EventFormatTest {

    @Test
    void runEventIsOneReadableLinePlusConsole() {
        RunEvent e = new RunEvent(1, "e1", RunEvent.Type.SUCCEEDED, "run-1", "contact-from-order", "ws-1", 3, "shopify.orders/0/7",
                "hook-1", 1, 312L, null, List.of(new RunEvent.ConsoleLine("log", "Created contact 51")),
                List.of(new RunEvent.HttpCall("POST", "api.hubapi.com", "/crm/v3/objects/contacts", 201, 40)), Instant.now());
        String line = EventFormat.run(ContractsJson.write(e));
        assertThat(line).contains("succeeded", "contact-from-order v3", "run run-1", "312 ms", "POST /crm/v3/objects/contacts 201",
                "console.log: Created contact 51");
        assertThat(line.lines()).hasSize(2);
    }

    @Test
    void connectionAndDeadLetterLines() {
        ConnectionEvent c = new ConnectionEvent(1, "e", ConnectionEvent.Type.NEEDS_REAUTH, "c1", "ws", "my-hubspot",
                ConnectionStatus.NEEDS_REAUTH, "invalid_grant", 2, 5, "/jsworkflows/token-refresher", Instant.now());
        assertThat(EventFormat.connection(ContractsJson.write(c))).contains("needs-reauth", "my-hubspot", "grant v2 token v5", "invalid_grant");
        DeadLetter d = new DeadLetter(1, "run-9", "deal-from-order", "ws", 2L, "hook-2", "HubSpot answered 400",
                new TriggerRecord("shopify.orders", 1, 44, "shop", "{}", Map.of()),
                List.of(new AttemptError(1, "http", "400", false, Instant.now())), Instant.now());
        assertThat(EventFormat.deadLetter(ContractsJson.write(d))).contains("deal-from-order v2", "attempts 1", "shopify.orders/1/44",
                "HubSpot answered 400");
        assertThat(EventFormat.run("not json")).startsWith("(unreadable run event)");
    }
}
