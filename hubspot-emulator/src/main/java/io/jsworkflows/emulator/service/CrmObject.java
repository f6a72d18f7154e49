package io.jsworkflows.emulator.service;

import java.util.SortedMap;

/** One stored record. Immutable: an update replaces it (compare-and-set), so readers never see half an update. */
public record CrmObject(long id, SortedMap<String, String> properties, long createdAt, long updatedAt, boolean archived,
        long archivedAt) {

    public String idString() {
        return Long.toString(id);
    }
}
