package io.jsworkflows.emulator.service;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** One HubSpot account (hub id): its records, unique-email index, associations and rate budget. */
public final class Portal {

    private final long id;
    private final String domain;
    private final String user;
    private final long userId;
    private final Map<ObjectType, ConcurrentSkipListMap<Long, CrmObject>> objects = new EnumMap<>(ObjectType.class);
    /** lower-cased email → contact id; the uniqueness rule behind 409 CONFLICT. */
    final ConcurrentHashMap<String, Long> emailIndex = new ConcurrentHashMap<>();
    /** "type:id" → associations from that record. */
    final ConcurrentHashMap<String, Set<Association>> associations = new ConcurrentHashMap<>();
    private final RollingRateWindow budget = new RollingRateWindow();

    public record Association(ObjectType toType, long toId, int typeId) {
    }

    public Portal(long id, String domain, String user, long userId) {
        this.id = id;
        this.domain = domain;
        this.user = user;
        this.userId = userId;
        for (ObjectType t : ObjectType.values()) {
            objects.put(t, new ConcurrentSkipListMap<>());
        }
    }

    public long id() {
        return id;
    }

    public String domain() {
        return domain;
    }

    public String user() {
        return user;
    }

    public long userId() {
        return userId;
    }

    public ConcurrentSkipListMap<Long, CrmObject> objects(ObjectType type) {
        return objects.get(type);
    }

    public void clear() {
        objects.values().forEach(Map::clear);
        emailIndex.clear();
        associations.clear();
        budget.reset();
    }

    /** Takes one request from the portal's rolling window (see {@link RollingRateWindow}). */
    public RollingRateWindow.Budget take(int max, long intervalMillis, long now) {
        return budget.take(max, intervalMillis, now);
    }

    public void resetBudget() {
        budget.reset();
    }
}
