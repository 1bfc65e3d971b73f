package dev.llmcalc.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's {@code chromium} and {@code chromium-driver}, given by path (nothing downloaded), headless, with a
 * throw-away profile directory that {@link #close()} deletes. The browser tests share it.
 */
final class HeadlessChromium implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";

    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    static final String MISSING = "browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER
            + " is missing (apt-get install chromium chromium-driver; .ci/run does it)";

    private final WebDriver driver;

    private final Path profile;

    private HeadlessChromium(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static boolean installed() {
        return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    }

    /** A 1440 × 1500 English window; {@code consoleLogs} keeps the page's console for the test to read. */
    static HeadlessChromium start(String profilePrefix, boolean consoleLogs) throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        Path profile = Files.createTempDirectory(profilePrefix);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1440,1500", "--lang=en-US");
        if (consoleLogs) {
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new HeadlessChromium(new ChromeDriver(service, options), profile);
    }

    WebDriver driver() {
        return this.driver;
    }

    @Override
    public void close() throws IOException {
        this.driver.quit();
        try (Stream<Path> files = Files.walk(this.profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
