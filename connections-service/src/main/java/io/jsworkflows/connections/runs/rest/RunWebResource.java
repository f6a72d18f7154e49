package io.jsworkflows.connections.runs.rest;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.connections.persistence.Workspace;
import io.jsworkflows.connections.rest.Auth;
import io.jsworkflows.connections.runs.service.RunDetail;
import io.jsworkflows.connections.runs.service.RunQueries;
import io.jsworkflows.connections.runs.service.RunView;
import io.jsworkflows.connections.service.ApiProblem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The web page's runs: the list (filters by status and workflow; the page refetches its rows from /ui/runs/list every
 * few seconds) and one run's attempts. Same sign-in as the connections page; another workspace's run is a 404.
 */
@Path("/ui/runs")
@Produces(MediaType.TEXT_HTML)
public class RunWebResource {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance runs(Workspace workspace, List<RunView> runs, String status, String workflow,
                List<String> statuses, String error);

        /** Just the rows of {@link #runs}, for the page's polling. */
        public static native TemplateInstance runs$rows(List<RunView> runs);

        public static native TemplateInstance run(Workspace workspace, RunDetail detail);
    }

    static final List<String> STATUSES = List.of("STARTED", "SUCCEEDED", "FAILED", "RETRY_SCHEDULED", "DEAD_LETTERED", "PARKED");

    private final Auth auth;
    private final RunQueries queries;

    public RunWebResource(Auth auth, RunQueries queries) {
        this.auth = auth;
        this.queries = queries;
    }

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("workflow") String workflow, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return signIn();
        }
        String s = status == null ? "" : status;
        String wf = workflow == null ? "" : workflow;
        try {
            List<RunView> runs = queries.runs(w.get().id, RunQueries.Filter.of(status, workflow, null));
            return Response.ok(Templates.runs(w.get(), runs, s, wf, STATUSES, null)).build();
        } catch (ApiProblem p) {
            return Response.status(p.status()).entity(Templates.runs(w.get(), List.of(), s, wf, STATUSES, p.detail())).build();
        }
    }

    /** The list's rows only; 401 when signed out, so the polling page does not paste the sign-in form into its table. */
    @GET
    @Path("/list")
    public Response rows(@QueryParam("status") String status, @QueryParam("workflow") String workflow, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return Response.status(401).build();
        }
        return Response.ok(Templates.runs$rows(queries.runs(w.get().id, RunQueries.Filter.of(status, workflow, null))))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/{runId}")
    public Response run(@PathParam("runId") String runId, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return signIn();
        }
        // ApiProblem 404 for an unknown or foreign run
        return Response.ok(Templates.run(w.get(), queries.run(w.get().id, runId))).build();
    }

    static Response signIn() {
        return Response.seeOther(URI.create("/ui")).build();
    }
}
