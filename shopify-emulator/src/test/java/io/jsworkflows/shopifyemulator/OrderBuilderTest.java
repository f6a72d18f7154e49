package io.jsworkflows.shopifyemulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.contracts.json.ContractsJson;

class OrderBuilderTest {

    @Test
    void theDefaultOrderIsTheExampleFixture() throws Exception {
        Path fixture = Path.of(System.getProperty("jswtest.root.dir", ".."), "examples/shopify/order-created.json");

        JsonNode expected = ContractsJson.mapper().readTree(Files.readString(fixture));

        assertThat(OrderBuilder.order().build()).isEqualTo(expected);
    }

    @Test
    void moneyIsStringsWithTwoDecimalsAndTotalsAddUp() {
        JsonNode o = OrderBuilder.order().orderNumber(1042).id(820982911946154508L).tax("1.5")
                .lineItem("Widget", "W-1", 3, "2.10").build();

        assertThat(o.get("id").isIntegralNumber()).isTrue();
        assertThat(o.get("id").asLong()).isEqualTo(820982911946154508L);
        assertThat(o.get("admin_graphql_api_id").asText()).isEqualTo("gid://shopify/Order/820982911946154508");
        assertThat(o.get("name").asText()).isEqualTo("#1042");
        assertThat(o.get("number").asInt()).isEqualTo(42);
        assertThat(o.get("subtotal_price").isTextual()).isTrue();
        assertThat(o.get("subtotal_price").asText()).isEqualTo("6.30");
        assertThat(o.get("total_tax").asText()).isEqualTo("1.50");
        assertThat(o.get("total_price").asText()).isEqualTo("7.80");
        assertThat(o.at("/total_price_set/shop_money/amount").asText()).isEqualTo("7.80");
        assertThat(o.at("/line_items/0/price").asText()).isEqualTo("2.10");
    }

    @Test
    void aGuestOrderHasNoCustomerNorEmail() {
        JsonNode o = OrderBuilder.order().guest().build();

        assertThat(o.get("customer").isNull()).isTrue();
        assertThat(o.get("email").isNull()).isTrue();
        assertThat(o.get("shipping_address").isNull()).isTrue();
    }
}
