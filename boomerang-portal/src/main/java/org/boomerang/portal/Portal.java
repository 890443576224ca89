package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.boomerang.api.WebMount;
import org.boomerang.api.auth.TokenStore;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;
import org.boomerang.common.Clock;
import org.boomerang.control.ControlServer;
import org.boomerang.portal.auth.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web portal, served by the API's HTTP server at {@code /} (the API stays under
 * {@code /api/v1}). A client of the control server's four facades — inventory, protection, plans,
 * jobs — like the API: every rule and refusal comes from them.
 *
 * <pre>
 * GET  /login, POST /login, POST /logout         sign in with an API token; sign out
 * GET  /items[?q&amp;state&amp;sort&amp;page]               replicated items (server-side paging)
 * GET  /protect, POST /protect                   protect a machine of the primary site
 * GET  /items/{id}, POST /items/{id}/{action}    an item with the seed's actions
 * GET  /items/{id}/preview?point, /rpo.json      data loss of a point choice; RPO over time
 * GET  /jobs, /jobs/{id}, /jobs/{id}/live        jobs; live progress (polled by htmx)
 * POST /jobs/{id}/cancel|resume|restart
 * GET  /plans, /plans/{id}, POST /plans/{id}/run recovery plans
 * GET  /inventory, /alerts
 * GET  /assets/{name}                            htmx, uPlot, the portal's CSS and script
 * </pre>
 *
 * Security: sessions in an HttpOnly, SameSite=Strict cookie (Secure over TLS) that expire; a CSRF
 * token on every form that changes something; actions need the operator role; a
 * Content-Security-Policy without inline scripts and framing refused. See {@link Gate}.
 */
public final class Portal implements WebMount {
    private static final Logger LOG = LoggerFactory.getLogger(Portal.class);
    private static final List<String> PREFIXES = List.of("/login", "/logout", "/protect", "/items", "/jobs", "/plans", "/inventory", "/alerts", "/assets");

    private final Sessions sessions;
    private final Gate gate;
    private final Templates templates = new Templates();
    private final Assets assets = new Assets();
    private final SignInPages signIn;
    private final ProtectPages protect;
    private final ItemPages items;
    private final JobPages jobs;
    private final PlanPages plans;
    private final InventoryPages inventory;
    private final AlertPages alerts;

    public Portal(ControlServer control, TokenStore tokens, Clock clock, PortalConfig config) {
        requireNonNull(control, "control is null");
        requireNonNull(tokens, "tokens is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(config, "config is null");
        this.sessions = new Sessions(tokens, clock, config.idle(), config.maxAge());
        this.gate = new Gate(sessions);
        JobRows jobRows = new JobRows();
        ItemRows rows = new ItemRows(control.protection(), control.jobs());
        ItemPageBuilder itemPage = new ItemPageBuilder(control.protection(), control.inventory(), control.jobs(), rows, jobRows, templates, clock);
        this.signIn = new SignInPages(sessions, gate, templates);
        this.protect = new ProtectPages(control.protection(), control.inventory(), templates);
        this.items = new ItemPages(control.protection(), rows, itemPage, templates);
        this.jobs = new JobPages(control.jobs(), jobRows, templates);
        this.plans = new PlanPages(control.plans(), control.jobs(), jobRows, templates);
        this.inventory = new InventoryPages(control.inventory(), templates);
        this.alerts = new AlertPages(control.protection(), control.inventory(), control.jobs(), templates);
    }

    @Override
    public void mount(Javalin app) {
        app.get("/", ctx -> {
            Gate.headers(ctx);
            ctx.redirect("/items", HttpStatus.SEE_OTHER);
        });
        app.get("/login", signIn::form);
        app.post("/login", signIn::submit);
        app.post("/logout", gate.action(Role.READER, signIn::signOut));
        app.get("/protect", gate.page(protect::form));
        app.post("/protect", gate.action(Role.OPERATOR, protect::submit));
        app.get("/items", gate.page(items::list));
        app.get("/items/{id}", gate.page(items::show));
        app.get("/items/{id}/preview", gate.page(items::preview));
        app.get("/items/{id}/rpo.json", gate.page(items::rpo));
        app.post("/items/{id}/{verb}", gate.action(Role.OPERATOR, items::act));
        app.get("/jobs", gate.page(jobs::list));
        app.get("/jobs/{id}", gate.page(jobs::show));
        app.get("/jobs/{id}/live", gate.page(jobs::live));
        app.post("/jobs/{id}/{verb}", gate.action(Role.OPERATOR, jobs::act));
        app.get("/plans", gate.page(plans::list));
        app.get("/plans/{id}", gate.page(plans::show));
        app.post("/plans/{id}/run", gate.action(Role.OPERATOR, plans::run));
        app.get("/inventory", gate.page(inventory::show));
        app.get("/alerts", gate.page(alerts::show));
        app.get("/assets/{name}", assets::serve);
    }

    @Override
    public boolean owns(String path) {
        if (path.equals("/")) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void renderError(Context ctx, Throwable failure) {
        BoomerangException e = switch (failure) {
            case BoomerangException be -> be;
            case HttpResponseException h when h.getStatus() == HttpStatus.NOT_FOUND.getCode() || h.getStatus() == HttpStatus.METHOD_NOT_ALLOWED.getCode() ->
                    new BoomerangException(PortalError.PORTAL_PAGE_NOT_FOUND, "there is no page " + ctx.path(), "start again from the items page");
            case HttpResponseException h -> new BoomerangException(PortalError.PORTAL_INVALID_FORM, String.valueOf(h.getMessage()), "go back and try again");
            case IllegalArgumentException iae -> new BoomerangException(PortalError.PORTAL_INVALID_FORM, String.valueOf(iae.getMessage()),
                    "go back and correct the value");
            default -> {
                java.util.Optional<BoomerangException> io = org.boomerang.common.IoError.of(failure);
                if (io.isPresent()) {
                    // A file, disk or peer failed: not a bug; the page says what failed.
                    LOG.warn("I/O failure on portal page {} {}: {}", ctx.method().name(), ctx.path(), io.get().getMessage(), failure);
                    yield io.get();
                }
                LOG.error("unexpected failure on portal page {} {} (a bug)", ctx.method().name(), ctx.path(), failure);
                yield new BoomerangException(PortalError.PORTAL_INTERNAL, "the page failed unexpectedly",
                        "this is a bug; the server log has the details — please report it");
            }
        };
        Gate.headers(ctx);
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Error", "", gate.quietly(ctx).orElse(null)));
        p.put("error", Refusals.of(e));
        ctx.status(e.type().httpStatus()).html(templates.render("error.jte", p));
    }

    /** Open sessions, for tests and metrics. */
    public int sessions() {
        return sessions.count();
    }
}
