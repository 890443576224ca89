package org.boomerang.api.control;

import java.util.List;
import org.boomerang.api.dto.AgentView;
import org.boomerang.api.dto.AlertView;
import org.boomerang.api.dto.ConnectionView;
import org.boomerang.api.dto.ConsistencyView;
import org.boomerang.api.dto.DatastoreTypeView;
import org.boomerang.api.dto.ErrorView;
import org.boomerang.api.dto.GroupView;
import org.boomerang.api.dto.GuestToolsView;
import org.boomerang.api.dto.HealthConditionView;
import org.boomerang.api.dto.HypervisorTypeView;
import org.boomerang.api.dto.IdentityView;
import org.boomerang.api.dto.InventoryView;
import org.boomerang.api.dto.ItemHealthView;
import org.boomerang.api.dto.ItemStateView;
import org.boomerang.api.dto.ItemView;
import org.boomerang.api.dto.JobDetails;
import org.boomerang.api.dto.JobKindView;
import org.boomerang.api.dto.JobStateView;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.MachineKindView;
import org.boomerang.api.dto.MasterTargetView;
import org.boomerang.api.dto.OperationView;
import org.boomerang.api.dto.OsFamilyView;
import org.boomerang.api.dto.PointPreview;
import org.boomerang.api.dto.PointView;
import org.boomerang.api.dto.PolicyView;
import org.boomerang.api.dto.PowerView;
import org.boomerang.api.dto.ProcessServerView;
import org.boomerang.api.dto.ReplicationStateView;
import org.boomerang.api.dto.ReplicationView;
import org.boomerang.api.dto.SiteView;
import org.boomerang.api.dto.StepStateView;
import org.boomerang.common.ErrorType;
import org.boomerang.control.dataplane.MachinePoint;
import org.boomerang.control.dataplane.PairHealth;
import org.boomerang.control.dataplane.ReplicationState;
import org.boomerang.control.failback.SelectedPoint;
import org.boomerang.control.inventory.Agent;
import org.boomerang.control.inventory.ControlServerIdentity;
import org.boomerang.control.inventory.MasterTarget;
import org.boomerang.control.inventory.ProcessServer;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.job.Job;
import org.boomerang.control.job.JobKind;
import org.boomerang.control.job.JobLogEntry;
import org.boomerang.control.job.JobState;
import org.boomerang.control.job.JobStep;
import org.boomerang.control.job.StepState;
import org.boomerang.control.protection.Health;
import org.boomerang.control.protection.ItemHealth;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.ItemStatus;
import org.boomerang.control.protection.Lifecycle;
import org.boomerang.control.protection.Operation;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.ReplicationGroup;
import org.boomerang.control.protection.ReplicationPolicy;
import org.boomerang.provider.ConnectionState;
import org.boomerang.provider.DatastoreType;
import org.boomerang.provider.DiskBacking;
import org.boomerang.provider.GuestToolsState;
import org.boomerang.provider.HypervisorType;
import org.boomerang.provider.Inventory;
import org.boomerang.provider.MachineKind;
import org.boomerang.provider.OsFamily;
import org.boomerang.provider.PowerState;

/** Turns the control server's records into the API's records. Stateless. */
public final class ControlViews {
    private ControlViews() {}

    /** The operations an item allows now: none while an operation runs, else its state's legal ones. */
    public static List<OperationView> allowedActions(ProtectedItem item) {
        if (item.active().isPresent()) {
            return List.of();
        }
        return Lifecycle.legalOperations(item.state()).stream().map(ControlViews::operation).toList();
    }

