package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.boomerang.control.dataplane.PairHealth;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.ReplicationState;

/**
 * An item's health derived from replication facts (FB-12 reads it): OK when its pair is
 * protected, its measured RPO is within the policy's threshold and every role of the pair is
 * reachable; otherwise WARNING or CRITICAL, each reason a {@link HealthCondition}:
 *
 * <ul>
 *   <li>{@code INITIAL_SYNC} (WARNING): the first copy runs; the message gives its progress.
 *   <li>{@code CATCHING_UP} (WARNING): the replica is behind and a catch-up runs.
 *   <li>{@code RPO_UNMEASURED} (WARNING): the pair replicates but no RPO could be measured yet.
 *   <li>{@code RPO_EXCEEDED} (WARNING; CRITICAL beyond twice the threshold): the measured RPO is over the policy's threshold.
 *   <li>{@code REPLICATION_PAUSED} (CRITICAL): the item should replicate but its pair is stopped.
 *   <li>{@code REPLICATION_ERROR} (CRITICAL): a role reported a failure of the pair.
 *   <li>{@code ROLE_UNREACHABLE} (CRITICAL): an agent, process server or master target of the pair (or the data plane itself) did not
 *       answer, or the agent of the pair's source machine stopped sending heartbeats.
 * </ul>
 *
 * An item that does not replicate now (unprotected, failed over, committed, failed back) has
 * nothing to measure and is OK. Stateless.
 */
public record ItemHealth(Health health, List<HealthCondition> conditions, Optional<PairHealth> replication, Duration rpoThreshold) {
    public static final String INITIAL_SYNC = "INITIAL_SYNC";
    public static final String CATCHING_UP = "CATCHING_UP";
    public static final String RPO_UNMEASURED = "RPO_UNMEASURED";
    public static final String RPO_EXCEEDED = "RPO_EXCEEDED";
    public static final String REPLICATION_PAUSED = "REPLICATION_PAUSED";
    public static final String REPLICATION_ERROR = "REPLICATION_ERROR";
    public static final String ROLE_UNREACHABLE = "ROLE_UNREACHABLE";

    public ItemHealth {
        requireNonNull(health, "health is null");
        conditions = List.copyOf(conditions);
        requireNonNull(replication, "replication is null");
        requireNonNull(rpoThreshold, "rpoThreshold is null");
    }

    /** True when the item's state means its current pair should be replicating. */
    public static boolean replicating(ItemState state) {
        return switch (state) {
            case INITIAL_SYNC, PROTECTED, TEST_RUNNING, REVERSE_SYNC, REVERSE_PROTECTED -> true;
            case UNPROTECTED, FAILED_OVER, COMMITTED, FAILED_BACK, COMMITTED_BACK -> false;
        };
    }

    /** The health of an item that does not replicate now. */
    public static ItemHealth notReplicating(Duration threshold) {
        return new ItemHealth(Health.OK, List.of(), Optional.empty(), threshold);
    }

    /** The health of a replicating item whose data plane could not be asked. */
    public static ItemHealth unreachable(PairId pair, String why, Duration threshold) {
        return new ItemHealth(Health.CRITICAL, List.of(new HealthCondition(ROLE_UNREACHABLE, Health.CRITICAL,
                "the data plane did not report pair " + pair + ": " + why + "; check the roles of the pair's sites, health is measured again every few seconds")),
                Optional.empty(), threshold);
    }

    /** Derives the health of a replicating item from its pair's measurement and the policy's RPO threshold. */
    public static ItemHealth derive(PairHealth pair, Duration threshold) {
        requireNonNull(pair, "pair is null");
        requireNonNull(threshold, "threshold is null");
        List<HealthCondition> out = new ArrayList<>();
        for (String role : pair.unreachableRoles()) {
            out.add(new HealthCondition(ROLE_UNREACHABLE, Health.CRITICAL,
                    role + " of pair " + pair.pair() + " is unreachable; check that it runs and its site's network, replication resumes by itself"));
        }
        switch (pair.state()) {
            case INITIAL_SYNC -> out.add(new HealthCondition(INITIAL_SYNC, Health.WARNING,
                    "initial sync " + percent(pair.initialSyncProgress()) + " done; the item is protected once it completes"));
            case CATCHING_UP -> out.add(new HealthCondition(CATCHING_UP, Health.WARNING,
                    "the replica is " + pair.lagBytes() + " bytes behind and catching up; wait, or check the link between the sites if it does not shrink"));
            case PAUSED -> out.add(new HealthCondition(REPLICATION_PAUSED, Health.CRITICAL,
                    "replication of pair " + pair.pair() + " is stopped; enable the item again or check its last job"));
            case ERROR -> out.add(new HealthCondition(REPLICATION_ERROR, Health.CRITICAL,
                    "replication of pair " + pair.pair() + " failed; see the server log and the roles of its sites"));
            case PROTECTED -> { }
        }
        if (pair.state() == ReplicationState.PROTECTED || pair.state() == ReplicationState.CATCHING_UP) {
            if (pair.rpo().isEmpty()) {
                out.add(new HealthCondition(RPO_UNMEASURED, Health.WARNING, "no RPO measured yet for pair " + pair.pair() + "; it is measured every few seconds"));
            } else if (pair.rpo().get().compareTo(threshold) > 0) {
                Duration rpo = pair.rpo().get();
                out.add(new HealthCondition(RPO_EXCEEDED, rpo.compareTo(threshold.multipliedBy(2)) > 0 ? Health.CRITICAL : Health.WARNING,
                        "RPO " + seconds(rpo) + " is over the policy's threshold of " + seconds(threshold)
                                + "; check the link between the sites and the replica's disk, or raise the threshold"));
            }
        }
        Health h = out.stream().map(HealthCondition::severity).max(Enum::compareTo).orElse(Health.OK);
        return new ItemHealth(h, out, Optional.of(pair), threshold);
    }

    /** This health with one more condition; the health is the worst of its conditions. */
    public ItemHealth with(HealthCondition condition) {
        List<HealthCondition> out = new ArrayList<>(conditions);
        out.add(requireNonNull(condition, "condition is null"));
        Health h = out.stream().map(HealthCondition::severity).max(Enum::compareTo).orElse(Health.OK);
        return new ItemHealth(h, out, replication, rpoThreshold);
    }

    /** True when the item has a condition an operator is alerted to. */
    public boolean alerting() {
        return conditions.stream().anyMatch(HealthCondition::alerts);
    }

    private static String percent(double progress) {
        return Math.round(progress * 1000) / 10.0 + "%";
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + "s";
    }
}
