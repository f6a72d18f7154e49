package io.jsworkflows.connections.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.jsworkflows.connections.config.Ciphers;
import io.jsworkflows.connections.persistence.Connection;
import io.jsworkflows.connections.persistence.OAuthState;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * HubSpot's redirect back to us. The state is checked and consumed first (single use), then the code is exchanged
 * and the token metadata read, outside any transaction, then the sealed grant, the ACTIVE status and the outbox
 * records commit together.
 */
@ApplicationScoped
public class OAuthCallbackService {

    private static final Logger LOG = Logger.getLogger(OAuthCallbackService.class);

    private final HubSpotOAuth hubspot;
    private final Ciphers ciphers;
    private final Outbox outbox;
    private final MeterRegistry meters;

    public OAuthCallbackService(HubSpotOAuth hubspot, Ciphers ciphers, Outbox outbox, MeterRegistry meters) {
        this.hubspot = hubspot;
        this.ciphers = ciphers;
        this.outbox = outbox;
        this.meters = meters;
    }

    /** The consumed state's context. */
    private record Attempt(String connectionId, String handle, String redirectUri, List<String> resources, List<String> scopes) {
    }

    /**
     * @param callerWorkspaceId the workspace of the browser's session or bearer key: it must be the state's
     * @param nonce             the value of the flow's one-time cookie: it must be the one the connect page set in the
     *                          browser that started the flow
     */
    public ConnectionView complete(String state, String code, String error, String errorDescription,
            Optional<String> callerWorkspaceId, Optional<String> nonce) {
        try {
            ConnectionView v = doComplete(state, code, error, errorDescription, callerWorkspaceId, nonce);
            count("authorized");
            return v;
        } catch (ApiProblem p) {
            count(p.slug());
            throw p;
        }
    }

    private ConnectionView doComplete(String state, String code, String error, String errorDescription,
            Optional<String> callerWorkspaceId, Optional<String> nonce) {
        if (state == null || state.isBlank()) {
            throw ApiProblem.badRequest("missing-state", "Missing state",
                    "The callback has no 'state' parameter, so it cannot be matched to a connection. Open the authorize URL "
                            + "returned by POST /api/v1/connections (or .../reconnect) instead of building one by hand.");
        }
        Attempt attempt = QuarkusTransaction.requiringNew().call(() -> consume(state, error, errorDescription, callerWorkspaceId,
                nonce));
        if (error != null && !error.isBlank()) {
            throw ApiProblem.badRequest("authorization-denied", "HubSpot authorization not granted", denied(error, errorDescription));
        }
        if (code == null || code.isBlank()) {
            fail(attempt, "HubSpot's redirect carried neither a code nor an error. Nothing was stored; start again with Reconnect.");
            throw ApiProblem.badRequest("missing-code", "Missing code",
                    "HubSpot's redirect carried neither a code nor an error. Nothing was stored; start again with Reconnect.");
        }
        HubSpotOAuth.GrantTokens tokens;
        HubSpotOAuthApi.AccessTokenInfo info;
        try {
            tokens = hubspot.exchangeCode(code, attempt.redirectUri());
            info = hubspot.metadata(tokens.accessToken());
        } catch (HubSpotOAuth.HubSpotFailure f) {
            fail(attempt, f.getMessage());
            // HubSpot refusing this code is a bad request; HubSpot failing (5xx, unreachable) or refusing our client is a bad gateway
            throw f.kind() == HubSpotOAuth.HubSpotFailure.Kind.CODE_REFUSED
                    ? new ApiProblem(400, "code-rejected", "HubSpot refused the authorization code", f.getMessage())
                    : new ApiProblem(502, "token-exchange-failed", "HubSpot token exchange failed", f.getMessage());
        }
        Activated done;
        try {
            done = QuarkusTransaction.requiringNew().call(() -> activate(attempt, tokens, info));
        } catch (ApiProblem p) {
            // refused (another portal, or the connection is gone): give the fresh grant back, outside any transaction
            hubspot.revoke(tokens.refreshToken());
            throw p;
        }
        if (done.replacedRefreshToken() != null) {
            // the superseded grant would otherwise stay valid at HubSpot until the app is uninstalled
            HubSpotOAuth.RevocationOutcome r = hubspot.revoke(done.replacedRefreshToken());
            LOG.infof("connection %s: previous refresh token revoked at HubSpot: %s", done.view().id(), r.confirmed());
        }
        return done.view();
    }

    /** The activated connection, and the refresh token its new grant replaced (to revoke), if any. */
    private record Activated(ConnectionView view, String replacedRefreshToken) {
    }

    private Attempt consume(String state, String error, String errorDescription, Optional<String> callerWorkspaceId,
            Optional<String> nonce) {
        Instant now = Instant.now();
        OAuthState s = OAuthState.findById(Secrets.sha256(state), LockModeType.PESSIMISTIC_WRITE);
        // unknown states, someone else's, and ones brought by another browser get the same answer: the reply must not
        // tell whether a state exists; nothing is consumed, so the browser that started the flow can still complete it
        if (s == null || !startedBy(s, callerWorkspaceId, nonce)) {
            throw ApiProblem.badRequest("invalid-state", "Unknown state",
                    "This authorization was not started in this browser for your workspace, or a newer Reconnect replaced it. "
                            + "Finish it in the browser where you clicked Sign in with HubSpot, signed in to the workspace; "
                            + "nothing was changed. Otherwise start again from Add Connection or Reconnect.");
        }
        if (s.usedAt != null) {
            throw ApiProblem.badRequest("state-used", "State already used",
                    "This authorization was already completed or abandoned: a state works once. Nothing was changed; "
                            + "use Reconnect to authorize the connection again.");
        }
        if (!s.expiresAt.isAfter(now)) {
            throw ApiProblem.badRequest("state-expired", "State expired",
                    "The authorize URL expired at " + s.expiresAt + " (it is valid for a limited time after it is issued). "
                            + "Nothing was changed; use Reconnect to get a fresh one.");
        }
        s.usedAt = now;
        Connection c = Connection.findById(s.connectionId);
        if (error != null && !error.isBlank()) {
            setReason(c, denied(error, errorDescription));
            LOG.infof("connection %s: HubSpot returned error '%s' instead of a code", c.id, printable(error, 64));
        }
        return new Attempt(c.id, c.handle, s.redirectUri, s.requestedResources, s.requestedScopes);
    }

