package io.jsworkflows.connections.service;

/**
 * A request the service refuses, with what a person needs to fix it. Rendered as RFC 9457 problem+json by the REST
 * layer (or as the web page's message). The detail must never quote a token, code, secret or API key.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;

    public ApiProblem(int status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** Short stable name of the problem kind, e.g. {@code invalid-handle}; the problem {@code type} is built from it. */
    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public static ApiProblem badRequest(String slug, String title, String detail) {
        return new ApiProblem(400, slug, title, detail);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Missing or invalid API key", detail);
    }

    public static ApiProblem notFound(String slug, String title, String detail) {
        return new ApiProblem(404, slug, title, detail);
    }

    public static ApiProblem connectionNotFound(String handle) {
        // the same answer whether the handle is unknown or belongs to another workspace: nothing leaks
        return notFound("connection-not-found", "Connection not found",
                "This workspace has no connection with handle '" + printable(handle)
                        + "'. List your connections with GET /api/v1/connections.");
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> b.append(c < 0x20 || c == 0x7f ? '?' : Character.toString(c)));
        return b.toString();
    }
}
