package io.jsworkflows.connections.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import io.jsworkflows.connections.config.ConnectionsConfig;
import io.jsworkflows.connections.service.ConnectionService;

/** The web page's cookies: HttpOnly, SameSite=Lax, and Secure whenever the service is reached over https. */
@ApplicationScoped
public class Cookies {

    private final boolean secure;

    public Cookies(ConnectionsConfig config) {
        this.secure = secure(config.connections().web().secureCookie(), config.connections().publicUrl());
    }

    /** Secure when asked for, or whenever the public URL is https (a browser would otherwise send them in clear). */
    static boolean secure(boolean configured, java.util.Optional<String> publicUrl) {
        return configured || publicUrl.map(u -> u.strip().regionMatches(true, 0, "https://", 0, 8)).orElse(false);
    }

    public boolean secure() {
        return secure;
    }

    /** The session cookie, sent with every page of the service. */
    public NewCookie session(String value, int maxAgeSeconds) {
        return build(Auth.SESSION_COOKIE, value, "/", maxAgeSeconds);
    }

    /**
     * A flow's one-time nonce, sent only back to the OAuth callback. Lax still sends it on HubSpot's top-level
     * redirect to the callback.
     */
    public NewCookie nonce(String name, String value, int maxAgeSeconds) {
        return build(name, value, ConnectionService.CALLBACK_PATH, maxAgeSeconds);
    }

    private NewCookie build(String name, String value, String path, int maxAgeSeconds) {
        return new NewCookie.Builder(name).value(value).path(path).httpOnly(true).secure(secure).sameSite(NewCookie.SameSite.LAX)
                .maxAge(maxAgeSeconds).build();
    }
}
