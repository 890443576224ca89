package org.boomerang.api.dto;

import java.time.Instant;

/**
 * The agent of a machine at a site: when it registered and when it last reported (FB-21; a replicating
 * item whose source agent stops reporting is alerted). A recovered machine named like the primary one has
 * its own agent at the recovery site.
 */
public record AgentView(String site, String machine, Instant registeredAt, Instant lastHeartbeat) {}
