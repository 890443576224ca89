package org.boomerang.api.control;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.boomerang.api.Access;
import org.boomerang.api.ApiCall;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.StateRefusal;
import org.boomerang.api.dto.EnableRequest;
import org.boomerang.api.dto.FailoverRequest;
import org.boomerang.api.dto.AlertView;
import org.boomerang.api.dto.ItemView;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.OperationView;
import org.boomerang.api.dto.PointPreview;
import org.boomerang.api.dto.PointView;
import org.boomerang.api.dto.ReprotectRequest;
import org.boomerang.api.dto.TestFailoverRequest;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Durations;
import org.boomerang.common.ErrorType;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.inventory.InventoryService;
import org.boomerang.control.inventory.Site;
import org.boomerang.control.inventory.SiteRole;
import org.boomerang.control.job.Job;
import org.boomerang.control.protection.GroupId;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.PolicyId;
import org.boomerang.control.protection.ProtectRequest;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.RecoveryLocation;
import org.boomerang.provider.DatastoreId;
import org.boomerang.provider.MachineId;
import org.boomerang.provider.SiteId;

/**
 * Protected items and every operation of their lifecycle (SPEC §3). An operation answers
 * {@code 202} with the job that carries it; a refusal (illegal transition, FB rule, busy item)
 * names the item's state and the operations it allows now.
 */
public final class ItemRoutes implements RouteGroup {
    private static final String TAG = "items";
    private static final String ITEM = "/api/v1/items/{id}";
    private final org.boomerang.control.protection.ProtectionService protection;
    private final InventoryService inventory;

