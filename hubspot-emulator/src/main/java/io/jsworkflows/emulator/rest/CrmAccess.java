package io.jsworkflows.emulator.rest;

import java.util.List;

import io.jsworkflows.emulator.service.HubSpotErrors;
import io.jsworkflows.emulator.service.ObjectType;
import io.jsworkflows.emulator.service.Portal;
import io.jsworkflows.emulator.service.Tokens;
import io.vertx.ext.web.RoutingContext;

/**
 * What every CRM endpoint checks first, with HubSpot's error bodies: the object type in the path, and the scopes of the
 * token the {@link EdgeFilter} put in the routing context (whose portal the request then acts on).
 */
final class CrmAccess {

    private CrmAccess() {
    }

    /** The object type of a CRM path ({@code contacts} or {@code 0-1}, ...); anything else is HubSpot's 400. */
    static ObjectType objectType(String type) {
        ObjectType t = ObjectType.fromPath(type);
        if (t == null) {
            throw HubSpotErrors.validation("Unable to infer object type from: " + type);
        }
        return t;
    }

    /** The caller's portal, when its token has any of the scopes; otherwise 401 or 403 MISSING_SCOPES. */
    static Portal require(RoutingContext rc, List<String> anyOf) {
        Tokens.AccessToken t = rc.get(EdgeFilter.TOKEN);
        Portal p = rc.get(EdgeFilter.PORTAL);
        if (t == null || p == null) {
            throw HubSpotErrors.invalidAuthentication();
        }
        for (String s : anyOf) {
            if (t.scopeSet().contains(s)) {
                return p;
            }
        }
        throw HubSpotErrors.missingScopes(anyOf);
    }
}
