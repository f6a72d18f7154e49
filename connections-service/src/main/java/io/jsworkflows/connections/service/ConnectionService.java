package io.jsworkflows.connections.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.jsworkflows.connections.config.Ciphers;
import io.jsworkflows.connections.config.ConnectionsConfig;
import io.jsworkflows.connections.persistence.Connection;
import io.jsworkflows.connections.persistence.ConnectionAudit;
import io.jsworkflows.connections.persistence.OAuthState;
import io.jsworkflows.contracts.HandleRule;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.hubspot.ScopeCatalog;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Create, list, reconnect and delete connections of a workspace. */
@ApplicationScoped
public class ConnectionService {

    private static final Logger LOG = Logger.getLogger(ConnectionService.class);
    public static final String CALLBACK_PATH = "/oauth/hubspot/callback";
    public static final String CONNECT_PATH = "/ui/connect/";

    /**
     * A connection and the link the user opens next: the platform's connect page ({@link #CONNECT_PATH} + state),
     * which binds the flow to the browser and sends it on to HubSpot.
     */
    public record Issued(ConnectionView connection, String authorizeUrl, Instant authorizeUrlExpiresAt) {
        /** The link's path on this service, for the web page's own redirect. */
        public String connectPath() {
            return java.net.URI.create(authorizeUrl).getRawPath();
        }
    }

    /** A flow started in a browser: HubSpot's authorize URL and the nonce for that browser's one-time cookie. */
    public record Started(String hubspotUrl, String cookieName, String nonce, Instant expiresAt) {
    }

    /** The selection as the user sent it, validated into catalog rows and scopes. */
    record Selection(List<String> resources, List<String> scopes) {
    }

    private final ConnectionsConfig config;
    private final Outbox outbox;
    private final Ciphers ciphers;
    private final HubSpotOAuth hubspot;

    public ConnectionService(ConnectionsConfig config, Outbox outbox, Ciphers ciphers, HubSpotOAuth hubspot) {
        this.config = config;
        this.outbox = outbox;
        this.ciphers = ciphers;
        this.hubspot = hubspot;
    }

    @Transactional
    public List<ConnectionView> list(String workspaceId) {
        return Connection.listByWorkspace(workspaceId).stream().map(ConnectionView::of).toList();
    }

    @Transactional
    public ConnectionView get(String workspaceId, String handle) {
        return ConnectionView.of(find(workspaceId, handle));
    }

    /** Validates handle and selection, stores a PENDING connection and issues its authorize URL. */
    @Transactional
    public Issued create(String workspaceId, String handle, List<ScopeCatalog.Selection> selections, String baseUrl) {
        HandleRule.violation(handle).ifPresent(m -> {
            throw ApiProblem.badRequest("invalid-handle", "Invalid handle", m);
        });
        Selection sel = validate(selections);
        if (Connection.findByHandle(workspaceId, handle).isPresent()) {
            throw handleTaken(handle);
        }
        Instant now = Instant.now();
        Connection c = new Connection();
        c.id = UUID.randomUUID().toString();
        c.workspaceId = workspaceId;
        c.handle = handle;
        c.status = ConnectionStatus.PENDING;
        c.statusReason = "Waiting for a HubSpot user to sign in and grant access through the authorize URL.";
        c.requestedResources = sel.resources();
        c.requestedScopes = sel.scopes();
        c.createdAt = now;
        c.updatedAt = now;
        try {
            c.persistAndFlush();
        } catch (PersistenceException e) {
            // two creates raced past the check above; the unique constraint decided
            throw handleTaken(handle);
        }
        outbox.event(c, ConnectionEvent.Type.CREATED, null);
        LOG.infof("connection %s created in workspace %s as '%s'", c.id, workspaceId, handle);
        return issue(c, sel, baseUrl);
    }