    /** An item with its health as measured now: the measured health, replication facts and conditions. */
    public static ItemView item(ItemStatus st) {
        ProtectedItem i = st.item();
        return new ItemView(i.id().value(), i.machine().value(), machineKind(i.kind()), i.os().family() + " " + i.os().version(),
                i.primarySite().value(), i.recoverySite().value(), i.policy().value(), i.group().map(g -> g.value()).orElse(null),
                state(i.state()), health(st.health().health()), replication(st), conditions(st.health()),
                i.active().map(a -> operation(a.operation())).orElse(null), i.active().map(a -> a.job().value()).orElse(null),
                i.recoveryMachine().map(m -> m.value()).orElse(null), i.point().map(p -> p.value()).orElse(null),
                i.fencedSite().map(s -> s.value()).orElse(null), i.processServer().orElse(null), st.retention().toSeconds(),
                i.retention().isEmpty(), i.protectedAt(),
                i.lastError().map(e -> error(e.code(), e.category(), e.message(), e.hint())).orElse(null),
                allowedActions(i), i.version());
    }

    /** An item's replication as measured now; null while it does not replicate. */
    static ReplicationView replication(ItemStatus st) {
        ItemHealth h = st.health();
        if (h.replication().isEmpty()) {
            return null;
        }
        PairHealth p = h.replication().get();
        return new ReplicationView(replicationState(p.state()), p.initialSyncProgress(), p.rpo().map(ControlViews::seconds).orElse(null),
                h.rpoThreshold().toSeconds(), st.rpoExceeded(), p.lagBytes(), p.lastCrashPoint().orElse(null), p.lastAppPoint().orElse(null),
                p.unreachableRoles());
    }

    static List<HealthConditionView> conditions(ItemHealth h) {
        return h.conditions().stream().map(c -> new HealthConditionView(c.code(), health(c.severity()), c.message())).toList();
    }

    /** An alert: an item with a condition an operator is alerted to. */
    public static AlertView alert(ItemStatus st) {
        return new AlertView(st.item().id().value(), state(st.item().state()), health(st.health().health()),
                st.rpo().map(ControlViews::seconds).orElse(null), st.health().rpoThreshold().toSeconds(), conditions(st.health()));
    }

    private static double seconds(java.time.Duration d) {
        return d.toNanos() / 1e9;
    }

    /** Every replication state has its wire value. */
    static ReplicationStateView replicationState(ReplicationState s) {
        return switch (s) {
            case INITIAL_SYNC -> ReplicationStateView.INITIAL_SYNC;
            case PROTECTED -> ReplicationStateView.PROTECTED;
            case CATCHING_UP -> ReplicationStateView.CATCHING_UP;
            case PAUSED -> ReplicationStateView.PAUSED;
            case ERROR -> ReplicationStateView.ERROR;
        };
    }

    /** An error as stored with a job or an item: its category was kept with it, never looked up by name. */
    public static ErrorView error(String code, ErrorType category, String message, String hint) {
        return new ErrorView(code, category, message, hint);
    }

    /** Every item state has its wire value; a new state fails the build here until it gets one. */
    static ItemStateView state(ItemState s) {
        return switch (s) {
            case UNPROTECTED -> ItemStateView.UNPROTECTED;
            case INITIAL_SYNC -> ItemStateView.INITIAL_SYNC;
            case PROTECTED -> ItemStateView.PROTECTED;
            case TEST_RUNNING -> ItemStateView.TEST_RUNNING;
            case FAILED_OVER -> ItemStateView.FAILED_OVER;
            case COMMITTED -> ItemStateView.COMMITTED;
            case REVERSE_SYNC -> ItemStateView.REVERSE_SYNC;
            case REVERSE_PROTECTED -> ItemStateView.REVERSE_PROTECTED;
            case FAILED_BACK -> ItemStateView.FAILED_BACK;
            case COMMITTED_BACK -> ItemStateView.COMMITTED_BACK;
        };
    }

    /** Every operation has its wire value. */
    static OperationView operation(Operation o) {
        return switch (o) {
            case ENABLE -> OperationView.ENABLE;
            case TEST_FAILOVER -> OperationView.TEST_FAILOVER;
            case CLEANUP_TEST_FAILOVER -> OperationView.CLEANUP;
            case PLANNED_FAILOVER -> OperationView.PLANNED_FAILOVER;
            case UNPLANNED_FAILOVER -> OperationView.UNPLANNED_FAILOVER;
            case CHANGE_RECOVERY_POINT -> OperationView.CHANGE_RECOVERY_POINT;
            case COMMIT -> OperationView.COMMIT;
            case CANCEL_FAILOVER -> OperationView.CANCEL_FAILOVER;
            case REPROTECT -> OperationView.REPROTECT;
            case DISABLE -> OperationView.DISABLE;
        };
    }

