package io.jsworkflows.emulator.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.jsworkflows.emulator.service.HubSpotErrors;
import io.jsworkflows.emulator.service.HubSpotException;

/** HubSpot paths answer with HubSpot's error bodies; the operator API with problem+json. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response hubspot(HubSpotException e) {
        Response.ResponseBuilder b = Response.status(e.status()).type(EdgeFilter.JSON).entity(e.body());
        if (e.body().get("correlationId") instanceof String id) {
            b.header(EdgeFilter.CORRELATION_HEADER, id);
        }
        e.headers().forEach(b::header);
        return b.build();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        return bad(uri, 400, "Invalid input JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response operatorInput(IllegalArgumentException e, UriInfo uri) {
        return bad(uri, 400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 400 -> "The request body could not be read. Send JSON (or a form for OAuth endpoints).";
            case 404 -> "No such endpoint: " + uri.getPath();
            case 405 -> "Method not allowed on " + uri.getPath();
            case 415 -> "Unsupported Content-Type for " + uri.getPath();
            default -> e.getMessage();
        };
        return bad(uri, status, detail);
    }

    static Response bad(UriInfo uri, int status, String detail) {
        if (uri.getPath().startsWith("/_emulator")) {
            return OperatorProblems.problem(status, detail);
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("status", "error");
        b.put("message", detail);
        b.put("correlationId", HubSpotErrors.correlationId());
        b.put("category", status == 404 ? "OBJECT_NOT_FOUND" : status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR");
        return Response.status(status).type(EdgeFilter.JSON).entity(b).build();
    }
}
