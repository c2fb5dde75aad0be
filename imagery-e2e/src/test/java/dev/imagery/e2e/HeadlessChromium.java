package dev.imagery.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The Debian {@code chromium} + {@code chromium-driver} packages, driven headless. Paths are given explicitly so
 * Selenium Manager never tries to download a browser or driver (these machines have no internet).
 * Override with {@code -Dimagery.e2e.chromium=...} and {@code -Dimagery.e2e.chromedriver=...}.
 */
final class HeadlessChromium {

    static final Path BROWSER = Path.of(System.getProperty("imagery.e2e.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("imagery.e2e.chromedriver", "/usr/bin/chromedriver"));

    // Selenium warns about a missing DevTools (CDP) version for every new Chromium; the tests don't use CDP.
    private static final Logger QUIET = Logger.getLogger("org.openqa.selenium");

    private HeadlessChromium() {
    }

    /** Why the browser tests cannot run here, or null when Chromium and its driver are installed. */
    static String missing() {
        for (Path needed : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(needed)) {
                return "Browser tests skipped: " + needed + " is missing (apt-get install -y chromium chromium-driver)";
            }
        }
        return null;
    }

    static ChromeDriver start(Path profileDir) {
        QUIET.setLevel(Level.SEVERE);
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(BROWSER.toFile())
                .addArguments(
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--disable-quic", "--window-size=1280,1400",
                        "--user-data-dir=" + profileDir.toAbsolutePath());
        return new ChromeDriver(service, options);
    }
}