    /** The caller is signed in to the state's workspace and holds the nonce cookie the connect page set. */
    private static boolean startedBy(OAuthState s, Optional<String> callerWorkspaceId, Optional<String> nonce) {
        return callerWorkspaceId.filter(s.workspaceId::equals).isPresent() && s.nonceHash != null
                && nonce.filter(n -> MessageDigest.isEqual(Secrets.sha256(n).getBytes(StandardCharsets.UTF_8),
                        s.nonceHash.getBytes(StandardCharsets.UTF_8))).isPresent();
    }

    private Activated activate(Attempt a, HubSpotOAuth.GrantTokens tokens, HubSpotOAuthApi.AccessTokenInfo info) {
        Connection c = Connection.findById(a.connectionId(), LockModeType.PESSIMISTIC_WRITE);
        if (c == null) {
            // deleted while the user was at HubSpot; the caller gives the fresh grant back
            throw ApiProblem.connectionNotFound(a.handle());
        }
        if (c.hubId != null && info.hubId() != null && !c.hubId.equals(info.hubId())) {
            // a connection stays on its portal: workflows using the handle must not silently start writing to another account
            LOG.infof("connection %s: reconnect to portal %d refused, the connection is on portal %d", c.id, info.hubId(), c.hubId);
            throw new ApiProblem(409, "portal-mismatch", "Another HubSpot account",
                    "Connection '" + c.handle + "' belongs to HubSpot portal " + c.hubId + " (" + c.hubDomain + "), but portal "
                            + info.hubId() + " was chosen at HubSpot. Nothing was changed and that authorization was revoked. "
                            + "Reconnect choosing portal " + c.hubId + ", or add a new connection for portal " + info.hubId() + ".");
        }
        String replaced = c.sealedRefreshToken == null ? null : ciphers.grant().open(c.sealedRefreshToken, c.id);
        Instant now = Instant.now();
        Instant expiresAt = tokens.expiresAt() != null ? tokens.expiresAt()
                : now.plusSeconds(info.expiresIn() == null ? 1800 : info.expiresIn());
        List<String> granted = info.scopes() == null ? a.scopes() : List.copyOf(new TreeSet<>(info.scopes()));
        List<String> missing = new ArrayList<>(a.scopes());
        missing.removeAll(granted);
        c.grantVersion = c.grantVersion + 1;
        c.tokenVersion = 0;
        c.status = ConnectionStatus.ACTIVE;
        c.statusReason = missing.isEmpty() ? null
                : "HubSpot granted fewer scopes than requested; missing: " + String.join(" ", missing) + ".";
        c.requestedResources = a.resources();
        c.requestedScopes = a.scopes();
        c.grantedScopes = granted;
        c.hubId = info.hubId();
        c.hubDomain = info.hubDomain();
        c.authorizedUser = info.user();
        c.sealedRefreshToken = ciphers.grant().seal(tokens.refreshToken(), c.id);
        c.sealedAccessToken = ciphers.token().seal(tokens.accessToken(), c.id);
        c.expiresAt = expiresAt;
        c.authorizedAt = now;
        c.lastRefreshAt = now;
        c.updatedAt = now;
        outbox.grantState(c);
        outbox.event(c, ConnectionEvent.Type.AUTHORIZED, c.statusReason);
        LOG.infof("connection %s authorized for hub %d, grant version %d", c.id, c.hubId, c.grantVersion);
        return new Activated(ConnectionView.of(c), replaced);
    }

    /** Records why an authorization attempt failed; the connection keeps its status (PENDING stays PENDING). */
    private void fail(Attempt a, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            Connection c = Connection.findById(a.connectionId());
            if (c != null) {
                setReason(c, reason);
            }
        });
        LOG.infof("connection %s: authorization failed", a.connectionId());
    }

    private static void setReason(Connection c, String reason) {
        // an ACTIVE connection keeps working with its current grant: only record failures of unauthorized ones
        if (c.status != ConnectionStatus.ACTIVE && c.status != ConnectionStatus.DEGRADED) {
            c.statusReason = reason;
            c.updatedAt = Instant.now();
        }
    }

    private static String denied(String error, String description) {
        String d = description == null || description.isBlank() ? "" : ": " + printable(description, 300);
        return "HubSpot returned '" + printable(error, 64) + "'" + d + ". Nothing was connected; "
                + "use Reconnect and grant the requested permissions to try again.";
    }

    private void count(String outcome) {
        meters.counter("jsw.oauth.callbacks", "outcome", outcome).increment();
    }

    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(max).forEach(c -> b.append(c < 0x20 || c == 0x7f ? '?' : Character.toString(c)));
        return b.toString();
    }
}
