package io.jsworkflows.contracts;

import java.util.Locale;
import java.util.Set;

/**
 * Kafka record headers that only the platform sets. webhook-gateway stamps them on every record it publishes after
 * verifying the delivery; it strips any incoming HTTP header of the same name first. The executor trusts them because
 * Kafka ACLs let only the platform's principals write source topics; a record without {@code jsw-workspace} runs
 * nothing.
 */
public final class PlatformHeaders {

    /** The workspace that owns the record, as the platform established it (the source's owner). */
    public static final String WORKSPACE = "jsw-workspace";
    /** The source the record came in through (a source id from {@code jsw.sources}). */
    public static final String SOURCE = "jsw-source";

    /** Every platform header; a name starting with {@code jsw-} is reserved even if not listed. */
    public static final Set<String> ALL = Set.of(WORKSPACE, SOURCE);

    /** True for any header name the platform reserves ({@code jsw-*}, case-insensitive). */
    public static boolean isReserved(String headerName) {
        return headerName != null && headerName.toLowerCase(Locale.ROOT).startsWith("jsw-");
    }

    private PlatformHeaders() {
    }
}
