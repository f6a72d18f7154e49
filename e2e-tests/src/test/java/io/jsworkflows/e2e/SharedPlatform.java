package io.jsworkflows.e2e;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.jsworkflows.e2e.platform.PlatformUnderTest;

/**
 * One platform for every e2e test class of the run (starting it costs about a minute on two cores): HubSpot's access
 * tokens live 20 s, so every test also exercises refreshing; the refresher's lead and jitter are scaled to that
 * lifetime exactly as an operator would configure them for short-lived tokens. Tests keep out of each other's way with
 * their own workspaces (and portals where they revoke), and delete their workflows when done.
 */
public final class SharedPlatform implements ParameterResolver {

    static final java.time.Duration TOKEN_LIFETIME = java.time.Duration.ofSeconds(20);
    static final java.time.Duration LEAD = java.time.Duration.ofSeconds(8);
    static final java.time.Duration JITTER = java.time.Duration.ofSeconds(2);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == PlatformUnderTest.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("platform", k -> new Holder(start()), Holder.class).platform;
    }

    private static PlatformUnderTest start() {
        Path work = Path.of(System.getProperty("jswtest.work.dir", "target")).resolve("e2e-platform-" + ProcessHandle.current().pid());
        try {
            return new PlatformUnderTest(PlatformUnderTest.Options.defaults(work)
                    .emulator(Map.of("EMULATOR_OAUTH_ACCESS_TOKEN_LIFETIME", TOKEN_LIFETIME.toSeconds() + "s"))
                    .refresher(Map.of("JSW_REFRESHER_LEAD", LEAD.toString(), "JSW_REFRESHER_JITTER", JITTER.toString())))
                    .start();
        } catch (Exception e) {
            throw new IllegalStateException("the platform did not start: " + e.getMessage(), e);
        }
    }

    /** Closed by JUnit when the root context ends, i.e. after the last test class. */
    record Holder(PlatformUnderTest platform) implements AutoCloseable {
        @Override
        public void close() {
            platform.close();
        }
    }
}
