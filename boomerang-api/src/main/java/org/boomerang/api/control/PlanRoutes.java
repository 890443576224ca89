package org.boomerang.api.control;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.boomerang.api.Access;
import org.boomerang.api.ApiCall;
import org.boomerang.api.ApiErrorCode;
import org.boomerang.api.ApiRoute;
import org.boomerang.api.RouteGroup;
import org.boomerang.api.dto.FailoverRequest;
import org.boomerang.api.dto.JobView;
import org.boomerang.api.dto.PlanView;
import org.boomerang.api.dto.TestFailoverRequest;
import org.boomerang.common.BoomerangException;
import org.boomerang.control.plan.ManualAction;
import org.boomerang.control.plan.PlanAction;
import org.boomerang.control.plan.PlanGroup;
import org.boomerang.control.plan.PlanId;
import org.boomerang.control.plan.PlanOperation;
import org.boomerang.control.plan.PlanService;
import org.boomerang.control.plan.RecoveryPlan;
import org.boomerang.control.plan.ScriptAction;
import org.boomerang.control.protection.ItemId;

/**
 * Recovery plans: create, list, show, delete, and the plan operations (test failover, cleanup,
 * planned and unplanned failover, commit, reprotect, failback), each one job.
 */
public final class PlanRoutes implements RouteGroup {
    private static final String TAG = "plans";
    private static final String PLAN = "/api/v1/plans/{id}";
    private final PlanService plans;

