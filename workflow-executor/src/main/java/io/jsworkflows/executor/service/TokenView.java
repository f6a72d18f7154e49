package io.jsworkflows.executor.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.HandleRule;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.RefreshRequest;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.messaging.KafkaClients;
import io.quarkus.logging.Log;

/**
 * In-memory view of {@code jsw.connections.tokens}, indexed by (workspace, handle), by connection id and by token
 * (so that fetch knows which connection, and which portal, a Bearer token belongs to). A state with an older
 * (grantVersion, tokenVersion) never replaces a newer one. A token stays sealed until a run first asks for it, then is
 * opened once with the token key (at start a replica reads every connection's token and most are never used there; an
 * unseal failure is logged and answered at that use); it never leaves this class except to the workflow that asked for
 * it, and only opened tokens are in the by-token index (a run's token came from a lookup, which opened it).
 *
 * <p>Longer than a class should be: one {@link #apply} replaces a state in the three indexes and wakes the runs waiting
 * for that connection's token, and a lookup, a refresh request and the 401 healing all wait on those same waiters;
 * split, each part would reach into the others' maps.
 */
@ApplicationScoped
public class TokenView {

    /**
     * One connection's latest state and its access token. An entry read from the topic keeps the record's JSON and only
     * the fields the view indexes by ({@link TokenIndex}); the whole state is parsed on the first {@link #state()} and the
     * token opened on the first {@link #token()} (null when not usable or it cannot be opened), each once.
     */
    public static final class Entry {
        private final TokenIndex index;
        private String json; // until parsed (then null: the state replaces it); null when built from a parsed state
        private final TokenView view;
        private volatile TokenState state;
        private volatile boolean opened;
        private String token; // written before opened (volatile), read after it

        /** An entry whose token is already open (tests, benchmarks). */
        public Entry(TokenState state, String token) {
            this.index = TokenIndex.of(state);
            this.json = null;
            this.state = state;
            this.view = null;
            this.token = token;
            this.opened = true;
        }

        private Entry(TokenIndex index, TokenState state, String json, TokenView view) {
            this.index = index;
            this.state = state;
            this.json = json;
            this.view = view;
        }

        TokenIndex index() {
            return index;
        }

        /** The connection's state: parsed from the record on the first call, once. */
        public TokenState state() {
            TokenState s = state;
            if (s == null) {
                synchronized (this) {
                    if (state == null) {
                        state = view.parse(index, json);
                        json = null;
                    }
                    s = state;
                }
            }
            return s;
        }

        /** The opened access token: unsealed on the first call, once. */
        public String token() {
            if (!opened) {
                synchronized (this) {
                    if (!opened) {
                        token = view.open(this);
                        opened = true;
                    }
                }
            }
            return token;
        }

        /** Whether the token was opened already, without opening it. */
        boolean opened() {
            return opened;
        }

        /** The token if it was opened already (null otherwise): what the by-token index may hold. */
        private String openedToken() {
            return opened ? token : null;
        }
    }

    /** Outcome of a lookup, with the connection when one matched. */
    public record Lookup(String token, String error, Entry entry, boolean needsReauth) {
    }

    private final ExecutorConfig config;
    private final KafkaClients kafka;
    private final TokenCipher cipher;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<String, String> byHandle = new ConcurrentHashMap<>();
    private final Map<String, String> byToken = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<Entry>>> waiters = new ConcurrentHashMap<>();
    private final Map<String, Long> requested = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicLong unseals = new AtomicLong();
    private final AtomicLong parses = new AtomicLong();
    private volatile Instant lastReauthorization = Instant.EPOCH;

    @Inject
    public TokenView(ExecutorConfig config, KafkaClients kafka) {
        this(config, kafka, TokenCipher.fromConfig(config.crypto().tokenKeys().orElse(null), "token key (jsw.crypto.token-keys)"));
    }

    TokenView(ExecutorConfig config, KafkaClients kafka, TokenCipher cipher) {
        this.config = config;
        this.kafka = kafka;
        this.cipher = cipher;
    }

    public CompletableFuture<Void> ready() {
        return ready;
    }

    public void markReady() {
        ready.complete(null);
    }

    /** When a connection that needed re-authorization last got a newer grant's usable token (parked runs resume). */
    public Instant lastReauthorization() {
        return lastReauthorization;
    }

