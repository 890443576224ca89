package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.util.Optional;
import org.boomerang.api.dto.Role;
import org.boomerang.common.BoomerangException;
import org.boomerang.portal.auth.Session;
import org.boomerang.portal.auth.Sessions;
import org.boomerang.portal.view.Views.Frame;
import org.boomerang.portal.view.Views.Viewer;

/**
 * What every portal request passes through: the security headers, the session cookie, and for
 * requests that change something the CSRF token and the role. A page without a session redirects
 * to the sign-in page; an action without one, or without its CSRF token, or from a role below the
 * action's, is refused (403) before any service is called. Thread-safe.
 */
final class Gate {
    static final String COOKIE = "boomerang_session";
    static final String CSRF_FIELD = "_csrf";
    /**
     * No inline script or style anywhere; scripts, styles and fetches from this origin only; no
     * framing; forms post only here.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** A page or fragment of a signed-in caller. */
    @FunctionalInterface
    interface Page {
        void handle(Context ctx, Session session) throws Exception;
    }

    private final Sessions sessions;

    Gate(Sessions sessions) {
        this.sessions = requireNonNull(sessions, "sessions is null");
    }

    static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    /** A page any signed-in role may read; without a session it redirects to sign-in. */
    Handler page(Page page) {
        return ctx -> {
            headers(ctx);
            Session s;
            try {
                s = sessions.require(ctx.cookie(COOKIE));
            } catch (BoomerangException e) {
                String why = e.code() == PortalError.PORTAL_SESSION_EXPIRED ? "expired" : "signin";
                String login = "/login?why=" + why + "&next=" + Paths.query(ctx.path()
                        + (ctx.queryString() == null ? "" : "?" + ctx.queryString()));
                if (ctx.header("HX-Request") != null) {
                    // htmx follows this header with a full page load instead of swapping a fragment.
                    ctx.header("HX-Redirect", login).status(HttpStatus.FORBIDDEN);
                    return;
                }
                ctx.redirect(login, HttpStatus.SEE_OTHER);
                return;
            }
            page.handle(ctx, s);
        };
    }

    /** A form post that changes something: session, then CSRF token, then role; any failure is a 403 page. */
    Handler action(Role needed, Page page) {
        return ctx -> {
            headers(ctx);
            Session s = sessions.require(ctx.cookie(COOKIE));
            if (!Sessions.csrfMatches(s, ctx.formParam(CSRF_FIELD))) {
                throw new BoomerangException(PortalError.PORTAL_CSRF_REJECTED,
                        "the form came without this session's CSRF token", "reload the page and submit the form again");
            }
            if (!s.may(needed)) {
                throw new BoomerangException(PortalError.PORTAL_ROLE_TOO_LOW,
                        "this action needs the " + needed.label() + " role; you signed in with a " + s.role().label() + " token",
                        "sign in with a token of the " + needed.label() + " role");
            }
            page.handle(ctx, s);
        };
    }

    /** The caller of a request, if it carries a live session (for error pages). */
    Optional<Session> quietly(Context ctx) {
        try {
            return Optional.of(sessions.require(ctx.cookie(COOKIE)));
        } catch (BoomerangException e) {
            return Optional.empty();
        }
    }

    static Frame frame(String title, String nav, Session s) {
        Viewer v = s == null ? null : new Viewer(s.tokenId(), s.label(), s.role().label(), s.csrf(), s.may(Role.OPERATOR));
        return new Frame(title, nav, v, 0);
    }

    /** The session cookie: HttpOnly, SameSite=Strict, Secure when the request came over TLS. */
    static String sessionCookie(Context ctx, String value, boolean clear) {
        boolean tls = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return COOKIE + "=" + (clear ? "" : value) + "; Path=/; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "")
                + (clear ? "; Max-Age=0" : "");
    }
}
