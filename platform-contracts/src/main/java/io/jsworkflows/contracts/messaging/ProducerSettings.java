package io.jsworkflows.contracts.messaging;

import java.util.HashMap;
import java.util.Map;

/**
 * What every platform service's own Kafka producer sets, in one place: acknowledged by all in-sync replicas,
 * idempotent (a retried send is not written twice and order per partition holds), a short linger so that records sent
 * together share a request. Writers add what is theirs (timeouts, compression). Names as strings, so that this module
 * needs no Kafka client.
 */
public final class ProducerSettings {

    private ProducerSettings() {
    }

    /** The connection settings (bootstrap servers, security) with the platform's producer settings and this client id. */
    public static Map<String, Object> reliable(Map<String, ?> connection, String clientId) {
        Map<String, Object> p = new HashMap<>(connection);
        p.put("client.id", clientId);
        p.put("acks", "all");
        p.put("enable.idempotence", true);
        p.put("max.in.flight.requests.per.connection", 5);
        p.put("linger.ms", 5);
        return p;
    }
}
