package io.jsworkflows.emulator.service;

/** One sort key of a CRM search request. */
public record SearchSort(String propertyName, boolean descending) {
}
