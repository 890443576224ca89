package org.boomerang.control.protection;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.dataplane.PointId;
import org.boomerang.control.dataplane.ViewId;
import org.boomerang.provider.GuestOs;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.MachineKind;
import org.boomerang.provider.ManagerId;
import org.boomerang.provider.SiteId;

/**
 * One machine under protection. What was requested ({@link #active()}) is kept apart from what
 * happened ({@link #state()}, {@link #health()}, {@link #lastError()}).
 *
 * <ul>
 *   <li>{@code machine}: the machine at the primary site (replaced by the new one after an
 *       alternate-location reprotect, FB-7).
 *   <li>{@code manager}, {@code controlServer}, {@code protectedAt}: the original hypervisor
 *       manager and control server (FB-3).
 *   <li>{@code recoveryMachine}, {@code recoveryResourceGroup}: the machine at the recovery site
 *       after a failover (FB-1 checks it was not moved or deleted).
 *   <li>{@code fencedSite}: the site whose copy of the machine must not run or replicate (fencing).
 *   <li>{@code retention}: how long the replica journal keeps recovery points, as chosen at the last
 *       reprotect; empty when none was chosen (the policy's retention applies).
 *   <li>{@code autoResolution}: an optional automatic commit or rollback of a failover.
 *   <li>{@code version}: optimistic concurrency; every store update bumps it.
 * </ul>
 */
