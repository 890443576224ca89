package org.boomerang.control;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.boomerang.provider.SiteId;

/**
 * How a control server runs.
 *
 * @param node this server's name in job leases; keep it stable across restarts so a restarted
 *     server takes its own jobs back at once (another server waits for the lease to expire)
 * @param address the address operators and components reach it at (kept in its identity, FB-13)
 * @param site the site it stands at (the primary site for failback, FB-13)
 * @param lease how long a job lease lasts without renewal
 * @param poll how often the runner renews leases and picks up runnable jobs
 */
public record ControlServerConfig(String node, String address, SiteId site, Duration lease, Duration poll) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(2);

    public ControlServerConfig {
        requireNonNull(node, "node is null");
        requireNonNull(address, "address is null");
        requireNonNull(site, "site is null");
        requireNonNull(lease, "lease is null");
        requireNonNull(poll, "poll is null");
        if (node.isBlank()) {
            throw new IllegalArgumentException("node name must not be blank");
        }
        if (!poll.isPositive() || lease.compareTo(poll.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("lease (" + lease + ") must be at least twice the poll interval (" + poll + ")");
        }
    }

    public static ControlServerConfig defaults(String node, String address, SiteId site) {
        return new ControlServerConfig(node, address, site, DEFAULT_LEASE, DEFAULT_POLL);
    }
}
