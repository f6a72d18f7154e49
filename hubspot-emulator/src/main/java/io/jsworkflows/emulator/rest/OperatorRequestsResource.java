package io.jsworkflows.emulator.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import io.jsworkflows.emulator.service.RequestCounters;
import io.smallrye.common.annotation.NonBlocking;

/** Operator API: how many requests the emulator answered, by method, path and status (tests assert call counts). */
@Path("/_emulator/requests")
@NonBlocking
@Produces(MediaType.APPLICATION_JSON)
public class OperatorRequestsResource {

    private final RequestCounters counters;

    public OperatorRequestsResource(RequestCounters counters) {
        this.counters = counters;
    }

    @GET
    public List<RequestCounters.Entry> list() {
        return counters.entries();
    }

    /** {@code ?method=POST&path=/oauth/v1/token&status=200}; every parameter optional, path is a prefix. */
    @GET
    @Path("/count")
    public Map<String, Object> count(@RestQuery String method, @RestQuery String path, @RestQuery Integer status) {
        return Map.of("count", counters.sum(method, path, status));
    }

    @DELETE
    public Response clear() {
        counters.reset();
        return Response.noContent().build();
    }
}
