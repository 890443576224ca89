package org.boomerang.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.boomerang.portal.TestingBrowser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The seed's whole cycle by clicks in the portal (Debian's headless Chromium) against the real
 * server: {@code boomerang server --config examples/lab/server.yaml} (port 0, a temporary data
 * folder) with the lab provider and the embedded data plane. The test signs in with the admin token
 * and clicks: protect web1 → unplanned failover at latest-processed → commit → reprotect (original
 * location, process server ps-recovery, master target mt1) → planned failback → commit → reprotect
 * again. Between the clicks it plays the guest: it writes to the disk's {@code nbdUri} with a real NBD
 * client, and after the failover and after the failback it checks that the disk now running equals
 * the source at that point (SHA-256). The API is only read (token file, inventory, points); every
 * operation is a click.
 */
class LabPortalBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration JOB = Duration.ofSeconds(120);

    @TempDir
    Path data;

    private LabClient lab;
    private ServerRuntime server;
    private TestingBrowser browser;
    private String token;

    @BeforeEach
    void start() throws Exception {
        // What an admin sets up with the API or CLI before the portal can protect anything (docs/portal.md).
        lab = LabClient.start(data).withMasterTargetAndPolicy("fast", 60);
        server = lab.server();
        token = lab.token();
        browser = new TestingBrowser();
    }

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            lab.close();
        }
    }

    @Test
    void anOperatorWalksTheWholeCycleByClicksAgainstTheRealServer() throws Exception {
        signIn();

        // Protect web1 as item "web" through ps-primary.
        click("#protect-link");
        browser.select("#machine", "web1", WAIT);
        browser.driver.findElement(By.id("name")).sendKeys("web");
        browser.select("#policy", "fast", WAIT);
        browser.select("#processServer", "ps-primary", WAIT);
        click("#do-protect");
        awaitJobSucceeded();
        backToItem();
        assertThat(text("#item-name")).isEqualTo("web");
        assertThat(text("#item-state")).isEqualTo("protected");

        // The guest writes; the point that follows holds the writes.
        URI source = URI.create(nbdUri("primary", "web1"));
        write(source, 1 << 20, random(256 << 10, 1));
        write(source, 9 << 20, random(4096, 2));
        Instant written = Instant.now();
        String sourceDigest = sha256(source);
        awaitPointAfter("web", written);

        // The item page shows the points the server took, and draws RPO over time from them.
        browser.driver.navigate().refresh();
        assertThat(browser.driver.findElements(By.cssSelector("#points tbody tr td:nth-child(4)"))).as("points with their consistency")
                .isNotEmpty().allSatisfy(td -> assertThat(td.getText()).isIn("crash", "app"));
        browser.await(ExpectedConditions.attributeToBeNotEmpty(browser.driver.findElement(By.id("rpo-chart")), "data-points"), WAIT);

        // Unplanned failover at latest-processed, chosen in its dialog.
        click("#open-unplanned-failover");
        browser.select("#point-unplanned-failover", "latest-processed", WAIT);
        click("#do-unplanned-failover");
        awaitJobSucceeded();
        assertThat(text("#job-description")).contains("unplanned-failover of item web");
        backToItem();
        assertThat(text("#item-state")).isEqualTo("failed-over");
        String recovered = item("web").path("recoveryMachine").asText();
        assertThat(text(".facts")).contains(recovered);
        URI recoveredDisk = URI.create(nbdUri("recovery", recovered));
        assertThat(sha256(recoveredDisk)).as("the recovered disk equals the source at the point").isEqualTo(sourceDigest);

        // Commit, with the recovered machine writing.
        write(recoveredDisk, 20 << 20, random(8192, 3));
        click("#do-commit");
        awaitJobSucceeded();
        backToItem();
        assertThat(text("#item-state")).isEqualTo("committed");
        write(recoveredDisk, 30 << 20, random(4096, 4));

        // Reprotect to the original location through ps-recovery and mt1: a tracked sync of the changes only.
        click("#open-reprotect");
        browser.select("#location", "original", WAIT);
        browser.select("#processServer", "ps-recovery", WAIT);
        browser.select("#masterTarget", "mt1", WAIT);
        // Retention: the policy's is offered; the operator types another one with the keyboard.
        WebElement retention = browser.driver.findElement(By.id("retention"));
        assertThat(retention.getAttribute("value")).as("the policy's retention is offered").isNotBlank();
        assertThat(browser.driver.findElement(By.cssSelector("label[for='retention']")).getText()).isEqualTo("Retention");
        retention.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, "12h");
        browser.screenshot("lab-reprotect-dialog");
        click("#do-reprotect");
        awaitJobSucceeded();
        assertThat(text("#job-live")).as("tracked sync: the 3 changed 4 KiB blocks, nothing else").contains("TRACKED sync")
                .contains("sent 12288 B").contains("3 blocks changed");
        browser.screenshot("lab-reprotect-job");
        backToItem();
        assertThat(text("#item-state")).isEqualTo("reverse-protected");
        assertThat(text(".facts")).as("the item shows the retention chosen at reprotect").contains("12 h (chosen at reprotect)");
        assertThat(item("web").path("retentionSeconds").asLong()).isEqualTo(12 * 3600);
        assertThat(item("web").path("retentionFromPolicy").asBoolean()).isFalse();

        // Planned failback at latest-processed once a point holds the recovered machine's last writes.
        write(recoveredDisk, 40 << 20, random(4096, 5));
        Instant late = Instant.now();
        String beforeFailback = sha256(recoveredDisk);
        awaitPointAfter("web", late);
        openWhenEnabled("planned-failover");
        assertThat(text("#open-planned-failover")).contains("Planned failback");
        browser.select("#point-planned-failover", "latest-processed", WAIT);
        click("#do-planned-failover");
        awaitJobSucceeded();
        backToItem();
        assertThat(text("#item-state")).isEqualTo("failed-back");
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 1500));
        browser.screenshot("lab-item-failed-back");
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));
        URI back = URI.create(nbdUri("primary", "web1"));
        assertThat(sha256(back)).as("after failback the original machine's disk equals the recovered one").isEqualTo(beforeFailback);

        // Commit the failback (FB-19: the recovery-site machine is removed), then reprotect again (FB-20: a process server).
        click("#do-commit");
        awaitJobSucceeded();
        backToItem();
        assertThat(text("#item-state")).isEqualTo("committed-back");
        assertThat(machineIds("recovery")).as("FB-19: the recovery-site machine is removed").doesNotContain(recovered);
        click("#open-reprotect");
        browser.select("#processServer", "ps-primary", WAIT);
        click("#do-reprotect");
        awaitJobSucceeded();
        backToItem();
        assertThat(text("#item-state")).isEqualTo("protected");
        assertThat(sha256(back)).isEqualTo(beforeFailback);
        click("nav a[href='/items']");
        assertThat(text("#items tr[data-item='web'] .state")).as("the items page shows the item protected again").isEqualTo("protected");
    }

    private void signIn() {
        String base = "http://127.0.0.1:" + server.port();
        browser.driver.get(base + "/items");
        assertThat(browser.driver.getCurrentUrl()).contains("/login");
        browser.driver.findElement(By.id("token")).sendKeys(token);
        click("#sign-in");
        browser.await(ExpectedConditions.presenceOfElementLocated(By.id("who")), WAIT);
        assertThat(browser.driver.getCurrentUrl()).endsWith("/items");
    }

    /** Opens an action's dialog, reloading the item page until the action is enabled (health is measured, not pushed). */
    private void openWhenEnabled(String verb) {
        browser.await(d -> {
            if (d.findElements(By.id("open-" + verb)).isEmpty()) {
                d.navigate().refresh();
                return null;
            }
            return Boolean.TRUE;
        }, WAIT);
        click("#open-" + verb);
    }

    private void awaitJobSucceeded() {
        String state = browser.await(d -> {
            String s = d.findElement(By.id("job-state")).getText();
            return s.equals("succeeded") || s.equals("failed") || s.equals("cancelled") ? s : null;
        }, JOB);
        assertThat(state).as("job %s: %s", browser.driver.getCurrentUrl(), text("#job-live")).isEqualTo("succeeded");
    }

    private void backToItem() {
        click("#job-target");
        browser.await(ExpectedConditions.presenceOfElementLocated(By.id("item-state")), WAIT);
    }

    private void click(String css) {
        browser.click(css, WAIT);
    }

    private String text(String css) {
        return browser.text(css, WAIT);
    }

    private void awaitPointAfter(String item, Instant t) throws Exception {
        lab.awaitPointAfter(item, t);
    }

    private String nbdUri(String site, String machine) throws Exception {
        String uri = lab.nbdUri(site, machine);
        assertThat(uri).as("machine %s at %s serves its disk", machine, site).isNotNull();
        return uri;
    }

    private java.util.List<String> machineIds(String site) throws Exception {
        return lab.machineIds(site);
    }

    private JsonNode item(String id) throws Exception {
        return lab.item(id);
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        return lab.call(method, path, body);
    }

    private static byte[] random(int n, long seed) {
        return LabClient.random(n, seed);
    }

    private static void write(URI uri, long offset, byte[] data) throws Exception {
        LabClient.write(uri, offset, data);
    }

    private static String sha256(URI uri) throws Exception {
        return LabClient.sha256(uri);
    }
}