    /**
     * Applies one record of the tokens topic as read, a null value being a tombstone. Only the fields the view indexes by
     * are read here: at start a replica reads every connection's record and most are never used there (a record whose
     * index cannot be read is refused here, and the reader skips it).
     */
    public void applyRecord(String connectionId, String json) {
        if (json == null) {
            apply(connectionId, (TokenState) null);
            return;
        }
        TokenIndex index = TokenIndex.read(json);
        apply(index, new Entry(index, null, json, this));
    }

    /** Applies one state of the tokens topic; a null state is a tombstone for the connection. */
    public void apply(String connectionId, TokenState state) {
        if (state == null) {
            Entry gone = byId.remove(connectionId);
            if (gone != null) {
                byHandle.remove(handleKey(gone.index().workspaceId(), gone.index().handle()), connectionId);
                if (gone.openedToken() != null) {
                    byToken.remove(gone.openedToken(), connectionId);
                }
            }
            return;
        }
        TokenIndex index = TokenIndex.of(state);
        apply(index, new Entry(index, state, null, this));
    }

    private void apply(TokenIndex index, Entry candidate) {
        Entry[] replaced = new Entry[1];
        Entry next = byId.compute(index.connectionId(), (id, current) -> {
            if (current != null && !index.isNewerThan(current.index())) {
                return current;
            }
            replaced[0] = current;
            return candidate;
        });
        if (next != candidate) {
            return; // older or same version: ignored
        }
        Entry previous = replaced[0];
        byHandle.put(handleKey(index.workspaceId(), index.handle()), index.connectionId());
        if (previous != null && previous.openedToken() != null) {
            // keep the previous token mapped briefly: runs still holding it may get a 401 and need its connection
            forgetLater(previous.openedToken(), index.connectionId());
        }
        if (previous != null && !previous.index().status().usable() && index.status().usable()
                && index.grantVersion() > previous.index().grantVersion()) {
            lastReauthorization = Instant.now();
        }
        List<CompletableFuture<Entry>> w = waiters.remove(index.connectionId());
        if (w != null) {
            w.forEach(f -> f.complete(next));
        }
    }

    /**
     * Parses an entry's whole record (once, from {@link Entry#state()}). A record whose index was read but whose whole
     * state cannot be is logged by the error's type (the message could quote the record) and answered as a token this
     * executor cannot open.
     */
    private TokenState parse(TokenIndex index, String json) {
        try {
            parses.incrementAndGet();
            return ContractsJson.read(json, TokenState.class);
        } catch (RuntimeException e) {
            Log.warnf("cannot read the token record of connection %s: %s", index.connectionId(), e.getClass().getSimpleName());
            return new TokenState(TokenState.SCHEMA_VERSION, index.connectionId(), index.workspaceId(), index.handle(), null, List.of(),
                    index.status(), null, null, index.tokenVersion(), index.grantVersion(), null, "unreadable record");
        }
    }

    /** Opens an entry's token (once, from {@link Entry#token()}) and indexes it by token. */
    private String open(Entry e) {
        TokenState s = e.state();
        if (s.sealedAccessToken() == null || !s.status().usable()) {
            return null;
        }
        String token;
        try {
            unseals.incrementAndGet();
            token = cipher.open(s.sealedAccessToken(), s.connectionId());
        } catch (TokenCipher.SealedValueException ex) {
            Log.warnf("cannot open the access token of connection %s: %s", s.connectionId(), ex.getMessage());
            return null;
        }
        byToken.put(token, s.connectionId());
        if (byId.get(s.connectionId()) != e) {
            forgetLater(token, s.connectionId()); // a newer state arrived meanwhile: map this one briefly, as a replaced one
        }
        return token;
    }

    private void forgetLater(String token, String connectionId) {
        Entry current = byId.get(connectionId);
        if (current != null && token.equals(current.openedToken())) {
            return; // the newer state carries the same token
        }
        CompletableFuture.delayedExecutor(2, TimeUnit.MINUTES).execute(() -> {
            Entry now = byId.get(connectionId);
            if (now == null || !token.equals(now.openedToken())) {
                byToken.remove(token, connectionId);
            }
        });
    }

    /** Records parsed whole so far (each entry's at most once). */
    long parses() {
        return parses.get();
    }

    /** Tokens opened so far (each entry's at most once). */
    long unseals() {
        return unseals.get();
    }

