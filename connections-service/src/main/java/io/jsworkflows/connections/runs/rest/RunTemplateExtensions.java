package io.jsworkflows.connections.runs.rest;

import io.quarkus.qute.TemplateExtension;

/** Formatting helpers for the runs pages' templates. */
@TemplateExtension
public class RunTemplateExtensions {

    /** {@code {r.status.kebab}} → dead-lettered. */
    static String kebab(String status) {
        return status == null ? "" : status.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
