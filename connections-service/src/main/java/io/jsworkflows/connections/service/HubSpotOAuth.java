package io.jsworkflows.connections.service;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.jsworkflows.connections.config.ConnectionsConfig;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;

/**
 * The three calls this service makes to HubSpot: code exchange (quarkus-oidc-client against the plain token
 * endpoint, client_secret_post), token metadata and refresh-token revocation (REST client). Failures become
 * {@link HubSpotFailure}s whose messages never carry a token, code or secret: exceptions from the HTTP stack may
 * quote URLs (the metadata URL contains the token) or bodies, so they are reduced to a status and HubSpot's error code.
 */
@ApplicationScoped
public class HubSpotOAuth {

    private static final Logger LOG = Logger.getLogger(HubSpotOAuth.class);
    private static final Pattern STATUS = Pattern.compile("\\b([45]\\d\\d)\\b");
    private static final Pattern HUBSPOT_CODE = Pattern.compile("\\b(BAD_AUTH_CODE|EXPIRED_AUTH_CODE|BAD_CLIENT_ID|BAD_REDIRECT_URI"
            + "|BAD_GRANT_TYPE|BAD_REFRESH_TOKEN|invalid_grant|invalid_client|invalid_request|unauthorized_client)\\b");
    private static final Pattern CATEGORY = Pattern.compile("\"category\"\\s*:\\s*\"([A-Z_]{3,40})\"");
    private static final Set<String> CLIENT_PROBLEMS = Set.of("BAD_CLIENT_ID", "invalid_client", "unauthorized_client");