    public Optional<Entry> byToken(String token) {
        String id = token == null ? null : byToken.get(token);
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    public Optional<Entry> byId(String connectionId) {
        return Optional.ofNullable(byId.get(connectionId));
    }

    public int size() {
        return byId.size();
    }

    /**
     * {@code api.getOAuthToken}: never fails. A token with less than {@code minValidity} left triggers a refresh request
     * and a bounded wait for the newer version.
     */
    public CompletableFuture<Lookup> lookup(String workspaceId, String handle, Duration minValidity) {
        Optional<String> invalid = HandleRule.violation(handle);
        if (invalid.isPresent()) {
            return CompletableFuture.completedFuture(new Lookup(null, invalid.get(), null, false));
        }
        Duration wait = config.executor().tokens().refreshWait();
        CompletableFuture<Void> isReady = ready.isDone() ? ready : ready.copy().completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS);
        return isReady.thenCompose(x -> {
            if (!ready.isDone()) {
                return CompletableFuture.completedFuture(new Lookup(null,
                        "The executor has not finished loading connection tokens yet; the run will be retried.", null, false));
            }
            Entry e = entry(workspaceId, handle);
            if (e == null) {
                return CompletableFuture.completedFuture(new Lookup(null, "No connection named '" + handle + "' exists in this "
                        + "workspace. Create it (POST /api/v1/connections) or fix the handle in the workflow.", null, false));
            }
            if (!usable(e) || validFor(e, minValidity)) {
                return CompletableFuture.completedFuture(evaluate(e));
            }
            requestRefresh(e, RefreshRequest.Reason.MIN_VALIDITY);
            return newerThan(e, wait).thenApply(n -> {
                if (n != e) {
                    return evaluate(n);
                }
                if (!remaining(e).isNegative()) {
                    return new Lookup(e.token(), null, e, false); // short but still valid: better than failing the run
                }
                return new Lookup(null, "The token of connection '" + handle + "' has expired and no refreshed token arrived within "
                        + wait.toSeconds() + " s; the token refresher may be down.", e, false);
            });
        });
    }

    /**
     * The token {@link #lookup} would answer with at once, or empty when it would answer with an error, wait for a
     * refresh or ask for one. Side-effect free.
     */
    public Optional<String> tokenNow(String workspaceId, String handle, Duration minValidity) {
        if (!ready.isDone() || HandleRule.violation(handle).isPresent()) {
            return Optional.empty();
        }
        Entry e = entry(workspaceId, handle);
        if (e == null || !usable(e) || !validFor(e, minValidity)) {
            return Optional.empty();
        }
        return Optional.ofNullable(evaluate(e).token());
    }

    /** The state of the workspace's connection named {@code handle}, if this replica knows it. */
    public Optional<TokenState> stateOf(String workspaceId, String handle) {
        Entry e = HandleRule.violation(handle).isPresent() ? null : entry(workspaceId, handle);
        return e == null ? Optional.empty() : Optional.of(e.state());
    }

    /** The states of all of the workspace's connections this replica knows. */
    public List<TokenState> statesOf(String workspaceId) {
        return byId.values().stream().filter(e -> workspaceId.equals(e.index().workspaceId())).map(Entry::state).toList();
    }

    private Entry entry(String workspaceId, String handle) {
        String id = byHandle.get(handleKey(workspaceId, handle));
        return id == null ? null : byId.get(id);
    }

    private static boolean usable(Entry e) {
        return e.state().status().usable() && e.token() != null;
    }

    /** Valid for the validity a lookup insists on: answered at once, without asking for a refresh. */
    private static boolean validFor(Entry e, Duration minValidity) {
        return remaining(e).compareTo(cappedByLifetime(e, minValidity)) >= 0;
    }

    Lookup evaluate(Entry e) {
        TokenState s = e.state();
        String h = s.handle();
        String error = switch (s.status()) {
            case PENDING -> "The connection '" + h + "' is not authorized yet: open its authorize URL and grant access in HubSpot.";
            case NEEDS_REAUTH -> "The connection '" + h + "' needs re-authorization: HubSpot no longer accepts its grant. Reconnect it "
                    + "(POST /api/v1/connections/" + h + "/reconnect); runs waiting for it resume by themselves.";
            case EXPIRED -> "The token of connection '" + h + "' has expired and refreshing it keeps failing; the platform keeps "
                    + "trying.";
            case REVOKED -> "The connection '" + h + "' was revoked. Reconnect it to use it again.";
            case DELETED -> "The connection '" + h + "' was deleted.";
            case ACTIVE, DEGRADED -> e.token() == null
                    ? "The token of connection '" + h + "' cannot be opened by this executor; an operator must check its log and "
                            + "the token key (jsw.crypto.token-keys)."
                    : remaining(e).isNegative() ? "The token of connection '" + h + "' has expired and no refreshed token has "
                            + "arrived yet." : null;
        };
        if (error != null) {
            return new Lookup(null, error, e, s.status() == ConnectionStatus.NEEDS_REAUTH);
        }
        return new Lookup(e.token(), null, e, false);
    }

