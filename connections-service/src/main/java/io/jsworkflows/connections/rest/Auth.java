package io.jsworkflows.connections.rest;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

import io.jsworkflows.connections.persistence.Workspace;
import io.jsworkflows.connections.service.SessionService;
import io.jsworkflows.connections.service.WorkspaceService;

/** Resolves the caller's workspace from a bearer API key (API) or the web page's session cookie (a server-side session). */
@ApplicationScoped
public class Auth {

    public static final String SESSION_COOKIE = "jsw_session";

    private final WorkspaceService workspaces;
    private final SessionService sessions;

    public Auth(WorkspaceService workspaces, SessionService sessions) {
        this.workspaces = workspaces;
        this.sessions = sessions;
    }

    /** The key check other services call: also accepts a delegated key within its time. */
    public Workspace checkedKey(HttpHeaders headers) {
        return workspaces.checkKey(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
    }

    /** The workspace of the session cookie, if it names a live session. */
    public Optional<Workspace> fromCookie(HttpHeaders headers) {
        return sessions.workspaceOf(sessionToken(headers));
    }

    public static String sessionToken(HttpHeaders headers) {
        Cookie c = headers.getCookies().get(SESSION_COOKIE);
        return c == null ? null : c.getValue();
    }

    /** Whoever is calling, by bearer key or cookie; empty when anonymous or the credentials are invalid. */
    public Optional<Workspace> optional(HttpHeaders headers) {
        String authz = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authz != null && authz.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Optional<Workspace> w = workspaces.workspaceOfKey(authz.substring(7));
            if (w.isPresent()) {
                return w;
            }
        }
        return fromCookie(headers);
    }
}
