package io.jsworkflows.connections.service;

import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** HubSpot's OAuth v1 token metadata and revocation endpoints (no bearer auth: the token is the path). */
@RegisterRestClient(configKey = "hubspot-oauth")
@Path("/oauth/v1")
public interface HubSpotOAuthApi {

    @GET
    @Path("/access-tokens/{token}")
    @Produces(MediaType.APPLICATION_JSON)
    AccessTokenInfo accessTokenInfo(@PathParam("token") String accessToken);

    /** 204 on success. Deletes only the refresh token; access tokens already issued stay valid until they expire. */
    @DELETE
    @Path("/refresh-tokens/{token}")
    Response revokeRefreshToken(@PathParam("token") String refreshToken);

    /** Metadata of an access token. The token itself, which HubSpot echoes, is deliberately not mapped. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AccessTokenInfo(
            @JsonProperty("hub_id") Long hubId,
            @JsonProperty("hub_domain") String hubDomain,
            @JsonProperty("user") String user,
            @JsonProperty("user_id") Long userId,
            @JsonProperty("app_id") Long appId,
            @JsonProperty("scopes") List<String> scopes,
            @JsonProperty("expires_in") Long expiresIn) {
    }
}
