package org.boomerang.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.boomerang.api.dto.Role;
import org.boomerang.common.MarkerKind;
import org.boomerang.control.dataplane.PairId;
import org.boomerang.control.plan.ManualAction;
import org.boomerang.control.plan.PlanGroup;
import org.boomerang.control.plan.PlanId;
import org.boomerang.control.plan.RecoveryPlan;
import org.boomerang.control.protection.ItemId;
import org.boomerang.control.protection.ItemState;
import org.boomerang.control.testing.TestingEstate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The portal in a real browser (Debian's headless Chromium) against the control server with the
 * test-scope fakes: sign in, the items page, an item's RPO chart, the seed's cycle with clicks
 * (protect a machine, test failover and cleanup, unplanned failover at an app-consistent point, commit, a refused
 * reprotect with its rule, reprotect while its job is watched live, a disabled failback with its
 * rule), sign out; a reader who sees no actions; a plan run and followed through a manual step.
 * One browser for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserTest {
    private static final String HTML_NAME = "<img src=x onerror=alert(1)>";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static TestingPortal portal;
    static TestingBrowser browser;

    @BeforeAll
    static void start() {
        portal = new TestingPortal(dir);
        portal.estate.protect("db", TestingEstate.DB1);
        portal.estate.protect("app", TestingEstate.APP1);
        portal.estate.protect(HTML_NAME, TestingEstate.PHYS1);
        Instant now = portal.estate.clock.now();
        // db: two hours of points every five minutes (one late one), app-consistent every half hour.
        for (int m = 120; m >= 0; m -= 5) {
            if (m == 45) {
                continue;
            }
            portal.forwardPoint("db", m % 30 == 0 ? MarkerKind.APP : MarkerKind.CRASH, now.minus(Duration.ofMinutes(m)));
        }
        portal.estate.clock.advance(Duration.ofMinutes(3));
        browser = new TestingBrowser();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        portal.close();
    }

    @BeforeEach
    void freshBrowser() {
        browser.driver.manage().deleteAllCookies();
        browser.driver.manage().window().setSize(new Dimension(1366, 900));
    }

    @Test
    @Order(1)
    void itemsPageAndAnItemsRpoChart() {
        signIn(Role.OPERATOR);
        assertThat(browser.driver.getCurrentUrl()).endsWith("/items");
        assertThat(browser.driver.findElements(By.cssSelector("#items tbody tr[data-item]"))).hasSize(3);
        assertThat(text("#items tr[data-item='db'] .state")).isEqualTo("protected");
        assertThat(browser.driver.findElements(By.cssSelector("#items tr[data-item='db'] td")))
                .as("one cell per column").hasSameSizeAs(browser.driver.findElements(By.cssSelector("#items thead th")));
        // An item named with HTML is shown as text: no image element appears.
        WebElement odd = browser.driver.findElement(By.cssSelector("#items tr[data-item='" + HTML_NAME.replace("'", "\\'") + "'] a.item-link"));
        assertThat(odd.getText()).isEqualTo(HTML_NAME);
        assertThat(browser.driver.findElements(By.cssSelector("#items img"))).isEmpty();
        browser.screenshot("items");

        browser.driver.findElement(By.cssSelector("#items tr[data-item='db'] a.item-link")).click();
        assertThat(text("#item-name")).isEqualTo("db");
        wait(ExpectedConditions.attributeToBeNotEmpty(browser.driver.findElement(By.id("rpo-chart")), "data-points"));
        assertThat(browser.driver.findElements(By.cssSelector("#rpo-chart canvas"))).isNotEmpty();
        assertThat(Integer.parseInt(browser.driver.findElement(By.id("rpo-chart")).getAttribute("data-points"))).isGreaterThan(40);
        assertThat(browser.driver.findElements(By.cssSelector("#points tbody tr"))).hasSizeGreaterThan(20);
        browser.driver.manage().window().setSize(new Dimension(1366, 1500));
        browser.screenshot("item-rpo-chart");
    }

    @Test
    @Order(2)
    void anOperatorRunsTheSeedsCycleWithClicks() throws Exception {
        signIn(Role.OPERATOR);
        // Protect web1 as item "web": the first step of the cycle.
        click("#protect-link");
        new Select(browser.driver.findElement(By.id("machine"))).selectByValue("web1");
        browser.driver.findElement(By.id("name")).sendKeys("web");
        new Select(browser.driver.findElement(By.id("policy"))).selectByValue("default");
        click("#do-protect");
        awaitJob("succeeded");
        backToItem();
        assertThat(text("#item-name")).isEqualTo("web");
        assertThat(text("#item-state")).isEqualTo("protected");
        // An app-consistent point 10 minutes before the latest crash-consistent one (FB-15's data loss).
        Instant now = portal.estate.clock.now();
        portal.forwardPoint("web", MarkerKind.APP, now.minus(Duration.ofMinutes(10)));
        portal.forwardPoint("web", MarkerKind.CRASH, now);
        browser.driver.navigate().refresh();

        // Test failover and its cleanup.
        runWithDialog("test-failover");
        backToItem();
        assertThat(text("#item-state")).isEqualTo("test-running");
        click("#do-cleanup");
        awaitJob("succeeded");
        backToItem();
        assertThat(text("#item-state")).isEqualTo("protected");

        // Unplanned failover at the latest app-consistent point: the dialog shows the data loss first.
        click("#open-unplanned-failover");
        new Select(browser.driver.findElement(By.id("point-unplanned-failover"))).selectByValue("latest-app-consistent");
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-unplanned-failover"), "10 min of writes after this point are lost"));
        click("#do-unplanned-failover");
        awaitJob("succeeded");
        assertThat(text("#job-description")).contains("unplanned-failover of item web");
        backToItem();
        assertThat(text("#item-state")).isEqualTo("failed-over");

        click("#do-commit");
        awaitJob("succeeded");
        backToItem();
        assertThat(text("#item-state")).isEqualTo("committed");
        // The machine now running at the recovery site reports in (FB-21: reprotect needs its agent).
        portal.estate.server.inventory().agentHeartbeat(org.boomerang.control.testing.TestingEstate.RECOVERY, portal.estate.item("web").recoveryMachine().orElseThrow());

        // Alternate location onto vSAN is refused with its rule, and nothing starts.
        browser.driver.navigate().refresh();
        click("#open-reprotect");
        new Select(browser.driver.findElement(By.id("location"))).selectByValue("alternate");
        new Select(browser.driver.findElement(By.id("datastore"))).selectByValue("vsan1");
        click("#do-reprotect");
        assertThat(text("#refusal")).contains("FB-8").contains("FB_8_ALR_ONLY_ON_VMFS").contains("VMFS");
        assertThat(text("#item-state")).isEqualTo("committed");
        browser.screenshot("refused-failback");

        // Reprotect with the defaults, watched live: the sync is held until the page shows the job running.
        CountDownLatch gate = new CountDownLatch(1);
        portal.estate.dataPlane.holdSyncs(gate);
        try {
            click("#open-reprotect");
            assertThat(browser.driver.findElement(By.id("retention")).getAttribute("value")).as("the policy's retention is offered").isEqualTo("1d");
            click("#do-reprotect");
            awaitJob("running");
            browser.driver.executeScript("window.boomerangNoReload = 42;");
            browser.screenshot("job-in-progress");
        } finally {
            gate.countDown();
        }
        awaitJob("succeeded");
        assertThat(browser.driver.executeScript("return window.boomerangNoReload;")).as("the job page updated in place").isEqualTo(42L);
        assertThat(browser.driver.findElements(By.cssSelector("#job-steps tbody tr"))).hasSizeGreaterThan(1);
        backToItem();
        assertThat(text("#item-state")).isEqualTo("reverse-protected");
        assertThat(text(".facts")).as("left at the policy's, the item follows its policy").contains("1 d (policy default)");

        // With replication health not OK, failback is disabled and says which rule and what to do.
        org.boomerang.control.dataplane.PairId reverse = org.boomerang.control.dataplane.PairId.reverse(new ItemId("web"));
        portal.estate.dataPlane.reportHealth(portal.estate.dataPlane.measurement(reverse, org.boomerang.control.dataplane.ReplicationState.CATCHING_UP,
                1, java.util.Optional.of(java.time.Duration.ZERO), java.util.List.of()));
        portal.estate.server.protection().measureHealth();
        browser.driver.navigate().refresh();
        WebElement failback = browser.driver.findElement(By.id("action-planned-failover"));
        assertThat(failback.findElement(By.tagName("button")).isEnabled()).isFalse();
        assertThat(failback.getText()).contains("Planned failback").contains("FB-12").contains("FB_12_REPROTECTION_NOT_COMPLETE");
        portal.estate.dataPlane.measureNormally(reverse);
        portal.estate.server.protection().measureHealth();

        // Sign out: the portal asks to sign in again.
        click("#sign-out");
        assertThat(text("#notice")).isEqualTo("You have signed out.");
        browser.driver.get(portal.base() + "/items/web");
        assertThat(browser.driver.getCurrentUrl()).contains("/login");
    }

    @Test
    @Order(3)
    void aReaderSeesNoActions() {
        signIn(Role.READER);
        openItem("db");
        assertThat(text("#reader-note")).contains("reader");
        assertThat(browser.driver.findElements(By.cssSelector("#actions button, #actions form"))).isEmpty();
        browser.driver.get(portal.base() + "/jobs");
        browser.driver.findElement(By.cssSelector("table.jobs tbody tr a")).click();
        assertThat(browser.driver.findElements(By.cssSelector("#job-live form"))).isEmpty();
        click("#sign-out");
        // The click submits a form: wait for the navigation it starts, not the page that was showing.
        wait(ExpectedConditions.urlContains("/login"));
    }

    @Test
    @Order(4)
    void anOperatorRunsAPlanAndFollowsItThroughAManualStep() {
        portal.estate.server.plans().put(new RecoveryPlan(new PlanId("tier"), "Database and app tier", List.of(
                new PlanGroup("databases", List.of(new ItemId("db")), List.of(), List.of(new ManualAction("check that the database answers"))),
                new PlanGroup("apps", List.of(new ItemId("app")), List.of(), List.of()))));
        signIn(Role.OPERATOR);
        browser.driver.get(portal.base() + "/plans");
        browser.driver.findElement(By.linkText("tier")).click();
        assertThat(browser.driver.findElement(By.cssSelector("ol.groups")).getText()).contains("check that the database answers");
        new Select(browser.driver.findElement(By.id("operation"))).selectByValue("test-failover");
        click("#run-plan");
        awaitJob("waiting for operator");
        // #job-live is replaced every second while the job runs: read it in one step (TestingBrowser.text).
        assertThat(text("#job-live")).contains("test-failover of item db");
        click("#job-resume");
        awaitJob("succeeded");
        assertThat(portal.estate.item("db").state()).isEqualTo(ItemState.TEST_RUNNING);
        assertThat(portal.estate.item("app").state()).isEqualTo(ItemState.TEST_RUNNING);
    }

    private static void signIn(Role role) {
        browser.driver.get(portal.base() + "/items");
        assertThat(browser.driver.getCurrentUrl()).contains("/login");
        browser.driver.findElement(By.id("token")).sendKeys(portal.tokenOf.get(role));
        click("#sign-in");
        wait(ExpectedConditions.presenceOfElementLocated(By.id("who")));
        assertThat(text("#who")).startsWith(role.label());
    }

    private static void openItem(String id) {
        browser.driver.get(portal.base() + "/items");
        browser.driver.findElement(By.cssSelector("#items tr[data-item='" + id + "'] a.item-link")).click();
        assertThat(text("#item-name")).isEqualTo(id);
    }

    /** Opens an action's dialog, keeps its defaults, submits, and waits for its job to succeed. */
    private static void runWithDialog(String verb) {
        click("#open-" + verb);
        click("#do-" + verb);
        awaitJob("succeeded");
    }

    private static void awaitJob(String state) {
        wait(ExpectedConditions.textToBe(By.id("job-state"), state));
    }

    private static void backToItem() {
        click("#job-target");
        wait(ExpectedConditions.presenceOfElementLocated(By.id("item-state")));
    }

    private static void click(String css) {
        browser.click(css, WAIT);
    }

    private static String text(String css) {
        return browser.text(css, WAIT);
    }

    private static <T> T wait(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
        return browser.await(condition, WAIT);
    }
}
