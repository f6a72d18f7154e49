package io.jsworkflows.emulator.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.emulator.config.EmulatorConfig;

/** The default deal and ticket pipelines (facts file §8). Every portal has the same ones. */
@ApplicationScoped
public class Pipelines {

    public record Stage(String id, String label, int displayOrder, Map<String, String> metadata) {
    }

    public record Pipeline(String id, String label, List<Stage> stages) {
        public Stage stage(String id) {
            for (Stage s : stages) {
                if (s.id().equals(id)) {
                    return s;
                }
            }
            return null;
        }
    }

    private final Map<String, Pipeline> deals = new LinkedHashMap<>();
    private final Map<String, Pipeline> tickets = new LinkedHashMap<>();

    public Pipelines(EmulatorConfig config) {
        boolean sentence = "sentence".equalsIgnoreCase(config.pipelines().labelStyle());
        String[][] dealStages = {
                {"appointmentscheduled", "Appointment Scheduled", "0.2", "false"},
                {"qualifiedtobuy", "Qualified To Buy", "0.4", "false"},
                {"presentationscheduled", "Presentation Scheduled", "0.6", "false"},
                {"decisionmakerboughtin", "Decision Maker Bought-In", "0.8", "false"},
                {"contractsent", "Contract Sent", "0.9", "false"},
                {"closedwon", "Closed Won", "1.0", "true"},
                {"closedlost", "Closed Lost", "0.0", "true"}};
        List<Stage> ds = new ArrayList<>();
        for (int i = 0; i < dealStages.length; i++) {
            String[] s = dealStages[i];
            ds.add(new Stage(s[0], label(s[1], sentence), i, Map.of("isClosed", s[3], "probability", s[2])));
        }
        deals.put("default", new Pipeline("default", "Sales Pipeline", List.copyOf(ds)));
        String[][] ticketStages = {{"1", "New", "OPEN"}, {"2", "Waiting on contact", "OPEN"},
                {"3", "Waiting on us", "OPEN"}, {"4", "Closed", "CLOSED"}};
        List<Stage> ts = new ArrayList<>();
        for (int i = 0; i < ticketStages.length; i++) {
            String[] s = ticketStages[i];
            ts.add(new Stage(s[0], s[1], i, Map.of("ticketState", s[2], "isClosed", String.valueOf(s[2].equals("CLOSED")))));
        }
        tickets.put("0", new Pipeline("0", "Support Pipeline", List.copyOf(ts)));
    }

    private static String label(String title, boolean sentence) {
        if (!sentence) {
            return title;
        }
        String lower = title.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** Pipelines for an object type ({@code deals}, {@code tickets}); null for types without pipelines. */
    public Map<String, Pipeline> forType(ObjectType type) {
        return switch (type) {
            case DEALS -> deals;
            case TICKETS -> tickets;
            default -> null;
        };
    }
}
