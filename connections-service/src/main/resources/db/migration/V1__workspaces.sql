-- A workspace owns connections and workflows; its API keys are stored as hashes only.
CREATE TABLE workspace (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
