package io.jsworkflows.refresher.service;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.RefreshRequest;
import io.opentelemetry.context.Context;

/**
 * Decides whether a refresh request for an owned connection is acted on, and if so schedules the refresh at once. A
 * request is ignored when the requester already has (or is about to get) a fresh token, so a burst of requests after a
 * 401 costs one token endpoint call.
 */
final class RefreshRequestHandler {

    private static final Logger LOG = Logger.getLogger(RefreshRequestHandler.class);

    private final String name;
    private final Duration recentRefreshWindow;
    private final PartitionBook book;
    private final RefreshSchedule schedule;
    private final RefresherStats stats;

    RefreshRequestHandler(String name, Duration recentRefreshWindow, PartitionBook book, RefreshSchedule schedule,
            RefresherStats stats) {
        this.name = name;
        this.recentRefreshWindow = recentRefreshWindow;
        this.book = book;
        this.schedule = schedule;
        this.stats = stats;
    }

    /**
     * Refresh now, unless one succeeded within the recent window, a refresh is already coming, or the requester simply
     * has not seen the newer token that is already published (a known version of 0 means "unknown").
     *
     * @param requestedBy the requester's trace (from the request record's {@code traceparent}), or null
     */
    boolean onRequest(RefreshRequest request, Context requestedBy) {
        ConnectionEntry e = book.entry(request.connectionId());
        if (e == null) {
            return false; // not ours (or unknown)
        }
        long now = System.currentTimeMillis();
        synchronized (e) {
            PartitionBook.PartitionState ps = book.partition(e.partition);
            if (e.removed || ps == null || ps.revoking) {
                return false;
            }
            if (!ps.caughtUp) {
                e.requested = true;
                e.requestedBy = requestedBy;
                stats.request(true);
                return true;
            }
            String ignored = reasonToIgnore(e, request, now);
            if (ignored != null) {
                LOG.debugf("%s: refresh request for %s ignored: %s", name, e.connectionId, ignored);
                stats.request(false);
                return false;
            }
            LOG.debugf("%s: refresh request for %s (%s)", name, e.connectionId, request.reason());
            schedule.schedule(e, now);
            e.requestedBy = requestedBy;
            stats.request(true);
            return true;
        }
    }

    /** Why the request is not acted on, or null to refresh now (caller holds the entry's monitor). */
    private String reasonToIgnore(ConnectionEntry e, RefreshRequest request, long now) {
        if (e.grant == null || e.token == null || e.token.status() == ConnectionStatus.NEEDS_REAUTH) {
            return "not refreshable";
        } else if (now - e.lastSuccessAt < recentRefreshWindow.toMillis()) {
            return "refreshed recently";
        } else if (request.knownTokenVersion() > 0 && request.knownTokenVersion() < e.token.tokenVersion()
                && e.token.status().usable() && e.dueAt > now) {
            return "the requester holds an older token than the one already published";
        } else if (e.inFlight) {
            return "a refresh is in flight";
        } else if (e.transientFailures > 0 || e.misconfigured) {
            return "backing off after failures";
        }
        return null;
    }
}
