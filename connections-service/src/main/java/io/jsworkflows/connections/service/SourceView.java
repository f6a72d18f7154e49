package io.jsworkflows.connections.service;

import java.time.Instant;
import java.util.List;

/** A trigger source as the API and the page show it; the webhook signing secret is never part of it. */
public record SourceView(String id, String kind, String shopDomain, String ingressUrl, List<String> topics, Instant createdAt) {
}