    /**
     * A new authorize URL for an existing connection: same id and handle, optionally another selection. Earlier
     * unused authorize URLs of the connection stop working. The current grant stays in use until the new one arrives.
     */
    @Transactional
    public Issued reconnect(String workspaceId, String handle, List<ScopeCatalog.Selection> selections, String baseUrl) {
        Connection c = find(workspaceId, handle);
        Selection sel = selections == null ? new Selection(c.requestedResources, c.requestedScopes) : validate(selections);
        OAuthState.delete("connectionId = ?1 and usedAt is null", c.id);
        LOG.infof("connection %s: reconnect issued", c.id);
        return issue(c, sel, baseUrl);
    }

    /**
     * Revokes the refresh token at HubSpot, then deletes the connection with an audit row, tombstones and a deleted
     * event in one transaction. The revocation runs outside any transaction (no lock held during an HTTP call).
     */
    /** What a delete did at HubSpot: nothing to revoke (never authorized), revoked, or not confirmed (with why). */
    public record Deleted(boolean hadGrant, boolean revokedAtHubspot, String detail) {
        public boolean revocationUnconfirmed() {
            return hadGrant && !revokedAtHubspot;
        }
    }

    public Deleted delete(String workspaceId, String handle) {
        record Snapshot(String id, String refreshToken) {
        }
        Snapshot s = QuarkusTransaction.requiringNew().call(() -> {
            Connection c = find(workspaceId, handle);
            String rt = c.sealedRefreshToken == null ? null : ciphers.grant().open(c.sealedRefreshToken, c.id);
            return new Snapshot(c.id, rt);
        });
        HubSpotOAuth.RevocationOutcome revocation = s.refreshToken() == null
                ? new HubSpotOAuth.RevocationOutcome(false, "The connection was never authorized; nothing to revoke at HubSpot.")
                : hubspot.revoke(s.refreshToken());
        QuarkusTransaction.requiringNew().run(() -> {
            Connection c = Connection.findById(s.id(), LockModeType.PESSIMISTIC_WRITE);
            if (c == null) {
                throw ApiProblem.connectionNotFound(handle);
            }
            ConnectionAudit a = new ConnectionAudit();
            a.connectionId = c.id;
            a.workspaceId = c.workspaceId;
            a.handle = c.handle;
            a.action = "DELETED";
            a.hubId = c.hubId;
            a.grantVersion = c.grantVersion;
            a.revokedAtHubspot = revocation.confirmed();
            a.detail = revocation.detail();
            a.occurredAt = Instant.now();
            a.persist();
            c.status = ConnectionStatus.DELETED;
            outbox.tombstones(c);
            outbox.event(c, ConnectionEvent.Type.DELETED, revocation.detail());
            c.delete();
        });
        LOG.infof("connection %s deleted from workspace %s (revoked at HubSpot: %s)", s.id(), workspaceId, revocation.confirmed());
        return new Deleted(s.refreshToken() != null, revocation.confirmed(), revocation.detail());
    }

    Connection find(String workspaceId, String handle) {
        if (!HandleRule.isValid(handle)) {
            throw ApiProblem.connectionNotFound(handle);
        }
        return Connection.findByHandle(workspaceId, handle).orElseThrow(() -> ApiProblem.connectionNotFound(handle));
    }

    private Issued issue(Connection c, Selection sel, String baseUrl) {
        String state = Secrets.random256();
        Instant now = Instant.now();
        OAuthState s = new OAuthState();
        s.stateHash = Secrets.sha256(state);
        s.workspaceId = c.workspaceId;
        s.connectionId = c.id;
        s.requestedResources = sel.resources();
        s.requestedScopes = sel.scopes();
        s.redirectUri = redirectUri(baseUrl);
        s.createdAt = now;
        s.expiresAt = now.plus(config.connections().oauth().stateTtl());
        s.persist();
        ConnectionView view = ConnectionView.of(c);
        // the response shows the scopes this authorization asks for
        view = new ConnectionView(view.id(), view.handle(), view.provider(), view.status(), view.statusReason(), sel.scopes(),
                sel.scopes(), sel.resources().stream().map(ConnectionView.Resource::parse).toList(), view.hubId(),
                view.hubDomain(), view.authorizedUser(), view.expiresAt(), view.lastRefreshAt(), view.authorizedAt(),
                view.grantVersion(), view.tokenVersion(), view.createdAt(), view.updatedAt());
        return new Issued(view, base(baseUrl) + CONNECT_PATH + state, s.expiresAt);
    }

