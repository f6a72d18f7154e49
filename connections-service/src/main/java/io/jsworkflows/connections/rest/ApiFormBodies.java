package io.jsworkflows.connections.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Keeps the web page's CSRF check (quarkus-rest-csrf, which applies to every form-encoded request) off the JSON API:
 * /api/v1 authenticates with bearer keys only, which no other site can make a browser send, and takes no form
 * bodies, yet clients often send an empty form on a POST without body (e.g. a reconnect). The extension has no
 * per-path switch, so the API's form content type is dropped before it looks.
 */
@ApplicationScoped
public class ApiFormBodies {

    void register(@Observes Router router) {
        router.route("/api/*").order(-100).handler(rc -> {
            String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"))) {
                rc.request().headers().remove(HttpHeaders.CONTENT_TYPE);
            }
            rc.next();
        });
    }
}
