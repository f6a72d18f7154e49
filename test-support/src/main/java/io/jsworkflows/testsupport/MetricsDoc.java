package io.jsworkflows.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric list of docs/observability.md: the rows a service exposes (its own and those of "all"). */
public final class MetricsDoc {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\\s*\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|");

    private MetricsDoc() {
    }

    public static Path file() {
        String prop = System.getProperty("jswtest.root.dir");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docs/observability.md"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("docs/observability.md not found from " + prop);
        }
        return p.resolve("docs/observability.md");
    }

    /** Names listed as exposed by {@code service} (or by all services). */
    public static List<String> exposedBy(String service) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(file())) {
            Matcher m = ROW.matcher(line);
            if (!m.find()) {
                continue;
            }
            List<String> services = List.of(m.group(4).trim().split("\\s*,\\s*"));
            if ((services.contains(service) || services.contains("all")) && m.group(5).trim().equals("exposed")) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Whether a Prometheus scrape has a sample of {@code name} (a histogram's or summary's suffixed series count). */
    public static boolean scraped(String scrape, String name) {
        return Pattern.compile("(?m)^" + Pattern.quote(name) + "(_bucket|_count|_sum|_max)?[{ ]").matcher(scrape).find();
    }
}
