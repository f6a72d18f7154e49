package io.jsworkflows.refresher.service;

import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * The refresh_token grant against {@code <api-url>/oauth/v1/token} (client_secret_post, as HubSpot documents). A plain
 * Vert.x web client rather than quarkus-oidc-client: classifying a failure needs the status code, the Retry-After header
 * and the error body, and OidcClientException carries only the body text; it also retries connection errors on its own
 * and logs the request form (refresh token, client secret) at DEBUG.
 */
public final class TokenEndpointClient implements AutoCloseable {

    private final WebClient client;
    private final String tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final long timeoutMillis;

    public TokenEndpointClient(Vertx vertx, String apiUrl, String clientId, String clientSecret, int poolSize, Duration timeout) {
        this.tokenUrl = apiUrl.replaceAll("/+$", "") + "/oauth/v1/token";
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.timeoutMillis = timeout.toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setMaxPoolSize(Math.max(1, poolSize))
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setUserAgent("jsworkflows-token-refresher")
                .setFollowRedirects(false));
    }

    public String tokenUrl() {
        return tokenUrl;
    }

    /** Never fails: every error becomes a {@link RefreshOutcome}. */
    public Uni<RefreshOutcome> refresh(String refreshToken) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "refresh_token")
                .add("client_id", clientId)
                .add("client_secret", clientSecret)
                .add("refresh_token", refreshToken);
        return client.postAbs(tokenUrl)
                .timeout(timeoutMillis)
                .putHeader("Accept", "application/json")
                .sendForm(form)
                .map(resp -> TokenResponses.classify(resp.statusCode(), resp.getHeader("Retry-After"), resp.bodyAsString(),
                        Instant.now()))
                .onFailure().recoverWithItem(TokenEndpointClient::transportFailure);
    }

    /** Only the exception class and a fixed text: transport messages can contain URLs, never tokens, but keep it tight. */
    static RefreshOutcome transportFailure(Throwable t) {
        String kind;
        if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
            kind = "timed out";
        } else if (t instanceof ConnectException || t.getCause() instanceof ConnectException) {
            kind = "connection refused or unreachable";
        } else if (t instanceof HttpClosedException) {
            kind = "connection closed";
        } else {
            kind = "failed (" + t.getClass().getSimpleName() + ")";
        }
        return new RefreshOutcome.Transient("token endpoint call " + kind, null);
    }

    @Override
    public void close() {
        client.close();
    }
}
