package dev.llmcalc.ui;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
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

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HeadlessChromium browser;

    private static WebDriver driver;

    @LocalServerPort
    private int port;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (HeadlessChromium.installed()) {
            browser = HeadlessChromium.start("llmcalc-chromium-", true);
            driver = browser.driver();
        }
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.close();
            browser = null;
            driver = null;
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
        WebDriverWait wait = open();

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
        type("expert-degree", "1");
        type("virtual-pipeline-degree", "1");
        new Select(driver.findElement(By.id("recomputation"))).selectByValue("NONE");
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

    private WebDriverWait open() {
        assumeBrowser();
        driver.get(base() + "/");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(d -> d.findElements(By.cssSelector("#model-preset option[value='llama-2-7b']")).size() == 1
                && d.findElements(By.cssSelector("#gpu option[value='h100-sxm-80gb']")).size() == 1);
        driver.manage().logs().get(LogType.BROWSER).getAll(); // each test reads the console entries of its own page only
        return wait;
    }

    private static void assumeBrowser() {
        Assumptions.assumeTrue(HeadlessChromium.installed(), HeadlessChromium.MISSING);
    }

    @Test
    void theDefaultViewOpensOnAPlanThatFits() {
        WebDriverWait wait = open();
        wait.until(d -> "ready".equals(d.findElement(By.id("memory-panel")).getDomAttribute("data-state")));
        WebElement fits = driver.findElement(By.id("fits"));
        assertThat(fits.getText()).startsWith("fits, ");
        assertThat(fits.getDomAttribute("class")).isEqualTo("ok");
        JsonNode sent = JSON.readTree(driver.findElement(By.id("memory-panel")).getDomAttribute("data-request"));
        assertThat(sent.path("cluster").path("gpuCount").asInt()).as("the default layout uses the whole cluster").isEqualTo(8);
        assertThat(driver.findElement(By.id("communication-table")).findElements(By.cssSelector("tbody tr"))).isNotEmpty();
    }

    @Test
    void anExpertParallelPlanRoundTripsThroughUseWithTheSameBytes() {
        WebDriverWait wait = open();
        new Select(driver.findElement(By.id("model-preset"))).selectByValue("mixtral-8x7b");
        type("gpu-count", "64");
        // the layout follows the cluster: data parallelism takes the 64 GPUs, and the communication panel answers
        wait.until(d -> "64".equals(d.findElement(By.id("data-degree")).getDomProperty("value")));
        waitForMemory(wait, (sent) -> sent.path("model").path("preset").asString().equals("mixtral-8x7b")
                && sent.path("cluster").path("gpuCount").asInt() == 64);
        assertThat(degrees()).isEqualTo(64);
        wait.until(d -> !d.findElements(By.cssSelector("#communication-table tbody tr")).isEmpty());
        assertThat(driver.findElement(By.id("layout-note")).getText()).contains("data 8 → 64");

        // choices the plan does not make, to see them replaced by the plan's own
        type("virtual-pipeline-degree", "2");
        type("micro-batch", "3");
        new Select(driver.findElement(By.id("zero-stage"))).selectByValue("3");
        new Select(driver.findElement(By.id("recomputation"))).selectByValue("FULL");
        driver.findElement(By.id("plans-button")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#plans-table table.plans tbody tr")).isEmpty());
        WebElement use = driver.findElements(By.cssSelector("#plans-table button[data-plan]")).stream()
                .filter((b) -> JSON.readTree(b.getDomAttribute("data-plan")).path("parallelism").path("expert").asInt() > 1)
                .findFirst().orElseThrow(() -> new AssertionError("no expert-parallel plan among the best 10"));
        JsonNode plan = JSON.readTree(use.getDomAttribute("data-plan"));
        use.click();
        waitForMemory(wait, (sent) -> sent.path("parallelism").equals(plan.path("parallelism")));
        JsonNode sent = JSON.readTree(driver.findElement(By.id("memory-panel")).getDomAttribute("data-request"));
        assertThat(sent.path("parallelism").path("expert").asInt()).isGreaterThan(1);
        assertThat(sent.path("parallelism").path("virtualPipeline").asInt()).isEqualTo(plan.path("parallelism").path("virtualPipeline").asInt());
        assertThat(sent.path("training").path("zeroStage").asInt()).isEqualTo(plan.path("zeroStage").asInt());
        assertThat(sent.path("activations").path("recomputation").asString()).isEqualTo(plan.path("recomputation").asString());
        assertThat(sent.path("activations").path("sequenceParallel").asBoolean()).isEqualTo(plan.path("sequenceParallel").asBoolean());
        assertThat(sent.path("batch").path("microBatchSize").asLong()).isEqualTo(plan.path("microBatchSize").asLong());
        assertThat(shownTotal()).as("the memory panel after Use shows the plan's bytes").isEqualTo(plan.path("perGpuBytes").asLong());
    }

    @Test
    void changingTheModelOrTheGpuCountKeepsTheLayoutOnTheCluster() {
        WebDriverWait wait = open();
        type("tensor-degree", "8");
        wait.until(d -> "1".equals(d.findElement(By.id("data-degree")).getDomProperty("value")));
        type("gpu-count", "32");
        wait.until(d -> "4".equals(d.findElement(By.id("data-degree")).getDomProperty("value")));
        assertThat(value("tensor-degree")).isEqualTo(8);
        // Qwen2.5-0.5B has 14 query and 2 key/value heads: tensor 8 cannot split them, tensor 2 can
        new Select(driver.findElement(By.id("model-preset"))).selectByValue("qwen2.5-0.5b");
        waitForMemory(wait, (sent) -> sent.path("model").path("preset").asString().equals("qwen2.5-0.5b"));
        assertThat(value("tensor-degree")).isEqualTo(2);
        assertThat(value("data-degree")).isEqualTo(16);
        assertThat(degrees()).isEqualTo(32);
        assertThat(driver.findElement(By.id("layout-note")).getText()).contains("tensor 8 → 2", "data 4 → 16");
        // a data degree typed in sizes the cluster
        type("data-degree", "2");
        wait.until(d -> String.valueOf(2 * value("tensor-degree")).equals(d.findElement(By.id("gpu-count")).getDomProperty("value")));
        waitForMemory(wait, (sent) -> sent.path("parallelism").path("data").asInt() == 2);
        assertThat(JSON.readTree(driver.findElement(By.id("memory-panel")).getDomAttribute("data-request")).path("cluster")
                .path("gpuCount").asInt()).isEqualTo(degrees());
    }

    @Test
    void resultsOfAnInvalidInputAreDimmedAndOfARefusedOneCleared() {
        WebDriverWait wait = open();
        wait.until(d -> "ready".equals(d.findElement(By.id("memory-panel")).getDomAttribute("data-state")));
        assertThat(opacity("memory-panel")).isEqualTo(1.0);
        type("micro-batch", "0");
        wait.until(d -> "stale".equals(d.findElement(By.id("memory-panel")).getDomAttribute("data-state")));
        for (String panel : List.of("memory-panel", "parameters-panel", "communication-panel")) {
            assertThat(opacity(panel)).as(panel).isLessThan(0.5);
        }
        assertThat(driver.findElement(By.id("errors")).getText()).contains("Micro-batch");
        type("micro-batch", "1");
        wait.until(d -> "ready".equals(d.findElement(By.id("memory-panel")).getDomAttribute("data-state")));
        assertThat(opacity("memory-panel")).isEqualTo(1.0);
        // valid field by field, refused by the API (tensor 3 does not divide Llama-2-7B's 32 heads): the numbers go
        type("tensor-degree", "3");
        wait.until(d -> "error".equals(d.findElement(By.id("memory-panel")).getDomAttribute("data-state")));
        assertThat(driver.findElement(By.id("total-bytes")).getText()).isEqualTo("—");
        assertThat(driver.findElements(By.cssSelector("#memory-chart svg"))).isEmpty();
        assertThat(opacity("memory-panel")).isLessThan(0.5);
        assertThat(driver.findElement(By.id("errors")).getText()).contains("422");
    }

    @Test
    void at390PixelsWideThePageDoesNotScrollSideways() {
        WebDriverWait wait = open();
        org.openqa.selenium.Dimension laptop = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            wait.until(d -> "ready".equals(d.findElement(By.id("memory-panel")).getDomAttribute("data-state")));
            assertThat(((Number) js("return window.innerWidth")).intValue()).isLessThanOrEqualTo(390);
            driver.findElement(By.id("plans-button")).click();
            wait.until(d -> !d.findElements(By.cssSelector("#plans-table table.plans tbody tr")).isEmpty());
            js("document.querySelectorAll('details').forEach((d) => d.open = true)");
            String wide = (String) js("""
                    const w = document.documentElement.clientWidth;
                    return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 0.5
                        && !e.closest('.scroll, pre, .chart')).slice(0, 5).map((e) => e.tagName + '#' + e.id + '.' + e.className).join(', ')""");
            assertThat(((Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")).intValue())
                    .as("sideways overflow; elements past the right edge: " + wide).isLessThanOrEqualTo(0);
        }
        finally {
            driver.manage().window().setSize(laptop);
        }
    }

    @Test
    void everyDropDownShowsEachOfItsLabelsWhole() {
        WebDriverWait wait = open();
        wait.until(d -> "ready".equals(d.findElement(By.id("memory-panel")).getDomAttribute("data-state")));
        // each option's text measured in the select's own font against the room the select gives it (its width less
        // padding and the arrow)
        Object cut = js("""
                const ctx = document.createElement('canvas').getContext('2d');
                const cut = [];
                for (const s of document.querySelectorAll('#inputs select')) {
                  const st = getComputedStyle(s);
                  ctx.font = st.font;
                  const room = s.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight) - 20;
                  for (const o of s.options) if (ctx.measureText(o.text).width > room)
                    cut.push(s.id + ': "' + o.text + '" ' + Math.ceil(ctx.measureText(o.text).width) + ' px > ' + Math.floor(room) + ' px');
                }
                return cut.join('; ');""");
        assertThat(driver.findElements(By.cssSelector("#gpu option"))).hasSizeGreaterThanOrEqualTo(25);
        assertThat((String) cut).as("labels cut").isEmpty();
    }

    @Test
    void theDocumentsChineseSectionNamesAreDrawnWithAFontThatHasThem() throws Exception {
        WebDriverWait wait = open();
        wait.until(d -> "ready".equals(d.findElement(By.id("memory-panel")).getDomAttribute("data-state")));
        assertThat(driver.findElement(By.id("memory-formulas")).getText()).contains("显存");
        boolean cjkFont = cjkFontInstalled();
        if (System.getProperty("llmcalc.page.screenshot") != null) {
            assertThat(cjkFont).as("the README screenshot needs a CJK font (apt-get install fonts-noto-cjk; .ci/run does it)")
                    .isTrue();
        }
        Assumptions.assumeTrue(cjkFont, "no CJK font (fc-list :lang=zh is empty): apt-get install fonts-noto-cjk");
        // a missing glyph is drawn as the same empty box as a private-use code point no font has
        Object sameAsMissing = js("""
                const draw = (text) => { const c = document.createElement('canvas'); c.width = 80; c.height = 30;
                  const x = c.getContext('2d'); x.font = getComputedStyle(document.getElementById('memory-formulas')).fontSize
                    + ' ' + getComputedStyle(document.body).fontFamily; x.fillText(text, 2, 22); return c.toDataURL(); };
                return draw('显存') === draw('\uE000\uE001');""");
        assertThat(sameAsMissing).as("显存 drawn as missing-glyph boxes").isEqualTo(false);
    }

    private static boolean cjkFontInstalled() throws IOException, InterruptedException {
        try {
            Process fcList = new ProcessBuilder("fc-list", ":lang=zh", "family").redirectErrorStream(true).start();
            String fonts = new String(fcList.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return fcList.waitFor() == 0 && !fonts.isBlank();
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static double opacity(String id) {
        return Double.parseDouble(driver.findElement(By.id(id)).getCssValue("opacity"));
    }

    private static int value(String id) {
        return Integer.parseInt(driver.findElement(By.id(id)).getDomProperty("value"));
    }

    /** data × tensor × pipeline × context as the inputs show them. */
    private static int degrees() {
        return value("data-degree") * value("tensor-degree") * value("pipeline-degree") * value("context-degree");
    }

    /** Until the memory panel shows an answer to a request matching {@code sent}. */
    private static void waitForMemory(WebDriverWait wait, java.util.function.Predicate<JsonNode> sent) {
        wait.withMessage(() -> "memory panel " + driver.findElement(By.id("memory-panel")).getDomAttribute("data-state")
                + " for " + driver.findElement(By.id("memory-panel")).getDomAttribute("data-request") + "; errors: "
                + driver.findElement(By.id("errors")).getText() + "; layout: " + driver.findElement(By.id("layout-gpus")).getText())
                .until(d -> {
            WebElement panel = d.findElement(By.id("memory-panel"));
            String request = panel.getDomAttribute("data-request");
            return "ready".equals(panel.getDomAttribute("data-state")) && request != null && sent.test(JSON.readTree(request));
        });
    }

    /** The body the page must send for these inputs, written out independently of page.js. */
    private static JsonNode request(int zeroStage) {
        return JSON.readTree("""
                {"model": {"preset": "llama-2-7b"},
                 "batch": {"microBatchSize": 1, "sequenceLength": 4096, "globalBatchSize": 1024},
                 "training": {"precision": "MIXED_BF16", "optimizer": "ADAMW", "zeroStage": %d},
                 "activations": {"recomputation": "NONE", "attention": "FLASH", "sequenceParallel": false},
                 "parallelism": {"data": 8, "tensor": 1, "pipeline": 1, "context": 1, "expert": 1, "virtualPipeline": 1},
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
