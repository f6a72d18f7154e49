package io.jsworkflows.executor.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.jsworkflows.executor.runtime.ErrorCategory;
import io.jsworkflows.executor.runtime.RunHost.FetchException;
import io.jsworkflows.executor.service.FetchBudget;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * A response body read as UTF-8 text that fails once it grows past a limit instead of filling the heap. Hand-written
 * because Vert.x's {@code body()} buffers without a limit: here each byte is reserved in the run's
 * {@link FetchBudget.Share} before it is kept, all of a declared Content-Length at once, else chunk by chunk, and the
 * response is paused while a reservation waits, so the rest of the body stays in the socket, not in the heap.
 * Every callback runs on the request's event-loop context.
 */
final class BoundedBody {

    private final HttpClientResponse response;
    private final Context context;
    private final int max;
    private final FetchBudget.Share share;
    private final Promise<OutboundResponse.Body> result = Promise.promise();
    private final List<Buffer> chunks = new ArrayList<>();
    private int size;
    private long reserved;

    private BoundedBody(HttpClientResponse response, Context context, int max, FetchBudget.Share share) {
        this.response = response;
        this.context = context;
        this.max = max;
        this.share = share;
    }

    /** Starts reading; call on the response's context, before returning from the callback that delivered it. */
    static Future<OutboundResponse.Body> read(HttpClientResponse response, Context context, int max, FetchBudget.Share share) {
        BoundedBody b = new BoundedBody(response, context, max, share);
        b.start();
        return b.result.future();
    }

    static FetchException tooLarge(int max) {
        return new FetchException(ErrorCategory.LIMIT, "limit reached: the response body is larger than " + max
                + " bytes (jsw.executor.limits.response-body-bytes)");
    }

    private void start() {
        response.pause();
        response.exceptionHandler(this::fail);
        response.handler(this::chunk);
        response.endHandler(v -> end());
        long declared = declaredLength();
        if (declared > max) {
            fail(tooLarge(max));
        } else if (declared > 0) {
            reserveThen(declared, () -> response.resume());
        } else {
            response.resume();
        }
    }

    private long declaredLength() {
        String cl = response.getHeader("content-length");
        if (cl == null) {
            return -1;
        }
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void chunk(Buffer b) {
        if (result.future().isComplete()) {
            return;
        }
        if ((long) size + b.length() > max) {
            fail(tooLarge(max));
            return;
        }
        keep(b);
        long need = size - reserved;
        if (need > 0) {
            response.pause();
            reserveThen(need, response::resume);
        }
    }

    private void keep(Buffer b) {
        chunks.add(b);
        size += b.length();
    }

    /** Reserves {@code n} bytes, then, back on the context, runs {@code next}; a reservation that fails fails the body. */
    private void reserveThen(long n, Runnable next) {
        share.reserve(n).whenComplete((x, t) -> context.runOnContext(v -> {
            if (t != null) {
                fail(t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t);
            } else if (result.future().isComplete()) {
                share.release(n); // the body failed meanwhile
            } else {
                reserved += n;
                next.run();
            }
        }));
    }

    private void end() {
        if (result.future().isComplete()) {
            return;
        }
        // a declared length the server did not send in full: give back what was not used
        if (reserved > size) {
            share.release(reserved - size);
            reserved = size;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (Buffer c : chunks) {
            c.getBytes(all, at);
            at += c.length();
        }
        chunks.clear();
        result.tryComplete(new OutboundResponse.Body(new String(all, StandardCharsets.UTF_8), reserved));
    }

    private void fail(Throwable t) {
        if (result.tryFail(t)) {
            chunks.clear();
            share.release(reserved);
            reserved = 0;
            response.request().reset();
        }
    }
}
