package io.jsworkflows.shopifyemulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.contracts.json.ContractsJson;

/**
 * Builds the REST Order resource an {@code orders/create} webhook carries, shaped like Shopify's: int64 ids as JSON
 * numbers, money as strings with two decimals (plus the {@code *_set} shop/presentment pairs), timestamps in ISO 8601
 * with the shop's offset, {@code number = order_number - 1000}, and a null {@code customer} and {@code email} for a
 * guest order without contact data. Defaults match {@code examples/shopify/order-created.json}.
 */
public final class OrderBuilder {

    private record LineItem(long id, long productId, long variantId, String title, String name, String sku,
            int quantity, BigDecimal price) {
    }

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private long id = 5678901234567L;
    private int orderNumber = 1001;
    private String email = "ada.lovelace@example.com";
    private String phone;
    private String firstName = "Ada";
    private String lastName = "Lovelace";
    private long customerId = 7012345678901L;
    private boolean guest;
    private String currency = "USD";
    private String financialStatus = "paid";
    private BigDecimal tax = new BigDecimal("10.00");
    private OffsetDateTime createdAt = OffsetDateTime.of(2026, 11, 29, 10, 30, 0, 0, ZoneOffset.ofHours(-5));
    private final List<LineItem> lineItems = new ArrayList<>();

    public static OrderBuilder order() {
        return new OrderBuilder();
    }

    public OrderBuilder id(long id) {
        this.id = id;
        return this;
    }

    /** The shop's order number ({@code name} is {@code "#" + orderNumber}); must be 1001 or more. */
    public OrderBuilder orderNumber(int orderNumber) {
        if (orderNumber < 1001) {
            throw new IllegalArgumentException("Shopify order numbers start at 1001");
        }
        this.orderNumber = orderNumber;
        return this;
    }

    public OrderBuilder customer(String firstName, String lastName, String email) {
        this.firstName = firstName;
        this.lastName = lastName;
        this.email = email;
        this.guest = false;
        return this;
    }

    public OrderBuilder customerId(long customerId) {
        this.customerId = customerId;
        return this;
    }

    public OrderBuilder phone(String phone) {
        this.phone = phone;
        return this;
    }

    /** A guest checkout with its contact data redacted: {@code customer}, {@code email} and addresses are null. */
    public OrderBuilder guest() {
        this.guest = true;
        return this;
    }

    public OrderBuilder currency(String currency) {
        this.currency = currency;
        return this;
    }

    public OrderBuilder financialStatus(String financialStatus) {
        this.financialStatus = financialStatus;
        return this;
    }

    public OrderBuilder tax(String tax) {
        this.tax = money(tax);
        return this;
    }

    public OrderBuilder createdAt(OffsetDateTime createdAt) {
        this.createdAt = createdAt;
        return this;
    }

    public OrderBuilder lineItem(String title, String sku, int quantity, String price) {
        long n = lineItems.size();
        lineItems.add(new LineItem(13579246801357L + n, 8123456789012L + n, 45123456789012L + n, title, title, sku,
                quantity, money(price)));
        return this;
    }

    public ObjectNode build() {
        List<LineItem> items = lineItems.isEmpty()
                ? List.of(new LineItem(13579246801357L, 8123456789012L, 45123456789012L, "Analytical Engine Mug",
                        "Analytical Engine Mug - Large", "MUG-AE-L", 2, new BigDecimal("49.99")),
                        new LineItem(13579246801358L, 8123456789013L, 45123456789013L, "Punch Card Coasters",
                                "Punch Card Coasters", "COAST-PC", 1, new BigDecimal("39.99")))
                : lineItems;
        BigDecimal subtotal = items.stream().map(i -> i.price().multiply(BigDecimal.valueOf(i.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal total = subtotal.add(tax);

        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("id", id);
        o.put("admin_graphql_api_id", "gid://shopify/Order/" + id);
        o.put("name", "#" + orderNumber);
        o.put("order_number", orderNumber);
        o.put("number", orderNumber - 1000);
        o.put("email", guest ? null : email);
        o.put("contact_email", guest ? null : email);
        o.put("phone", guest ? null : phone);
        o.put("created_at", ISO.format(createdAt));
        o.put("updated_at", ISO.format(createdAt.plusSeconds(1)));
        o.put("processed_at", ISO.format(createdAt));
        o.put("currency", currency);
        o.put("presentment_currency", currency);
        o.put("total_price", text(total));
        o.put("subtotal_price", text(subtotal));
        o.put("total_tax", text(tax));
        o.put("total_discounts", "0.00");
        o.put("total_line_items_price", text(subtotal));
        o.set("total_price_set", moneySet(total));
        o.put("financial_status", financialStatus);
        o.putNull("fulfillment_status");
        o.put("test", false);
        o.put("tags", "");
        o.putNull("note");
        if (guest) {
            o.putNull("customer");
        } else {
            ObjectNode c = o.putObject("customer");
            c.put("id", customerId);
            c.put("email", email);
            c.put("first_name", firstName);
            c.put("last_name", lastName);
            c.put("phone", phone);
            c.put("admin_graphql_api_id", "gid://shopify/Customer/" + customerId);
        }
        var lines = o.putArray("line_items");
        for (LineItem i : items) {
            ObjectNode l = lines.addObject();
            l.put("id", i.id());
            l.put("product_id", i.productId());
            l.put("variant_id", i.variantId());
            l.put("title", i.title());
            l.put("name", i.name());
            l.put("sku", i.sku());
            l.put("vendor", "jsworkflows demo");
            l.put("quantity", i.quantity());
            l.put("price", text(i.price()));
        }
        if (guest) {
            o.putNull("billing_address");
            o.putNull("shipping_address");
        } else {
            o.set("billing_address", address());
            o.set("shipping_address", address());
        }
        return o;
    }

    /** The order as the raw JSON body bytes Shopify would send. */
    public byte[] toJsonBytes() {
        try {
            return ContractsJson.mapper().writeValueAsBytes(build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode address() {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("first_name", firstName);
        a.put("last_name", lastName);
        a.put("address1", "12 St James's Square");
        a.put("city", "London");
        a.put("zip", "SW1Y 4JH");
        a.put("country", "United Kingdom");
        a.put("country_code", "GB");
        return a;
    }

    private ObjectNode moneySet(BigDecimal amount) {
        ObjectNode set = JsonNodeFactory.instance.objectNode();
        for (String side : List.of("shop_money", "presentment_money")) {
            ObjectNode m = set.putObject(side);
            m.put("amount", text(amount));
            m.put("currency_code", currency);
        }
        return set;
    }

    private static BigDecimal money(String amount) {
        return new BigDecimal(amount).setScale(2, RoundingMode.UNNECESSARY);
    }

    private static String text(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