public record ProtectedItem(
        ItemId id,
        MachineId machine,
        MachineKind kind,
        GuestOs os,
        SiteId primarySite,
        SiteId recoverySite,
        PolicyId policy,
        Optional<GroupId> group,
        ItemState state,
        Health health,
        Optional<ActiveOperation> active,
        Optional<ManagerId> manager,
        String controlServer,
        Instant protectedAt,
        Optional<MachineId> recoveryMachine,
        String recoveryResourceGroup,
        Optional<MachineId> testMachine,
        Optional<PairId> pair,
        Optional<ViewId> view,
        Optional<PointId> point,
        Optional<SiteId> fencedSite,
        Optional<String> processServer,
        Optional<Duration> retention,
        boolean migrationCompleted,
        Optional<AutoResolution> autoResolution,
        Optional<ItemError> lastError,
        long version) {
    public ProtectedItem {
        requireNonNull(id, "id is null");
        requireNonNull(machine, "machine is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(os, "os is null");
        requireNonNull(primarySite, "primarySite is null");
        requireNonNull(recoverySite, "recoverySite is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(group, "group is null");
        requireNonNull(state, "state is null");
        requireNonNull(health, "health is null");
        requireNonNull(active, "active is null");
        requireNonNull(manager, "manager is null");
        requireNonNull(controlServer, "controlServer is null");
        requireNonNull(protectedAt, "protectedAt is null");
        requireNonNull(recoveryMachine, "recoveryMachine is null");
        requireNonNull(recoveryResourceGroup, "recoveryResourceGroup is null");
        requireNonNull(testMachine, "testMachine is null");
        requireNonNull(pair, "pair is null");
        requireNonNull(view, "view is null");
        requireNonNull(point, "point is null");
        requireNonNull(fencedSite, "fencedSite is null");
        requireNonNull(processServer, "processServer is null");
        requireNonNull(retention, "retention is null");
        requireNonNull(autoResolution, "autoResolution is null");
        requireNonNull(lastError, "lastError is null");
    }

    /** A new, unprotected item. */
    public static ProtectedItem create(
            ItemId id,
            MachineId machine,
            MachineKind kind,
            GuestOs os,
            SiteId primary,
            SiteId recovery,
            PolicyId policy,
            Optional<GroupId> group,
            Optional<ManagerId> manager,
            String controlServer,
            Instant now,
            String recoveryResourceGroup,
            Optional<String> processServer) {
        return new ProtectedItem(id, machine, kind, os, primary, recovery, policy, group, ItemState.UNPROTECTED, Health.OK,
                Optional.empty(), manager, controlServer, now, Optional.empty(), recoveryResourceGroup,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                processServer, Optional.empty(), false, Optional.empty(), Optional.empty(), 0);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when {@code machine} at {@code site} is fenced by this item. */
    public boolean fences(SiteId site, MachineId m) {
        if (fencedSite.isEmpty() || !fencedSite.get().equals(site)) {
            return false;
        }
        return site.equals(primarySite) ? machine.equals(m) : recoveryMachine.map(m::equals).orElse(false);
    }

    /** Copies an item with some fields changed; keeps the version (the store bumps it). */
    public static final class Builder {
        private ItemId id;
        private MachineId machine;
        private MachineKind kind;
        private GuestOs os;
        private SiteId primarySite;
        private SiteId recoverySite;
        private PolicyId policy;
        private Optional<GroupId> group;
        private ItemState state;
        private Health health;
        private Optional<ActiveOperation> active;
        private Optional<ManagerId> manager;
        private String controlServer;
        private Instant protectedAt;
        private Optional<MachineId> recoveryMachine;
        private String recoveryResourceGroup;
        private Optional<MachineId> testMachine;
        private Optional<PairId> pair;
        private Optional<ViewId> view;
        private Optional<PointId> point;
        private Optional<SiteId> fencedSite;
        private Optional<String> processServer;
        private Optional<Duration> retention;
        private boolean migrationCompleted;
        private Optional<AutoResolution> autoResolution;
        private Optional<ItemError> lastError;
        private long version;

        private Builder(ProtectedItem i) {
            id = i.id;
            machine = i.machine;
            kind = i.kind;
            os = i.os;
            primarySite = i.primarySite;
            recoverySite = i.recoverySite;
            policy = i.policy;
            group = i.group;
            state = i.state;
            health = i.health;
            active = i.active;
            manager = i.manager;
            controlServer = i.controlServer;
            protectedAt = i.protectedAt;
            recoveryMachine = i.recoveryMachine;
            recoveryResourceGroup = i.recoveryResourceGroup;
            testMachine = i.testMachine;
            pair = i.pair;
            view = i.view;
            point = i.point;
            fencedSite = i.fencedSite;
            processServer = i.processServer;
            retention = i.retention;
            migrationCompleted = i.migrationCompleted;
            autoResolution = i.autoResolution;
            lastError = i.lastError;
            version = i.version;
        }

        public Builder machine(MachineId v) {
            machine = v;
            return this;
        }

        public Builder state(ItemState v) {
            state = v;
            return this;
        }

        public Builder health(Health v) {
            health = v;
            return this;
        }

        public Builder active(Optional<ActiveOperation> v) {
            active = v;
            return this;
        }

        public Builder protectedAt(Instant v) {
            protectedAt = v;
            return this;
        }

        public Builder recoveryMachine(Optional<MachineId> v) {
            recoveryMachine = v;
            return this;
        }

        public Builder recoveryResourceGroup(String v) {
            recoveryResourceGroup = v;
            return this;
        }

        public Builder testMachine(Optional<MachineId> v) {
            testMachine = v;
            return this;
        }

        public Builder pair(Optional<PairId> v) {
            pair = v;
            return this;
        }

        public Builder view(Optional<ViewId> v) {
            view = v;
            return this;
        }

        public Builder point(Optional<PointId> v) {
            point = v;
            return this;
        }

        public Builder fencedSite(Optional<SiteId> v) {
            fencedSite = v;
            return this;
        }

        public Builder processServer(Optional<String> v) {
            processServer = v;
            return this;
        }

        public Builder retention(Optional<Duration> v) {
            retention = v;
            return this;
        }

        public Builder migrationCompleted(boolean v) {
            migrationCompleted = v;
            return this;
        }

        public Builder autoResolution(Optional<AutoResolution> v) {
            autoResolution = v;
            return this;
        }

        public Builder lastError(Optional<ItemError> v) {
            lastError = v;
            return this;
        }

        public Builder version(long v) {
            version = v;
            return this;
        }

        public ProtectedItem build() {
            return new ProtectedItem(id, machine, kind, os, primarySite, recoverySite, policy, group, state, health, active,
                    manager, controlServer, protectedAt, recoveryMachine, recoveryResourceGroup, testMachine, pair,
                    view, point, fencedSite, processServer, retention, migrationCompleted, autoResolution, lastError, version);
        }
    }
}
