package io.jsworkflows.emulator.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import io.jsworkflows.emulator.service.ObjectType;

/** The operator API's error answers: application/problem+json, never HubSpot's bodies (it is not HubSpot's API). */
final class OperatorProblems {

    private OperatorProblems() {
    }

    static Response problem(int status, String detail) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase());
        p.put("status", status);
        p.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(p).build();
    }

    /** The object type of an operator path; an unknown one is a 400 problem (via {@link ErrorMappers}). */
    static ObjectType objectType(String type) {
        ObjectType t = ObjectType.fromPath(type);
        if (t == null) {
            throw new IllegalArgumentException("Unknown object type '" + type + "'. Use contacts, companies, deals or tickets.");
        }
        return t;
    }
}
