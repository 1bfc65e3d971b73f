package dev.llmcalc.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The page at {@code /} in a real headless browser: Debian's {@code chromium} and {@code chromium-driver}
 * driven by Selenium (nothing downloaded: the driver and the browser are given by path). Skipped when either
 * is missing; {@code .ci/run} installs them. The screenshot goes to {@code target/page.png}, and also to the
 * path in the system property {@code llmcalc.page.screenshot} when set (the README's {@code docs/page.png}:
 * {@code ./mvnw verify -Dtest=PageE2ETests -Dllmcalc.page.screenshot=docs/page.png}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PageE2ETests {

    private static final String CHROMIUM = "/usr/bin/chromium";

    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static WebDriver driver;

    private static Path profile;

    @LocalServerPort
    private int port;

    static boolean browserInstalled() {
        return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!browserInstalled()) {
            return;
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory("llmcalc-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1440,1500", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
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
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private String base() {
        return "http://localhost:" + this.port;
    }

    @Test
    void rootServesThePageAndItsFilesWithTheirContentTypes() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.body()).contains("<script src=\"page.js\"", "href=\"page.css\"", "id=\"total-bytes\"",
                "/swagger-ui/index.html");
        HttpResponse<String> script = get("/page.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        assertThat(script.body()).contains("/api/v1/");
        assertThat(script.body().replace("http://www.w3.org/2000/svg", "")).as("nothing fetched from elsewhere")
                .doesNotContain("http://", "https://", "//cdn");
        HttpResponse<String> style = get("/page.css");
        assertThat(style.statusCode()).isEqualTo(200);
        assertThat(style.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(style.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void llama7bOnEightH100sShowsTheApisTotalAndZero3Shrinks() throws Exception {
        Assumptions.assumeTrue(browserInstalled(), "browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                + " is missing (apt-get install chromium chromium-driver; .ci/run does it)");
        driver.get(base() + "/");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(d -> d.findElements(By.cssSelector("#model-preset option[value='llama-2-7b']")).size() == 1
                && d.findElements(By.cssSelector("#gpu option[value='h100-sxm-80gb']")).size() == 1);

        new Select(driver.findElement(By.id("model-preset"))).selectByValue("llama-2-7b");
        new Select(driver.findElement(By.id("gpu"))).selectByValue("h100-sxm-80gb");
        type("gpu-count", "8");
        type("gpus-per-node", "8");
        type("data-degree", "8");
        type("tensor-degree", "1");
        type("pipeline-degree", "1");
        type("context-degree", "1");
        type("sequence-length", "4096");
        type("micro-batch", "1");
        type("global-batch", "1024");
        new Select(driver.findElement(By.id("zero-stage"))).selectByValue("0");

        JsonNode zero0 = request(0);
        waitForMemory(wait, zero0);
        long total0 = shownTotal();
        double bar0 = barWidth();
        assertThat(total0).isEqualTo(apiTotal(zero0));
        assertThat(driver.findElement(By.id("total-gib")).getText()).endsWith("GiB");

        new Select(driver.findElement(By.id("zero-stage"))).selectByValue("3");
        JsonNode zero3 = request(3);
        waitForMemory(wait, zero3);
        long total3 = shownTotal();
        double bar3 = barWidth();
        assertThat(total3).isEqualTo(apiTotal(zero3)).isLessThan(total0);
        assertThat(bar3).isLessThan(bar0).isPositive();

        // the inputs are in the URL: a fresh load of it restores ZeRO-3 and the same total
        String shared = driver.getCurrentUrl();
        assertThat(shared).contains("zero=3");
        driver.get("about:blank"); // leave, then come back through the shared link
        driver.get(shared);
        waitForMemory(wait, zero3);
        assertThat(shownTotal()).isEqualTo(total3);

        // the planner answers into a table (for the screenshot too)
        driver.findElement(By.id("plans-button")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#plans-table table.plans tbody tr")).isEmpty());
        assertThat(driver.findElement(By.id("plans-summary")).getText()).contains("layouts evaluated");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('plans-panel').scrollIntoView()");
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "page-plans.png"),
                StandardCopyOption.REPLACE_EXISTING);

        // the accelerator comparison: three GPUs at two counts, drawn as cost against days with the choices named
        type("compare-counts", "8, 16");
        driver.findElement(By.id("compare-button")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#compare-chart svg.scatter circle[data-option]")).isEmpty());
        assertThat(driver.findElements(By.cssSelector("#compare-chart svg.scatter circle[data-option]"))).hasSize(6);
        assertThat(driver.findElements(By.cssSelector("#compare-table table.compare tbody tr"))).hasSize(6);
        assertThat(driver.findElement(By.id("compare-summary")).getText()).contains("cheapest: ").contains("fastest: ");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('compare-panel').scrollIntoView()");
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "page-compare.png"),
                StandardCopyOption.REPLACE_EXISTING);
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        screenshot();

        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).collect(Collectors.toList());
        assertThat(severe).as("severe browser console entries").isEmpty();
    }

    /** The body the page must send for these inputs, written out independently of page.js. */
    private static JsonNode request(int zeroStage) {
        return JSON.readTree("""
                {"model": {"preset": "llama-2-7b"},
                 "batch": {"microBatchSize": 1, "sequenceLength": 4096, "globalBatchSize": 1024},
                 "training": {"precision": "MIXED_BF16", "optimizer": "ADAMW", "zeroStage": %d},
                 "activations": {"recomputation": "NONE", "attention": "FLASH", "sequenceParallel": false},
                 "parallelism": {"data": 8, "tensor": 1, "pipeline": 1, "context": 1},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpusPerNode": 8, "gpuCount": 8}}
                """.formatted(zeroStage));
    }

    /** Until the memory panel shows the answer to exactly this request. */
    private static void waitForMemory(WebDriverWait wait, JsonNode expected) {
        wait.until(d -> {
            WebElement panel = d.findElement(By.id("memory-panel"));
            String sent = panel.getDomAttribute("data-request");
            return "ready".equals(panel.getDomAttribute("data-state")) && sent != null
                    && JSON.readTree(sent).equals(expected);
        });
    }

    private long apiTotal(JsonNode body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/memory/training"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("perGpu").path("totalBytes").asLong();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    // the page re-renders its result on every answer; an element read while being replaced is read again
    private static long shownTotal() {
        String text = stable((d) -> d.findElement(By.id("total-bytes")).getText().trim());
        assertThat(text).matches("\\d+");
        return Long.parseLong(text);
    }

    private static double barWidth() {
        return Double.parseDouble(stable((d) -> d.findElement(By.id("memory-bar")).getDomAttribute("data-width")));
    }

    private static <T> T stable(java.util.function.Function<WebDriver, T> read) {
        return new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(read::apply);
    }

    private static void type(String id, String value) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private static void screenshot() throws IOException {
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "page.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        String readme = System.getProperty("llmcalc.page.screenshot");
        if (readme != null && !readme.isBlank()) {
            Path copy = Path.of(readme);
            if (copy.getParent() != null) {
                Files.createDirectories(copy.getParent());
            }
            Files.copy(shot, copy, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
