package io.jsworkflows.emulator.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The life of a CRM record in a portal (facts file §6): create with the calculated properties, update, archive to the
 * recycle bin, find by id (or email for contacts), list by id cursor and upsert. Contact emails are unique per portal,
 * case-insensitively (409 CONFLICT); the portal's email index is claimed before a write and released after it.
 * Records are immutable and replaced by compare-and-set, so no write takes a lock.
 */
@ApplicationScoped
public class CrmObjectStore {

    /** HubSpot's limit on inputs per batch request. */
    public static final int MAX_BATCH = 100;

    private final Portals portals;
    private final PropertyValidator validator;

    public CrmObjectStore(Portals portals, PropertyValidator validator) {
        this.portals = portals;
        this.validator = validator;
    }

    public CrmObject create(Portal portal, ObjectType type, Map<String, Object> input) {
        TreeMap<String, String> props = validator.validated(portal, type, input, null);
        long id = portals.nextId();
        long now = System.currentTimeMillis();
        String nowIso = CrmTime.format(now);
        props.put("hs_object_id", Long.toString(id));
        props.put("createdate", nowIso);
        props.put(type.lastModifiedProperty(), nowIso);
        if (type == ObjectType.CONTACTS) {
            props.putIfAbsent("lifecyclestage", "lead");
            props.put("hs_object_source", "INTEGRATION");
            String email = props.get("email");
            if (email != null) {
                String key = email.toLowerCase(Locale.ROOT);
                Long existing = portal.emailIndex.putIfAbsent(key, id);
                if (existing != null) {
                    throw HubSpotErrors.conflict(Long.toString(existing), "Contact");
                }
                int at = email.indexOf('@');
                if (at >= 0) {
                    props.put("hs_email_domain", email.substring(at + 1).toLowerCase(Locale.ROOT));
                }
            }
        }
        CrmObject o = new CrmObject(id, props, now, now, false, 0);
        portal.objects(type).put(id, o);
        return o;
    }

    public CrmObject update(Portal portal, ObjectType type, String idOrValue, String idProperty, Map<String, Object> input) {
        CrmObject current = require(portal, type, idOrValue, idProperty, false);
        ConcurrentSkipListMap<Long, CrmObject> store = portal.objects(type);
        while (true) {
            TreeMap<String, String> changes = validator.validated(portal, type, input, current);
            TreeMap<String, String> props = new TreeMap<>(current.properties());
            for (var e : changes.entrySet()) {
                if (e.getValue().isEmpty()) {
                    props.remove(e.getKey());
                } else {
                    props.put(e.getKey(), e.getValue());
                }
            }
            long now = System.currentTimeMillis();
            props.put(type.lastModifiedProperty(), CrmTime.format(now));
            String oldEmail = current.properties().get("email");
            String newEmail = props.get("email");
            boolean emailChanged = type == ObjectType.CONTACTS && !String.valueOf(oldEmail).equalsIgnoreCase(String.valueOf(newEmail));
            if (emailChanged && newEmail != null) {
                Long existing = portal.emailIndex.putIfAbsent(newEmail.toLowerCase(Locale.ROOT), current.id());
                if (existing != null && existing != current.id()) {
                    throw HubSpotErrors.conflict(Long.toString(existing), "Contact");
                }
                int at = newEmail.indexOf('@');
                props.put("hs_email_domain", at >= 0 ? newEmail.substring(at + 1).toLowerCase(Locale.ROOT) : "");
            }
            CrmObject next = new CrmObject(current.id(), props, current.createdAt(), now, false, 0);
            if (store.replace(current.id(), current, next)) {
                if (emailChanged && oldEmail != null) {
                    portal.emailIndex.remove(oldEmail.toLowerCase(Locale.ROOT), current.id());
                }
                return next;
            }
            current = store.get(current.id());
            if (current == null || current.archived()) {
                throw HubSpotErrors.notFound(idOrValue);
            }
        }
    }

