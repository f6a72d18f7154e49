package io.jsworkflows.localstack.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/** The repository's deployment files, read as YAML documents. */
public final class Repo {

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    public static final ObjectMapper JSON = JsonMapper.builder().build();

    private Repo() {
    }

    public static Path root() {
        String prop = System.getProperty("jswtest.root.dir");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docker-compose.yml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (docker-compose.yml) from " + prop);
        }
        return p;
    }

    /** Every object a kustomization lists in {@code resources}: files, and directories through their own kustomization. */
    public static List<JsonNode> kustomizeResources(Path dir) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode r : documents(dir.resolve("kustomization.yaml")).getFirst().path("resources")) {
            Path p = dir.resolve(r.asText());
            all.addAll(Files.isDirectory(p) ? kustomizeResources(p) : documents(p));
        }
        return all;
    }

    /** Every document of a (multi-document) YAML file; empty documents are skipped. */
    public static List<JsonNode> documents(Path file) throws IOException {
        return documents(Files.readString(file));
    }

    public static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode() && n.size() > 0) {
                    out.add(n);
                }
            }
        }
        return out;
    }
}
