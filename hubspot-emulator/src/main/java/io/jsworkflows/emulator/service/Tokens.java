package io.jsworkflows.emulator.service;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/** Authorization codes, access tokens and refresh tokens, all in memory. */
@ApplicationScoped
public class Tokens {

    public record AuthCode(String code, long portalId, String clientId, String redirectUri, List<String> scopes,
            long expiresAt) {
    }

    public record AccessToken(String token, long portalId, String clientId, List<String> scopes, Set<String> scopeSet,
            long issuedAt, long expiresAt, long seq) {
    }

    public record RefreshToken(String token, long portalId, String clientId, List<String> scopes) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentHashMap<String, AuthCode> codes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AccessToken> access = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RefreshToken> refresh = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    /** "Expire all now": tokens with seq ≤ expireAllSeq expired at expireAllAt at the latest. */
    private volatile long expireAllSeq = -1;
    private volatile long expireAllAt;

    public void reset() {
        codes.clear();
        access.clear();
        refresh.clear();
        expireAllSeq = -1;
    }

    public AuthCode newCode(long portalId, String clientId, String redirectUri, List<String> scopes, long lifetimeMillis) {
        AuthCode c = new AuthCode(uuidLike(), portalId, clientId, redirectUri, List.copyOf(scopes),
                System.currentTimeMillis() + lifetimeMillis);
        codes.put(c.code(), c);
        return c;
    }

    /** Single use: the code is gone after this call, whether it was still valid or not. */
    public AuthCode takeCode(String code) {
        return code == null ? null : codes.remove(code);
    }

    public AccessToken newAccessToken(long portalId, String clientId, List<String> scopes, long lifetimeMillis) {
        long now = System.currentTimeMillis();
        AccessToken t = new AccessToken("CO" + random(72), portalId, clientId, List.copyOf(scopes), Set.copyOf(scopes), now,
                now + lifetimeMillis, seq.incrementAndGet());
        access.put(t.token(), t);
        return t;
    }

    public RefreshToken newRefreshToken(long portalId, String clientId, List<String> scopes) {
        RefreshToken t = new RefreshToken("na1-" + uuidLike().substring(4), portalId, clientId, List.copyOf(scopes));
        refresh.put(t.token(), t);
        return t;
    }

    public AccessToken accessToken(String token) {
        return token == null ? null : access.get(token);
    }

    /** When the token stops (or stopped) being valid, taking "expire all" into account. */
    public long effectiveExpiry(AccessToken t) {
        long s = expireAllSeq;
        return t.seq() <= s ? Math.min(t.expiresAt(), expireAllAt) : t.expiresAt();
    }

    public RefreshToken refreshToken(String token) {
        return token == null ? null : refresh.get(token);
    }

    public boolean revokeRefreshToken(String token) {
        return token != null && refresh.remove(token) != null;
    }

    public int revokeRefreshTokens(long portalId) {
        int[] n = {0};
        refresh.values().removeIf(t -> {
            boolean hit = t.portalId() == portalId;
            if (hit) {
                n[0]++;
            }
            return hit;
        });
        return n[0];
    }

    public void expireAllAccessTokens() {
        expireAllAt = System.currentTimeMillis();
        expireAllSeq = seq.get();
    }

    public int accessTokenCount() {
        return access.size();
    }

    public int refreshTokenCount() {
        return refresh.size();
    }

    public int codeCount() {
        return codes.size();
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** na1-xxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, the shape of HubSpot's refresh tokens (prefix = hublet). */
    static String uuidLike() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String h = HexFormat.of().formatHex(b);
        return "na1-" + h.substring(0, 4) + "-" + h.substring(4, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16)
                + "-" + h.substring(16, 28);
    }
}
