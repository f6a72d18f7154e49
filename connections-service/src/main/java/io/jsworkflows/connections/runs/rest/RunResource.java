package io.jsworkflows.connections.runs.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.jsworkflows.connections.rest.CallerWorkspace;
import io.jsworkflows.connections.rest.WorkspaceKey;
import io.jsworkflows.connections.runs.service.RunDetail;
import io.jsworkflows.connections.runs.service.RunQueries;
import io.jsworkflows.connections.runs.service.RunView;

/** The caller's workflow runs under /api/v1/runs (workspace API key, like every /api/v1 call). */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@WorkspaceKey
public class RunResource {

    private final RunQueries queries;
    private final CallerWorkspace caller;

    public RunResource(RunQueries queries, CallerWorkspace caller) {
        this.queries = queries;
        this.caller = caller;
    }

    /** Newest first; {@code status} (e.g. failed) and {@code workflow} (an id) filter, {@code limit} bounds (1..200, 50). */
    @GET
    public Map<String, List<RunView>> list(@QueryParam("status") String status, @QueryParam("workflow") String workflow,
            @QueryParam("limit") Integer limit) {
        String workspaceId = caller.id();
        return Map.of("runs", queries.runs(workspaceId, RunQueries.Filter.of(status, workflow, limit)));
    }

    @GET
    @Path("/{runId}")
    public RunDetail get(@PathParam("runId") String runId) {
        return queries.run(caller.id(), runId);
    }
}
