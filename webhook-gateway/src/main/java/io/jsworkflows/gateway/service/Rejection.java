package io.jsworkflows.gateway.service;

/** Why a delivery was not accepted: the HTTP status, the problem title and the metric tag. */
public enum Rejection {
    UNKNOWN_SOURCE(404, "Unknown source", "unknown_source"),
    BAD_HMAC(401, "Invalid webhook signature", "bad_hmac"),
    SHOP_MISMATCH(401, "Shop domain does not match the source", "shop_mismatch"),
    MISSING_HEADERS(400, "Missing required headers", "missing_headers"),
    INVALID_HEADER(400, "Invalid header", "invalid_header"),
    UNSUPPORTED_TOPIC(400, "Unsupported webhook topic", "unsupported_topic"),
    NOT_JSON(400, "Body is not JSON", "not_json"),
    TOO_LARGE(413, "Body too large", "too_large"),
    PUBLISH_FAILED(503, "Could not store the delivery", "publish_failed"),
    NOT_READY(503, "Sources not loaded yet", "not_ready");

    private final int status;
    private final String title;
    private final String tag;

    Rejection(int status, String title, String tag) {
        this.status = status;
        this.title = title;
        this.tag = tag;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String tag() {
        return tag;
    }
}
