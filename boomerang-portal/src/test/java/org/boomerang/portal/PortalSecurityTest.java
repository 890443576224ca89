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
    void behindATlsProxyTheCookieIsSecure() {
        Http http = new Http(portal.base());
        HttpResponse<String> r = http.post("/login", Map.of("_csrf", Http.csrf(http.get("/login").body()), "token", portal.tokenOf.get(Role.READER)),
                Map.of("X-Forwarded-Proto", "https"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("boomerang_session=") && c.contains("; Secure"));
    }

    @Test
    void thousandsOfItemsArePagedOnTheServer() {
        org.boomerang.control.store.ItemStore store = portal.estate.store.items();
        for (int i = 0; i < 1200; i++) {
            store.create(org.boomerang.control.protection.ProtectedItem.create(new org.boomerang.control.protection.ItemId(String.format("bulk-%04d", i)),
                    TestingEstate.APP1, org.boomerang.provider.MachineKind.VM, new org.boomerang.provider.GuestOs(org.boomerang.provider.OsFamily.LINUX, "Debian 12"),
                    TestingEstate.PRIMARY, TestingEstate.RECOVERY, TestingEstate.POLICY, java.util.Optional.empty(), java.util.Optional.empty(), "cs",
                    portal.estate.clock.now(), "", java.util.Optional.empty()));
        }
        Http http = operator();
        HttpResponse<String> page = http.get("/items?q=bulk&state=unprotected&sort=name&page=3");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("1200 items · page 3 of 24").contains("bulk-0100").contains("bulk-0149")
                .doesNotContain("bulk-0099").doesNotContain("bulk-0150");
        assertThat(page.body().split("<tr data-item=", -1)).hasSize(ItemPages.PAGE_SIZE + 1);
        for (int i = 0; i < 1200; i++) {
            store.delete(new org.boomerang.control.protection.ItemId(String.format("bulk-%04d", i)));
        }
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
