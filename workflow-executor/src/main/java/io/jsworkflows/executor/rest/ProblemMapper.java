package io.jsworkflows.executor.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.jsworkflows.executor.service.ProblemException;

/** Errors as RFC 9457 problem details. */
public class ProblemMapper {

    /** The problem+json body. */
    public record Problem(String type, String title, int status, String detail) {
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Response.status(e.status()).type("application/problem+json")
                .entity(new Problem("about:blank", e.title(), e.status(), e.getMessage())).build();
    }
}
