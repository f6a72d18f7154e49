package io.jsworkflows.connections.rest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** Formatting helpers for the web page's templates. */
@TemplateExtension
public class TemplateExtensions {

    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** {@code {c.lastRefreshAt.human}} → 2026-11-29 06:11:28 UTC. */
    static String human(Instant instant) {
        return instant == null ? "" : HUMAN.format(instant);
    }
}
