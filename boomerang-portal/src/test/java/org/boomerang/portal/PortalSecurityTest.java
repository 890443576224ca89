package org.boomerang.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.boomerang.api.dto.Role;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.testing.TestingEstate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal's defences over real HTTP, without a browser: no session, no CSRF token or a reader's
 * POST are refused before anything changes; cookies and headers are what the browser needs to
 * enforce the rest; item names are escaped; the API keeps answering JSON next to the portal.
 */
class PortalSecurityTest {
    @TempDir
    static Path dir;
    static TestingPortal portal;

    @BeforeAll
    static void start() {
        portal = new TestingPortal(dir);
        portal.estate.protect("web", TestingEstate.WEB1);
        portal.estate.protect("<img src=x onerror=boom()>", TestingEstate.DB1);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static Http operator() {
        Http http = new Http(portal.base());
        assertThat(http.signIn(portal.tokenOf.get(Role.OPERATOR)).statusCode()).isEqualTo(303);
        return http;
    }

    @Test
    void aPageWithoutSessionRedirectsToSignIn() {
        HttpResponse<String> r = new Http(portal.base()).get("/items?state=protected");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/login?why=signin&next=%2Fitems%3Fstate%3Dprotected");
    }

    @Test
    void anActionWithoutSessionIsRefused() {
        HttpResponse<String> r = new Http(portal.base()).post("/items/web/commit", Map.of("_csrf", "x"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("PORTAL_NOT_SIGNED_IN");
        assertThat(portal.estate.item("web").state()).isEqualTo(ItemState.PROTECTED);
    }

    @Test
    void signInSetsAStrictHttpOnlyCookieAndRefusesBadTokens() {
        Http http = new Http(portal.base());
        HttpResponse<String> form = http.get("/login");
        HttpResponse<String> r = http.post("/login", Map.of("_csrf", Http.csrf(form.body()), "token", portal.tokenOf.get(Role.READER), "next", "/jobs"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/jobs");
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("boomerang_session=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/").doesNotContain("Secure");
        assertThat(http.get("/items").statusCode()).isEqualTo(200);

        Http other = new Http(portal.base());
        HttpResponse<String> bad = other.post("/login", Map.of("_csrf", Http.csrf(other.get("/login").body()), "token", "bmr_0000000000_" + "A".repeat(43)));
        assertThat(bad.statusCode()).isEqualTo(403);
        assertThat(bad.body()).contains("PORTAL_SIGN_IN_REFUSED");
        assertThat(other.cookies).doesNotContainKey("boomerang_session");
    }

    @Test
    void signInWithoutItsCsrfTokenIsRefused() {
        Http http = new Http(portal.base());
        HttpResponse<String> r = http.post("/login", Map.of("token", portal.tokenOf.get(Role.ADMIN)));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("PORTAL_CSRF_REJECTED");
        assertThat(http.cookies).doesNotContainKey("boomerang_session");
    }

    @Test
    void anActionWithoutTheCsrfTokenIsRefused() {
        Http http = operator();
        HttpResponse<String> none = http.post("/items/web/test-failover", Map.of());
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("PORTAL_CSRF_REJECTED");
        HttpResponse<String> wrong = http.post("/items/web/test-failover", Map.of("_csrf", "forged"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(portal.estate.item("web").state()).isEqualTo(ItemState.PROTECTED);
        assertThat(portal.estate.item("web").active()).isEmpty();
    }

    @Test
    void aReadersPostIsRefusedEvenWithItsCsrfToken() {
        Http http = new Http(portal.base());
        http.signIn(portal.tokenOf.get(Role.READER));
        HttpResponse<String> page = http.get("/items/web");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"do-").contains("reader-note");
        HttpResponse<String> r = http.post("/items/web/test-failover", Map.of("_csrf", Http.csrf(page.body())));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("PORTAL_ROLE_TOO_LOW");
        assertThat(portal.estate.item("web").state()).isEqualTo(ItemState.PROTECTED);
    }

    @Test
    void aReaderCannotProtectAMachine() {
        Http http = new Http(portal.base());
        http.signIn(portal.tokenOf.get(Role.READER));
        HttpResponse<String> form = http.get("/protect");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("reader-note").doesNotContain("do-protect");
        HttpResponse<String> r = http.post("/protect", Map.of("_csrf", Http.csrf(form.body()), "machine", "app1", "policy", "default"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("PORTAL_ROLE_TOO_LOW");
        assertThat(portal.estate.server.protection().items()).noneMatch(i -> i.machine().value().equals("app1"));
    }

    @Test
    void pagesForbidFramingAndInlineScripts() {
        Http http = operator();
        for (String path : new String[] {"/items", "/items/web", "/protect", "/jobs", "/plans", "/inventory", "/alerts", "/login"}) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isIn(200, 303);
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("frame-ancestors 'none'").contains("script-src 'self'").doesNotContain("unsafe");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(r.body()).doesNotContainPattern("<script>|<script [^>]*>[^<]|\\s(on[a-z]+|style)=\"");
        }
    }

    @Test
    void htmlInItemNamesIsEscaped() {
        Http http = operator();
        String list = http.get("/items").body();
        assertThat(list).contains("&lt;img src=x onerror=boom()&gt;").doesNotContain("<img src=x");
        String item = http.get("/items/" + Paths.segment("<img src=x onerror=boom()>")).body();
        assertThat(item).contains("&lt;img src=x onerror=boom()&gt;").doesNotContain("<img src=x");
    }

    @Test
    void signOutEndsTheSession() {
        Http http = operator();
        String csrf = Http.csrf(http.get("/items").body());
        String session = http.cookies.get("boomerang_session");
        HttpResponse<String> out = http.post("/logout", Map.of("_csrf", csrf));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location")).hasValue("/login?why=signedout");
        http.cookies.put("boomerang_session", session);
        assertThat(http.get("/items").statusCode()).isEqualTo(303);
    }

    @Test
    void sessionsExpireWhenIdle() {
        Http http = operator();
        assertThat(http.get("/items").statusCode()).isEqualTo(200);
        portal.estate.clock.advance(Duration.ofMinutes(31));
        HttpResponse<String> r = http.get("/items");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/login?why=expired");
    }

    @Test
    void aRevokedTokenEndsItsSessions() {
        var created = portal.tokens.create(Role.OPERATOR, "short-lived");
        Http http = new Http(portal.base());
        http.signIn(created.token().text());
        assertThat(http.get("/items").statusCode()).isEqualTo(200);
        portal.tokens.revoke(created.stored().id());
        assertThat(http.get("/items").statusCode()).isEqualTo(303);
    }

    @Test
    void theApiStillAnswersJsonNextToThePortal() {
        Http http = new Http(portal.base());
        HttpResponse<String> api = http.get("/api/v1/items");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        HttpResponse<String> missing = http.get("/api/v1/no-such-route");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("API_ROUTE_NOT_FOUND");
        HttpResponse<String> page = operator().get("/items/no-such-item");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("ITEM_NOT_FOUND");
        HttpResponse<String> nowhere = operator().get("/items/web/nowhere/else");
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(nowhere.body()).contains("PORTAL_PAGE_NOT_FOUND");
    }
}
