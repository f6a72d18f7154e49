package io.jsworkflows.executor.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * connections-service's key check: {@code GET /api/v1/workspace} answers the workspace a key belongs to. Read as a raw
 * response, because a 4xx is an answer here (the key is not valid), not a failure.
 */
@Path("/api/v1/workspace")
public interface ConnectionsWorkspaceApi {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Response workspace(@HeaderParam("Authorization") String authorization);
}
