-- The control server's schema (SQLite and PostgreSQL alike; see docs/formats.md, "control database").
-- Columns that are queried or compared are typed; the rest of each record is a JSON document in
-- `doc`, written and read only by DocumentCodec. States are persisted by their enum ids, never ordinals.

CREATE TABLE control_identity (
    singleton  INTEGER PRIMARY KEY,
    doc        TEXT NOT NULL
);

CREATE TABLE sites (
    id   VARCHAR(200) PRIMARY KEY,
    doc  TEXT NOT NULL
);

CREATE TABLE inventories (
    site_id  VARCHAR(200) PRIMARY KEY,
    doc      TEXT NOT NULL
);

CREATE TABLE process_servers (
    id   VARCHAR(200) PRIMARY KEY,
    doc  TEXT NOT NULL
);

CREATE TABLE master_targets (
    machine_id  VARCHAR(200) PRIMARY KEY,
    doc         TEXT NOT NULL
);

CREATE TABLE agents (
    machine_id  VARCHAR(200) PRIMARY KEY,
    doc         TEXT NOT NULL
);

CREATE TABLE replication_policies (
    id   VARCHAR(200) PRIMARY KEY,
    doc  TEXT NOT NULL
);

CREATE TABLE replication_groups (
    id   VARCHAR(200) PRIMARY KEY,
    doc  TEXT NOT NULL
);

CREATE TABLE protected_items (
    id        VARCHAR(200) PRIMARY KEY,
    state_id  INTEGER NOT NULL,
    version   BIGINT NOT NULL,
    doc       TEXT NOT NULL
);

CREATE TABLE recovery_plans (
    id   VARCHAR(200) PRIMARY KEY,
    doc  TEXT NOT NULL
);

CREATE TABLE jobs (
    id                VARCHAR(64) PRIMARY KEY,
    kind_id           INTEGER NOT NULL,
    target            VARCHAR(200) NOT NULL,
    state_id          INTEGER NOT NULL,
    parent_id         VARCHAR(64),
    created_at        BIGINT NOT NULL,
    version           BIGINT NOT NULL,
    lease_owner       VARCHAR(200),
    lease_until       BIGINT,
    cancel_requested  INTEGER NOT NULL,
    doc               TEXT NOT NULL
);
CREATE INDEX jobs_by_state ON jobs (state_id, lease_until);
CREATE INDEX jobs_by_parent ON jobs (parent_id);

CREATE TABLE job_steps (
    job_id      VARCHAR(64) NOT NULL,
    step_index  INTEGER NOT NULL,
    name        TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    state_id    INTEGER NOT NULL,
    detail      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (job_id, step_index)
);

CREATE TABLE job_log (
    job_id   VARCHAR(64) NOT NULL,
    seq      BIGINT NOT NULL,
    at       TEXT NOT NULL,
    message  TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
