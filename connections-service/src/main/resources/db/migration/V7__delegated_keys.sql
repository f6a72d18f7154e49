-- A key minted by the service itself for one call to another service on behalf of a signed-in page (deploying a
-- workflow from the web page): never shown to anyone, valid only at the key check (GET /api/v1/workspace) and only
-- until delegated_until; deleted after its call, and purged if the service stopped in between.
ALTER TABLE api_key ADD COLUMN delegated_until TIMESTAMPTZ;
