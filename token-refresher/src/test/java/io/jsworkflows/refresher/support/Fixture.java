package io.jsworkflows.refresher.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.SharedKafka;
import io.jsworkflows.testsupport.TopicRecords;

/**
 * What the refresher tests share: connections-service's side (grants from real emulator tokens), recorders of the
 * tokens and events topics, and the emulator's operator API.
 */
public final class Fixture implements AutoCloseable {

    /** One connection under test and the grant the emulator issued for it. */
    public record Conn(String id, HubSpotEmulator.Tokens tokens, Instant expiresAt) {
    }

    public final HubSpotEmulator emulator = HubSpotEmulator.shared();
    public final Grants grants = new Grants(SharedKafka.bootstrapServers());
    public final TopicRecords.Recording<TokenState> tokens = TopicRecords.fromNow(Topics.CONNECTION_TOKENS,
            v -> ContractsJson.read(v, TokenState.class));
    public final TopicRecords.Recording<ConnectionEvent> events = TopicRecords.fromNow(Topics.CONNECTION_EVENTS,
            v -> ContractsJson.read(v, ConnectionEvent.class));
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * Issues {@code n} grants at the emulator (in parallel), then publishes them at once; connection i's token expires
     * {@code expiresIn(i)} after publication.
     */
    public List<Conn> connect(int n, IntFunction<Duration> expiresIn) throws Exception {
        List<Conn> conns = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<HubSpotEmulator.Tokens>> issued = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                issued.add(pool.submit(() -> emulator.issueTokens(HubSpotEmulator.PORTAL_ID, Grants.SCOPES)));
            }
            List<HubSpotEmulator.Tokens> tokens = new ArrayList<>();
            for (Future<HubSpotEmulator.Tokens> f : issued) {
                tokens.add(f.get());
            }
            Instant now = Instant.now();
            for (int i = 0; i < n; i++) {
                conns.add(new Conn(Grants.newConnectionId(), tokens.get(i), now.plus(expiresIn.apply(i)).truncatedTo(ChronoUnit.MILLIS)));
            }
        }
        for (Conn c : conns) {
            grants.publish(grants.grant(c.id(), 1, c.tokens().refreshToken(), c.tokens().accessToken(), c.expiresAt()));
        }
        grants.flush();
        return conns;
    }

    public void deleteAll(List<Conn> conns) {
        conns.forEach(c -> grants.delete(c.id()));
        grants.flush();
    }

    public List<TokenState> states(String id) {
        return tokens.of(id).stream().map(TopicRecords.Received::value).filter(v -> v != null).toList();
    }

    public TokenState latest(String id) {
        List<TokenState> s = states(id);
        return s.isEmpty() ? null : s.getLast();
    }

    public List<ConnectionEvent> events(String id) {
        return events.of(id).stream().map(TopicRecords.Received::value).toList();
    }

    public String open(TokenState t) {
        return grants.tokenCipher.open(t.sealedAccessToken(), t.connectionId());
    }

    /** Whether the emulator still accepts this access token (token metadata endpoint). */
    public boolean valid(String accessToken) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/oauth/v1/access-tokens/" + accessToken))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200;
    }

    public long tokenCalls() {
        return emulator.requestCount("POST", "/oauth/v1/token");
    }

    public long tokenCalls(int status) {
        return emulator.requestCount("POST", "/oauth/v1/token", status);
    }

    /** For every connection: each token state was published before the previous one's access token expired. */
    public static List<String> gaps(Map<String, List<TopicRecords.Received<TokenState>>> byKey) {
        List<String> gaps = new ArrayList<>();
        byKey.forEach((id, list) -> {
            for (int i = 1; i < list.size(); i++) {
                TokenState prev = list.get(i - 1).value();
                if (prev != null && prev.status().usable() && list.get(i).receivedAt().isAfter(prev.expiresAt())) {
                    gaps.add(id + " v" + prev.tokenVersion() + " expired " + prev.expiresAt() + ", next at " + list.get(i).receivedAt());
                }
            }
            list.stream().map(TopicRecords.Received::value)
                    .filter(v -> v != null && v.status() == ConnectionStatus.EXPIRED)
                    .forEach(v -> gaps.add(id + " published EXPIRED v" + v.tokenVersion()));
        });
        return gaps;
    }

    @Override
    public void close() {
        tokens.close();
        events.close();
        grants.close();
    }
}
