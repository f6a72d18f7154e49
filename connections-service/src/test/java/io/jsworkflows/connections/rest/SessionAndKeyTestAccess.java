package io.jsworkflows.connections.rest;

import java.util.Map;

/** Signing in like the page does, for tests in other packages. */
public final class SessionAndKeyTestAccess {

    private SessionAndKeyTestAccess() {
    }

    public static Map<String, String> signIn(String apiKey) {
        return SessionAndKeyTest.signIn(apiKey);
    }
}
