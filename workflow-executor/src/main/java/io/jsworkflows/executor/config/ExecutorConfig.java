package io.jsworkflows.executor.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jsworkflows.contracts.config.HubSpotSettings;
import io.jsworkflows.contracts.config.KeyRings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the workflow executor; every property also reads from its env var (jsw.x.y ⇄ JSW_X_Y). */
@ConfigMapping(prefix = "jsw")
public interface ExecutorConfig {

    Crypto crypto();

    Hubspot hubspot();

    /** Base URL of connections-service, used to check workspace API keys ({@code GET /api/v1/workspace}). */
    Optional<URI> connectionsUrl();

    Executor executor();

    /** Key rings: only the token ring (it opens access tokens from jsw.connections.tokens). */
    interface Crypto extends KeyRings.TokenKeys {
    }

    /** HubSpot: only where requests that workflows address to https://api.hubapi.com really go; never the OAuth app. */
    interface Hubspot extends HubSpotSettings.Api {
    }

    /** The executor itself. */
    interface Executor {

        /** Static workspace API keys for single-tenant deployments: {@code workspaceId:apiKey[,...]}. */
        Optional<String> apiKeys();

        /** How long a key checked against connections-service stays trusted (cached by key hash). */
        @WithDefault("PT30S")
        Duration apiKeyCacheTtl();

        /** A directory of {@code <id>.js} (+ optional {@code <id>.json} binding) definitions loaded at start. */
        Optional<Path> definitionsDir();

        /** Workspace of directory-loaded definitions whose binding file names none. */
        @WithDefault("default")
        String definitionsWorkspace();

        /**
         * Operator-declared workspace topics, {@code jsw.executor.workspace-topics."<topic>"=<workspaceId>}: a record there
         * belongs to that workspace whatever its headers say, and only that workspace may bind the topic. Validated at
         * start (topic names, no platform or shared source topic, no blank workspace).
         */
        Map<String, String> workspaceTopics();

        /** Run deadline when a definition sets none. */
        @WithDefault("PT30S")
        Duration defaultTimeout();

        /**
         * Largest run deadline a definition may ask for; at most half of {@code triggers.max-poll-interval} (checked at
         * start), so no run can come near the group's poll deadline even if a loop had to wait for it.
         */
        @WithDefault("PT5M")
        Duration maxTimeout();

        Limits limits();

        Fetch fetch();

        Http http();

        Egress egress();

        RateLimit rateLimit();

        Tokens tokens();

        Triggers triggers();

        Retry retry();

        Crash crash();

        Events events();

        /**
         * Where workflow code runs: {@code process} (a pool of worker JVMs with their own heap limit: a runaway run kills
         * at most its worker) or {@code in-process} (the executor's own heap).
         */
        @WithDefault("process")
        Isolation isolation();

        Workers workers();
    }

    /** Values of jsw.executor.isolation. */
    enum Isolation {
        PROCESS, IN_PROCESS;

        /** Accepts {@code process} and {@code in-process} as written in properties and env vars. */
        public static Isolation of(String s) {
            return valueOf(s.trim().toUpperCase().replace('-', '_'));
        }
    }

    /** Worker JVMs when jsw.executor.isolation=process. */
    interface Workers {
        /** Worker JVMs per replica. */
        @WithDefault("2")
        int count();

        /** Runs one worker hosts at once. */
        @WithDefault("8")
        int runsEach();

        /** Each worker's heap limit (-Xmx). */
        @WithDefault("256m")
        String heap();

        /** The workers' class path; default: the executor's own. */
        Optional<String> classpath();

        /** Extra JVM options of the workers (GC, a flight recording, ...), after the built-in ones. */
        Optional<List<String>> jvmOptions();

        /**
         * Run the workers' GraalJS with the Graal compiler (JVMCI, for Truffle only; Java code stays with C2). Off, or
         * without its jars or JVMCI in the Java runtime, the JavaScript is only interpreted (docs/performance.md).
         */
        @WithDefault("true")
        boolean graalCompiler();

        /** The folder with the compiler's jars; default: graal-compiler next to quarkus-run.jar (target/graal-compiler in a module build). */
        Optional<String> graalCompilerPath();
    }

    /** Poison-run protection (jsw.runs.inflight). */
    interface Crash {
        /** Record run starts durably and dead-letter runs during which executors kept stopping. */
        @WithDefault("true")
        boolean protection();

        /** Executor stops during one attempt after which the run goes to the DLQ without running again. */
        @WithDefault("2")
        int maxCrashes();

        /**
         * What a start mark on jsw.runs.inflight covers: {@code batch} (one mark per partition for the records the trigger
         * loop polled; a batch left marked by a crash is replayed record by record), {@code run} (one acknowledged mark
         * per attempt) or {@code auto}: {@code batch} with isolation=process, where a run cannot stop the executor, and
         * {@code run} with in-process, where it can.
         */
        @WithDefault("auto")
        Marks marks();
    }

