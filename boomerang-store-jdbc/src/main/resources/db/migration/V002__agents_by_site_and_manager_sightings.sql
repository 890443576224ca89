-- Agents are keyed by site and machine: a machine recovered at the recovery site may carry the id of
-- the primary one, and each has its own agent and heartbeat. Heartbeats are facts that agents report
-- again within seconds, so the old machine-keyed rows (which do not say their site) are dropped.
DROP TABLE agents;

CREATE TABLE agent_heartbeats (
    site_id     VARCHAR(200) NOT NULL,
    machine_id  VARCHAR(200) NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (site_id, machine_id)
);

-- When this control server first saw each hypervisor manager of a site in a discovery (FB-3). Written
-- once per manager (insert-if-absent); first_seen_at is an ISO-8601 instant.
CREATE TABLE manager_sightings (
    site_id        VARCHAR(200) NOT NULL,
    manager_id     VARCHAR(200) NOT NULL,
    first_seen_at  TEXT NOT NULL,
    PRIMARY KEY (site_id, manager_id)
);
