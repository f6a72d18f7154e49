package io.jsworkflows.connections.runs.rest;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.connections.persistence.Workspace;
import io.jsworkflows.connections.rest.Auth;
import io.jsworkflows.connections.runs.service.RunQueries;
import io.jsworkflows.connections.runs.service.WorkflowView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The web page's list of the workspace's deployed workflows (read only; deploying stays with jsw deploy). */
@Path("/ui/workflows")
@Produces(MediaType.TEXT_HTML)
public class WorkflowWebResource {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance workflows(Workspace workspace, List<WorkflowView> workflows);
    }

    private final Auth auth;
    private final RunQueries queries;

    public WorkflowWebResource(Auth auth, RunQueries queries) {
        this.auth = auth;
        this.queries = queries;
    }

    @GET
    public Response list(@Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return RunWebResource.signIn();
        }
        return Response.ok(Templates.workflows(w.get(), queries.workflows(w.get().id))).build();
    }
}
