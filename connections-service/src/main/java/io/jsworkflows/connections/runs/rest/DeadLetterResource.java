package io.jsworkflows.connections.runs.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.jsworkflows.connections.rest.CallerWorkspace;
import io.jsworkflows.connections.rest.WorkspaceKey;
import io.jsworkflows.connections.runs.service.DeadLetterReplay;
import io.jsworkflows.connections.runs.service.DeadLetterView;
import io.jsworkflows.connections.runs.service.RunQueries;

/** The caller's dead letters under /api/v1/dead-letters, and their replay. */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@WorkspaceKey
public class DeadLetterResource {

    private final RunQueries queries;
    private final DeadLetterReplay replay;
    private final CallerWorkspace caller;

    public DeadLetterResource(RunQueries queries, DeadLetterReplay replay, CallerWorkspace caller) {
        this.queries = queries;
        this.replay = replay;
        this.caller = caller;
    }

    @GET
    public Map<String, List<DeadLetterView>> list() {
        return Map.of("deadLetters", queries.deadLetters(caller.id(), RunQueries.MAX_LIMIT));
    }

    /** Runs the dead letter again as a fresh run (what {@code jsw dlq replay} does); answers the dead letter, now marked replayed. */
    @POST
    @Path("/{id}/replay")
    public DeadLetterView replay(@PathParam("id") String id) {
        return replay.replay(caller.id(), id, "API");
    }
}
