package io.jsworkflows.executor.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;

class TokenViewMinValidityTest {

    private static TokenView.Entry token(Duration lifetime) {
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        return new TokenView.Entry(new TokenState(TokenState.SCHEMA_VERSION, "c1", "ws", "h", 1L, List.of(), ConnectionStatus.ACTIVE,
                "sealed", at.plus(lifetime), 2, 1, at, null), "token");
    }

    @Test
    void aRunTimeoutIsAskedOfHubSpotsHalfHourTokens() {
        assertThat(TokenView.cappedByLifetime(token(Duration.ofMinutes(30)), Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aTokenShorterThanTheRunTimeoutIsOnlyAskedAQuarterOfItsLife() {
        assertThat(TokenView.cappedByLifetime(token(Duration.ofSeconds(20)), Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void withoutTimesTheTimeoutStands() {
        TokenView.Entry e = new TokenView.Entry(new TokenState(TokenState.SCHEMA_VERSION, "c1", "ws", "h", 1L, List.of(),
                ConnectionStatus.ACTIVE, "sealed", null, 2, 1, null, null), "token");
        assertThat(TokenView.cappedByLifetime(e, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }
}
