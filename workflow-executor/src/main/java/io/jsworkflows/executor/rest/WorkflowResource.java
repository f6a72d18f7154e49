package io.jsworkflows.executor.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jsworkflows.contracts.events.RetryPolicy;
import io.jsworkflows.contracts.events.TriggerBinding;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.executor.service.WorkflowRegistry;
import io.jsworkflows.executor.service.WorkflowService;
import io.jsworkflows.executor.service.WorkspaceAuthenticator;
import io.smallrye.common.annotation.Blocking;

/** Deploy API: workflows of the caller's workspace (workspace API key as Bearer token). */
@Path("/api/v1/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class WorkflowResource {

    /** A workflow as the API shows it; {@code source} only on single reads and deploys. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkflowView(String id, String workspaceId, long version, TriggerBinding trigger, Duration timeout, RetryPolicy retryPolicy,
            List<String> handles, Instant updatedAt, String managedBy, String source, List<String> warnings) {

        static WorkflowView of(WorkflowDefinition d, boolean fromDirectory, boolean withSource) {
            return of(d, fromDirectory, withSource, List.of());
        }

        static WorkflowView of(WorkflowDefinition d, boolean fromDirectory, boolean withSource, List<String> warnings) {
            return new WorkflowView(d.workflowId(), d.workspaceId(), d.version(), d.trigger(), d.timeout(), d.retryPolicy(), d.handles(),
                    d.updatedAt(), fromDirectory ? "directory" : "api", withSource ? d.source() : null, warnings.isEmpty() ? null : warnings);
        }
    }

    private final WorkflowService workflows;
    private final WorkflowRegistry registry;
    private final WorkspaceAuthenticator auth;

    public WorkflowResource(WorkflowService workflows, WorkflowRegistry registry, WorkspaceAuthenticator auth) {
        this.workflows = workflows;
        this.registry = registry;
        this.auth = auth;
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    public Response deploy(@HeaderParam("Authorization") String authorization, @PathParam("id") String id, String body) {
        String ws = auth.workspaceOf(authorization);
        WorkflowService.Deployed d = workflows.deploy(ws, id, body);
        return Response.status(d.created() ? 201 : 200).entity(WorkflowView.of(d.definition(), false, false, d.warnings())).build();
    }

    @GET
    @Path("/{id}")
    public WorkflowView get(@HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
        String ws = auth.workspaceOf(authorization);
        return WorkflowView.of(workflows.get(ws, id), registry.isFromDirectory(ws, id), true);
    }

    @GET
    public List<WorkflowView> list(@HeaderParam("Authorization") String authorization) {
        String ws = auth.workspaceOf(authorization);
        return workflows.list(ws).stream().map(d -> WorkflowView.of(d, registry.isFromDirectory(ws, d.workflowId()), false)).toList();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
        String ws = auth.workspaceOf(authorization);
        workflows.delete(ws, id);
        return Response.noContent().build();
    }
}
