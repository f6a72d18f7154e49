package io.jsworkflows.emulator.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** HubSpot's timestamps: ISO 8601 in UTC, always with milliseconds ({@code 2024-09-23T13:30:40.386Z}). */
public final class CrmTime {

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private CrmTime() {
    }

    public static String format(long epochMillis) {
        return MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A filter or property value as epoch millis when it is a number, an instant or a date; otherwise null. */
    public static Double numeric(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        char c = v.charAt(0);
        if ((c >= '0' && c <= '9') || c == '-' || c == '.') {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException ignored) {
                // a date such as 2024-09-23 also starts with a digit
            }
            try {
                return (double) Instant.parse(v).toEpochMilli();
            } catch (RuntimeException ignored) {
                // not an instant
            }
            try {
                return (double) LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (RuntimeException ignored) {
                // not a date
            }
        }
        return null;
    }
}