    static ItemHealthView health(Health h) {
        return switch (h) {
            case OK -> ItemHealthView.OK;
            case WARNING -> ItemHealthView.WARNING;
            case CRITICAL -> ItemHealthView.CRITICAL;
        };
    }

    static MachineKindView machineKind(MachineKind k) {
        return switch (k) {
            case VM -> MachineKindView.VM;
            case PHYSICAL -> MachineKindView.PHYSICAL;
        };
    }

    static HypervisorTypeView hypervisor(HypervisorType t) {
        return switch (t) {
            case VMWARE -> HypervisorTypeView.VMWARE;
            case HYPER_V -> HypervisorTypeView.HYPER_V;
            case CLOUD -> HypervisorTypeView.CLOUD;
        };
    }

    static ConnectionView connection(ConnectionState c) {
        return switch (c) {
            case CONNECTED -> ConnectionView.CONNECTED;
            case DISCONNECTED -> ConnectionView.DISCONNECTED;
        };
    }

    static DatastoreTypeView datastoreType(DatastoreType t) {
        return switch (t) {
            case VMFS -> DatastoreTypeView.VMFS;
            case VSAN -> DatastoreTypeView.VSAN;
            case RDM -> DatastoreTypeView.RDM;
            case NFS -> DatastoreTypeView.NFS;
        };
    }

    static OsFamilyView osFamily(OsFamily f) {
        return switch (f) {
            case WINDOWS -> OsFamilyView.WINDOWS;
            case LINUX -> OsFamilyView.LINUX;
        };
    }

    static PowerView power(PowerState p) {
        return switch (p) {
            case ON -> PowerView.ON;
            case OFF -> PowerView.OFF;
        };
    }

    static GuestToolsView tools(GuestToolsState t) {
        return switch (t) {
            case RUNNING -> GuestToolsView.RUNNING;
            case DISABLED -> GuestToolsView.DISABLED;
            case NOT_INSTALLED -> GuestToolsView.NOT_INSTALLED;
        };
    }

    static JobKindView jobKind(JobKind k) {
        return switch (k) {
            case ITEM_OPERATION -> JobKindView.ITEM_OPERATION;
            case PLAN_OPERATION -> JobKindView.PLAN_OPERATION;
        };
    }

    static StepStateView stepState(StepState s) {
        return switch (s) {
            case STARTED -> StepStateView.STARTED;
            case DONE -> StepStateView.DONE;
            case WAITING -> StepStateView.WAITING;
            case FAILED -> StepStateView.FAILED;
            case COMPENSATED -> StepStateView.COMPENSATED;
        };
    }

    public static JobView job(Job j) {
        return new JobView(j.id().value(), jobKind(j.kind()), j.request().target(), j.request().describe(), state(j.state()),
                j.state().isTerminal(), j.progress().percent(), j.progress().step(), j.progress().bytesDone(), j.progress().bytesTotal(),
                j.error().map(e -> error(e.code(), e.category(), e.message(), e.hint())).orElse(null), j.cancelRequested(),
                j.parent().map(p -> p.value()).orElse(null), j.restartOf().map(r -> r.value()).orElse(null), j.createdAt(), j.updatedAt());
    }

    /** Every job state has its wire value; a new state fails the build here until it gets one. */
    static JobStateView state(JobState s) {
        return switch (s) {
            case QUEUED -> JobStateView.QUEUED;
            case RUNNING -> JobStateView.RUNNING;
            case WAITING_FOR_OPERATOR -> JobStateView.WAITING_FOR_OPERATOR;
            case CANCELLING -> JobStateView.CANCELLING;
            case SUCCEEDED -> JobStateView.SUCCEEDED;
            case FAILED -> JobStateView.FAILED;
            case CANCELLED -> JobStateView.CANCELLED;
        };
    }

