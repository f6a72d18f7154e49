package io.jsworkflows.gateway.service;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The platform's span attribute names (docs/observability.md, "Traces"); every service uses the same ones. Ids only:
 * never a token, a secret or a body.
 */
public final class Tracing {

    public static final AttributeKey<String> WORKSPACE_ID = AttributeKey.stringKey("jsw.workspace.id");
    public static final AttributeKey<String> SOURCE_ID = AttributeKey.stringKey("jsw.source.id");
    /** How the unit of work ended: accepted, duplicate or the rejection reason (the metrics' reason tag). */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("jsw.outcome");

    private Tracing() {
    }
}
