package io.jsworkflows.connections.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The web page's cookies are Secure wherever the service is reached over https. */
class CookiesUnitTest {

    @Test
    void secureWhenThePublicUrlIsHttpsOrWhenAskedFor() {
        assertThat(Cookies.secure(false, Optional.of("https://connections.example.com"))).isTrue();
        assertThat(Cookies.secure(false, Optional.of(" HTTPS://connections.example.com/"))).isTrue();
        assertThat(Cookies.secure(true, Optional.empty())).isTrue();
        assertThat(Cookies.secure(false, Optional.of("http://localhost:8081"))).isFalse();
        assertThat(Cookies.secure(false, Optional.empty())).isFalse();
    }
}
