package io.jsworkflows.executor.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jsworkflows.executor.runtime.RunHost.FetchException;

/** Internal destinations are refused unless allow-listed; public ones pass. */
class EgressGuardTest {

    final EgressGuard guard = new EgressGuard(List.of("10.1.2.3:8080", "192.168.50.0/24"));

    @Test
    void internalAddressesAreRefused() {
        for (String url : List.of("http://127.0.0.1/", "http://localhost:8083/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
                "http://172.16.5.4/", "http://192.168.1.1/", "http://[::1]/", "http://[fd00:ec2::254]/", "http://0.0.0.0/",
                "http://100.64.0.1/", "http://[::ffff:127.0.0.1]/")) {
            assertThatThrownBy(() -> guard.check(URI.create(url))).as(url).isInstanceOf(FetchException.class)
                    .hasMessageContaining("are refused");
        }
    }

    @Test
    void internalAddressesInsideIpv6TransitionFormatsAndTheBenchmarkRangeAreRefused() {
        // IPv4-compatible, NAT64 (well-known and local-use prefix), 6to4 and Teredo forms of internal IPv4 addresses,
        // and 198.18.0.0/15 (benchmarking, often routed internally)
        for (String url : List.of("http://[::127.0.0.1]/", "http://[::10.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a9fe:a9fe]/",
                "http://[64:ff9b:1::a00:1]/", "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::1]/", "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
                "http://198.18.0.1/", "http://198.19.255.254/")) {
            assertThatThrownBy(() -> guard.check(URI.create(url))).as(url).isInstanceOf(FetchException.class)
                    .hasMessageContaining("are refused");
        }
    }

    @Test
    void allowListAndPublicAddressesPass() {
        assertThatCode(() -> guard.check(URI.create("http://10.1.2.3:8080/x"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check(URI.create("http://10.1.2.3:9090/x"))).isInstanceOf(FetchException.class);
        assertThatCode(() -> guard.check(URI.create("http://192.168.50.7/"))).doesNotThrowAnyException();
        assertThatCode(() -> guard.check(URI.create("https://93.184.215.14/"))).doesNotThrowAnyException();
        // public IPv4 addresses inside transition formats stay reachable
        assertThatCode(() -> guard.check(URI.create("http://[64:ff9b::5db8:d70e]/"))).doesNotThrowAnyException();
        assertThatCode(() -> guard.check(URI.create("http://[2002:5db8:d70e::1]/"))).doesNotThrowAnyException();
    }
}
