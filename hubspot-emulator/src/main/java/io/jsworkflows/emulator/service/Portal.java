package io.jsworkflows.emulator.service;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
    private final AtomicReference<Window> window = new AtomicReference<>(new Window(0, new AtomicInteger()));

    public record Association(ObjectType toType, long toId, int typeId) {
    }

    private record Window(long start, AtomicInteger used) {
    }

    /** The outcome of taking one request from the budget. */
    public record Budget(boolean allowed, int remaining) {
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
        window.set(new Window(0, new AtomicInteger()));
    }

    /**
     * Takes one request from a fixed window that opens at the first request after the previous one closed: close to
     * HubSpot's rolling window for the cases tests care about, and lock-free.
     */
    public Budget take(int max, long intervalMillis, long now) {
        while (true) {
            Window w = window.get();
            if (now - w.start() >= intervalMillis) {
                Window fresh = new Window(now, new AtomicInteger());
                if (!window.compareAndSet(w, fresh)) {
                    continue;
                }
                w = fresh;
            }
            int used = w.used().incrementAndGet();
            if (used > max) {
                return new Budget(false, 0);
            }
            return new Budget(true, max - used);
        }
    }

    public void resetBudget() {
        window.set(new Window(0, new AtomicInteger()));
    }
}
