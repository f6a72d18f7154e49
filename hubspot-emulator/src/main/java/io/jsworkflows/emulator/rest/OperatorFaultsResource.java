package io.jsworkflows.emulator.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.jsworkflows.emulator.service.Faults;
import io.smallrye.common.annotation.NonBlocking;

/** Operator API: fault injection rules (latency, error answers, connection resets, slow bodies) that the edge applies. */
@Path("/_emulator/faults")
@NonBlocking
@Produces(MediaType.APPLICATION_JSON)
public class OperatorFaultsResource {

    private final Faults faults;

    public OperatorFaultsResource(Faults faults) {
        this.faults = faults;
    }

    public record FaultRequest(String method, String path, Long latencyMs, Integer errorStatus, Double errorRate,
            Double resetRate, Integer slowBodyBytesPerSecond, Double slowBodyRate, Long times) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(FaultRequest in) {
        if (in == null) {
            throw new IllegalArgumentException("Send a fault rule, e.g. {\"path\":\"/oauth/v1/token\",\"errorStatus\":503,\"times\":2}.");
        }
        Faults.Rule r = faults.add(in.method(), in.path(), in.latencyMs(), in.errorStatus(), in.errorRate(), in.resetRate(),
                in.slowBodyBytesPerSecond(), in.slowBodyRate(), in.times());
        return Response.status(201).entity(view(r)).build();
    }

    @GET
    public List<Map<String, Object>> list() {
        return faults.rules().stream().map(OperatorFaultsResource::view).toList();
    }

    @DELETE
    public Response clear() {
        faults.clear();
        return Response.noContent().build();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@RestPath String id) {
        return faults.remove(id) ? Response.noContent().build() : OperatorProblems.problem(404, "No fault rule with id " + id + ".");
    }

    /** One rule as the operator API shows it; also part of {@code GET /_emulator/state}. */
    static Map<String, Object> view(Faults.Rule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("method", r.method());
        m.put("path", r.path());
        m.put("latencyMs", r.latencyMillis());
        m.put("errorStatus", r.errorStatus());
        m.put("errorRate", r.errorRate());
        m.put("resetRate", r.resetRate());
        m.put("slowBodyBytesPerSecond", r.slowBodyBytesPerSecond());
        m.put("slowBodyRate", r.slowBodyRate());
        m.put("times", r.times());
        m.put("applied", r.applied().get());
        return m;
    }
}