    public static JobDetails jobDetails(Job j, List<JobStep> steps, List<JobLogEntry> log) {
        return new JobDetails(job(j),
                steps.stream().map(s -> new JobDetails.Step(s.index(), s.name(), s.requestId().text(), stepState(s.state()), s.detail(), s.updatedAt())).toList(),
                log.stream().map(l -> new JobDetails.LogLine(l.sequence(), l.at(), l.message())).toList());
    }

    public static PointView point(ItemId item, MachinePoint p) {
        return new PointView(p.id().value(), item.value(), p.lsn().value(), p.time(), switch (p.consistency()) {
            case CRASH -> ConsistencyView.CRASH;
            case APP -> ConsistencyView.APP;
            case GROUP -> ConsistencyView.GROUP;
        }, p.groupTag().orElse(null));
    }

    public static PointPreview preview(SelectedPoint s) {
        return new PointPreview(s.item().value(), point(s.item(), s.point()), point(s.item(), s.latest()), s.dataLoss().toSeconds());
    }

    public static SiteView site(Site s) {
        SiteView.SiteRole role = switch (s.role()) {
            case PRIMARY -> SiteView.SiteRole.PRIMARY;
            case RECOVERY -> SiteView.SiteRole.RECOVERY;
        };
        return new SiteView(s.id().value(), role, s.provider());
    }

    public static IdentityView identity(ControlServerIdentity i) {
        return new IdentityView(i.id(), i.address(), i.site().value(), i.createdAt());
    }

    public static InventoryView inventory(Inventory inv) {
        return new InventoryView(inv.site().value(),
                inv.managers().stream().map(m -> new InventoryView.Manager(m.id().value(), m.address(), hypervisor(m.type()), connection(m.connection()), m.addedAt())).toList(),
                inv.hosts().stream().map(h -> new InventoryView.Host(h.id().value(), h.name(), hypervisor(h.type()),
                        h.manager().map(x -> x.value()).orElse(null), h.discovered())).toList(),
                inv.datastores().stream().map(d -> new InventoryView.Datastore(d.id().value(), d.name(), datastoreType(d.type()),
                        d.reachableFrom().stream().map(x -> x.value()).sorted().toList())).toList(),
                inv.machines().stream().map(m -> new InventoryView.Machine(m.id().value(), m.name(), machineKind(m.kind()), osFamily(m.os().family()),
                        m.os().version(), power(m.power()), tools(m.tools()), m.snapshots(), m.host().map(x -> x.value()).orElse(null),
                        m.resourceGroup(), m.disks().stream().map(d -> new InventoryView.Disk(d.id().value(), d.datastore().value(),
                                d.sizeBytes(), d.attached(),
                                d.backing() instanceof DiskBacking.ImageFile f ? f.path().toString() : null,
                                d.nbdUri().map(java.net.URI::toString).orElse(null))).toList(),
                        m.bootedAt().orElse(null), m.agent().installed(), m.agentRegisteredSinceBoot())).toList());
    }

    public static ProcessServerView processServer(ProcessServer p) {
        return new ProcessServerView(p.id(), p.site().value(), p.address());
    }

    public static MasterTargetView masterTarget(MasterTarget m) {
        return new MasterTargetView(m.machine().value(), m.site().value(), m.host().value());
    }

    public static AgentView agent(Agent a) {
        return new AgentView(a.site().value(), a.machine().value(), a.registeredAt(), a.lastHeartbeat());
    }

    public static PolicyView policy(ReplicationPolicy p) {
        return new PolicyView(p.id().value(), p.name(), p.rpoThreshold().toSeconds(), p.retention().toSeconds(),
                p.crashConsistentEvery().toSeconds(), p.appConsistentEvery().toSeconds(), p.multiVmSync());
    }

    public static GroupView group(ReplicationGroup g) {
        return new GroupView(g.id().value(), g.name());
    }
}
