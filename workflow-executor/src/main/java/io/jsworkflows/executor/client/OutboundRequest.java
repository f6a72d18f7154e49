package io.jsworkflows.executor.client;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One request of a workflow's {@code fetch}, as the gateway decided to send it.
 *
 * @param target    the URL to send to (after the HubSpot rebase)
 * @param connectTo the address the egress guard checked, to connect to without a second lookup; null to let the
 *                  client resolve the host (HubSpot's configured base URL, or a host the operator allow-listed by name)
 * @param headers   header name/value pairs, already filtered and validated
 * @param body      the request body, or null
 * @param timeout   for the whole exchange, body included
 */
public record OutboundRequest(String method, URI target, InetAddress connectTo, List<List<String>> headers, String body, Duration timeout) {
}
