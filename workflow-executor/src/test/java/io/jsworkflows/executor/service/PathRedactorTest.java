package io.jsworkflows.executor.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class PathRedactorTest {

    @Test
    void tokensAndCredentialLikeSegmentsAreRedactedAndQueriesDropped() {
        assertThat(PathRedactor.redact("/oauth/v1/access-tokens/CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBK", Set.of()))
                .isEqualTo("/oauth/v1/access-tokens/{redacted}");
        assertThat(PathRedactor.redact("/x/pre-sk_live_secret12345-post", Set.of("sk_live_secret12345"))).isEqualTo("/x/{redacted}");
        assertThat(PathRedactor.redact("/crm/v3/objects/contacts/12345678901234567890?hapikey=abc&limit=1#frag", Set.of()))
                .isEqualTo("/crm/v3/objects/contacts/12345678901234567890");
        assertThat(PathRedactor.redact("/crm/v3/properties/contacts/hs_lifecyclestage_customer_date", Set.of()))
                .isEqualTo("/crm/v3/properties/contacts/hs_lifecyclestage_customer_date");
        assertThat(PathRedactor.redact("", Set.of())).isEqualTo("/");
    }
}
