package org.boomerang.portal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both named explicitly so that
 * Selenium Manager never downloads anything. One browser per test class; {@link #close()} ends it
 * and removes its profile. Screenshots are written only when {@code -Dboomerang.portal.screenshots=DIR}
 * (or {@code BOOMERANG_PORTAL_SCREENSHOTS=DIR}) asks for them.
 *
 * <p>The job page swaps its live part in place every second (htmx), so an element found there can be
 * replaced before it is read or clicked. {@link #click}, {@link #text} and {@link #select} find the
 * element and act on it in one step and do both again when the page replaced it in between.
 */
public final class TestingBrowser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    public final ChromeDriver driver;
    private final Path profile;
    private final ChromeDriverService service;
    private final Optional<Path> screenshots;

    public TestingBrowser() {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): run bin/test, which installs them, or apt-get install chromium chromium-driver");
        }
        try {
            profile = Files.createTempDirectory("boomerang-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1366,900", "--lang=en-US");
        driver = new ChromeDriver(service, options);
        String dir = System.getProperty("boomerang.portal.screenshots", System.getenv("BOOMERANG_PORTAL_SCREENSHOTS"));
        screenshots = dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    /** Waits up to {@code timeout} for {@code condition}, trying again when the element it looked at was replaced. */
    public <T> T await(ExpectedCondition<T> condition, Duration timeout) {
        return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Clicks the element {@code css} names once it is clickable. */
    public void click(String css, Duration timeout) {
        await(d -> {
            WebElement e = d.findElement(By.cssSelector(css));
            if (!e.isDisplayed() || !e.isEnabled()) {
                return null;
            }
            try {
                e.click();
            } catch (ElementNotInteractableException notYet) { // covered, or not yet shown: try again
                return null;
            }
            return Boolean.TRUE;
        }, timeout);
    }

    /** The text of the element {@code css} names, once it is present. */
    public String text(String css, Duration timeout) {
        return await(d -> d.findElement(By.cssSelector(css)).getText(), timeout);
    }

    /** Chooses {@code value} in the select {@code css} names. */
    public void select(String css, String value, Duration timeout) {
        await(d -> {
            new Select(d.findElement(By.cssSelector(css))).selectByValue(value);
            return Boolean.TRUE;
        }, timeout);
    }

    /** Saves the viewport as {@code NAME.png} when screenshots were asked for. */
    public void screenshot(String name) {
        if (screenshots.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(screenshots.get());
            Files.write(screenshots.get().resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temp profile is harmless.
            }
        }
    }
}
