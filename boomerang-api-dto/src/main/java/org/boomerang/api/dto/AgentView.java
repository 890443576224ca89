package org.boomerang.api.dto;

import java.time.Instant;

/** The agent of a machine: when it registered and when it last reported (FB-21). */
public record AgentView(String machine, Instant registeredAt, Instant lastHeartbeat) {}
