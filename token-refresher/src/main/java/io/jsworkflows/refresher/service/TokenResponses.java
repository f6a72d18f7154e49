package io.jsworkflows.refresher.service;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.contracts.json.ContractsJson;

/**
 * Classifies a token endpoint response. HubSpot answers errors with both RFC 6749 fields ({@code error}) and its own
 * ({@code status}: BAD_REFRESH_TOKEN, BAD_CLIENT_ID, ...); either one decides.
 */
public final class TokenResponses {

    /** HubSpot's documented access token lifetime, used if a success response omits expires_in. */
    static final long DEFAULT_EXPIRES_IN = 1800;

    private static final Set<String> REJECTED_GRANT = Set.of("invalid_grant", "BAD_REFRESH_TOKEN", "EXPIRED_REFRESH_TOKEN");
    private static final Set<String> REJECTED_CLIENT = Set.of("invalid_client", "unauthorized_client", "BAD_CLIENT_ID",
            "BAD_CLIENT_SECRET", "INVALID_CLIENT");

    private TokenResponses() {
    }

    public static RefreshOutcome classify(int status, String retryAfterHeader, String body, Instant now) {
        JsonNode json = parse(body);
        if (status == 200) {
            String access = text(json, "access_token");
            if (access == null || access.isBlank()) {
                return new RefreshOutcome.Transient("token endpoint answered 200 without an access token", null);
            }
            long expiresIn = json.path("expires_in").canConvertToLong() ? json.path("expires_in").asLong() : DEFAULT_EXPIRES_IN;
            return new RefreshOutcome.Success(access, text(json, "refresh_token"), expiresIn);
        }
        String error = code(text(json, "error"));
        String hubspotStatus = code(text(json, "status"));
        String codes = "HTTP " + status + (error != null ? " " + error : "") + (hubspotStatus != null ? " " + hubspotStatus : "");
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            if (either(REJECTED_GRANT, error, hubspotStatus)) {
                return new RefreshOutcome.Rejected("refresh token rejected by the token endpoint (" + codes + ")");
            }
            if (either(REJECTED_CLIENT, error, hubspotStatus)) {
                return new RefreshOutcome.Misconfigured("token endpoint rejected the client credentials (" + codes
                        + "): check jsw.hubspot.client-id and jsw.hubspot.client-secret");
            }
        }
        // anything else may pass: 5xx, 429, 408, and unknown 4xx (retried with backoff rather than given up on)
        return new RefreshOutcome.Transient("token endpoint answered " + codes, retryAfter(retryAfterHeader, now));
    }

    /** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
    public static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return ContractsJson.mapper().missingNode();
        }
        try {
            return ContractsJson.mapper().readTree(body);
        } catch (Exception e) {
            return ContractsJson.mapper().missingNode();
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.path(field);
        return n.isTextual() ? n.asText() : null;
    }

    /** Only short code-like values are repeated in reasons: error texts could echo request input. */
    private static String code(String value) {
        return value != null && value.matches("[A-Za-z0-9_.-]{1,64}") ? value : null;
    }

    private static boolean either(Set<String> codes, String a, String b) {
        return (a != null && codes.contains(a)) || (b != null && codes.contains(b));
    }
}
