package io.jsworkflows.contracts;

import java.util.List;

/**
 * The HTTP headers of a Shopify webhook delivery (shopify-api-js {@code ShopifyHeader}), kept as Kafka record headers
 * under the same names. Shopify's docs say to compare them case-insensitively.
 */
public final class ShopifyHeaders {

    public static final String HMAC = "X-Shopify-Hmac-Sha256";
    public static final String TOPIC = "X-Shopify-Topic";
    public static final String SHOP_DOMAIN = "X-Shopify-Shop-Domain";
    public static final String API_VERSION = "X-Shopify-API-Version";
    public static final String WEBHOOK_ID = "X-Shopify-Webhook-Id";
    public static final String EVENT_ID = "X-Shopify-Event-Id";
    public static final String TRIGGERED_AT = "X-Shopify-Triggered-At";
    public static final String NAME = "X-Shopify-Name";
    public static final String SUB_TOPIC = "X-Shopify-Sub-Topic";

    /** What shopify-api-js's webhook validation requires besides the body. */
    public static final List<String> REQUIRED = List.of(HMAC, TOPIC, SHOP_DOMAIN, API_VERSION, WEBHOOK_ID);

    /** Headers copied from the delivery onto the Kafka record (the HMAC is not: it is only proof for the gateway). */
    public static final List<String> KEPT = List.of(TOPIC, SHOP_DOMAIN, API_VERSION, WEBHOOK_ID, EVENT_ID, TRIGGERED_AT,
            NAME, SUB_TOPIC);

    /** A shop's permanent domain: {@code <name>.myshopify.com}, lower case. */
    public static final String SHOP_DOMAIN_PATTERN = "^[a-z0-9][a-z0-9-]{0,59}\\.myshopify\\.com$";

    private ShopifyHeaders() {
    }
}
