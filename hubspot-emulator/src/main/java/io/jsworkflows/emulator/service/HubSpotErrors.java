package io.jsworkflows.emulator.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** HubSpot's error bodies, shaped as in the facts file (sections 2, 4, 5, 6 and 7). */
public final class HubSpotErrors {

    public static final String AUTH_DOCS = "https://developers.hubspot.com/docs/methods/auth/oauth-overview";

    private HubSpotErrors() {
    }

    /** HubSpot's newer correlation ids are UUIDv7. */
    public static String correlationId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (System.currentTimeMillis() << 16) | 0x7000L | (r.nextLong() & 0x0FFFL);
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    static Map<String, Object> error(String message, String category) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("status", "error");
        b.put("message", message);
        b.put("correlationId", correlationId());
        b.put("category", category);
        return b;
    }

    public static HubSpotException expiredAuthentication(Instant expiredAt, Instant now) {
        Map<String, Object> b = error("The OAuth token used to make this call expired " + ago(Duration.between(expiredAt, now))
                + " ago.", "EXPIRED_AUTHENTICATION");
        b.put("context", Map.of("expire time", List.of(CrmTime.format(expiredAt.toEpochMilli()))));
        return new HubSpotException(401, b, Map.of("x-hubspot-auth-failure", "401 Unauthorized"));
    }

    static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " second(s)";
        }
        if (s < 3600) {
            return (s / 60) + " minute(s)";
        }
        if (s < 86400) {
            return (s / 3600) + " hour(s)";
        }
        return (s / 86400) + " day(s)";
    }

    public static HubSpotException invalidAuthentication() {
        return new HubSpotException(401, error("Authentication credentials not found. This API supports OAuth 2.0 authentication"
                + " and you can find more details at " + AUTH_DOCS, "INVALID_AUTHENTICATION"),
                Map.of("x-hubspot-auth-failure", "401 Unauthorized"));
    }

    public static HubSpotException missingScopes(List<String> anyOf) {
        Map<String, Object> b = error("This app hasn't been granted all required scopes to make this call. Read more about"
                + " required scopes here: https://developers.hubspot.com/scopes.", "MISSING_SCOPES");
        b.put("errors", List.of(Map.of("message", "One or more of the following scopes are required.",
                "context", Map.of("requiredGranularScopes", anyOf))));
        b.put("links", Map.of("scopes", "https://developers.hubspot.com/scopes"));
        b.put("category", b.remove("category"));
        return new HubSpotException(403, b);
    }

    public static Map<String, Object> rateLimitBody(long portalId) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("status", "error");
        b.put("message", "You have reached your ten_secondly_rolling limit.");
        b.put("errorType", "RATE_LIMIT");
        b.put("correlationId", correlationId());
        b.put("policyName", "TEN_SECONDLY_ROLLING");
        b.put("groupName", "publicapi:oauth-api-calls-ten-secondly:" + portalId);
        return b;
    }

    public static HubSpotException notFound(String id) {
        Map<String, Object> b = error("Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND");
        b.put("context", Map.of("id", List.of(id)));
        b.put("category", b.remove("category"));
        return new HubSpotException(404, b);
    }

    public static HubSpotException conflict(String existingId, String objectLabel) {
        return new HubSpotException(409, error(objectLabel + " already exists. Existing ID: " + existingId, "CONFLICT"));
    }

    public static HubSpotException validation(String message) {
        return new HubSpotException(400, error(message, "VALIDATION_ERROR"));
    }

    /** One invalid property value, rendered into both the legacy message dump and {@code errors[]}. */
    public record PropertyError(String name, String code, String message) {
    }

    public static HubSpotException propertyErrors(List<PropertyError> errors, long portalId) {
        StringBuilder dump = new StringBuilder("Property values were not valid: [");
        for (int i = 0; i < errors.size(); i++) {
            PropertyError e = errors.get(i);
            if (i > 0) {
                dump.append(',');
            }
            dump.append("{\"isValid\":false,\"message\":").append(jsonString(e.message()))
                    .append(",\"error\":\"").append(e.code()).append("\",\"name\":").append(jsonString(e.name()))
                    .append(",\"localizedErrorMessage\":").append(jsonString(e.message()))
                    .append(",\"portalId\":").append(portalId).append('}');
        }
        dump.append(']');
        Map<String, Object> b = error(dump.toString(), "VALIDATION_ERROR");
        b.put("errors", errors.stream().map(e -> (Object) Map.of("message", e.message(), "code", e.code(),
                "context", Map.of("propertyName", List.of(e.name())))).toList());
        b.put("category", b.remove("category"));
        return new HubSpotException(400, b);
    }

    /** Body for a bad OAuth request: v1's status/message plus (configurable on v1) RFC 6749's error/error_description. */
    public static HubSpotException oauth(String status, String message, String rfcError, boolean rfcFields) {
        Map<String, Object> b = new LinkedHashMap<>();
        if (rfcFields) {
            b.put("error", rfcError);
            b.put("error_description", message);
        }
        b.put("status", status);
        b.put("message", message);
        b.put("correlationId", correlationId());
        return new HubSpotException(400, b);
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
