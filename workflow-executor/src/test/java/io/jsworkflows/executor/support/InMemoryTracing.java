package io.jsworkflows.executor.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/** The tests' span exporter (it replaces the OTLP one: Quarkus uses the CDI span exporters it finds). */
@ApplicationScoped
public class InMemoryTracing {

    @Produces
    @Singleton
    InMemorySpanExporter inMemorySpanExporter() {
        return InMemorySpanExporter.create();
    }
}
