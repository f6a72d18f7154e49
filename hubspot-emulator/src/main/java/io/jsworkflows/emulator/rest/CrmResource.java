package io.jsworkflows.emulator.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

import io.jsworkflows.emulator.rest.CrmDtos.BatchInput;
import io.jsworkflows.emulator.rest.CrmDtos.BatchItem;
import io.jsworkflows.emulator.rest.CrmDtos.CreateInput;
import io.jsworkflows.emulator.rest.CrmDtos.ListResponse;
import io.jsworkflows.emulator.rest.CrmDtos.Next;
import io.jsworkflows.emulator.rest.CrmDtos.Paging;
import io.jsworkflows.emulator.rest.CrmDtos.SearchInput;
import io.jsworkflows.emulator.rest.CrmDtos.SearchResponse;
import io.jsworkflows.emulator.rest.CrmDtos.SimplePublicObject;
import io.jsworkflows.emulator.rest.CrmDtos.UpdateInput;
import io.jsworkflows.emulator.service.CrmObject;
import io.jsworkflows.emulator.service.CrmObjectStore;
import io.jsworkflows.emulator.service.CrmSearch;
import io.jsworkflows.emulator.service.CrmTime;
import io.jsworkflows.emulator.service.HubSpotErrors;
import io.jsworkflows.emulator.service.HubSpotException;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portal;
import io.jsworkflows.emulator.service.ResultPage;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.ext.web.RoutingContext;

/**
 * CRM v3 objects: contacts, companies, deals, tickets. Runs on the event loop; the edge filter has authenticated the
 * caller and {@link CrmAccess} checks the scopes. The batch rules are {@link CrmBatchOperations}', the search body is read
 * by {@link CrmSearchRequests}, records are shown by {@link CrmObjectViews}.
 */
@Path("/crm/v3/objects/{type}")
@NonBlocking
@Produces(EdgeFilter.JSON)
public class CrmResource {

    private final CrmObjectStore store;
    private final CrmSearch search;
    private final CreateTimeAssociations createAssociations;
    private final CrmBatchOperations batch;
    private final CrmObjectViews views;

    public CrmResource(CrmObjectStore store, CrmSearch search, CreateTimeAssociations createAssociations,
            CrmBatchOperations batch, CrmObjectViews views) {
        this.store = store;
        this.search = search;
        this.createAssociations = createAssociations;
        this.batch = batch;
        this.views = views;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public SimplePublicObject create(@RestPath String type, CreateInput body, @Context RoutingContext rc) {
        ObjectType t = CrmAccess.objectType(type);
        Portal p = CrmAccess.require(rc, t.writeScopes());
        List<CreateTimeAssociations.Link> links = createAssociations.resolve(p, t, body == null ? null : body.associations());
        CrmObject o = store.create(p, t, body == null ? null : body.properties());
        createAssociations.link(p, t, o, links);
        return CrmObjectViews.full(o, body == null ? null : body.objectWriteTraceId(), null);
    }

    @GET
    public ListResponse list(@RestPath String type, @RestQuery Integer limit, @RestQuery String after,
            @RestQuery String properties, @RestQuery String associations, @RestQuery Boolean archived,
            @Context RoutingContext rc) {
        ObjectType t = CrmAccess.objectType(type);
        Portal p = CrmAccess.require(rc, t.readScopes());
        ResultPage page = store.list(p, t, limit == null ? 10 : limit, after, Boolean.TRUE.equals(archived));
        List<String> props = CrmObjectViews.csv(properties);
        List<String> assoc = CrmObjectViews.csv(associations);
        List<SimplePublicObject> results = new ArrayList<>(page.results().size());
        for (CrmObject o : page.results()) {
            results.add(views.view(p, t, o, props, assoc));
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
        ObjectType t = CrmAccess.objectType(type);
        Portal p = CrmAccess.require(rc, t.readScopes());
        CrmObject o = store.require(p, t, id, idProperty, Boolean.TRUE.equals(archived));
        return views.view(p, t, o, CrmObjectViews.csv(properties), CrmObjectViews.csv(associations));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public SimplePublicObject update(@RestPath String type, @RestPath String id, @RestQuery String idProperty,
            UpdateInput body, @Context RoutingContext rc) {
        ObjectType t = CrmAccess.objectType(type);
        Portal p = CrmAccess.require(rc, t.writeScopes());
        return CrmObjectViews.full(store.update(p, t, id, idProperty, body == null ? null : body.properties()), null, null);
    }

    @DELETE
    @Path("/{id}")
    public Response archive(@RestPath String type, @RestPath String id, @RestQuery String idProperty, @Context RoutingContext rc) {
        ObjectType t = CrmAccess.objectType(type);
        Portal p = CrmAccess.require(rc, t.writeScopes());
        store.archive(p, t, id, idProperty);
        return Response.noContent().build();
    }

    @POST
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
    public SearchResponse search(@RestPath String type, SearchInput body, @Context RoutingContext rc) {
        ObjectType t = CrmAccess.objectType(type);
        Portal p = CrmAccess.require(rc, t.readScopes());
        SearchInput in = body == null ? new SearchInput(null, null, null, null, null, null) : body;
        ResultPage page = search.search(p, t, CrmSearchRequests.filterGroups(in), in.query(), CrmSearchRequests.sorts(in.sorts()),
                in.limit() == null ? 10 : in.limit(), in.after());
        List<SimplePublicObject> results = new ArrayList<>(page.results().size());
        for (CrmObject o : page.results()) {
            results.add(views.view(p, t, o, in.properties(), List.of()));
        }
        return new SearchResponse(page.total(), results, page.after() == null ? null : new Paging(new Next(page.after(), null)));
    }

    @POST
    @Path("/batch/{operation}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response batch(@RestPath String type, @RestPath String operation, BatchInput body, @Context RoutingContext rc) {
        ObjectType t = CrmAccess.objectType(type);
        String started = CrmTime.format(System.currentTimeMillis());
        List<BatchItem> inputs = CrmBatchOperations.inputs(body);
        return switch (operation) {
            case "create" -> batch.create(CrmAccess.require(rc, t.writeScopes()), t, inputs, started);
            case "read" -> batch.read(CrmAccess.require(rc, t.readScopes()), t, body, inputs, started);
            case "update" -> batch.write(CrmAccess.require(rc, t.writeScopes()), t, inputs, started, false);
            case "upsert" -> batch.write(CrmAccess.require(rc, t.writeScopes()), t, inputs, started, true);
            case "archive" -> batch.archive(CrmAccess.require(rc, t.writeScopes()), t, inputs);
            default -> throw new HubSpotException(404, Map.of("status", "error", "message",
                    "Unknown batch operation '" + operation + "'. Use create, read, update, upsert or archive.",
                    "correlationId", HubSpotErrors.correlationId(), "category", "OBJECT_NOT_FOUND"));
        };
    }
}