    /** Tokens of a fresh grant. Never logged or rendered. */
    public record GrantTokens(String accessToken, String refreshToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "GrantTokens[expiresAt=" + expiresAt + "]";
        }
    }

    /** A failed HubSpot call, described without secrets. */
    public static final class HubSpotFailure extends RuntimeException {
        /** Whose fault: the user's code (a 4xx for the request), the platform's client setup, or HubSpot being down. */
        public enum Kind { CODE_REFUSED, CLIENT_REJECTED, UNAVAILABLE }

        private final Integer httpStatus;
        private final String hubspotCode;
        private final Kind kind;

        HubSpotFailure(String message, Integer httpStatus, String hubspotCode) {
            this(message, httpStatus, hubspotCode, Kind.UNAVAILABLE);
        }

        HubSpotFailure(String message, Integer httpStatus, String hubspotCode, Kind kind) {
            super(message, null, false, false);
            this.httpStatus = httpStatus;
            this.hubspotCode = hubspotCode;
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }

        public Optional<Integer> httpStatus() {
            return Optional.ofNullable(httpStatus);
        }

        public Optional<String> hubspotCode() {
            return Optional.ofNullable(hubspotCode);
        }
    }

    private final OidcClient tokenEndpoint;
    private final HubSpotOAuthApi api;
    private final ConnectionsConfig config;

    public HubSpotOAuth(OidcClient tokenEndpoint, @RestClient HubSpotOAuthApi api, ConnectionsConfig config) {
        this.tokenEndpoint = tokenEndpoint;
        this.api = api;
        this.config = config;
    }

    public GrantTokens exchangeCode(String code, String redirectUri) {
        Tokens t;
        try {
            t = tokenEndpoint.getTokens(Map.of("code", code, "redirect_uri", redirectUri))
                    .await().atMost(config.connections().oauth().httpTimeout());
        } catch (RuntimeException e) {
            String text = String.valueOf(e.getMessage());
            Integer status = match(STATUS, text).map(Integer::valueOf).orElse(null);
            // quarkus-oidc-client puts only the provider's error body in the message; read HubSpot's code from it
            String hubspotCode = match(HUBSPOT_CODE, text).orElse(null);
            String category = match(CATEGORY, text).orElse(null);
            LOG.warnf("HubSpot token endpoint refused a code exchange: %s, status %s, code %s",
                    e.getClass().getSimpleName(), status, hubspotCode);
            String message;
            HubSpotFailure.Kind kind;
            if (hubspotCode != null && CLIENT_PROBLEMS.contains(hubspotCode)) {
                kind = HubSpotFailure.Kind.CLIENT_REJECTED;
                message = "HubSpot rejected this platform's OAuth client (" + hubspotCode + "): the operator must check "
                        + "jsw.hubspot.client-id and jsw.hubspot.client-secret. Nothing was stored.";
            } else if (hubspotCode != null || (status != null && status < 500)) {
                kind = HubSpotFailure.Kind.CODE_REFUSED;
                message = "HubSpot's token endpoint refused the authorization code" + (hubspotCode != null ? " (" + hubspotCode + ")" : "")
                        + (status != null ? ", HTTP " + status : "") + ". The code may have expired or been used already; "
                        + "nothing was stored. Start again with Reconnect.";
            } else {
                kind = HubSpotFailure.Kind.UNAVAILABLE;
                message = "HubSpot's token endpoint failed or could not be reached"
                        + (status != null ? " (HTTP " + status + ")" : category != null ? " (" + category + ")" : "")
                        + ". Nothing was stored; try again with Reconnect in a moment.";
            }
            throw new HubSpotFailure(message, status, hubspotCode, kind);
        }
        if (t == null || t.getAccessToken() == null || t.getRefreshToken() == null) {
            throw new HubSpotFailure("HubSpot's token endpoint answered without an access token and a refresh token. "
                    + "Nothing was stored; try again with Reconnect.", null, null);
        }
        Long exp = t.getAccessTokenExpiresAt();
        return new GrantTokens(t.getAccessToken(), t.getRefreshToken(), exp == null ? null : Instant.ofEpochSecond(exp));
    }

    public HubSpotOAuthApi.AccessTokenInfo metadata(String accessToken) {
        try {
            HubSpotOAuthApi.AccessTokenInfo info = api.accessTokenInfo(accessToken);
            if (info == null || info.hubId() == null) {
                throw new HubSpotFailure("HubSpot's token metadata has no hub_id. Nothing was stored; try again with Reconnect.",
                        null, null);
            }
            return info;
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
            LOG.warnf("HubSpot token metadata call failed with HTTP %d", status);
            throw new HubSpotFailure("HubSpot's token metadata endpoint answered HTTP " + status
                    + ". Nothing was stored; try again with Reconnect.", status, null);
        } catch (HubSpotFailure e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("HubSpot token metadata call failed: %s", e.getClass().getSimpleName());
            throw new HubSpotFailure("HubSpot's token metadata endpoint could not be reached. Nothing was stored; "
                    + "try again with Reconnect.", null, null);
        }
    }

    /** Revokes a refresh token. True when HubSpot confirmed (204) or says it is already gone (400/404). */
    public RevocationOutcome revoke(String refreshToken) {
        try (var response = api.revokeRefreshToken(refreshToken)) {
            return new RevocationOutcome(true, "HubSpot revoked the refresh token (HTTP " + response.getStatus() + ").");
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
            if (status == 400 || status == 404) {
                return new RevocationOutcome(true, "HubSpot no longer knew the refresh token (HTTP " + status + ").");
            }
            LOG.warnf("HubSpot refresh-token revocation failed with HTTP %d", status);
            return new RevocationOutcome(false, "HubSpot's revocation endpoint answered HTTP " + status
                    + "; the refresh token may still be valid until the app is uninstalled from the portal.");
        } catch (RuntimeException e) {
            LOG.warnf("HubSpot refresh-token revocation failed: %s", e.getClass().getSimpleName());
            return new RevocationOutcome(false, "HubSpot's revocation endpoint could not be reached; the refresh token may "
                    + "still be valid until the app is uninstalled from the portal.");
        }
    }

    public record RevocationOutcome(boolean confirmed, String detail) {
    }

    private static Optional<String> match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
