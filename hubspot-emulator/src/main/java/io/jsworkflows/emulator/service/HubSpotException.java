package io.jsworkflows.emulator.service;

import java.util.Map;

/** A HubSpot error response: HTTP status plus HubSpot's JSON body (and extra headers such as x-hubspot-auth-failure). */
public class HubSpotException extends RuntimeException {

    private final int status;
    private final Map<String, Object> body;
    private final Map<String, String> headers;

    public HubSpotException(int status, Map<String, Object> body) {
        this(status, body, Map.of());
    }

    public HubSpotException(int status, Map<String, Object> body, Map<String, String> headers) {
        super(String.valueOf(body.get("message")), null, false, false);
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
