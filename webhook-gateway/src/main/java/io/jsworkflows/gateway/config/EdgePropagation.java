package io.jsworkflows.gateway.config;

import java.util.Collection;

import jakarta.inject.Singleton;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.quarkus.opentelemetry.runtime.propagation.TextMapPropagatorCustomizer;

/**
 * The gateway is the platform's edge: it writes trace context (each delivery's {@code traceparent} on its record) but
 * never reads any. Shopify sends none, and whatever a caller sends ({@code traceparent}, {@code tracestate},
 * {@code baggage}) is untrusted input that would otherwise choose the trace id or reach the record headers. So every
 * delivery starts a new trace. (The gateway's only other inbound context, {@code jsw.sources} records, is not worth
 * following across a trust boundary either.)
 */
@Singleton
public class EdgePropagation implements TextMapPropagatorCustomizer {

    @Override
    public TextMapPropagator customize(Context context) {
        return new InjectOnly(context.propagator());
    }

    /** Delegates {@code inject}; {@code extract} keeps the context it is given. */
    record InjectOnly(TextMapPropagator delegate) implements TextMapPropagator {

        @Override
        public Collection<String> fields() {
            return delegate.fields();
        }

        @Override
        public <C> void inject(io.opentelemetry.context.Context context, C carrier, TextMapSetter<C> setter) {
            delegate.inject(context, carrier, setter);
        }

        @Override
        public <C> io.opentelemetry.context.Context extract(io.opentelemetry.context.Context context, C carrier, TextMapGetter<C> getter) {
            return context;
        }
    }
}
