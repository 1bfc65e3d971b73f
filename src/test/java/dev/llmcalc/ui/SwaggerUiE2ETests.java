package dev.llmcalc.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Swagger UI as a new user meets it: open {@code /swagger-ui/index.html}, expand {@code POST /api/v1/memory/training},
 * "Try it out", "Execute" with the body Swagger UI offers, and see 200. Debian's chromium and chromium-driver as in
 * {@link HeadlessChromium}; skipped when they are missing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SwaggerUiE2ETests {

    private static HeadlessChromium browser;

    private static WebDriver driver;

    @LocalServerPort
    private int port;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (HeadlessChromium.installed()) {
            browser = HeadlessChromium.start("llmcalc-swagger-", false);
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

    @Test
    void tryItOutOnTrainingMemoryWithTheDefaultBodyShouldAnswer200() {
        Assumptions.assumeTrue(HeadlessChromium.installed(), HeadlessChromium.MISSING);
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
