package io.jsworkflows.contracts.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.jsworkflows.contracts.CloudEventTypes;

/**
 * The CloudEvents binary-mode headers every platform record carries ({@code ce_specversion}, {@code ce_id},
 * {@code ce_type}, {@code ce_source}, {@code ce_time}, and {@code ce_subject} where there is one), built in one place
 * for every writer: the services' Kafka producers and the CLI's replay. Names and values as strings, so that this module
 * needs no Kafka client; writers add them to their record's headers as UTF-8.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";

    private CloudEventHeaders() {
    }

    /** A new event of {@code type} written by {@code source} now, with a fresh id. */
    public static Map<String, String> of(String type, String source) {
        return of(UUID.randomUUID().toString(), type, source, Instant.now(), null);
    }

    /** An event whose id and time were fixed earlier (e.g. an outbox row relayed later); {@code subject} may be null. */
    public static Map<String, String> of(String id, String type, String source, Instant time, String subject) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(SPEC_VERSION, CloudEventTypes.SPEC_VERSION);
        h.put(ID, id);
        h.put(TYPE, type);
        h.put(SOURCE, source);
        h.put(TIME, time.toString());
        if (subject != null) {
            h.put(SUBJECT, subject);
        }
        return h;
    }
}