    public ItemRoutes(org.boomerang.control.protection.ProtectionService protection, InventoryService inventory) {
        this.protection = requireNonNull(protection, "protection is null");
        this.inventory = requireNonNull(inventory, "inventory is null");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/api/v1/items", "listItems").access(Access.READER).tag(TAG)
                        .summary("Every protected item with its state, allowed actions and replication health measured now").returns(ApiRoute.listOf(ItemView.class))
                        .handle(call -> protection.statuses().stream().map(ControlViews::item).toList()),
                ApiRoute.post("/api/v1/items", "protectMachine").access(Access.OPERATOR).tag(TAG).status(202)
                        .summary("Protect a machine: create its item and start initial replication").body(EnableRequest.class).returns(JobView.class)
                        .handle(this::protect),
                ApiRoute.get(ITEM, "getItem").access(Access.READER).tag(TAG)
                        .summary("One protected item with its replication health measured now").returns(ItemView.class)
                        .handle(call -> ControlViews.item(protection.status(id(call)))),
                ApiRoute.get(ITEM + "/points", "listPoints").access(Access.READER).tag("points")
                        .summary("The recovery points of an item's current replica, oldest first").returns(ApiRoute.listOf(PointView.class))
                        .handle(call -> {
                            ItemId id = id(call);
                            return protection.points(id).stream().map(p -> ControlViews.point(id, p)).toList();
                        }),
                ApiRoute.get(ITEM + "/points/preview", "previewPoint").access(Access.READER).tag("points")
                        .summary("Which point a point name selects and its data loss, without acting (FB-15)")
                        .query("point", String.class, "latest, latest-processed (default), latest-app-consistent, a point id or lsn:N")
                        .returns(PointPreview.class)
                        .handle(call -> ControlViews.preview(protection.previewPoint(id(call), point(call.query("point"))))),
                operation("enable", "enableItem", "Enable protection of an unprotected item again", Body.NONE, null,
                        (call, id) -> protection.enable(id)),
                operation("disable", "disableItem", "Stop protecting an item and remove its replica", Body.NONE, null,
                        (call, id) -> protection.disable(id)),
                operation("test-failover", "testFailoverItem", "Bring up an isolated copy at a recovery point; replication goes on",
                        Body.OPTIONAL, TestFailoverRequest.class,
                        (call, id) -> protection.testFailover(id, point(Optional.ofNullable(call.bodyOr(TestFailoverRequest.class, new TestFailoverRequest(null)).point())))),
                operation("cleanup", "cleanupItem", "Remove the copy a test failover brought up", Body.NONE, null,
                        (call, id) -> protection.cleanupTestFailover(id)),
                operation("failover", "failoverItem", "Planned or unplanned failover at a recovery point (a failback out of reverse-protected)",
                        Body.REQUIRED, FailoverRequest.class, (call, id) -> {
                            FailoverRequest req = call.body(FailoverRequest.class);
                            boolean planned = switch (req.type()) {
                                case PLANNED -> true;
                                case UNPLANNED -> false;
                            };
                            return protection.failover(id, planned, point(Optional.ofNullable(req.point())), Optional.empty(),
                                    req.sourceUnreachableConfirmed());
                        }),
                operation("change-point", "changePointItem", "Switch a failed-over item to another recovery point before commit",
                        Body.REQUIRED, org.boomerang.api.dto.PointRequest.class,
                        (call, id) -> protection.changeRecoveryPoint(id, PointRequest.parse(call.body(org.boomerang.api.dto.PointRequest.class).point()))),
                operation("commit", "commitItem", "Make a failover final; what is left at the other side is removed", Body.NONE, null,
                        (call, id) -> protection.commit(id)),
                operation("cancel", "cancelFailoverItem", "Cancel an uncommitted failover: the other side runs again", Body.NONE, null,
                        (call, id) -> protection.cancelFailover(id)),
                operation("reprotect", "reprotectItem",
                        "Start replication in the reverse direction (process server, master target, datastore, location, retention)",
                        Body.OPTIONAL, ReprotectRequest.class, (call, id) -> protection.reprotect(reprotect(id,
                                call.bodyOr(ReprotectRequest.class, new ReprotectRequest(null, null, null, null, null))))),
                ApiRoute.post(ITEM + "/complete-migration", "completeMigration").access(Access.OPERATOR).tag(TAG)
                        .summary("Mark a committed failover as a completed migration: the item can never fail back (FB-1)").returns(ItemView.class)
                        .handle(call -> refusing(id(call), id -> {
                            protection.completeMigration(id);
                            return ControlViews.item(protection.status(id));
                        })),
                ApiRoute.get("/api/v1/alerts", "listAlerts").access(Access.READER).tag("alerts")
                        .summary("Items whose measured RPO passes the policy's threshold, whose roles are unreachable or whose replication failed")
                        .returns(ApiRoute.listOf(AlertView.class))
                        .handle(call -> protection.alerts().stream().map(ControlViews::alert).toList()));
    }

    private interface ItemOperation {
        Job start(ApiCall call, ItemId id);
    }

    /** Whether an operation takes no body, an optional one (all fields optional) or a required one. */
    private enum Body {
        NONE,
        OPTIONAL,
        REQUIRED
    }

    private ApiRoute operation(String verb, String operationId, String summary, Body kind, Class<?> body, ItemOperation op) {
        ApiRoute.Builder b = ApiRoute.post(ITEM + "/" + verb, operationId).access(Access.OPERATOR).tag(TAG).status(202)
                .summary(summary).returns(JobView.class);
        switch (kind) {
            case NONE -> { }
            case OPTIONAL -> b.optionalBody(body);
            case REQUIRED -> b.body(body);
        }
        return b.handle(call -> {
            ItemId id = id(call);
            return refusing(id, i -> ControlViews.job(op.start(call, i)));
        });
    }

    /** Runs {@code action}; a precondition or conflict refusal gets the item's state and allowed actions. */
    private <T> T refusing(ItemId id, Function<ItemId, T> action) {
        try {
            return action.apply(id);
        } catch (StateRefusal e) {
            throw e;
        } catch (BoomerangException e) {
            if (e.type() != ErrorType.PRECONDITION && e.type() != ErrorType.CONFLICT) {
                throw e;
            }
            ProtectedItem item;
            try {
                item = protection.item(id);
            } catch (BoomerangException notFound) {
                throw e;
            }
            throw new StateRefusal(e, item.state().label(), ControlViews.allowedActions(item).stream().map(OperationView::label).toList());
        }
    }

    private JobView protect(ApiCall call) {
        EnableRequest req = call.body(EnableRequest.class);
        SiteId primary = req.primarySite() != null ? new SiteId(req.primarySite()) : siteWithRole(SiteRole.PRIMARY, "primarySite");
        SiteId recovery = req.recoverySite() != null ? new SiteId(req.recoverySite()) : siteWithRole(SiteRole.RECOVERY, "recoverySite");
        ItemId id = new ItemId(req.id() != null ? req.id() : req.machine());
        return ControlViews.job(protection.protect(new ProtectRequest(id, new MachineId(req.machine()), primary, recovery,
                new PolicyId(req.policy()), Optional.ofNullable(req.group()).map(GroupId::new), Optional.ofNullable(req.processServer()))));
    }

    private SiteId siteWithRole(SiteRole role, String field) {
        List<Site> sites = inventory.sites().stream().filter(s -> s.role() == role).toList();
        if (sites.size() != 1) {
            throw new BoomerangException(ApiErrorCode.API_MISSING_FIELD,
                    "field '" + field + "' is needed: the server has " + sites.size() + " " + role.name().toLowerCase(java.util.Locale.ROOT) + " sites",
                    "name the site in '" + field + "' (GET /api/v1/sites lists them)");
        }
        return sites.getFirst().id();
    }

    private static org.boomerang.control.failback.ReprotectRequest reprotect(ItemId id, ReprotectRequest req) {
        Optional<RecoveryLocation> location = Optional.ofNullable(req.location()).map(l -> switch (l) {
            case ORIGINAL -> RecoveryLocation.ORIGINAL;
            case ALTERNATE -> RecoveryLocation.ALTERNATE;
        });
        return new org.boomerang.control.failback.ReprotectRequest(id, location, Optional.ofNullable(req.masterTarget()).map(MachineId::new),
                Optional.ofNullable(req.datastore()).map(DatastoreId::new), Optional.ofNullable(req.processServer()),
                Optional.ofNullable(req.retention()).map(ItemRoutes::retention));
    }

    /** A retention as the request writes it ({@code 12h}, {@code 3d}, {@code PT36H}); {@code API_INVALID_VALUE} otherwise. */
    private static Duration retention(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BoomerangException(ApiErrorCode.API_INVALID_VALUE, "field 'retention': " + e.getMessage(),
                    "write a duration such as 12h, 3d or PT36H, or leave the field out to keep the policy's retention");
        }
    }

    static PointRequest point(Optional<String> text) {
        return text.map(PointRequest::parse).orElse(PointRequest.LATEST_PROCESSED);
    }

    private static ItemId id(ApiCall call) {
        return new ItemId(call.path("id"));
    }
}
