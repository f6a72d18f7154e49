package io.jsworkflows.emulator.rest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.jsworkflows.emulator.rest.CrmDtos.AssociationInput;
import io.jsworkflows.emulator.rest.CrmDtos.AssociationList;
import io.jsworkflows.emulator.rest.CrmDtos.AssociationRef;
import io.jsworkflows.emulator.rest.CrmDtos.BatchInput;
import io.jsworkflows.emulator.rest.CrmDtos.BatchItem;
import io.jsworkflows.emulator.rest.CrmDtos.BatchResponse;
import io.jsworkflows.emulator.rest.CrmDtos.CreateInput;
import io.jsworkflows.emulator.rest.CrmDtos.ListResponse;
import io.jsworkflows.emulator.rest.CrmDtos.Next;
import io.jsworkflows.emulator.rest.CrmDtos.Paging;
import io.jsworkflows.emulator.rest.CrmDtos.SearchInput;
import io.jsworkflows.emulator.rest.CrmDtos.SearchResponse;
import io.jsworkflows.emulator.rest.CrmDtos.SimplePublicObject;
import io.jsworkflows.emulator.rest.CrmDtos.UpdateInput;
import io.jsworkflows.emulator.service.CrmObject;
import io.jsworkflows.emulator.service.AssociationTypes;
import io.jsworkflows.emulator.service.CrmAssociations;
import io.jsworkflows.emulator.service.CrmObjectStore;
import io.jsworkflows.emulator.service.CrmSearch;
import io.jsworkflows.emulator.service.CrmTime;
import io.jsworkflows.emulator.service.HubSpotErrors;
import io.jsworkflows.emulator.service.HubSpotException;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portal;
import io.jsworkflows.emulator.service.PropertyValidator;
import io.jsworkflows.emulator.service.ResultPage;
import io.jsworkflows.emulator.service.SearchFilter;
import io.jsworkflows.emulator.service.SearchSort;
import io.jsworkflows.emulator.service.Tokens;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.ext.web.RoutingContext;

/** CRM v3 objects: contacts, companies, deals, tickets. Runs on the event loop; the edge filter has authenticated the caller. */
@Path("/crm/v3/objects/{type}")
@NonBlocking
@Produces(EdgeFilter.JSON)
public class CrmResource {

    private final CrmObjectStore store;
    private final CrmSearch search;
    private final PropertyValidator validator;
    private final CrmAssociations crmAssociations;

