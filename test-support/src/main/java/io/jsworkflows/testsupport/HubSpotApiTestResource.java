package io.jsworkflows.testsupport;

import java.util.Map;

/**
 * The HubSpot emulator for a service that calls HubSpot's API but holds no OAuth app (workflow-executor): only
 * {@code jsw.hubspot.api-url} is set, since the service's strict configuration refuses keys it does not map.
 */
public class HubSpotApiTestResource extends HubSpotEmulatorTestResource {

    @Override
    protected Map<String, String> properties(String base) {
        return Map.of("jsw.hubspot.api-url", base);
    }
}
