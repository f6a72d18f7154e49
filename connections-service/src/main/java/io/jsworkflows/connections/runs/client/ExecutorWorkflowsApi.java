package io.jsworkflows.connections.runs.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * workflow-executor's deploy API, as the web page uses it on behalf of a signed-in workspace (with a delegated key).
 * Answers are read as raw responses: the executor's problem+json details are shown to the user as they are.
 */
@Path("/api/v1/workflows")
public interface ExecutorWorkflowsApi {

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response deploy(@HeaderParam("Authorization") String authorization, @PathParam("id") String workflowId, String body);

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    Response get(@HeaderParam("Authorization") String authorization, @PathParam("id") String workflowId);
}
