package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Durations;
import org.boomerang.control.ControlError;
import org.boomerang.control.failback.PointRequest;
import org.boomerang.control.failback.ReprotectRequest;
import org.boomerang.control.job.Job;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.protection.Operation;
import org.boomerang.control.protection.ProtectedItem;
import org.boomerang.control.protection.ProtectionService;
import org.boomerang.control.protection.RecoveryLocation;
import org.boomerang.portal.auth.Session;
import org.boomerang.portal.view.Views.Column;
import org.boomerang.portal.view.Views.ItemRow;
import org.boomerang.portal.view.Views.ItemsPage;
import org.boomerang.portal.view.Views.Option;
import org.boomerang.provider.DatastoreId;
import org.boomerang.provider.MachineId;

/**
 * The replicated-items page (filter, sort and server-side paging) and the actions posted from the
 * item page. An action calls the same {@link ProtectionService} method as the API; when the
 * service refuses, the item page is shown again with the refusal (its code, message and hint).
 */
final class ItemPages {
    static final int PAGE_SIZE = 50;
    private static final List<String> SORTS = List.of("name", "kind", "os", "site", "state", "health");

    private final ProtectionService protection;
    private final ItemRows rows;
    private final ItemPageBuilder itemPage;
    private final Templates templates;

    ItemPages(ProtectionService protection, ItemRows rows, ItemPageBuilder itemPage, Templates templates) {
        this.protection = requireNonNull(protection, "protection is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.itemPage = requireNonNull(itemPage, "itemPage is null");
        this.templates = requireNonNull(templates, "templates is null");
    }

    void list(Context ctx, Session s) {
        String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").trim();
        String state = Optional.ofNullable(ctx.queryParam("state")).orElse("");
        String sortParam = Optional.ofNullable(ctx.queryParam("sort")).orElse("name");
        String sort = SORTS.contains(sortParam) ? sortParam : "name";
        String needle = q.toLowerCase(Locale.ROOT);
        List<ProtectedItem> all = protection.items().stream()
                .filter(i -> state.isEmpty() || i.state().label().equals(state))
                .filter(i -> needle.isEmpty() || i.id().value().toLowerCase(Locale.ROOT).contains(needle)
                        || i.machine().value().toLowerCase(Locale.ROOT).contains(needle)
                        || (i.os().family() + " " + i.os().version()).toLowerCase(Locale.ROOT).contains(needle))
                .sorted(comparator(sort))
                .toList();
        int pages = Math.max(1, (all.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(pages, Math.max(1, intParam(ctx.queryParam("page"))));
        List<ItemRow> shown = all.subList((page - 1) * PAGE_SIZE, Math.min(all.size(), page * PAGE_SIZE)).stream()
                .map(rows::row).toList();
        List<Option> states = new ArrayList<>();
        states.add(new Option("", "any state", state.isEmpty()));
        for (ItemState st : ItemState.values()) {
            states.add(new Option(st.label(), st.label(), st.label().equals(state)));
        }
        List<Column> columns = SORTS.stream().map(c -> new Column(c.equals("health") ? "replication health" : c.equals("os") ? "OS" : c,
                href(q, state, c, 1), c.equals(sort))).toList();
        ItemsPage model = new ItemsPage(shown, q, states, columns, page, pages, all.size(),
                page > 1 ? href(q, state, sort, page - 1) : null, page < pages ? href(q, state, sort, page + 1) : null);
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Replicated items", "items", s));
        p.put("model", model);
        ctx.html(templates.render("items.jte", p));
    }

    void show(Context ctx, Session s) {
        itemPage.render(ctx, s, new ItemId(ctx.pathParam("id")), null, HttpStatus.OK);
    }

    void preview(Context ctx, Session s) {
        Map<String, Object> p = new HashMap<>();
        p.put("preview", itemPage.preview(new ItemId(ctx.pathParam("id")), Optional.ofNullable(ctx.queryParam("point")).orElse("latest-processed")));
        ctx.html(templates.render("preview.jte", p));
    }

    void rpo(Context ctx, Session s) {
        ctx.contentType("application/json").result(itemPage.rpoJson(new ItemId(ctx.pathParam("id"))));
    }

    void act(Context ctx, Session s) {
        ItemId id = new ItemId(ctx.pathParam("id"));
        Operation op = ItemActions.byVerb(ctx.pathParam("verb")).orElseThrow(() -> new BoomerangException(PortalError.PORTAL_PAGE_NOT_FOUND,
                "no item action '" + ctx.pathParam("verb") + "'", "use the buttons of the item page"));
        protection.item(id);
        Job job;
        try {
            job = switch (op) {
                case ENABLE -> protection.enable(id);
                case DISABLE -> protection.disable(id);
                case TEST_FAILOVER -> protection.testFailover(id, point(ctx));
                case CLEANUP_TEST_FAILOVER -> protection.cleanupTestFailover(id);
                case PLANNED_FAILOVER -> protection.failover(id, true, point(ctx));
                case UNPLANNED_FAILOVER -> protection.failover(id, false, point(ctx));
                case CHANGE_RECOVERY_POINT -> protection.changeRecoveryPoint(id, point(ctx));
                case COMMIT -> protection.commit(id);
                case CANCEL_FAILOVER -> protection.cancelFailover(id);
                case REPROTECT -> protection.reprotect(reprotect(ctx, id));
            };
        } catch (BoomerangException e) {
            if (e.code() == ControlError.ITEM_NOT_FOUND) {
                throw e;
            }
            itemPage.render(ctx, s, id, Refusals.of(e), HttpStatus.forStatus(e.type().httpStatus()));
            return;
        }
        ctx.redirect(Paths.job(job.id().value()), HttpStatus.SEE_OTHER);
    }

    private static PointRequest point(Context ctx) {
        String text = ctx.formParam("point");
        return text == null || text.isBlank() ? PointRequest.LATEST_PROCESSED : PointRequest.parse(text);
    }

    private static ReprotectRequest reprotect(Context ctx, ItemId id) {
        Optional<RecoveryLocation> location = switch (Optional.ofNullable(ctx.formParam("location")).orElse("")) {
            case "original" -> Optional.of(RecoveryLocation.ORIGINAL);
            case "alternate" -> Optional.of(RecoveryLocation.ALTERNATE);
            case "" -> Optional.empty();
            default -> throw new BoomerangException(PortalError.PORTAL_INVALID_FORM, "unknown recovery location '" + ctx.formParam("location") + "'",
                    "choose automatic, original or alternate");
        };
        return new ReprotectRequest(id, location, field(ctx, "masterTarget").map(MachineId::new),
                field(ctx, "datastore").map(DatastoreId::new), field(ctx, "processServer"), retention(ctx));
    }

    /** The retention typed into the reprotect dialog; none when it was left at the policy's (the item then follows its policy). */
    private static Optional<Duration> retention(Context ctx) {
        Optional<String> text = field(ctx, "retention");
        if (text.isEmpty() || text.equals(field(ctx, "retentionDefault"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(text.get()));
        } catch (IllegalArgumentException e) {
            throw new BoomerangException(PortalError.PORTAL_INVALID_FORM, "retention: " + e.getMessage(),
                    "write a duration such as 12h, 3d or 7d, or leave the policy's");
        }
    }

    private static Optional<String> field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Comparator<ProtectedItem> comparator(String sort) {
        Comparator<ProtectedItem> byName = Comparator.comparing(i -> i.id().value());
        Comparator<ProtectedItem> first = switch (sort) {
            case "kind" -> Comparator.comparing(ItemRows::kind);
            case "os" -> Comparator.comparing(i -> i.os().family() + " " + i.os().version());
            case "site" -> Comparator.comparing(i -> i.primarySite().value());
            case "state" -> Comparator.comparing(i -> i.state().id());
            case "health" -> Comparator.comparing(i -> i.health().ordinal());
            default -> byName;
        };
        return first.thenComparing(byName);
    }

    private static String href(String q, String state, String sort, int page) {
        return "/items?q=" + Paths.query(q) + "&state=" + Paths.query(state) + "&sort=" + sort + "&page=" + page;
    }

    static int intParam(String text) {
        try {
            return text == null ? 1 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