    public CrmResource(CrmObjectStore store, CrmSearch search, PropertyValidator validator, CrmAssociations crmAssociations) {
        this.store = store;
        this.search = search;
        this.validator = validator;
        this.crmAssociations = crmAssociations;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public SimplePublicObject create(@RestPath String type, CreateInput body, @Context RoutingContext rc) {
        ObjectType t = type(type);
        Portal p = Access.require(rc, t.writeScopes());
        List<long[]> links = associationsOf(p, t, body == null ? null : body.associations());
        CrmObject o = store.create(p, t, body == null ? null : body.properties());
        link(p, t, o, links);
        return full(o, body == null ? null : body.objectWriteTraceId(), null);
    }

    @GET
    public ListResponse list(@RestPath String type, @RestQuery Integer limit, @RestQuery String after,
            @RestQuery String properties, @RestQuery String associations, @RestQuery Boolean archived,
            @Context RoutingContext rc) {
        ObjectType t = type(type);
        Portal p = Access.require(rc, t.readScopes());
        ResultPage page = store.list(p, t, limit == null ? 10 : limit, after, Boolean.TRUE.equals(archived));
        List<String> props = csv(properties);
        List<String> assoc = csv(associations);
        List<SimplePublicObject> results = new ArrayList<>(page.results().size());
        for (CrmObject o : page.results()) {
            results.add(view(p, t, o, props, assoc));
        }
        Paging paging = null;
        if (page.after() != null) {
            String base = rc.request().scheme() + "://" + rc.request().authority() + rc.request().path();
            paging = new Paging(new Next(page.after(), base + "?after=" + page.after()
                    + (limit == null ? "" : "&limit=" + limit)));
        }
        return new ListResponse(results, paging);
    }

    @GET
    @Path("/{id}")
    public SimplePublicObject get(@RestPath String type, @RestPath String id, @RestQuery String idProperty,
            @RestQuery String properties, @RestQuery String associations, @RestQuery Boolean archived,
            @Context RoutingContext rc) {
        ObjectType t = type(type);
        Portal p = Access.require(rc, t.readScopes());
        CrmObject o = store.require(p, t, id, idProperty, Boolean.TRUE.equals(archived));
        return view(p, t, o, csv(properties), csv(associations));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public SimplePublicObject update(@RestPath String type, @RestPath String id, @RestQuery String idProperty,
            UpdateInput body, @Context RoutingContext rc) {
        ObjectType t = type(type);
        Portal p = Access.require(rc, t.writeScopes());
        return full(store.update(p, t, id, idProperty, body == null ? null : body.properties()), null, null);
    }

    @DELETE
    @Path("/{id}")
    public Response archive(@RestPath String type, @RestPath String id, @RestQuery String idProperty, @Context RoutingContext rc) {
        ObjectType t = type(type);
        Portal p = Access.require(rc, t.writeScopes());
        store.archive(p, t, id, idProperty);
        return Response.noContent().build();
    }

    @POST
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
    public SearchResponse search(@RestPath String type, SearchInput body, @Context RoutingContext rc) {
        ObjectType t = type(type);
        Portal p = Access.require(rc, t.readScopes());
        SearchInput in = body == null ? new SearchInput(null, null, null, null, null, null) : body;
        List<List<SearchFilter>> groups = new ArrayList<>();
        if (in.filterGroups() != null) {
            for (var g : in.filterGroups()) {
                List<SearchFilter> fs = new ArrayList<>();
                if (g != null && g.filters() != null) {
                    for (var f : g.filters()) {
                        fs.add(new SearchFilter(f.propertyName(), f.operator() == null ? null : f.operator().toUpperCase(Locale.ROOT),
                                f.value(), f.highValue(), f.values()));
                    }
                }
                groups.add(fs);
            }
        }
        ResultPage page = search.search(p, t, groups, in.query(), sorts(in.sorts()), in.limit() == null ? 10 : in.limit(),
                in.after());
        List<SimplePublicObject> results = new ArrayList<>(page.results().size());
        for (CrmObject o : page.results()) {
            results.add(view(p, t, o, in.properties(), List.of()));
        }
        return new SearchResponse(page.total(), results, page.after() == null ? null : new Paging(new Next(page.after(), null)));
    }

    private static List<SearchSort> sorts(List<Object> raw) {
        if (raw == null) {
            return List.of();
        }
        List<SearchSort> out = new ArrayList<>();
        for (Object s : raw) {
            if (s instanceof String str) {
                boolean desc = str.startsWith("-");
                out.add(new SearchSort(desc ? str.substring(1) : str, desc));
            } else if (s instanceof Map<?, ?> m && m.get("propertyName") != null) {
                out.add(new SearchSort(m.get("propertyName").toString(),
                        "DESCENDING".equalsIgnoreCase(String.valueOf(m.get("direction")))));
            }
        }
        return out;
    }

    @POST
    @Path("/batch/{operation}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response batch(@RestPath String type, @RestPath String operation, BatchInput body, @Context RoutingContext rc) {
        ObjectType t = type(type);
        String started = CrmTime.format(System.currentTimeMillis());
        List<BatchItem> inputs = body == null || body.inputs() == null ? List.of() : body.inputs();
        if (inputs.size() > CrmObjectStore.MAX_BATCH) {
            throw HubSpotErrors.validation("Batch input is limited to " + CrmObjectStore.MAX_BATCH + " inputs, " + inputs.size()
                    + " given.");
        }
        return switch (operation) {
            case "create" -> batchCreate(Access.require(rc, t.writeScopes()), t, inputs, started);
            case "read" -> batchRead(Access.require(rc, t.readScopes()), t, body, inputs, started);
            case "update" -> batchWrite(Access.require(rc, t.writeScopes()), t, inputs, started, false);
            case "upsert" -> batchWrite(Access.require(rc, t.writeScopes()), t, inputs, started, true);
            case "archive" -> {
                Portal p = Access.require(rc, t.writeScopes());
                for (BatchItem i : inputs) {
                    store.archive(p, t, i.id(), null);
                }
                yield Response.noContent().build();
            }
            default -> throw new HubSpotException(404, Map.of("status", "error", "message",
                    "Unknown batch operation '" + operation + "'. Use create, read, update, upsert or archive.",
                    "correlationId", HubSpotErrors.correlationId(), "category", "OBJECT_NOT_FOUND"));
        };
    }

    private Response batchCreate(Portal p, ObjectType t, List<BatchItem> inputs, String started) {
        boolean partial = inputs.stream().anyMatch(i -> i.objectWriteTraceId() != null);
        if (!partial) {
            // all or nothing: check every input (including email duplicates inside the batch) before creating any
            Set<String> emails = new HashSet<>();
            for (BatchItem i : inputs) {
                validator.check(p, t, i.properties());
                associationsOf(p, t, i.associations());
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
                List<long[]> links = associationsOf(p, t, i.associations());
                CrmObject o = store.create(p, t, i.properties());
                link(p, t, o, links);
                results.add(full(o, i.objectWriteTraceId(), null));
            } catch (HubSpotException e) {
                if (!partial) {
                    throw e;
                }
                errors.add(errorItem(e, i.objectWriteTraceId()));
            }
        }
        return batchResponse(errors.isEmpty() ? 201 : 207, results, errors, started);
    }

    private Response batchRead(Portal p, ObjectType t, BatchInput body, List<BatchItem> inputs, String started) {
        List<SimplePublicObject> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (BatchItem i : inputs) {
            CrmObject o = store.find(p, t, i.id(), body.idProperty());
            if (o == null || o.archived()) {
                missing.add(i.id());
            } else {
                results.add(view(p, t, o, body.properties(), List.of()));
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
        return batchResponse(errors.isEmpty() ? 200 : 207, results, errors, started);
    }

    private Response batchWrite(Portal p, ObjectType t, List<BatchItem> inputs, String started, boolean upsert) {
        List<SimplePublicObject> results = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (BatchItem i : inputs) {
            try {
                if (upsert) {
                    CrmObjectStore.Upserted u = store.upsert(p, t, i.id(), i.idProperty(), i.properties());
                    results.add(full(u.object(), i.objectWriteTraceId(), u.created()));
                } else {
                    results.add(full(store.update(p, t, i.id(), i.idProperty(), i.properties()), i.objectWriteTraceId(), null));
                }
            } catch (HubSpotException e) {
                errors.add(errorItem(e, i.objectWriteTraceId()));
            }
        }
        return batchResponse(errors.isEmpty() ? 200 : 207, results, errors, started);
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

    private static Response batchResponse(int status, List<?> results, List<Map<String, Object>> errors, String started) {
        return Response.status(status).entity(new BatchResponse("COMPLETE", results, errors.isEmpty() ? null : errors.size(),
                errors.isEmpty() ? null : errors, started, CrmTime.format(System.currentTimeMillis()))).build();
    }

    // ---------------------------------------------------------------- helpers

    static ObjectType type(String type) {
        ObjectType t = ObjectType.fromPath(type);
        if (t == null) {
            throw HubSpotErrors.validation("Unable to infer object type from: " + type);
        }
        return t;
    }

    /** Resolves create-time associations to (target type ordinal, target id, type id) before anything is written. */
    private List<long[]> associationsOf(Portal p, ObjectType from, List<AssociationInput> in) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        List<long[]> out = new ArrayList<>();
        for (AssociationInput a : in) {
            if (a == null || a.to() == null || a.to().id() == null || a.types() == null || a.types().isEmpty()) {
                throw HubSpotErrors.validation("Each association needs to.id and at least one type.");
            }
            for (var spec : a.types()) {
                ObjectType to = spec.associationTypeId() == null ? null : AssociationTypes.targetOf(from, spec.associationTypeId());
                if (to == null) {
                    throw HubSpotErrors.validation("Association type id " + spec.associationTypeId() + " is not valid from "
                            + from.path() + ".");
                }
                long toId;
                try {
                    toId = Long.parseLong(a.to().id());
                } catch (NumberFormatException e) {
                    throw HubSpotErrors.validation("Association target id '" + a.to().id() + "' is not a record id.");
                }
                CrmObject target = p.objects(to).get(toId);
                if (target == null || target.archived()) {
                    throw HubSpotErrors.validation("One or more associations are invalid: " + to.label() + " " + toId
                            + " does not exist.");
                }
                out.add(new long[] {to.ordinal(), toId, spec.associationTypeId()});
            }
        }
        return out;
    }

    private void link(Portal p, ObjectType from, CrmObject o, List<long[]> links) {
        for (long[] l : links) {
            crmAssociations.associate(p, from, o.id(), ObjectType.values()[(int) l[0]], l[1], (int) l[2]);
        }
    }

    /** Create and update responses echo every stored property. */
    static SimplePublicObject full(CrmObject o, String traceId, Boolean isNew) {
        return new SimplePublicObject(o.idString(), o.properties(), CrmTime.format(o.createdAt()), CrmTime.format(o.updatedAt()),
                o.archived(), o.archived() ? CrmTime.format(o.archivedAt()) : null, null, traceId, isNew);
    }

    private SimplePublicObject view(Portal p, ObjectType t, CrmObject o, List<String> props, List<String> assoc) {
        Map<String, AssociationList> associations = null;
        if (assoc != null && !assoc.isEmpty()) {
            associations = new LinkedHashMap<>();
            for (String a : assoc) {
                ObjectType to = ObjectType.fromPath(a);
                if (to == null) {
                    continue;
                }
                List<AssociationRef> refs = crmAssociations.associations(p, t, o.id(), to).stream()
                        .map(x -> new AssociationRef(Long.toString(x.toId()), t.singular() + "_to_" + to.singular())).toList();
                if (!refs.isEmpty()) {
                    associations.put(to.path(), new AssociationList(refs));
                }
            }
            if (associations.isEmpty()) {
                associations = null;
            }
        }
        return new SimplePublicObject(o.idString(), o.visibleProperties(t, props), CrmTime.format(o.createdAt()),
                CrmTime.format(o.updatedAt()), o.archived(), o.archived() ? CrmTime.format(o.archivedAt()) : null, associations,
                null, null);
    }

    static List<String> csv(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** Scope checks against the token the edge filter put in the routing context. */
    static final class Access {
        private Access() {
        }

        static Portal require(RoutingContext rc, List<String> anyOf) {
            Tokens.AccessToken t = rc.get(EdgeFilter.TOKEN);
            Portal p = rc.get(EdgeFilter.PORTAL);
            if (t == null || p == null) {
                throw HubSpotErrors.invalidAuthentication();
            }
            for (String s : anyOf) {
                if (t.scopeSet().contains(s)) {
                    return p;
                }
            }
            throw HubSpotErrors.missingScopes(anyOf);
        }
    }
}
