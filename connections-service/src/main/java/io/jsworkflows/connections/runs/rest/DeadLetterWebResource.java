package io.jsworkflows.connections.runs.rest;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import io.jsworkflows.connections.persistence.Workspace;
import io.jsworkflows.connections.rest.Auth;
import io.jsworkflows.connections.runs.service.DeadLetterReplay;
import io.jsworkflows.connections.runs.service.DeadLetterView;
import io.jsworkflows.connections.runs.service.RunQueries;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The web page's dead letters with a Replay button per dead letter (a CSRF-protected form). */
@Path("/ui/dead-letters")
@Produces(MediaType.TEXT_HTML)
public class DeadLetterWebResource {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance deadLetters(Workspace workspace, List<DeadLetterView> deadLetters, String notice);
    }

    private final Auth auth;
    private final RunQueries queries;
    private final DeadLetterReplay replay;

    public DeadLetterWebResource(Auth auth, RunQueries queries, DeadLetterReplay replay) {
        this.auth = auth;
        this.queries = queries;
        this.replay = replay;
    }

    /** {@code replayed} names the dead letter just replayed (the redirect after the form), for the notice. */
    @GET
    public Response list(@QueryParam("replayed") String replayed, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return RunWebResource.signIn();
        }
        String notice = replayed == null ? null : queries.deadLetter(w.get().id, replayed).filter(d -> d.replayRunId() != null)
                .map(d -> "Replayed: the run is now run " + d.replayRunId() + ".").orElse(null);
        return Response.ok(Templates.deadLetters(w.get(), queries.deadLetters(w.get().id, RunQueries.MAX_LIMIT), notice)).build();
    }

    /** Another workspace's id is a 404 (ApiProblem), like an unknown one. */
    @POST
    @Path("/{id}/replay")
    public Response replay(@PathParam("id") String id, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return RunWebResource.signIn();
        }
        DeadLetterView v = replay.replay(w.get().id, id, "web page");
        // redirect after the post: reloading the page must not replay again
        return Response.seeOther(UriBuilder.fromPath("/ui/dead-letters").queryParam("replayed", v.id()).build()).build();
    }
}