    /** Archive (HubSpot's recycle bin): 204, then 404 unless {@code archived=true}. Idempotent, as at HubSpot. */
    public void archive(Portal portal, ObjectType type, String idOrValue, String idProperty) {
        CrmObject current;
        try {
            current = require(portal, type, idOrValue, idProperty, false);
        } catch (HubSpotException e) {
            return;
        }
        long now = System.currentTimeMillis();
        CrmObject archived = new CrmObject(current.id(), current.properties(), current.createdAt(), now, true, now);
        if (portal.objects(type).replace(current.id(), current, archived)) {
            String email = current.properties().get("email");
            if (type == ObjectType.CONTACTS && email != null) {
                portal.emailIndex.remove(email.toLowerCase(Locale.ROOT), current.id());
            }
        }
    }

    public CrmObject require(Portal portal, ObjectType type, String idOrValue, String idProperty, boolean archived) {
        CrmObject o = find(portal, type, idOrValue, idProperty);
        if (o == null || o.archived() != archived) {
            throw HubSpotErrors.notFound(idOrValue);
        }
        return o;
    }

    public CrmObject find(Portal portal, ObjectType type, String idOrValue, String idProperty) {
        if (idOrValue == null) {
            return null;
        }
        if (idProperty != null && !idProperty.isEmpty() && !idProperty.equals("hs_object_id")) {
            if (type == ObjectType.CONTACTS && idProperty.equals("email")) {
                Long id = portal.emailIndex.get(idOrValue.toLowerCase(Locale.ROOT));
                return id == null ? null : portal.objects(type).get(id);
            }
            if (!portals.propertyExists(type, idProperty)) {
                throw HubSpotErrors.validation("Property \"" + idProperty + "\" does not exist");
            }
            throw HubSpotErrors.validation("Property \"" + idProperty + "\" is not a unique identifier property."
                    + " Use hs_object_id" + (type == ObjectType.CONTACTS ? " or email." : "."));
        }
        try {
            return portal.objects(type).get(Long.parseLong(idOrValue));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public ResultPage list(Portal portal, ObjectType type, int limit, String after, boolean archived) {
        int lim = Math.max(1, Math.min(limit <= 0 ? 10 : limit, 100));
        long from = 0;
        if (after != null && !after.isEmpty()) {
            try {
                from = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw HubSpotErrors.validation("Invalid paging cursor 'after': " + after);
            }
        }
        List<CrmObject> out = new ArrayList<>(lim);
        String next = null;
        for (CrmObject o : portal.objects(type).tailMap(from, true).values()) {
            if (o.archived() != archived) {
                continue;
            }
            if (out.size() == lim) {
                next = o.idString();
                break;
            }
            out.add(o);
        }
        return new ResultPage(out, next, null);
    }

    public record Upserted(CrmObject object, boolean created) {
    }

    /** Contacts by email (no partial upserts with email, as HubSpot says), others by hs_object_id. */
    public Upserted upsert(Portal portal, ObjectType type, String id, String idProperty, Map<String, Object> props) {
        if (type == ObjectType.CONTACTS && "email".equals(idProperty)) {
            CrmObject existing = find(portal, type, id, "email");
            if (existing != null && !existing.archived()) {
                return new Upserted(update(portal, type, existing.idString(), null, props), false);
            }
            Map<String, Object> withEmail = new LinkedHashMap<>(props == null ? Map.of() : props);
            withEmail.put("email", id);
            return new Upserted(create(portal, type, withEmail), true);
        }
        if (idProperty != null && !idProperty.equals("hs_object_id")) {
            throw HubSpotErrors.validation("idProperty '" + idProperty + "' is not a unique property of " + type.path() + ".");
        }
        CrmObject existing = find(portal, type, id, null);
        if (existing != null && !existing.archived()) {
            return new Upserted(update(portal, type, existing.idString(), null, props), false);
        }
        return new Upserted(create(portal, type, props), true);
    }
}
