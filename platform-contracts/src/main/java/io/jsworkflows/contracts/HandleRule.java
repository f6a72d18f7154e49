package io.jsworkflows.contracts;

import java.util.Optional;
import java.util.regex.Pattern;

/** The connection handle rule: how workflows name a connection, e.g. {@code my-hubspot}. */
public final class HandleRule {

    public static final int MAX_LENGTH = 64;
    public static final Pattern PATTERN = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    public static final String RULE = "A handle uses lowercase letters (a-z), digits (0-9) and single hyphens between them, "
            + "1 to 64 characters, for example 'my-hubspot'; it cannot start or end with a hyphen.";

    private HandleRule() {
    }

    /** Empty when valid; otherwise a message that quotes the rule. */
    public static Optional<String> violation(String handle) {
        if (handle == null || handle.isEmpty()) {
            return Optional.of("The handle is missing. " + RULE);
        }
        if (handle.length() > MAX_LENGTH) {
            return Optional.of("The handle is " + handle.length() + " characters long. " + RULE);
        }
        if (!PATTERN.matcher(handle).matches()) {
            return Optional.of("The handle '" + printable(handle) + "' is not allowed. " + RULE);
        }
        return Optional.empty();
    }

    public static boolean isValid(String handle) {
        return violation(handle).isEmpty();
    }

    public static String requireValid(String handle) {
        violation(handle).ifPresent(m -> {
            throw new IllegalArgumentException(m);
        });
        return handle;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(MAX_LENGTH).forEach(c -> b.append(c < 0x20 || c == 0x7f ? '?' : Character.toString(c)));
        return b.toString();
    }
}
