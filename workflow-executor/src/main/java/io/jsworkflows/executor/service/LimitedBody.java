package io.jsworkflows.executor.service;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import io.jsworkflows.executor.runtime.RunHost.FetchException;

/** A response body read as UTF-8 text that fails the request once it grows past a limit, instead of filling the heap. */
final class LimitedBody implements HttpResponse.BodySubscriber<String> {

    private final int max;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private LimitedBody(int max) {
        this.max = max;
    }

    static HttpResponse.BodyHandler<String> handler(int max) {
        return info -> {
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            LimitedBody body = new LimitedBody(max);
            if (declared > max) {
                body.result.completeExceptionally(tooLarge(max));
            }
            return body;
        };
    }

    private static FetchException tooLarge(int max) {
        return new FetchException("LIMIT", "limit reached: the response body is larger than " + max
                + " bytes (jsw.executor.limits.response-body-bytes)");
    }

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        if (result.isDone()) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            if (buffer.size() + b.remaining() > max) {
                result.completeExceptionally(tooLarge(max));
                subscription.cancel();
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            buffer.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(buffer.toString(StandardCharsets.UTF_8));
    }
}
