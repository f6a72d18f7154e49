package io.jsworkflows.connections.service;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.jsworkflows.connections.config.Ciphers;
import io.jsworkflows.connections.config.ConnectionsConfig;
import io.jsworkflows.connections.persistence.TriggerSource;
import io.jsworkflows.contracts.ShopifyHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.SourceKind;

/**
 * Trigger sources of a workspace: a Shopify store whose webhooks webhook-gateway verifies with the store's signing
 * secret. The row and its {@code jsw.sources} record commit together; the secret is sealed before it is stored and is
 * never returned, logged or quoted in a problem.
 */
@ApplicationScoped
public class SourceService {

    private static final Logger LOG = Logger.getLogger(SourceService.class);
    private static final Pattern SHOP_DOMAIN = Pattern.compile(ShopifyHeaders.SHOP_DOMAIN_PATTERN);
    public static final int SECRET_MIN = 8;
    public static final int SECRET_MAX = 512;
    public static final String SHOPIFY_PATH = "/webhooks/shopify/";

    private final Outbox outbox;
    private final Ciphers ciphers;
    private final ConnectionsConfig config;

    public SourceService(Outbox outbox, Ciphers ciphers, ConnectionsConfig config) {
        this.outbox = outbox;
        this.ciphers = ciphers;
        this.config = config;
    }

    @Transactional
    public List<SourceView> list(String workspaceId) {
        return TriggerSource.listByWorkspace(workspaceId).stream().map(this::view).toList();
    }

    @Transactional
    public SourceView get(String workspaceId, String id) {
        return view(find(workspaceId, id));
    }

    /** Validates, stores the source with its sealed secret and writes its SourceState to the outbox. */
    @Transactional
    public SourceView create(String workspaceId, String kind, String shopDomain, String webhookSecret) {
        if (kind == null || !SourceKind.shopify.name().equals(kind.strip().toLowerCase(Locale.ROOT))) {
            throw ApiProblem.badRequest("invalid-source-kind", "Unknown source kind",
                    "The kind must be \"shopify\" (the only kind of source so far).");
        }
        String domain = shopDomain(shopDomain);
        String secret = secret(webhookSecret);
        if (TriggerSource.findByShop(workspaceId, SourceKind.shopify, domain).isPresent()) {
            throw shopTaken(domain);
        }
        Instant now = Instant.now();
        TriggerSource s = new TriggerSource();
        s.id = "src_" + Secrets.random256();
        s.workspaceId = workspaceId;
        s.kind = SourceKind.shopify;
        s.shopDomain = domain;
        s.sealedSecret = ciphers.source().seal(secret, s.id);
        s.version = 1;
        s.createdAt = now;
        s.updatedAt = now;
        try {
            s.persistAndFlush();
        } catch (PersistenceException e) {
            // two creates raced past the check above; the unique constraint decided
            throw shopTaken(domain);
        }
        outbox.sourceState(s);
        LOG.infof("source %s created in workspace %s for shop %s", s.id, workspaceId, domain);
        return view(s);
    }

    /** Deletes the workspace's source and tombstones it on {@code jsw.sources}; webhooks to its URL stop being accepted. */
    @Transactional
    public void delete(String workspaceId, String id) {
        TriggerSource s = find(workspaceId, id);
        outbox.sourceTombstone(s);
        s.delete();
        LOG.infof("source %s deleted from workspace %s", s.id, workspaceId);
    }

    TriggerSource find(String workspaceId, String id) {
        // another workspace's source and an unknown id get the same answer
        return TriggerSource.findOwned(workspaceId, id == null ? "" : id).orElseThrow(() -> ApiProblem.notFound("source-not-found",
                "Source not found", "This workspace has no source with id '" + ApiProblem.printable(id)
                        + "'. List your sources with GET /api/v1/sources."));
    }

    SourceView view(TriggerSource s) {
        return new SourceView(s.id, s.kind.name(), s.shopDomain, ingressUrl(s.id), Topics.SHOPIFY_SOURCE_TOPICS, s.createdAt);
    }

    String ingressUrl(String sourceId) {
        String base = config.connections().ingress().publicUrl();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + SHOPIFY_PATH + sourceId;
    }

    /** The shop's permanent domain, lower-cased; anything else is refused with what a valid one looks like. */
    static String shopDomain(String raw) {
        String d = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        if (!SHOP_DOMAIN.matcher(d).matches()) {
            String shown = raw == null || raw.isBlank() ? "An empty shop domain" : "'" + ApiProblem.printable(raw) + "'";
            throw ApiProblem.badRequest("invalid-shop-domain", "Invalid shop domain", shown + " is not a shop domain. Use the store's "
                    + "permanent domain <name>.myshopify.com (e.g. acme-store.myshopify.com): the name is 1-60 letters, digits or "
                    + "'-' starting with a letter or digit, without https:// or a path. Shopify's admin shows it under "
                    + "Settings › Domains.");
        }
        return d;
    }

    /** The webhook signing secret, stripped of whitespace pasted around it; never quoted back. */
    static String secret(String raw) {
        String s = raw == null ? "" : raw.strip();
        if (s.length() < SECRET_MIN || s.length() > SECRET_MAX) {
            // the length only as "too short/long": a secret's exact length is nobody's business
            throw ApiProblem.badRequest("invalid-webhook-secret", "Invalid webhook signing secret", (s.isEmpty()
                    ? "The webhook signing secret is missing."
                    : "The webhook signing secret is too " + (s.length() < SECRET_MIN ? "short." : "long."))
                    + " Send the secret Shopify signs this store's webhooks with (" + SECRET_MIN + "-" + SECRET_MAX
                    + " characters): your app's API secret key, or for webhooks created in Settings › Notifications › "
                    + "Webhooks the signing key shown on that page.");
        }
        return s;
    }

    private static ApiProblem shopTaken(String domain) {
        return new ApiProblem(409, "source-exists", "Store already added", "This workspace already has a source for "
                + domain + ". Delete it first (DELETE /api/v1/sources/{id}) to add it again with another secret.");
    }
}
