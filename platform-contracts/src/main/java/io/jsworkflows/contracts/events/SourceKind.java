package io.jsworkflows.contracts.events;

/** What kind of system a trigger source is. */
public enum SourceKind {
    shopify
}
