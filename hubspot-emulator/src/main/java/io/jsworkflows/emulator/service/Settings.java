package io.jsworkflows.emulator.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.emulator.config.EmulatorConfig;

/**
 * The settings the operator API can change while the emulator runs. Volatile fields: read on every request, written
 * rarely, never under a lock. {@link #reset()} restores the start-up configuration.
 */
@ApplicationScoped
public class Settings {

    private final EmulatorConfig config;

    private volatile boolean autoApprove;
    private volatile Duration accessTokenLifetime;
    private volatile Duration authCodeLifetime;
    private volatile boolean refreshTokenRotation;
    private volatile boolean v1Rfc6749ErrorFields;
    private volatile RateLimitSetting rateLimit;
    private volatile boolean retryAfter;
    private volatile boolean searchRateLimitHeaders;

    public record RateLimitSetting(int max, Duration interval) {
        public boolean enabled() {
            return max > 0;
        }
    }

    public Settings(EmulatorConfig config) {
        this.config = config;
        reset();
    }

    public final void reset() {
        autoApprove = config.consent().autoApprove();
        accessTokenLifetime = config.oauth().accessTokenLifetime();
        authCodeLifetime = config.oauth().authCodeLifetime();
        refreshTokenRotation = config.oauth().refreshTokenRotation();
        v1Rfc6749ErrorFields = config.oauth().v1Rfc6749ErrorFields();
        rateLimit = new RateLimitSetting(config.rateLimit().max(), config.rateLimit().interval());
        retryAfter = config.rateLimit().retryAfter();
        searchRateLimitHeaders = config.rateLimit().searchHeaders();
    }

    public EmulatorConfig config() {
        return config;
    }

    public boolean autoApprove() {
        return autoApprove;
    }

    public void autoApprove(boolean v) {
        autoApprove = v;
    }

    public Duration accessTokenLifetime() {
        return accessTokenLifetime;
    }

    public void accessTokenLifetime(Duration v) {
        accessTokenLifetime = v;
    }

    public Duration authCodeLifetime() {
        return authCodeLifetime;
    }

    public void authCodeLifetime(Duration v) {
        authCodeLifetime = v;
    }

    public boolean refreshTokenRotation() {
        return refreshTokenRotation;
    }

    public void refreshTokenRotation(boolean v) {
        refreshTokenRotation = v;
    }

    public boolean v1Rfc6749ErrorFields() {
        return v1Rfc6749ErrorFields;
    }

    public void v1Rfc6749ErrorFields(boolean v) {
        v1Rfc6749ErrorFields = v;
    }

    public RateLimitSetting rateLimit() {
        return rateLimit;
    }

    public void rateLimit(RateLimitSetting v) {
        rateLimit = v;
    }

    public boolean retryAfter() {
        return retryAfter;
    }

    public void retryAfter(boolean v) {
        retryAfter = v;
    }

    public boolean searchRateLimitHeaders() {
        return searchRateLimitHeaders;
    }

    public void searchRateLimitHeaders(boolean v) {
        searchRateLimitHeaders = v;
    }
}
