package dev.llmcalc.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Swagger UI as a new user meets it: open {@code /swagger-ui/index.html}, expand {@code POST /api/v1/memory/training},
 * "Try it out", "Execute" with the body Swagger UI offers, and see 200. Debian's chromium and chromium-driver as in
 * {@link PageE2ETests}; skipped when they are missing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SwaggerUiE2ETests {

    private static final String CHROMIUM = "/usr/bin/chromium";

    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private static WebDriver driver;

    private static Path profile;

    @LocalServerPort
    private int port;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!PageE2ETests.browserInstalled()) {
            return;
        }
        profile = Files.createTempDirectory("llmcalc-swagger-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1440,1500", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void tryItOutOnTrainingMemoryWithTheDefaultBodyShouldAnswer200() {
        Assumptions.assumeTrue(PageE2ETests.browserInstalled(), "browser tests skipped: " + CHROMIUM + " or "
                + CHROMEDRIVER + " is missing (apt-get install chromium chromium-driver; .ci/run does it)");
        driver.get("http://localhost:" + this.port + "/swagger-ui/index.html");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        // operation ids are tag-operationId: memory / training
        WebElement operation = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.id("operations-memory-training")));
        click(operation.findElement(By.cssSelector(".opblock-summary-control")));
        click(wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#operations-memory-training .try-out__btn"))));
        // the editor holds Swagger UI's default body: the first named example (a cluster of 64 H100s, no layout)
        WebElement editor = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#operations-memory-training textarea.body-param__text")));
        assertThat(editor.getAttribute("value")).contains("\"gpuCount\": 64").contains("h100-sxm-80gb");
        click(driver.findElement(By.cssSelector("#operations-memory-training button.execute")));
        WebElement status = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#operations-memory-training .live-responses-table tr.response .response-col_status")));
        wait.until((d) -> !status.getText().isBlank());
        assertThat(status.getText().trim()).startsWith("200");
        String body = driver.findElement(By.cssSelector("#operations-memory-training .live-responses-table "
                + ".response-col_description pre")).getText();
        assertThat(body).contains("\"data\": 64").contains("parallelism.data not given: 64");
    }

    private static void click(WebElement element) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
    }
}
