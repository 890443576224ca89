package org.boomerang.api.dto;

/** A test failover: brings up a copy at a recovery point, isolated, while replication goes on. */
public record TestFailoverRequest(String point) {}
