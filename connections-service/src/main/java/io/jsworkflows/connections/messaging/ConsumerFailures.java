package io.jsworkflows.connections.messaging;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/** Which state consumer is stuck on a failing record, and since when. */
@ApplicationScoped
public class ConsumerFailures {

    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

    public void succeeded(String channel) {
        failingSince.remove(channel);
    }

    public void failed(String channel) {
        failingSince.putIfAbsent(channel, Instant.now());
    }

    Map<String, Instant> failing() {
        return Map.copyOf(failingSince);
    }
}
