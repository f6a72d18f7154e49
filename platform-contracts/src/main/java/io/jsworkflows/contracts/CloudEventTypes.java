package io.jsworkflows.contracts;

/**
 * CloudEvents {@code type} values (binary mode: the {@code ce_type} header). One type per topic value kind; the
 * event's own {@code type} field says which transition or outcome it is.
 */
public final class CloudEventTypes {

    public static final String SPEC_VERSION = "1.0";
    public static final String GRANT_STATE = "io.jsworkflows.connection.grant.v1";
    public static final String TOKEN_STATE = "io.jsworkflows.connection.token.v1";
    public static final String REFRESH_REQUEST = "io.jsworkflows.connection.refresh-request.v1";
    public static final String CONNECTION_EVENT = "io.jsworkflows.connection.event.v1";
    public static final String WORKFLOW_DEFINITION = "io.jsworkflows.workflow.definition.v1";
    public static final String RUN_EVENT = "io.jsworkflows.run.event.v1";
    public static final String RETRY_RECORD = "io.jsworkflows.run.retry.v1";
    public static final String DEAD_LETTER = "io.jsworkflows.run.dead-letter.v1";
    public static final String SOURCE_STATE = "io.jsworkflows.source.state.v1";

    /** {@code ce_source} of each writer. */
    public static final String SOURCE_CONNECTIONS = "/jsworkflows/connections-service";
    public static final String SOURCE_REFRESHER = "/jsworkflows/token-refresher";
    public static final String SOURCE_EXECUTOR = "/jsworkflows/workflow-executor";
    public static final String SOURCE_GATEWAY = "/jsworkflows/webhook-gateway";

    private CloudEventTypes() {
    }
}