    /**
     * The validity a lookup insists on: the run's timeout, but at most a quarter of the token's lifetime. A token that
     * lives about as long as a run would otherwise always look due, every run would ask for a refresh the refresher
     * rightly ignores and wait for one that does not come; the refresher's own lead keeps such tokens fresh.
     */
    static Duration cappedByLifetime(Entry e, Duration minValidity) {
        TokenState s = e.state();
        if (s.expiresAt() == null || s.refreshedAt() == null) {
            return minValidity;
        }
        Duration quarter = Duration.between(s.refreshedAt(), s.expiresAt()).dividedBy(4);
        return quarter.isPositive() && quarter.compareTo(minValidity) < 0 ? quarter : minValidity;
    }

    private static Duration remaining(Entry e) {
        Instant exp = e.state().expiresAt();
        return exp == null ? Duration.ofDays(365) : Duration.between(Instant.now(), exp);
    }

    /** After a 401 with {@code staleToken}: the newer token (asking the refresher for one if needed), or empty. */
    public CompletableFuture<Optional<String>> refreshAfter401(String staleToken) {
        Optional<Entry> e = byToken(staleToken);
        if (e.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Entry current = byId.get(e.get().index().connectionId());
        if (current != null && current.token() != null && !current.token().equals(staleToken)) {
            return CompletableFuture.completedFuture(Optional.of(current.token()));
        }
        requestRefresh(current, RefreshRequest.Reason.HTTP_401);
        return newerThan(current, config.executor().tokens().refreshWait())
                .thenApply(n -> n != current && n.token() != null ? Optional.of(n.token()) : Optional.<String>empty());
    }

    /** The next newer entry of this connection, or the same entry when none arrives in time. */
    private CompletableFuture<Entry> newerThan(Entry e, Duration wait) {
        String id = e.index().connectionId();
        CompletableFuture<Entry> f = new CompletableFuture<>();
        waiters.compute(id, (k, list) -> {
            List<CompletableFuture<Entry>> l = list == null ? new ArrayList<>() : list;
            l.add(f);
            return l;
        });
        Entry now = byId.get(id);
        if (now != null && now != e) {
            f.complete(now); // arrived between the check and the registration
        }
        return f.completeOnTimeout(e, wait.toMillis(), TimeUnit.MILLISECONDS).whenComplete((x, t) -> {
            waiters.computeIfPresent(id, (k, list) -> {
                list.remove(f);
                return list.isEmpty() ? null : list;
            });
        });
    }

    /** Publishes a refresh request, at most once per token version within the cooldown. */
    private void requestRefresh(Entry e, RefreshRequest.Reason reason) {
        TokenState s = e.state();
        String id = s.connectionId();
        long now = System.nanoTime();
        long cooldown = config.executor().tokens().refreshCooldown().toNanos();
        String k = id + "@" + s.grantVersion() + "." + s.tokenVersion();
        Long last = requested.get(k);
        if (last != null && now - last < cooldown) {
            return;
        }
        requested.put(k, now);
        if (requested.size() > 10_000) {
            requested.entrySet().removeIf(x -> now - x.getValue() > cooldown);
        }
        RefreshRequest r = new RefreshRequest(RefreshRequest.SCHEMA_VERSION, UUID.randomUUID().toString(), id, s.workspaceId(), reason,
                s.tokenVersion(), "workflow-executor", Instant.now());
        kafka.send(Topics.REFRESH_REQUESTS, id, r, CloudEventTypes.REFRESH_REQUEST).whenComplete((md, t) -> {
            if (t != null) {
                Log.warnf("refresh request for connection %s not published: %s", id, t.getMessage());
            }
        });
    }

    private static String handleKey(String workspaceId, String handle) {
        return workspaceId + "\u0000" + handle;
    }
}
