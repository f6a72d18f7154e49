package io.jsworkflows.executor.service;

import java.util.Collection;

/**
 * Makes a request path safe to publish in a run event: the query string is never kept, and a path segment that is (or
 * contains) a token the run obtained, or looks like a credential, becomes {@code {redacted}}. HubSpot puts tokens in
 * paths ({@code /oauth/v1/access-tokens/{token}}, {@code /oauth/v1/refresh-tokens/{token}}), and a workflow may put any
 * secret there; numeric ids and words stay readable.
 */
public final class PathRedactor {

    public static final String REDACTED = "{redacted}";
    /** Shorter segments are names or ids; longer mixed ones are treated as credentials. */
    private static final int CREDENTIAL_LENGTH = 20;

    private PathRedactor() {
    }

    public static String redact(String rawPath, Collection<String> secrets) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        String path = rawPath;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        int h = path.indexOf('#');
        if (h >= 0) {
            path = path.substring(0, h);
        }
        String[] segments = path.split("/", -1);
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(secretLike(segments[i], secrets) ? REDACTED : segments[i]);
        }
        return out.toString();
    }

    static boolean secretLike(String segment, Collection<String> secrets) {
        if (segment.isEmpty()) {
            return false;
        }
        for (String s : secrets) {
            if (s != null && s.length() >= 8 && (segment.contains(s) || segment.contains(java.net.URLEncoder.encode(s,
                    java.nio.charset.StandardCharsets.UTF_8)))) {
                return true;
            }
        }
        if (segment.length() < CREDENTIAL_LENGTH) {
            return false;
        }
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            letter |= Character.isLetter(c);
            digit |= Character.isDigit(c);
        }
        // a long segment of letters only is a word (e.g. a property name); of digits only, an object id
        return letter && digit || segment.length() >= 64;
    }
}
