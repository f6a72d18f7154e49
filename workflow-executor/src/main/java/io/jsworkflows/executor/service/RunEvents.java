package io.jsworkflows.executor.service;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.messaging.KafkaClients;
import io.quarkus.logging.Log;

/**
 * Publishes run events on {@code jsw.runs.events} (key = run id, not waited for: an event is a report, not a
 * hand-off). Why a class of its own: it decides which {@code started} events exist at all
 * ({@code jsw.executor.events.started-after}): none by default, so that a successful run costs one record, its
 * {@code succeeded} event.
 */
@ApplicationScoped
public class RunEvents {

    /** A started event that may still be published; {@link #cancel} once the attempt ended. */
    public interface Pending {
        void cancel();
    }

    private static final Pending NONE = () -> {
    };

    private final KafkaClients kafka;
    private final Duration startedAfter;
    private final ScheduledThreadPoolExecutor timer;

    public RunEvents(ExecutorConfig config, KafkaClients kafka) {
        this.kafka = kafka;
        this.startedAfter = config.executor().events().startedAfter().orElse(null);
        if (startedAfter != null && startedAfter.isPositive()) {
            timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "jsw-started-events");
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true); // most attempts end before their event is due
        } else {
            timer = null;
        }
    }

    /** The attempt's {@code started} event: now, after the configured delay if it is still running then, or never. */
    public Pending started(Attempt a) {
        if (startedAfter == null) {
            return NONE;
        }
        if (timer == null) {
            publish(a, RunEvent.Type.STARTED, null, null, List.of(), List.of());
            return NONE;
        }
        ScheduledFuture<?> f = timer.schedule(() -> publish(a, RunEvent.Type.STARTED, null, null, List.of(), List.of()),
                startedAfter.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    public void publish(Attempt a, RunEvent.Type type, Long millis, String error, List<RunEvent.ConsoleLine> console,
            List<RunEvent.HttpCall> calls) {
        RunEvent e = new RunEvent(RunEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, a.runId(), a.workflowId(), a.workspaceId(),
                a.workflow().version(), a.record().coordinates(), a.idempotencyKey(), a.number(), millis, error, console, calls,
                java.time.Instant.now());
        kafka.send(Topics.RUN_EVENTS, a.runId(), e, CloudEventTypes.RUN_EVENT).whenComplete((md, t) -> {
            if (t != null) {
                Log.warnf("run event %s of run %s not published: %s", type, a.runId(), t.getMessage());
            }
        });
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
