package io.jsworkflows.e2e.drills;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.localstack.client.Http;

/**
 * Shopify deliveries for the drills: the example order with each order's own id, name and email (as
 * {@link PlatformClient#publish} builds it), keyed by one of several shop domains so that orders spread over the trigger
 * topic's partitions, published by a producer that rides out a broker outage (long delivery and block timeouts, as a
 * webhook bridge would be configured) and that can send raw bytes for malformed records.
 */
public final class Orders implements AutoCloseable {

    /** One record as the broker acknowledged it: {@code sent} when the order arrived (was born), {@code at} when acknowledged. */
    public record Published(PlatformClient.Order order, String shop, int partition, long offset, Instant sent, Instant at) {

        public String coordinates() {
            return DrillPlatform.ORDERS_TOPIC + "/" + partition + "/" + offset;
        }
    }

    private final KafkaProducer<String, byte[]> producer;
    private final String workspaceId;

    /**
     * @param workspaceId stamped as {@code jsw-workspace} on every record, as webhook-gateway stamps a verified delivery:
     *                    the drills publish to the source topic directly, like a trusted platform producer
     */
    public Orders(String bootstrap, String workspaceId) throws IOException {
        this.workspaceId = workspaceId;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "180000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        // room for the bad-input drill's oversized records; the broker's own limit (1 MiB) still applies
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public static List<String> shops(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("shop-%02d.myshopify.com", i)).toList();
    }

    /** The order's JSON body, exactly as {@link PlatformClient#publish} builds it. */
    public ObjectNode body(PlatformClient.Order o) {
        try {
            return PlatformClient.orderBody(o);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public byte[] bytes(PlatformClient.Order o) {
        try {
            return Http.JSON.writeValueAsBytes(body(o));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes one valid order with the Shopify headers. */
    public CompletableFuture<Published> publish(PlatformClient.Order o, String shop) {
        Instant sent = Instant.now();
        return send(DrillPlatform.ORDERS_TOPIC, shop, bytes(o), PlatformClient.shopifyHeaders(o))
                .thenApply(md -> new Published(o, shop, md.partition(), md.offset(), sent, Instant.now()));
    }

    /** Sends any value (null = tombstone) with string headers. */
    public CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value, Map<String, String> headers) {
        Map<String, byte[]> raw = new java.util.LinkedHashMap<>();
        headers.forEach((k, v) -> raw.put(k, v.getBytes(StandardCharsets.UTF_8)));
        raw.putIfAbsent(PlatformHeaders.WORKSPACE, workspaceId.getBytes(StandardCharsets.UTF_8));
        return sendRaw(topic, key, value, raw);
    }

    /** Sends any value with raw header bytes (they need not be UTF-8). */
    public CompletableFuture<RecordMetadata> sendRaw(String topic, String key, byte[] value, Map<String, byte[]> headers) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> r.headers().add(new RecordHeader(k, v)));
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        try {
            producer.send(r, (md, e) -> {
                if (e != null) {
                    ack.completeExceptionally(e);
                } else {
                    ack.complete(md);
                }
            });
        } catch (RuntimeException e) {
            ack.completeExceptionally(e);
        }
        return ack;
    }

    /**
     * Publishes {@code total} orders at a steady rate, round-robin over the shops. Orders are born on a timer (as
     * webhooks arrive) and handed to a sender thread, so that a send blocked by a broker outage does not stop orders from
     * arriving: {@link Published#sent()} is the order's birth. A send that fails is sent again (same webhook id) until
     * the broker acknowledges it, as Shopify redelivers a webhook.
     */
    public Load steady(String batch, int total, double perSecond, List<String> shops, Report report) {
        return new Load(batch, total, perSecond, shops, report);
    }

    public final class Load implements AutoCloseable {
        private record Born(PlatformClient.Order order, Instant at) {
        }

        private final List<Published> published = new CopyOnWriteArrayList<>();
        private final java.util.concurrent.BlockingQueue<Born> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .daemon().name("drill-load").unstarted(r));
        private final Thread sender;
        private final int total;
        private final Instant started = Instant.now();
        private volatile boolean running = true;

        Load(String batch, int total, double perSecond, List<String> shops, Report report) {
            this.total = total;
            long periodMicros = (long) (1_000_000 / perSecond);
            timer.scheduleAtFixedRate(() -> {
                if (next.get() < total) {
                    queue.add(new Born(PlatformClient.order(batch, next.incrementAndGet()), Instant.now()));
                }
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            sender = Thread.ofPlatform().daemon().name("drill-sender").start(() -> {
                while (running) {
                    Born b;
                    try {
                        b = queue.poll(200, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (b == null) {
                        continue;
                    }
                    PlatformClient.Order o = b.order();
                    String shop = shops.get((int) (o.id() % shops.size()));
                    // blocks while the producer has no metadata (broker down); later orders queue up meanwhile
                    send(DrillPlatform.ORDERS_TOPIC, shop, bytes(o), PlatformClient.shopifyHeaders(o)).whenComplete((md, e) -> {
                        if (e != null) {
                            failures.incrementAndGet();
                            report.log("publishing %s failed (%s); sending it again", o.name(), e.getMessage());
                            queue.add(b);
                        } else {
                            published.add(new Published(o, shop, md.partition(), md.offset(), b.at(), Instant.now()));
                        }
                    });
                }
            });
        }

        public Instant started() {
            return started;
        }

        public List<Published> published() {
            return new ArrayList<>(published);
        }

        public int failures() {
            return failures.get();
        }

        public boolean done() {
            return published.size() >= total;
        }

        /** Waits until every order was acknowledged. */
        public void await(Duration timeout) throws InterruptedException {
            Duration took = Poll.until(timeout, Duration.ofMillis(200), this::done);
            if (took == null) {
                throw new IllegalStateException("only " + published.size() + " of " + total + " orders were acknowledged within " + timeout);
            }
        }

        @Override
        public void close() {
            running = false;
            timer.shutdownNow();
            sender.interrupt();
        }
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
