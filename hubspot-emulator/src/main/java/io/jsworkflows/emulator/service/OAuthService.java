package io.jsworkflows.emulator.service;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.emulator.config.EmulatorConfig;

/** HubSpot's OAuth 2.0 authorization-code flow for the one registered app (facts file §1–§3). */
@ApplicationScoped
public class OAuthService {

    /** Every install grants the base scope {@code oauth}. */
    public static final String OAUTH_SCOPE = "oauth";

    private final EmulatorConfig config;
    private final Settings settings;
    private final Portals portals;
    private final Tokens tokens;

    public OAuthService(EmulatorConfig config, Settings settings, Portals portals, Tokens tokens) {
        this.config = config;
        this.settings = settings;
        this.portals = portals;
        this.tokens = tokens;
    }

    /** A validated authorize request, or the reason it cannot be shown (rendered on the emulator's own page). */
    public record AuthorizeRequest(String clientId, String redirectUri, List<String> scopes, List<String> optionalScopes,
            String state, Long pinnedPortal) {
    }

    public static final class AuthorizeError extends RuntimeException {
        public AuthorizeError(String message) {
            super(message, null, false, false);
        }
    }

    public AuthorizeRequest validate(String clientId, String redirectUri, String scope, String optionalScope, String state,
            Long pinnedPortal) {
        if (clientId == null || clientId.isBlank()) {
            throw new AuthorizeError("The client_id parameter is missing. Check the app's authorize URL.");
        }
        if (!clientId.equals(config.app().clientId())) {
            throw new AuthorizeError("Authorization failed because the client ID '" + clientId + "' is not valid.");
        }
        if (redirectUri == null || redirectUri.isBlank()) {
            throw new AuthorizeError("The redirect_uri parameter is missing.");
        }
        if (!redirectUriAllowed(redirectUri)) {
            throw new AuthorizeError("Authorization failed as the redirect URL '" + redirectUri
                    + "' doesn't match the app's registered redirect URL");
        }
        List<String> scopes = splitScopes(scope);
        if (scopes.isEmpty()) {
            throw new AuthorizeError("The scope parameter is missing. Every scope the app requires must be listed.");
        }
        if (pinnedPortal != null && portals.get(pinnedPortal) == null) {
            throw new AuthorizeError("The account " + pinnedPortal + " does not exist.");
        }
        return new AuthorizeRequest(clientId, redirectUri, scopes, splitScopes(optionalScope), state, pinnedPortal);
    }

