package org.boomerang.control;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.boomerang.provider.SiteId;

/**
 * How a control server runs.
 *
 * @param node this server's name in job leases, unique per process (two servers sharing one name
 *     would both run a job); a server that is not {@code exclusive} waits for a dead server's leases
 *     to expire
 * @param address the address operators and components reach it at (kept in its identity, FB-13)
 * @param site the site it stands at (the primary site for failback, FB-13)
 * @param lease how long a job lease lasts without renewal
 * @param poll how often the runner renews leases and picks up runnable jobs
 * @param exclusive the database is this server's alone (a SQLite file in its locked data folder):
 *     at start it takes over every job lease at once instead of waiting for them to expire
 * @param agentSilence how long the agent of a replicating item's source machine may go without a
 *     heartbeat before the item is alerted ({@code ROLE_UNREACHABLE}); zero when agents do not report
 *     on their own (heartbeats are then only read by FB-21)
 */
public record ControlServerConfig(String node, String address, SiteId site, Duration lease, Duration poll, boolean exclusive,
        Duration agentSilence) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(2);
    /** Five heartbeats of agents that report every {@link #DEFAULT_POLL}. */
    public static final Duration DEFAULT_AGENT_SILENCE = Duration.ofSeconds(10);

    public ControlServerConfig {
        requireNonNull(node, "node is null");
        requireNonNull(address, "address is null");
        requireNonNull(site, "site is null");
        requireNonNull(lease, "lease is null");
        requireNonNull(poll, "poll is null");
        requireNonNull(agentSilence, "agentSilence is null");
        if (agentSilence.isNegative()) {
            throw new IllegalArgumentException("agentSilence must not be negative: " + agentSilence);
        }
        if (node.isBlank()) {
            throw new IllegalArgumentException("node name must not be blank");
        }
        if (!poll.isPositive() || lease.compareTo(poll.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("lease (" + lease + ") must be at least twice the poll interval (" + poll + ")");
        }
    }

    public static ControlServerConfig defaults(String node, String address, SiteId site) {
        return new ControlServerConfig(node, address, site, DEFAULT_LEASE, DEFAULT_POLL, false, DEFAULT_AGENT_SILENCE);
    }

    public ControlServerConfig withExclusive(boolean value) {
        return new ControlServerConfig(node, address, site, lease, poll, value, agentSilence);
    }
}
