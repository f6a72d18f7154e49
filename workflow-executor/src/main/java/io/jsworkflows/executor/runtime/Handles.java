package io.jsworkflows.executor.runtime;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The connection handles a workflow's source names in {@code api.getOAuthToken('...')} calls with a literal. */
public final class Handles {

    private static final Pattern USE = Pattern.compile("getOAuthToken\\(\\s*['\"`]([a-z0-9-]+)['\"`]\\s*\\)");

    private Handles() {
    }

    public static List<String> in(String source) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = USE.matcher(source);
        while (m.find()) {
            found.add(m.group(1));
        }
        return new ArrayList<>(found);
    }
}