    /** Space (%20) or '+' separated; both appear in real clients. */
    public static List<String> splitScopes(String s) {
        if (s == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String p : s.split("[\\s+,]+")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return List.copyOf(out);
    }

    /** Exact match, except that loopback redirect URIs match on any port (RFC 8252 §7.3). */
    public boolean redirectUriAllowed(String candidate) {
        URI c;
        try {
            c = URI.create(candidate);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (String registered : config.app().redirectUris()) {
            String r = registered.trim();
            if (r.equals(candidate)) {
                return true;
            }
            URI u = URI.create(r);
            if (isLoopback(u.getHost()) && u.getHost().equalsIgnoreCase(c.getHost())
                    && u.getScheme().equalsIgnoreCase(String.valueOf(c.getScheme()))
                    && u.getRawPath().equals(c.getRawPath()) && c.getRawQuery() == null && c.getRawFragment() == null) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    /** Grant: a single-use code for the chosen portal; returns the redirect location. */
    public String grant(AuthorizeRequest req, long portalId) {
        Portal p = portals.get(portalId);
        if (p == null) {
            throw new AuthorizeError("The account " + portalId + " does not exist.");
        }
        List<String> granted = new ArrayList<>();
        granted.add(OAUTH_SCOPE);
        req.scopes().stream().filter(s -> !granted.contains(s)).forEach(granted::add);
        req.optionalScopes().stream().filter(s -> !granted.contains(s)).forEach(granted::add);
        Tokens.AuthCode code = tokens.newCode(p.id(), req.clientId(), req.redirectUri(), granted,
                settings.authCodeLifetime().toMillis());
        return withQuery(req.redirectUri(), "code", code.code(), req.state());
    }

    /** Deny: the documented error form, {@code ?error=...&error_description=...}. */
    public String deny(AuthorizeRequest req) {
        String base = req.redirectUri();
        String sep = base.contains("?") ? "&" : "?";
        String loc = base + sep + "error=access_denied&error_description="
                + enc("The user denied the app access to the HubSpot account");
        if (req.state() != null) {
            loc += "&state=" + enc(req.state());
        }
        return loc;
    }

    private static String withQuery(String base, String name, String value, String state) {
        String sep = base.contains("?") ? "&" : "?";
        String loc = base + sep + name + "=" + enc(value);
        if (state != null) {
            loc += "&state=" + enc(state);
        }
        return loc;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The form fields of a token request, from the body (and, on v1 only, the query string). */
    public record TokenForm(String grantType, String clientId, String clientSecret, String redirectUri, String code,
            String refreshToken) {
    }

    /** POST /oauth/v1/token and /oauth/v3/token. */
    public Map<String, Object> token(TokenForm f, boolean v1) {
        boolean rfc = !v1 || settings.v1Rfc6749ErrorFields();
        String grant = f.grantType() == null ? null : f.grantType().toLowerCase(Locale.ROOT);
        if (grant == null || !(grant.equals("authorization_code") || grant.equals("refresh_token"))) {
            throw HubSpotErrors.oauth("BAD_GRANT_TYPE", "missing or unsupported grant_type: use authorization_code or refresh_token",
                    "unsupported_grant_type", rfc);
        }
        checkClient(f.clientId(), f.clientSecret(), rfc);
        if (grant.equals("authorization_code")) {
            Tokens.AuthCode c = tokens.takeCode(f.code());
            if (c == null || !c.clientId().equals(f.clientId())) {
                throw HubSpotErrors.oauth("BAD_AUTH_CODE", "missing or unknown auth code", "invalid_grant", rfc);
            }
            if (System.currentTimeMillis() > c.expiresAt()) {
                throw HubSpotErrors.oauth("EXPIRED_AUTH_CODE", "auth code is expired", "invalid_grant", rfc);
            }
            if (f.redirectUri() == null || !f.redirectUri().equals(c.redirectUri())) {
                throw HubSpotErrors.oauth("BAD_REDIRECT_URI",
                        "redirect_uri does not match the redirect_uri used to obtain the auth code", "invalid_grant", rfc);
            }
            Tokens.RefreshToken rt = tokens.newRefreshToken(c.portalId(), c.clientId(), c.scopes());
            return issue(rt);
        }
        Tokens.RefreshToken rt = tokens.refreshToken(f.refreshToken());
        if (rt == null || !rt.clientId().equals(f.clientId())) {
            throw HubSpotErrors.oauth("BAD_REFRESH_TOKEN", "refresh token is invalid, expired or revoked", "invalid_grant", rfc);
        }
        if (portals.get(rt.portalId()) == null) {
            throw HubSpotErrors.oauth("BAD_REFRESH_TOKEN", "refresh token is invalid, expired or revoked", "invalid_grant", rfc);
        }
        if (settings.refreshTokenRotation()) {
            tokens.revokeRefreshToken(rt.token());
            rt = tokens.newRefreshToken(rt.portalId(), rt.clientId(), rt.scopes());
        }
        return issue(rt);
    }

    private void checkClient(String clientId, String clientSecret, boolean rfc) {
        if (clientId == null || !clientId.equals(config.app().clientId())) {
            throw HubSpotErrors.oauth("BAD_CLIENT_ID", "missing or invalid client id", "invalid_client", rfc);
        }
        if (clientSecret == null || !clientSecret.equals(config.app().clientSecret())) {
            throw HubSpotErrors.oauth("BAD_CLIENT_SECRET", "missing or invalid client secret", "invalid_client", rfc);
        }
    }

    /** Tokens for tests that need them without the consent flow (operator API). */
    public Map<String, Object> issueDirect(long portalId, List<String> scopes) {
        if (portals.get(portalId) == null) {
            throw new IllegalArgumentException("Portal " + portalId + " does not exist.");
        }
        List<String> granted = new ArrayList<>();
        granted.add(OAUTH_SCOPE);
        scopes.stream().filter(s -> !granted.contains(s)).forEach(granted::add);
        return issue(tokens.newRefreshToken(portalId, config.app().clientId(), granted));
    }

    private Map<String, Object> issue(Tokens.RefreshToken rt) {
        long lifetime = settings.accessTokenLifetime().toMillis();
        Tokens.AccessToken at = tokens.newAccessToken(rt.portalId(), rt.clientId(), rt.scopes(), lifetime);
        Portal p = portals.get(rt.portalId());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("token_type", "bearer");
        b.put("refresh_token", rt.token());
        b.put("access_token", at.token());
        b.put("expires_in", lifetime / 1000);
        b.put("hub_id", rt.portalId());
        b.put("user_id", p == null ? null : p.userId());
        b.put("scopes", rt.scopes());
        b.put("token_use", "access_token");
        return b;
    }

    /** GET /oauth/v1/access-tokens/{token}; null when unknown or expired. */
    public Map<String, Object> accessTokenInfo(String token) {
        Tokens.AccessToken t = tokens.accessToken(token);
        if (t == null) {
            return null;
        }
        long remaining = (tokens.effectiveExpiry(t) - System.currentTimeMillis()) / 1000;
        if (remaining <= 0) {
            return null;
        }
        Portal p = portals.get(t.portalId());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("token", t.token());
        b.put("user", p.user());
        b.put("hub_domain", p.domain());
        b.put("scopes", t.scopes());
        b.put("hub_id", t.portalId());
        b.put("app_id", config.app().appId());
        b.put("expires_in", remaining);
        b.put("user_id", p.userId());
        b.put("token_type", "access");
        b.put("is_private_distribution", false);
        return b;
    }

    /** GET /oauth/v1/refresh-tokens/{token}; null when unknown or revoked. No app_id or expires_in here. */
    public Map<String, Object> refreshTokenInfo(String token) {
        Tokens.RefreshToken t = tokens.refreshToken(token);
        if (t == null) {
            return null;
        }
        Portal p = portals.get(t.portalId());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("token", t.token());
        b.put("user", p.user());
        b.put("hub_domain", p.domain());
        b.put("scopes", t.scopes());
        b.put("hub_id", t.portalId());
        b.put("client_id", t.clientId());
        b.put("user_id", p.userId());
        b.put("token_type", "refresh");
        return b;
    }

    /** POST /oauth/v3/token/introspect. */
    public Map<String, Object> introspect(String clientId, String clientSecret, String token) {
        checkClient(clientId, clientSecret, true);
        Map<String, Object> b = new LinkedHashMap<>();
        Map<String, Object> info = accessTokenInfo(token);
        String use = "access_token";
        if (info == null) {
            info = refreshTokenInfo(token);
            use = "refresh_token";
        }
        if (info == null) {
            b.put("active", false);
            return b;
        }
        b.put("active", true);
        b.putAll(info);
        b.put("client_id", clientId);
        b.put("token_type", "Bearer");
        b.put("token_use", use);
        return b;
    }

    public void revokeV3(String clientId, String clientSecret, String token) {
        checkClient(clientId, clientSecret, true);
        tokens.revokeRefreshToken(token);
    }
}
