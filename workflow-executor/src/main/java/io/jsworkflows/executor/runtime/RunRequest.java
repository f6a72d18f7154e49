package io.jsworkflows.executor.runtime;

import java.time.Duration;
import java.util.Map;

/**
 * One attempt of a workflow run.
 *
 * @param dataJson the trigger record's JSON body, passed to {@code start} as {@code data}
 * @param headers  the trigger record's headers (plus the idempotency key), passed as {@code headers}
 */
public record RunRequest(String workflowId, long version, String source, String dataJson, Map<String, String> headers,
        Duration timeout) {
}
