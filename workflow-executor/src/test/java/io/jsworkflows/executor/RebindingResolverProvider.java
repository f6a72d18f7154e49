package io.jsworkflows.executor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A DNS rebinding attacker's name server for the test JVM: a name under {@value #DOMAIN} resolves first to a public
 * (documentation) address, {@value #PUBLIC}, and from the second lookup on to 127.0.0.1. Every other name goes to the
 * JDK's own resolver. The test JVM runs with {@code -Dsun.net.inetaddr.ttl=0}, so each lookup reaches this resolver,
 * as it would once a name's cache entry expires between a check and a connect.
 */
public class RebindingResolverProvider extends InetAddressResolverProvider {

    static final String DOMAIN = ".rebind.test";
    static final String PUBLIC = "192.0.2.1";

    private static final Map<String, AtomicInteger> LOOKUPS = new ConcurrentHashMap<>();

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (!host.endsWith(DOMAIN)) {
                    return builtin.lookupByName(host, policy);
                }
                int n = LOOKUPS.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
                return Stream.of(InetAddress.getByAddress(host, n == 1 ? new byte[] { (byte) 192, 0, 2, 1 } : new byte[] { 127, 0, 0, 1 }));
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "jsw-test-rebinding";
    }
}
