package io.jsworkflows.emulator.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.emulator.config.EmulatorConfig;

/** Every portal of the emulator, the record id sequence and the custom properties. */
@ApplicationScoped
public class Portals {

    /** Ids are unique across portals and types, so a test can look any record up by id alone. */
    private static final long FIRST_ID = 1_000_001L;

    private final EmulatorConfig config;
    private final ConcurrentSkipListMap<Long, Portal> portals = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong(FIRST_ID);
    private final Map<ObjectType, Set<String>> customProperties = new EnumMap<>(ObjectType.class);

    public Portals(EmulatorConfig config) {
        this.config = config;
        for (ObjectType t : ObjectType.values()) {
            customProperties.put(t, ConcurrentHashMap.newKeySet());
        }
        reset();
    }

    public final void reset() {
        portals.clear();
        long n = 0;
        for (var e : config.portals().entrySet()) {
            long id = Long.parseLong(e.getKey());
            n++;
            portals.put(id, new Portal(id, e.getValue().domain(), e.getValue().user(),
                    e.getValue().userId().orElse(2_000_000L + n)));
        }
        ids.set(FIRST_ID);
        for (ObjectType t : ObjectType.values()) {
            Set<String> s = customProperties.get(t);
            s.clear();
            List<String> extra = config.extraProperties().get(t.path());
            if (extra != null) {
                extra.stream().map(String::trim).filter(x -> !x.isEmpty()).forEach(s::add);
            }
        }
    }

    public Portal get(long id) {
        return portals.get(id);
    }

    /** The first portal by hub id: the one auto-approve picks when the authorize URL does not pin one. */
    public Portal first() {
        var e = portals.firstEntry();
        return e == null ? null : e.getValue();
    }

    public Collection<Portal> all() {
        return portals.values();
    }

    public Portal add(long id, String domain, String user, long userId) {
        Portal p = new Portal(id, domain, user, userId);
        Portal prev = portals.putIfAbsent(id, p);
        return prev == null ? p : prev;
    }

    public long nextId() {
        return ids.getAndIncrement();
    }

    public Set<String> customProperties(ObjectType type) {
        return customProperties.get(type);
    }

    public boolean propertyExists(ObjectType type, String name) {
        return type.writableProperties().contains(name) || ObjectType.CALCULATED.contains(name)
                || customProperties.get(type).contains(name);
    }

    /** A record and the portal that holds it. */
    public record Located(Portal portal, CrmObject object) {
    }

    /** Finds a record by id in any portal (ids are globally unique, so there is at most one). */
    public List<Located> findAnywhere(ObjectType type, long id) {
        List<Located> out = new ArrayList<>(1);
        for (Portal p : portals.values()) {
            CrmObject o = p.objects(type).get(id);
            if (o != null) {
                out.add(new Located(p, o));
            }
        }
        return out;
    }
}
