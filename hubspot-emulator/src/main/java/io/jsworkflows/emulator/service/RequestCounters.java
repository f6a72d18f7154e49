package io.jsworkflows.emulator.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

/** Requests per method, path and status. Status 0 counts connections the emulator reset on purpose. */
@ApplicationScoped
public class RequestCounters {

    public record Key(String method, String path, int status) {
    }

    public record Entry(String method, String path, int status, long count) {
    }

    private final ConcurrentHashMap<Key, LongAdder> counts = new ConcurrentHashMap<>();

    public void count(String method, String path, int status) {
        counts.computeIfAbsent(new Key(method, path, status), k -> new LongAdder()).increment();
    }

    /** Sum over paths starting with the prefix; null method or status match any. */
    public long sum(String method, String pathPrefix, Integer status) {
        long n = 0;
        for (Map.Entry<Key, LongAdder> e : counts.entrySet()) {
            Key k = e.getKey();
            if ((method == null || method.equalsIgnoreCase(k.method())) && (pathPrefix == null || k.path().startsWith(pathPrefix))
                    && (status == null || status == k.status())) {
                n += e.getValue().sum();
            }
        }
        return n;
    }

    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        counts.forEach((k, v) -> out.add(new Entry(k.method(), k.path(), k.status(), v.sum())));
        out.sort((a, b) -> a.path().equals(b.path()) ? Integer.compare(a.status(), b.status()) : a.path().compareTo(b.path()));
        return out;
    }

    public void reset() {
        counts.clear();
    }
}
