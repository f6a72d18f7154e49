package io.jsworkflows.emulator.service;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** One filter of a CRM search request (facts file §6): its operator's required fields and what it matches. */
public record SearchFilter(String propertyName, String operator, String value, String highValue, List<String> values) {

    private static final Set<String> OPERATORS = Set.of("EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
            "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN");

    /** Refuses a filter HubSpot would refuse, before any record is looked at. */
    void validate() {
        if (propertyName == null || propertyName.isBlank()) {
            throw HubSpotErrors.validation("Every filter needs a propertyName.");
        }
        if (operator == null || !OPERATORS.contains(operator)) {
            throw HubSpotErrors.validation("Unknown filter operator '" + operator + "'. Valid operators: "
                    + String.join(", ", new TreeSet<>(OPERATORS)) + ".");
        }
        switch (operator) {
            case "IN", "NOT_IN" -> {
                if (values == null || values.isEmpty()) {
                    throw HubSpotErrors.validation("Operator " + operator + " needs 'values'.");
                }
            }
            case "HAS_PROPERTY", "NOT_HAS_PROPERTY" -> {
            }
            case "BETWEEN" -> {
                if (value == null || highValue == null) {
                    throw HubSpotErrors.validation("Operator BETWEEN needs 'value' and 'highValue'.");
                }
            }
            default -> {
                if (value == null) {
                    throw HubSpotErrors.validation("Operator " + operator + " needs a 'value'.");
                }
            }
        }
    }

    /** Whether a record whose property has value {@code v} (null when absent) passes this filter. */
    boolean matches(String v) {
        return switch (operator) {
            case "HAS_PROPERTY" -> v != null;
            case "NOT_HAS_PROPERTY" -> v == null;
            case "EQ" -> v != null && PropertyValues.equal(v, value);
            case "NEQ" -> v == null || !PropertyValues.equal(v, value);
            case "IN" -> v != null && values.stream().anyMatch(x -> PropertyValues.equal(v, x));
            case "NOT_IN" -> v == null || values.stream().noneMatch(x -> PropertyValues.equal(v, x));
            case "GT" -> v != null && PropertyValues.compare(v, value) > 0;
            case "GTE" -> v != null && PropertyValues.compare(v, value) >= 0;
            case "LT" -> v != null && PropertyValues.compare(v, value) < 0;
            case "LTE" -> v != null && PropertyValues.compare(v, value) <= 0;
            case "BETWEEN" -> v != null && PropertyValues.compare(v, value) >= 0 && PropertyValues.compare(v, highValue) <= 0;
            case "CONTAINS_TOKEN" -> v != null && containsToken(v, value);
            case "NOT_CONTAINS_TOKEN" -> v == null || !containsToken(v, value);
            default -> false;
        };
    }

    /** Token match: the value split on non-word characters; a '*' in the filter value is a wildcard. */
    static boolean containsToken(String v, String token) {
        String t = token.toLowerCase(Locale.ROOT);
        String lv = v.toLowerCase(Locale.ROOT);
        if (t.contains("*")) {
            String regex = ("\\Q" + t.replace("*", "\\E.*\\Q") + "\\E");
            if (lv.matches(regex)) {
                return true;
            }
            for (String part : lv.split("[^\\p{L}\\p{N}]+")) {
                if (part.matches(regex)) {
                    return true;
                }
            }
            return false;
        }
        for (String part : lv.split("[^\\p{L}\\p{N}]+")) {
            if (part.equals(t)) {
                return true;
            }
        }
        return lv.equals(t);
    }
}
