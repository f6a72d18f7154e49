package io.jsworkflows.localstack.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jsworkflows.localstack.stack.StackException;

/** jsw publish sets jsw-workspace itself: a typed-in platform header is refused before anything is sent. */
class PublishCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aPlatformHeaderCannotBeGivenByHand() throws Exception {
        Path file = Files.writeString(tmp.resolve("order.json"), "{\"id\":1}");
        for (String header : List.of("jsw-workspace=ws_other", "JSW-Workspace: ws_other", "jsw-source=src_x")) {
            PublishCommand publish = new PublishCommand();
            publish.topic = "shopify.orders";
            publish.file = file;
            publish.headers = List.of("X-Shopify-Topic=orders/create", header);

            assertThatThrownBy(publish::call).as(header).isInstanceOf(StackException.class).hasMessageContaining("platform's");
        }
    }
}