    public PlanRoutes(PlanService plans) {
        this.plans = requireNonNull(plans, "plans is null");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/api/v1/plans", "listPlans").access(Access.READER).tag(TAG)
                        .summary("Recovery plans").returns(ApiRoute.listOf(PlanView.class))
                        .handle(call -> plans.list().stream().map(PlanRoutes::view).toList()),
                ApiRoute.get(PLAN, "getPlan").access(Access.READER).tag(TAG)
                        .summary("One recovery plan").returns(PlanView.class)
                        .handle(call -> view(plans.get(id(call)))),
                ApiRoute.put(PLAN, "putPlan").access(Access.ADMIN).tag(TAG)
                        .summary("Create or replace a recovery plan; every item must exist").body(PlanView.Request.class).returns(PlanView.class)
                        .handle(call -> view(plans.put(plan(id(call), call.body(PlanView.Request.class))))),
                ApiRoute.delete(PLAN, "deletePlan").access(Access.ADMIN).tag(TAG)
                        .summary("Delete a recovery plan (its items stay protected)")
                        .handle(call -> {
                            plans.delete(id(call));
                            return null;
                        }),
                run("test-failover", "testFailoverPlan", "Test failover of every item of the plan, group by group", TestFailoverRequest.class,
                        call -> {
                            TestFailoverRequest r = call.bodyOr(TestFailoverRequest.class, new TestFailoverRequest(null));
                            return plans.run(id(call), PlanOperation.TEST_FAILOVER, point(r.point()));
                        }),
                run("cleanup", "cleanupPlan", "Clean up the plan's test failover", null,
                        call -> plans.run(id(call), PlanOperation.CLEANUP, Optional.empty())),
                run("failover", "failoverPlan", "Planned or unplanned failover of the plan at a recovery point", FailoverRequest.class,
                        call -> {
                            FailoverRequest r = call.body(FailoverRequest.class);
                            if (r.sourceUnreachableConfirmed()) {
                                throw new BoomerangException(org.boomerang.control.ControlError.INVALID_REQUEST,
                                        "confirmSourceUnreachable is taken by the failover of one item, not of a plan",
                                        "fail back the items whose recovery site cannot be reached one by one (POST /api/v1/items/{id}/failover)");
                            }
                            PlanOperation op = switch (r.type()) {
                                case PLANNED -> PlanOperation.PLANNED_FAILOVER;
                                case UNPLANNED -> PlanOperation.UNPLANNED_FAILOVER;
                            };
                            return plans.run(id(call), op, point(r.point()));
                        }),
                run("commit", "commitPlan", "Commit the plan's failover", null,
                        call -> plans.run(id(call), PlanOperation.COMMIT, Optional.empty())),
                run("reprotect", "reprotectPlan", "Reprotect every item of the plan", null,
                        call -> plans.run(id(call), PlanOperation.REPROTECT, Optional.empty())),
                run("failback", "failbackPlan", "Fail the plan back (refused until every machine has a recovery point, FB-16)",
                        TestFailoverRequest.class, call -> {
                            TestFailoverRequest r = call.bodyOr(TestFailoverRequest.class, new TestFailoverRequest(null));
                            return plans.run(id(call), PlanOperation.FAILBACK, point(r.point()));
                        }));
    }

    private interface PlanRun {
        org.boomerang.control.job.Job start(ApiCall call);
    }

    private static ApiRoute run(String verb, String operationId, String summary, Class<?> body, PlanRun run) {
        ApiRoute.Builder b = ApiRoute.post(PLAN + "/" + verb, operationId).access(Access.OPERATOR).tag(TAG).status(202)
                .summary(summary).returns(JobView.class);
        if (body == FailoverRequest.class) {
            b.body(body);
        } else if (body != null) {
            b.optionalBody(body);
        }
        return b.handle(call -> ControlViews.job(run.start(call)));
    }

    private static Optional<org.boomerang.control.failback.PointRequest> point(String text) {
        return Optional.of(ItemRoutes.point(Optional.ofNullable(text)));
    }

    static PlanView view(RecoveryPlan p) {
        return new PlanView(p.id().value(), p.name(), p.groups().stream().map(g -> new PlanView.Group(g.name(),
                g.items().stream().map(ItemId::value).toList(), actions(g.pre()), actions(g.post()))).toList());
    }

    private static List<PlanView.Action> actions(List<PlanAction> actions) {
        return actions.stream().map(a -> switch (a) {
            case ScriptAction s -> new PlanView.Action(PlanView.ActionType.SCRIPT, s.command(), s.timeout().toSeconds(), null);
            case ManualAction m -> new PlanView.Action(PlanView.ActionType.MANUAL, null, null, m.instruction());
        }).toList();
    }

    static RecoveryPlan plan(PlanId id, PlanView.Request req) {
        List<PlanGroup> groups = new ArrayList<>();
        for (int i = 0; i < req.groups().size(); i++) {
            PlanView.Group g = req.groups().get(i);
            String at = "groups[" + i + "]";
            groups.add(new PlanGroup(g.name(), g.items().stream().map(ItemId::new).toList(),
                    actions(at + ".pre", g.pre()), actions(at + ".post", g.post())));
        }
        return new RecoveryPlan(id, req.name(), groups);
    }

    private static List<PlanAction> actions(String at, List<PlanView.Action> actions) {
        List<PlanAction> out = new ArrayList<>();
        if (actions == null) {
            return out;
        }
        for (int i = 0; i < actions.size(); i++) {
            PlanView.Action a = actions.get(i);
            String path = at + "[" + i + "]";
            switch (a.type()) {
                case SCRIPT -> {
                    if (a.command() == null || a.command().isEmpty()) {
                        throw invalid(path + ".command", "a SCRIPT action needs a command (a list of arguments)");
                    }
                    if (a.timeoutSeconds() == null || a.timeoutSeconds() <= 0) {
                        throw invalid(path + ".timeoutSeconds", "a SCRIPT action needs a positive timeout in seconds");
                    }
                    out.add(new ScriptAction(a.command(), Duration.ofSeconds(a.timeoutSeconds())));
                }
                case MANUAL -> {
                    if (a.instruction() == null || a.instruction().isBlank()) {
                        throw invalid(path + ".instruction", "a MANUAL action needs an instruction for the operator");
                    }
                    out.add(new ManualAction(a.instruction()));
                }
            }
        }
        return out;
    }

    private static BoomerangException invalid(String field, String why) {
        return new BoomerangException(ApiErrorCode.API_MISSING_FIELD, "field '" + field + "': " + why, "add it; /openapi.json describes plans");
    }

    private static PlanId id(ApiCall call) {
        return new PlanId(call.path("id"));
    }
}
