package org.boomerang.portal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both named explicitly so that
 * Selenium Manager never downloads anything. One browser per test class; {@link #close()} ends it
 * and removes its profile. Screenshots are written only when {@code -Dboomerang.portal.screenshots=DIR}
 * (or {@code BOOMERANG_PORTAL_SCREENSHOTS=DIR}) asks for them.
 */
final class TestingBrowser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    final ChromeDriver driver;
    private final Path profile;
    private final ChromeDriverService service;
    private final Optional<Path> screenshots;

    TestingBrowser() {
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

    /** Saves the viewport as {@code NAME.png} when screenshots were asked for. */
    void screenshot(String name) {
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
