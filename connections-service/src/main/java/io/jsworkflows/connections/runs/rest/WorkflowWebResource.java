package io.jsworkflows.connections.runs.rest;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.jsworkflows.connections.persistence.Workspace;
import io.jsworkflows.connections.rest.Auth;
import io.jsworkflows.connections.runs.service.RunQueries;
import io.jsworkflows.connections.runs.service.WorkflowDeployer;
import io.jsworkflows.connections.runs.service.WorkflowView;
import io.jsworkflows.contracts.Topics;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

/** The web page's workflows: the workspace's deployed workflows, and deploying a version (paste source, pick the trigger). */
@Path("/ui/workflows")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class WorkflowWebResource {

    /** The form for a new workflow (or a new version of {@code workflowId}): orders/create on shopify.orders. */
    static WorkflowDeployer.Request blankForm(String workflowId) {
        return new WorkflowDeployer.Request(workflowId == null ? "" : workflowId, "", Topics.SHOPIFY_ORDERS, "orders/create", 0);
    }

    /** Shopify webhook topics offered for the header match (any other can be typed). */
    static final List<String> WEBHOOK_TOPICS = List.of("orders/create", "orders/updated", "orders/paid", "orders/cancelled",
            "orders/fulfilled", "customers/create", "customers/update", "products/create", "products/update", "refunds/create",
            "fulfillments/create", "checkouts/create", "app/uninstalled");

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance workflows(Workspace workspace, List<WorkflowView> workflows, boolean canDeploy,
                WorkflowDeployer.Request form, List<String> topics, List<String> webhookTopics, WorkflowDeployer.Outcome outcome);
    }

    private final Auth auth;
    private final RunQueries queries;
    private final WorkflowDeployer deployer;

    public WorkflowWebResource(Auth auth, RunQueries queries, WorkflowDeployer deployer) {
        this.auth = auth;
        this.queries = queries;
        this.deployer = deployer;
    }

    /** The list; {@code ?deploy=<id>} fills the form with that workflow's current definition, to edit into a new version. */
    @GET
    public Response list(@QueryParam("deploy") String deploy, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return RunWebResource.signIn();
        }
        WorkflowDeployer.Request form = deployer.current(w.get().id, deploy).orElse(blankForm(deploy));
        return Response.ok(page(w.get(), form, null)).build();
    }

    @POST
    @Path("/deploy")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deploy(@FormParam("workflowId") String workflowId, @FormParam("source") String source,
            @FormParam("topic") String topic, @FormParam("webhookTopic") String webhookTopic,
            @FormParam("maxAttempts") Integer maxAttempts, @Context HttpHeaders headers) {
        Optional<Workspace> w = auth.fromCookie(headers);
        if (w.isEmpty()) {
            return RunWebResource.signIn();
        }
        WorkflowDeployer.Request form = new WorkflowDeployer.Request(workflowId == null ? "" : workflowId.strip(), source == null ? "" : source,
                topic == null ? "" : topic.strip(), webhookTopic == null ? "" : webhookTopic.strip(),
                maxAttempts == null ? 0 : maxAttempts);
        WorkflowDeployer.Outcome outcome = deployer.deploy(w.get().id, form);
        if (outcome.deployed()) {
            // the list is the read model's, fed from the definitions topic: the new version shows once it has been read
            return Response.ok(page(w.get(), blankForm(""), outcome)).build();
        }
        return Response.status(422).entity(page(w.get(), form, outcome)).build();
    }

    private TemplateInstance page(Workspace w, WorkflowDeployer.Request form, WorkflowDeployer.Outcome outcome) {
        return Templates.workflows(w, queries.workflows(w.id), deployer.enabled(), form, Topics.SHOPIFY_SOURCE_TOPICS, WEBHOOK_TOPICS,
                outcome);
    }
}
