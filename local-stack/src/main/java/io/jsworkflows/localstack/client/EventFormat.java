package io.jsworkflows.localstack.client;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.json.ContractsJson;

/** One readable line per event for {@code jsw tail}. Never prints a token: the events carry none. */
public final class EventFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private EventFormat() {
    }

    public static String run(String json) {
        try {
            RunEvent e = ContractsJson.read(json, RunEvent.class);
            StringBuilder b = new StringBuilder();
            b.append(time(e.occurredAt())).append("  ").append(pad(e.type() == null ? "?" : e.type().label(), 15))
                    .append(e.workflowId()).append(" v").append(e.workflowVersion())
                    .append("  run ").append(e.runId())
                    .append("  attempt ").append(e.attempt());
            if (e.durationMillis() != null) {
                b.append("  ").append(e.durationMillis()).append(" ms");
            }
            if (!e.httpCalls().isEmpty()) {
                b.append("  [").append(e.httpCalls().stream()
                        .map(c -> c.method() + " " + c.path() + " " + c.status())
                        .collect(Collectors.joining(", "))).append(']');
            }
            if (e.error() != null) {
                b.append("  error: ").append(oneLine(e.error()));
            }
            for (RunEvent.ConsoleLine l : e.console()) {
                b.append("\n      console.").append(l.level()).append(": ").append(oneLine(l.message()));
            }
            return b.toString();
        } catch (RuntimeException ex) {
            return "(unreadable run event) " + oneLine(json);
        }
    }

    public static String connection(String json) {
        try {
            ConnectionEvent e = ContractsJson.read(json, ConnectionEvent.class);
            return time(e.occurredAt()) + "  " + pad(e.type() == null ? "?" : e.type().label(), 20) + pad(e.handle(), 16)
                    + pad(String.valueOf(e.status()), 13) + "grant v" + e.grantVersion() + " token v" + e.tokenVersion()
                    + "  workspace " + e.workspaceId() + "  from " + e.source()
                    + (e.reason() == null ? "" : "  reason: " + oneLine(e.reason()));
        } catch (RuntimeException ex) {
            return "(unreadable connection event) " + oneLine(json);
        }
    }

    public static String deadLetter(String json) {
        try {
            DeadLetter d = ContractsJson.read(json, DeadLetter.class);
            return time(d.deadLetteredAt()) + "  dead-lettered  " + d.workflowId() + (d.workflowVersion() == null ? "" : " v" + d.workflowVersion())
                    + "  key " + d.idempotencyKey() + "  attempts " + d.attempts().size()
                    + (d.original() == null ? "" : "  from " + d.original().coordinates())
                    + "  reason: " + oneLine(d.reason());
        } catch (RuntimeException ex) {
            return "(unreadable dead letter) " + oneLine(json);
        }
    }

    private static String time(Instant t) {
        return t == null ? "--:--:--.---" : TIME.format(t);
    }

    private static String pad(String s, int width) {
        String v = s == null ? "-" : s;
        return v.length() >= width ? v + " " : v + " ".repeat(width - v.length());
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String o = s.replaceAll("\\s+", " ").strip();
        return o.length() > 500 ? o.substring(0, 500) + "..." : o;
    }
}
