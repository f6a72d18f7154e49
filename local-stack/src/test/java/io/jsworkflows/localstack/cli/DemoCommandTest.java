package io.jsworkflows.localstack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The demo submits the emulator's consent form like a browser: every hidden field, the selected portal, decision=grant. */
class DemoCommandTest {

    private static final String PAGE = """
            <!DOCTYPE html><html><body><main><h1>Connect <b>jsw</b></h1>
            <form method="post" action="/oauth/authorize" id="consent">
            <input type="hidden" name="client_id" value="jsw-local-client">
            <input type="hidden" name="redirect_uri" value="http://localhost:8081/oauth/hubspot/callback">
            <input type="hidden" name="scope" value="oauth crm.objects.contacts.read crm.objects.contacts.write">
            <input type="hidden" name="state" value="a&amp;b&quot;c">
            <label for="portal_id">Choose an account</label>
            <select name="portal_id" id="portal_id">
              <option value="12345678" selected>jsw-demo.hubspot.com (12345678)</option>
              <option value="87654321">other.hubspot.com (87654321)</option>
            </select>
            <button type="submit" name="decision" value="grant" id="grant">Grant access</button>
            <button type="submit" name="decision" value="deny" id="deny">Deny</button>
            </form></main></body></html>
            """;

    @Test
    void parsesTheConsentForm() {
        DemoCommand.ConsentForm f = DemoCommand.ConsentForm.parse(PAGE);
        assertThat(f.action()).isEqualTo("/oauth/authorize");
        assertThat(f.fields()).containsEntry("client_id", "jsw-local-client")
                .containsEntry("redirect_uri", "http://localhost:8081/oauth/hubspot/callback")
                .containsEntry("scope", "oauth crm.objects.contacts.read crm.objects.contacts.write")
                .containsEntry("state", "a&b\"c")
                .containsEntry("portal_id", "12345678")
                .doesNotContainKey("decision");
    }

    @Test
    void aPageWithoutFormIsAClearError() {
        assertThatThrownBy(() -> DemoCommand.ConsentForm.parse("<html><p id=\"error\">unknown client</p></html>"))
                .hasMessageContaining("no form");
    }

    @Test
    void headersParseFromNameEqualsValueOrColon() {
        assertThat(PublishCommand.parseHeaders(java.util.List.of("X-Shopify-Topic=orders/create", "X-A: b=c")))
                .containsEntry("X-Shopify-Topic", "orders/create").containsEntry("X-A", "b=c");
        assertThatThrownBy(() -> PublishCommand.parseHeaders(java.util.List.of("nonsense"))).hasMessageContaining("Name=Value");
    }
}
