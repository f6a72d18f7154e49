package io.jsworkflows.connections.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.jsworkflows.connections.service.ApiProblem;

/** Every error of the service as RFC 9457 application/problem+json: {type, title, status, detail}. */
public class Problems {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final String TYPE_BASE = "https://jsworkflows.io/problems/";
    private static final Logger LOG = Logger.getLogger(Problems.class);

    public static Response of(ApiProblem p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + p.slug());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        Response.ResponseBuilder b = Response.status(p.status()).type(PROBLEM_JSON).entity(body);
        if (p.status() == 401) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"jsworkflows\"");
        }
        return b.build();
    }

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem p) {
        return of(p);
    }

    /** Framework errors: unknown path, wrong method, unreadable JSON, unsupported media type. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String detail = switch (status) {
            case 400 -> "The request body is not valid JSON of the expected shape. Send e.g. "
                    + "{\"handle\":\"my-hubspot\",\"resources\":[{\"resource\":\"contacts\",\"operation\":\"read\"}]}.";
            case 404 -> "There is no such endpoint. The API lives under /api/v1 (see the service's README).";
            case 405 -> "This endpoint does not support that HTTP method.";
            case 406 -> "This endpoint answers application/json.";
            case 415 -> "Send the request body as application/json.";
            default -> "The request could not be processed (HTTP " + status + ").";
        };
        String title = e.getResponse() != null && e.getResponse().getStatusInfo() != null
                ? e.getResponse().getStatusInfo().getReasonPhrase() : "Error";
        return of(new ApiProblem(status, "http-" + status, title, detail));
    }

    /** A body that parses but has the wrong shape, e.g. a string where a list belongs. */
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        // never quote the input: it may hold anything the client pasted
        return of(new ApiProblem(400, "invalid-body", "Invalid body", "The request body does not have the expected shape. "
                + "Send e.g. {\"handle\":\"my-hubspot\",\"resources\":[{\"resource\":\"contacts\",\"operation\":\"read\"}]}."));
    }

    /** Quarkus has a built-in mapper for this subtype; this one keeps the answer problem+json. */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        // the class only: messages of foreign exceptions are not vetted for secrets
        LOG.errorf("unexpected %s while handling a request", e.getClass().getName());
        return of(new ApiProblem(500, "internal-error", "Internal error",
                "The service failed unexpectedly; the operator finds the cause in its log. Retrying may help."));
    }
}
