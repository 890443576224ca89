package org.boomerang.portal;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import org.boomerang.common.BoomerangException;
import org.boomerang.portal.auth.Session;
import org.boomerang.portal.auth.Sessions;
import org.boomerang.portal.view.Views.Refusal;

/**
 * Sign-in with an API token and sign-out. The sign-in form carries its own CSRF token, bound to a
 * short-lived cookie (double submit), so another site cannot sign a browser in with its token.
 */
final class SignInPages {
    private static final String LOGIN_COOKIE = "boomerang_login";

    private final Sessions sessions;
    private final Gate gate;
    private final Templates templates;

    SignInPages(Sessions sessions, Gate gate, Templates templates) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.templates = requireNonNull(templates, "templates is null");
    }

    void form(Context ctx) {
        Gate.headers(ctx);
        if (gate.quietly(ctx).isPresent()) {
            ctx.redirect(Paths.localOrItems(ctx.queryParam("next")), HttpStatus.SEE_OTHER);
            return;
        }
        String notice = switch (String.valueOf(ctx.queryParam("why"))) {
            case "expired" -> "Your session has expired. Sign in again.";
            case "signedout" -> "You have signed out.";
            case "signin" -> "Sign in to continue.";
            default -> null;
        };
        render(ctx, notice, null, HttpStatus.OK);
    }

    void submit(Context ctx) {
        Gate.headers(ctx);
        String cookie = ctx.cookie(LOGIN_COOKIE);
        String field = ctx.formParam(Gate.CSRF_FIELD);
        if (cookie == null || field == null || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
                field.getBytes(StandardCharsets.US_ASCII))) {
            throw new BoomerangException(PortalError.PORTAL_CSRF_REJECTED, "the sign-in form came without its CSRF token",
                    "open the sign-in page again and submit it from there");
        }
        Session s;
        try {
            s = sessions.signIn(ctx.formParam("token"));
        } catch (BoomerangException e) {
            render(ctx, null, Refusals.of(e), HttpStatus.FORBIDDEN);
            return;
        }
        ctx.res().addHeader("Set-Cookie", Gate.sessionCookie(ctx, s.id(), false));
        ctx.res().addHeader("Set-Cookie", LOGIN_COOKIE + "=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0");
        ctx.redirect(Paths.localOrItems(ctx.formParam("next")), HttpStatus.SEE_OTHER);
    }

    void signOut(Context ctx, Session s) {
        sessions.signOut(s.id());
        ctx.res().addHeader("Set-Cookie", Gate.sessionCookie(ctx, "", true));
        ctx.redirect("/login?why=signedout", HttpStatus.SEE_OTHER);
    }

    private void render(Context ctx, String notice, Refusal error, HttpStatus status) {
        String csrf = Sessions.randomText();
        ctx.res().addHeader("Set-Cookie", LOGIN_COOKIE + "=" + csrf + "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=600");
        Map<String, Object> p = new HashMap<>();
        p.put("frame", Gate.frame("Sign in", "login", null));
        p.put("notice", notice);
        p.put("error", error);
        p.put("csrf", csrf);
        p.put("next", Paths.localOrItems(ctx.formParam("next") != null ? ctx.formParam("next") : ctx.queryParam("next")));
        ctx.status(status).html(templates.render("login.jte", p));
    }
}