    /**
     * The connect page's step, in a browser signed in to the workspace: a fresh one-time nonce for that browser's
     * cookie (only its hash is kept; starting again in another browser replaces it) and HubSpot's authorize URL.
     * Another workspace's, an unknown, a used or an expired state all answer 404 alike.
     */
    @Transactional
    public Started start(String workspaceId, String state) {
        OAuthState s = state == null || state.isBlank() ? null : OAuthState.findById(Secrets.sha256(state), LockModeType.PESSIMISTIC_WRITE);
        Instant now = Instant.now();
        if (s == null || !s.workspaceId.equals(workspaceId) || s.usedAt != null || !s.expiresAt.isAfter(now)) {
            throw ApiProblem.notFound("connect-link-invalid", "Connect link not valid",
                    "This connect link is unknown to your workspace, already used or expired (it is valid for a limited time). "
                            + "Start again from Add Connection or Reconnect.");
        }
        String nonce = Secrets.random256();
        s.nonceHash = Secrets.sha256(nonce);
        s.startedAt = now;
        String url = config.hubspot().authorizeUrl()
                + (config.hubspot().authorizeUrl().contains("?") ? "&" : "?")
                + "client_id=" + enc(config.hubspot().clientId().orElseThrow(() -> new ApiProblem(503, "not-configured",
                        "HubSpot app not configured", "The operator has not set jsw.hubspot.client-id (JSW_HUBSPOT_CLIENT_ID).")))
                + "&redirect_uri=" + enc(s.redirectUri)
                + "&scope=" + enc(String.join(" ", s.requestedScopes))
                + "&state=" + enc(state);
        LOG.infof("connection %s: authorization started in a browser of workspace %s", s.connectionId, workspaceId);
        return new Started(url, nonceCookieName(s.stateHash), nonce, s.expiresAt);
    }

    /** One cookie per flow, so that two flows started in one browser do not overwrite each other's nonce. */
    public static String nonceCookieName(String stateHash) {
        return "jsw_oauth_" + stateHash.substring(0, 16);
    }

    String redirectUri(String baseUrl) {
        return base(baseUrl) + CALLBACK_PATH;
    }

    private String base(String baseUrl) {
        String base = config.connections().publicUrl().filter(u -> !u.isBlank()).orElse(baseUrl);
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    static Selection validate(List<ScopeCatalog.Selection> selections) {
        if (selections == null || selections.isEmpty()) {
            throw ApiProblem.badRequest("empty-selection", "Nothing selected",
                    "Select at least one resource and operation, e.g. \"resources\":[{\"resource\":\"contacts\",\"operation\":\"read\"}]. "
                            + "GET /api/v1/providers/hubspot/resources lists them all.");
        }
        List<String> rows = new ArrayList<>();
        for (ScopeCatalog.Selection s : selections) {
            if (s == null) {
                throw ApiProblem.badRequest("invalid-selection", "Invalid selection", "A selected resource is null; each entry needs "
                        + "\"resource\" and \"operation\".");
            }
            try {
                ScopeCatalog.Entry e = ScopeCatalog.entry(s.resource(), s.operation());
                rows.add(e.resource() + ":" + e.operation());
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("invalid-selection", "Unknown resource or operation", e.getMessage());
            }
        }
        List<String> scopes = ScopeCatalog.scopesFor(selections);
        return new Selection(List.copyOf(new LinkedHashSet<>(rows)), scopes);
    }

    private static ApiProblem handleTaken(String handle) {
        return new ApiProblem(409, "handle-taken", "Handle already used",
                "This workspace already has a connection with handle '" + handle + "'. Handles are unique per workspace: "
                        + "choose another one, or authorize the existing connection again with POST /api/v1/connections/"
                        + handle + "/reconnect.");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
