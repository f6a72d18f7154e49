package io.jsworkflows.executor.client;

import java.util.List;

/**
 * A response read in full: its status, its headers (lower-case names, repeated headers joined with ", ") and its body.
 */
public record OutboundResponse(int status, List<List<String>> headers, Body body) {

    /** The body as UTF-8 text, and the bytes of it still reserved in the run's fetch budget until handed over. */
    public record Body(String text, long reserved) {
    }
}
