package io.jsworkflows.executor.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.quarkus.logging.Log;

/**
 * Loads definitions from a directory at start (a Kubernetes ConfigMap, a GitOps checkout): {@code <id>.js} is the
 * source and {@code <id>.json} the deploy body without {@code source} (trigger, timeout, retryPolicy, and optionally
 * workspaceId). Every replica loads the same directory, so nothing is published; these workflows cannot be changed
 * through the API.
 */
@ApplicationScoped
public class DefinitionsDirectory {

    private final ExecutorConfig config;
    private final WorkflowService workflows;
    private final WorkflowRegistry registry;

    public DefinitionsDirectory(ExecutorConfig config, WorkflowService workflows, WorkflowRegistry registry) {
        this.config = config;
        this.workflows = workflows;
        this.registry = registry;
    }

    /** Loads every valid definition; a broken one is logged with the reason and skipped. */
    public int load() {
        Path dir = config.executor().definitionsDir().orElse(null);
        if (dir == null) {
            return 0;
        }
        if (!Files.isDirectory(dir)) {
            Log.warnf("definitions directory %s does not exist; no workflows loaded from it", dir);
            return 0;
        }
        List<Path> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources = s.filter(p -> p.getFileName().toString().endsWith(".js")).sorted().toList();
        } catch (IOException e) {
            Log.warnf("cannot list definitions directory %s: %s", dir, e.getMessage());
            return 0;
        }
        int loaded = 0;
        for (Path js : sources) {
            String name = js.getFileName().toString();
            String id = name.substring(0, name.length() - 3);
            try {
                Path binding = js.resolveSibling(id + ".json");
                if (!Files.exists(binding)) {
                    throw new ProblemException(400, "Missing binding", "no " + id + ".json with the trigger binding next to it");
                }
                ObjectNode body = (ObjectNode) ContractsJson.mapper().readTree(Files.readString(binding));
                String workspace = body.path("workspaceId").asText(config.executor().definitionsWorkspace());
                body.put("source", Files.readString(js));
                WorkflowService.requireValidId(id);
                WorkflowDefinition d = workflows.parse(workspace, id, ContractsJson.write(body), 1);
                workflows.check(d);
                registry.applyFromDirectory(d);
                loaded++;
                Log.infof("loaded workflow %s from %s (workspace %s, topic %s)", id, dir, workspace, d.trigger().topic());
            } catch (ProblemException e) {
                Log.errorf("workflow %s in %s not loaded: %s", id, dir, e.getMessage());
            } catch (IOException | ClassCastException e) {
                Log.errorf("workflow %s in %s not loaded: cannot read its files (%s)", id, dir, e.getMessage());
            }
        }
        return loaded;
    }
}