    /** Values of jsw.executor.crash.marks. */
    enum Marks {
        AUTO, BATCH, RUN
    }

    /** Run events beyond each attempt's outcome. */
    interface Events {
        /**
         * When a {@code started} event is published: unset (the default) never; {@code PT0S} before every attempt; a
         * longer duration only for attempts still running after it (slow runs become visible, fast ones cost nothing).
         */
        Optional<Duration> startedAfter();
    }

    /** Bounds of every input a run can grow (see the README's configuration table). */
    interface Limits {
        @WithDefault("50000000")
        long statements();

        @WithDefault("200")
        int consoleLines();

        @WithDefault("2000")
        int consoleLineChars();

        @WithDefault("32000")
        int consoleTotalChars();

        @WithDefault("50")
        int fetchCalls();

        @WithDefault("100")
        int timers();

        @WithDefault("1048576")
        int triggerRecordBytes();

        @WithDefault("64")
        int dataDepth();

        @WithDefault("1048576")
        int requestBodyBytes();

        @WithDefault("5242880")
        int responseBodyBytes();

        @WithDefault("262144")
        int sourceBytes();

        @WithDefault("PT5S")
        Duration checkTimeout();

        @WithDefault("16")
        int contextsPerVersion();
    }

    /**
     * Memory of fetch response bodies the executor holds (workers run the code, but fetch happens here): a run's bytes in
     * flight and the replica's, so that no run, and no few runs together, can take the executor's heap (checked at start:
     * both positive, a run's at most the replica's).
     */
    interface Fetch {
        /** Bytes of response bodies one run may hold at once; a fetch that would need more fails in the workflow. */
        @WithDefault("16777216")
        long maxRunBytes();

        /** Bytes of response bodies all runs of the replica may hold at once. */
        @WithDefault("134217728")
        long maxReplicaBytes();

        /** How long a fetch waits for other runs to release bytes when the replica's budget is full, before it fails. */
        @WithDefault("PT2S")
        Duration replicaWait();
    }

    /** fetch's HTTP client. */
    interface Http {
        @WithDefault("PT5S")
        Duration connectTimeout();

        @WithDefault("PT10S")
        Duration requestTimeout();

        /**
         * Pooled keep-alive connections per destination (host, port and checked address). Generous: a request waiting for
         * a connection has already taken its slot of the portal's HubSpot budget, and HubSpot counts it only when it is sent.
         */
        @WithDefault("256")
        int maxConnectionsPerHost();
    }

    /** Egress guard. */
    interface Egress {
        /** Destinations allowed although they are loopback/private/link-local: {@code host}, {@code host:port} or a CIDR. */
        Optional<List<String>> allow();
    }

    /** Per-portal HubSpot request budget. */
    interface RateLimit {
        @WithDefault("110")
        int max();

        @WithDefault("PT10S")
        Duration interval();

        /** Added to the interval so that arrival jitter never puts one request too many in HubSpot's window. */
        @WithDefault("PT0.2S")
        Duration margin();

        /** How often fetch retries a 429 that still came back (after the interval) before handing it to the workflow. */
        @WithDefault("2")
        int retries429();
    }

    /** The token view of jsw.connections.tokens. */
    interface Tokens {
        /** How long getOAuthToken and a 401 retry wait for a refreshed token. */
        @WithDefault("PT10S")
        Duration refreshWait();

        /** Do not ask again for the same token version within this time. */
        @WithDefault("PT5S")
        Duration refreshCooldown();
    }

    /** Trigger consumption. */
    interface Triggers {
        @WithDefault("jsw-workflow-executor")
        String groupId();

        /** Runs in parallel per replica; records with the same key always use the same lane (in order). */
        @WithDefault("16")
        int lanes();

        @WithDefault("PT24H")
        Duration dedupeWindow();

        @WithDefault("200000")
        int dedupeMaxEntries();

        /** max.poll.interval.ms of the trigger and retry groups; the loops poll on while runs are in flight. */
        @WithDefault("PT15M")
        Duration maxPollInterval();
    }

    /** jsw.runs.retry consumption and parking. */
    interface Retry {
        @WithDefault("jsw-workflow-executor-retry")
        String groupId();

        @WithDefault("4")
        int lanes();

        /** The most attempts a workflow's retry policy may ask for (the first run included). */
        @WithDefault("10")
        int maxAttempts();

        /** The shortest backoff a retry policy may ask for (initialBackoff): a failing run never loops without a pause. */
        @WithDefault("PT1S")
        Duration minBackoff();

        /** The longest backoff a retry policy may ask for (maxBackoff). */
        @WithDefault("PT1H")
        Duration maxBackoff();

        /** How often a run parked for re-authorization is looked at again, besides when a newer grant arrives. */
        @WithDefault("PT5M")
        Duration parkRecheck();

        /** A parked run goes to the DLQ after this long. */
        @WithDefault("P7D")
        Duration parkMaxAge();
    }
}
