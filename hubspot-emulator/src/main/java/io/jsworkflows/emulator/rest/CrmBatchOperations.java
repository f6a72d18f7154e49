package io.jsworkflows.emulator.rest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.emulator.rest.CrmDtos.BatchInput;
import io.jsworkflows.emulator.rest.CrmDtos.BatchItem;
import io.jsworkflows.emulator.rest.CrmDtos.BatchResponse;
import io.jsworkflows.emulator.rest.CrmDtos.SimplePublicObject;
import io.jsworkflows.emulator.service.CrmObject;
import io.jsworkflows.emulator.service.CrmObjectStore;
import io.jsworkflows.emulator.service.CrmTime;
import io.jsworkflows.emulator.service.HubSpotErrors;
import io.jsworkflows.emulator.service.HubSpotException;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portal;
import io.jsworkflows.emulator.service.PropertyValidator;

/**
 * The CRM batch endpoints' rules: at most {@link CrmObjectStore#MAX_BATCH} inputs; create is all or nothing unless
 * inputs carry an {@code objectWriteTraceId} (then 207 with per-input errors); read reports missing ids in one error;
 * update and upsert answer 207 for the inputs that failed.
 */
@ApplicationScoped
class CrmBatchOperations {

    private final CrmObjectStore store;
    private final PropertyValidator validator;
    private final CreateTimeAssociations createAssociations;
    private final CrmObjectViews views;

    CrmBatchOperations(CrmObjectStore store, PropertyValidator validator, CreateTimeAssociations createAssociations,
            CrmObjectViews views) {
        this.store = store;
        this.validator = validator;
        this.createAssociations = createAssociations;
        this.views = views;
    }

    /** The batch's inputs, or HubSpot's 400 when there are more than the limit. */
    static List<BatchItem> inputs(BatchInput body) {
        List<BatchItem> inputs = body == null || body.inputs() == null ? List.of() : body.inputs();
        if (inputs.size() > CrmObjectStore.MAX_BATCH) {
            throw HubSpotErrors.validation("Batch input is limited to " + CrmObjectStore.MAX_BATCH + " inputs, " + inputs.size()
                    + " given.");
        }
        return inputs;
    }

    Response create(Portal p, ObjectType t, List<BatchItem> inputs, String started) {
        boolean partial = inputs.stream().anyMatch(i -> i.objectWriteTraceId() != null);
        if (!partial) {
            // all or nothing: check every input (including email duplicates inside the batch) before creating any
            Set<String> emails = new HashSet<>();
            for (BatchItem i : inputs) {
                validator.check(p, t, i.properties());
                createAssociations.resolve(p, t, i.associations());
                Object email = i.properties() == null ? null : i.properties().get("email");
                if (t == ObjectType.CONTACTS && email != null) {
                    String e = email.toString().toLowerCase(Locale.ROOT);
                    CrmObject existing = store.find(p, t, e, "email");
                    if (existing != null && !existing.archived()) {
                        throw HubSpotErrors.conflict(existing.idString(), "Contact");
                    }
                    if (!emails.add(e)) {
                        throw HubSpotErrors.validation("Duplicate email '" + e + "' in batch input.");
                    }
                }
            }
        }
        List<SimplePublicObject> results = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (BatchItem i : inputs) {
            try {
                List<CreateTimeAssociations.Link> links = createAssociations.resolve(p, t, i.associations());
                CrmObject o = store.create(p, t, i.properties());
                createAssociations.link(p, t, o, links);
                results.add(CrmObjectViews.full(o, i.objectWriteTraceId(), null));
            } catch (HubSpotException e) {
                if (!partial) {
                    throw e;
                }
                errors.add(errorItem(e, i.objectWriteTraceId()));
            }
        }
        return response(errors.isEmpty() ? 201 : 207, results, errors, started);
    }

    Response read(Portal p, ObjectType t, BatchInput body, List<BatchItem> inputs, String started) {
        List<SimplePublicObject> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (BatchItem i : inputs) {
            CrmObject o = store.find(p, t, i.id(), body.idProperty());
            if (o == null || o.archived()) {
                missing.add(i.id());
            } else {
                results.add(views.view(p, t, o, body.properties(), List.of()));
            }
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        if (!missing.isEmpty()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("status", "error");
            e.put("category", "OBJECT_NOT_FOUND");
            e.put("message", "Could not get some " + t.label().toUpperCase(Locale.ROOT)
                    + " objects, they may be deleted or not exist. Check that ids are valid.");
            e.put("context", Map.of("ids", missing));
            errors.add(e);
        }
        return response(errors.isEmpty() ? 200 : 207, results, errors, started);
    }

    /** Update, or with {@code upsert} create what does not exist yet; each input succeeds or fails on its own. */
    Response write(Portal p, ObjectType t, List<BatchItem> inputs, String started, boolean upsert) {
        List<SimplePublicObject> results = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (BatchItem i : inputs) {
            try {
                if (upsert) {
                    CrmObjectStore.Upserted u = store.upsert(p, t, i.id(), i.idProperty(), i.properties());
                    results.add(CrmObjectViews.full(u.object(), i.objectWriteTraceId(), u.created()));
                } else {
                    results.add(CrmObjectViews.full(store.update(p, t, i.id(), i.idProperty(), i.properties()),
                            i.objectWriteTraceId(), null));
                }
            } catch (HubSpotException e) {
                errors.add(errorItem(e, i.objectWriteTraceId()));
            }
        }
        return response(errors.isEmpty() ? 200 : 207, results, errors, started);
    }

    Response archive(Portal p, ObjectType t, List<BatchItem> inputs) {
        for (BatchItem i : inputs) {
            store.archive(p, t, i.id(), null);
        }
        return Response.noContent().build();
    }

    private static Map<String, Object> errorItem(HubSpotException e, String traceId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "error");
        m.put("category", e.body().get("category"));
        m.put("message", e.body().get("message"));
        if (traceId != null) {
            m.put("context", Map.of("objectWriteTraceId", List.of(traceId)));
        } else if (e.body().get("context") != null) {
            m.put("context", e.body().get("context"));
        }
        return m;
    }

    private static Response response(int status, List<?> results, List<Map<String, Object>> errors, String started) {
        return Response.status(status).entity(new BatchResponse("COMPLETE", results, errors.isEmpty() ? null : errors.size(),
                errors.isEmpty() ? null : errors, started, CrmTime.format(System.currentTimeMillis()))).build();
    }
}
