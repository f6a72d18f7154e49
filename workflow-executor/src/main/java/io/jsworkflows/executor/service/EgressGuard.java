package io.jsworkflows.executor.service;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jsworkflows.executor.runtime.ErrorCategory;
import io.jsworkflows.executor.runtime.RunHost.FetchException;

/**
 * Refuses fetch destinations inside the platform's network: loopback, private (RFC 1918, CGNAT, IPv6 ULA), link-local
 * (including the cloud metadata address 169.254.169.254), unspecified, multicast, reserved and benchmarking
 * (198.18.0.0/15) addresses, also when written inside an IPv6 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4;
 * Teredo is refused outright), unless allow-listed by
 * host, host:port or CIDR. Every address a name resolves to is checked. Redirects are never followed, so a public host
 * cannot bounce a request inside.
 */
public final class EgressGuard {

    private final List<String> hosts = new ArrayList<>();
    private final List<byte[][]> cidrs = new ArrayList<>();

    public EgressGuard(List<String> allow) {
        for (String a : allow) {
            String e = a.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.contains("/")) {
                cidrs.add(parseCidr(e));
            } else {
                hosts.add(e);
            }
        }
    }

    /**
     * Throws a {@link FetchException} (category EGRESS_DENIED) when the destination is refused; else answers the checked
     * address the request must connect to (no second lookup, which a rebinding name server could answer differently),
     * or null for a host allow-listed by name, which the client resolves itself. Blocks for DNS.
     */
    public InetAddress check(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            throw new FetchException(ErrorCategory.EGRESS_DENIED, "the URL has no host");
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        if (hosts.contains(h) || hosts.contains(h + ":" + port)) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(h);
        } catch (UnknownHostException e) {
            throw new FetchException(ErrorCategory.NETWORK, "the host " + host + " cannot be resolved");
        }
        for (InetAddress a : addresses) {
            String kind = internalKind(a);
            if (kind != null && !allowedByCidr(a)) {
                throw new FetchException(ErrorCategory.EGRESS_DENIED, "requests to " + host + " are refused: it is a " + kind
                        + " address, which workflows may not reach (an operator can allow it with jsw.executor.egress.allow)");
            }
        }
        return addresses[0];
    }

    /** Why an address is internal, or null for a public address. */
    static String internalKind(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            // an IPv4 address inside an IPv6 one reaches that IPv4 address: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
            // (::a.b.c.d, also :: and ::1), NAT64's well-known prefix (64:ff9b::/96) and 6to4 (2002:a.b.c.d::/48)
            if (zero(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || zero(b, 10, 12))) {
                return internalKind(v4(b, 12));
            }
            if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return zero(b, 4, 12) ? internalKind(v4(b, 12)) : "NAT64 local-use";
            }
            if (b[0] == 0x20 && b[1] == 0x02) {
                return internalKind(v4(b, 2));
            }
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
                return "Teredo tunnel"; // its client address is obfuscated inside; no workflow needs Teredo
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "private (unique local)";
            }
        }
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local (metadata)";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        if (a instanceof Inet4Address) {
            byte[] b = a.getAddress();
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            if (b0 == 0 || (b0 == 100 && b1 >= 64 && b1 < 128) || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) || b0 >= 240
                    || (b0 == 198 && (b1 == 18 || b1 == 19))) {
                return "reserved or shared";
            }
        }
        return null;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte[] b, int at) {
        try {
            return InetAddress.getByAddress(new byte[] { b[at], b[at + 1], b[at + 2], b[at + 3] });
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean allowedByCidr(InetAddress a) {
        byte[] addr = a.getAddress();
        for (byte[][] c : cidrs) {
            byte[] net = c[0];
            int bits = c[1][0] & 0xff;
            if (net.length != addr.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < bits && match; i++) {
                int mask = 0x80 >>> (i % 8);
                match = (net[i / 8] & mask) == (addr[i / 8] & mask);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static byte[][] parseCidr(String cidr) {
        String[] p = cidr.split("/");
        try {
            byte[] net = InetAddress.getByName(p[0]).getAddress();
            int bits = Integer.parseInt(p[1]);
            if (bits < 0 || bits > net.length * 8) {
                throw new IllegalArgumentException();
            }
            return new byte[][] { net, { (byte) bits } };
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalStateException("jsw.executor.egress.allow has an invalid CIDR entry '" + cidr + "'");
        }
    }
}
