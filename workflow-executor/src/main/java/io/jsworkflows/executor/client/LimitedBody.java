package io.jsworkflows.executor.client;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import io.jsworkflows.executor.runtime.RunHost.FetchException;
import io.jsworkflows.executor.service.FetchBudget;

/**
 * A response body read as UTF-8 text that fails the request once it grows past a limit, instead of filling the heap. Its
 * bytes are reserved in the run's {@link FetchBudget.Share} before they are kept: all of a declared Content-Length at
 * once (and the buffer sized to it), else chunk by chunk. It asks for one chunk at a time, so while a reservation waits
 * the body stays in the socket, not in the heap.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<OutboundResponse.Body> {

    private final int max;
    private final FetchBudget.Share share;
    private final CompletableFuture<OutboundResponse.Body> result = new CompletableFuture<>();
    private final CompletableFuture<Void> ready;
    private Flow.Subscription subscription;
    private byte[] buffer;
    private int size;
    private long reserved;
    private boolean busy;
    private boolean completed;

    private LimitedBody(int max, FetchBudget.Share share, long declared) {
        this.max = max;
        this.share = share;
        if (declared > max) {
            result.completeExceptionally(tooLarge(max));
            ready = CompletableFuture.completedFuture(null);
        } else if (declared >= 0) {
            ready = share.reserve(declared).thenRun(() -> reserved(declared));
            buffer = new byte[(int) declared];
        } else {
            ready = CompletableFuture.completedFuture(null);
            buffer = new byte[Math.min(max, 8192)];
        }
    }

    static HttpResponse.BodyHandler<OutboundResponse.Body> handler(int max, FetchBudget.Share share) {
        return info -> new LimitedBody(max, share, info.headers().firstValueAsLong("content-length").orElse(-1));
    }

    private static FetchException tooLarge(int max) {
        return BoundedBody.tooLarge(max);
    }

    private synchronized void reserved(long n) {
        reserved += n;
    }

    @Override
    public CompletionStage<OutboundResponse.Body> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        synchronized (this) {
            this.subscription = s;
        }
        ready.whenComplete((x, t) -> {
            if (t != null) {
                fail(unwrap(t));
            } else if (result.isDone()) {
                s.cancel();
            } else {
                s.request(1);
            }
        });
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        long n = 0;
        for (ByteBuffer b : items) {
            n += b.remaining();
        }
        long need;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            if (size + n > max) {
                fail(tooLarge(max));
                return;
            }
            need = size + n - reserved;
            busy = true;
        }
        if (need <= 0) {
            keep(items);
            return;
        }
        long more = need;
        share.reserve(more).whenComplete((x, t) -> {
            if (t != null) {
                synchronized (this) {
                    busy = false;
                }
                fail(unwrap(t));
            } else {
                reserved(more);
                keep(items);
            }
        });
    }

    /** Copies the chunk into the buffer, then asks for the next one (or finishes, if the body ended meanwhile). */
    private void keep(List<ByteBuffer> items) {
        boolean finish;
        synchronized (this) {
            if (result.isDone()) {
                busy = false;
                releaseAll();
                return;
            }
            for (ByteBuffer b : items) {
                int r = b.remaining();
                if (size + r > buffer.length) {
                    // no Content-Length: grow by half, not double, and never past the limit
                    buffer = Arrays.copyOf(buffer, (int) Math.min(max, Math.max(size + r, buffer.length + (buffer.length >> 1))));
                }
                b.get(buffer, size, r);
                size += r;
            }
            busy = false;
            finish = completed;
        }
        if (finish) {
            finish();
        } else {
            subscription.request(1);
        }
    }

    private void fail(Throwable t) {
        boolean cancel;
        synchronized (this) {
            cancel = result.completeExceptionally(t);
            buffer = null;
            if (!busy) {
                releaseAll();
            }
        }
        if (cancel && subscription != null) {
            subscription.cancel();
        }
    }

    /** Under the lock: the body will not be handed over, so its bytes go back to the run's share. */
    private void releaseAll() {
        share.release(reserved);
        reserved = 0;
    }

    @Override
    public void onError(Throwable t) {
        fail(t);
    }

    @Override
    public void onComplete() {
        synchronized (this) {
            completed = true;
            if (busy) {
                return; // keep() finishes once the last chunk is in
            }
        }
        finish();
    }

    private void finish() {
        OutboundResponse.Body body;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            // a declared length the server did not send in full: give back what was not used
            if (reserved > size) {
                share.release(reserved - size);
                reserved = size;
            }
            body = new OutboundResponse.Body(new String(buffer, 0, size, StandardCharsets.UTF_8), reserved);
            buffer = null;
        }
        result.complete(body);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
