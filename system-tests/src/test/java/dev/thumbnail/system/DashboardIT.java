package dev.thumbnail.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
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
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.thumbnail.testfixtures.SystemPackages;
import dev.thumbnail.testfixtures.TestImages;

/**
 * The dashboard in a real browser (headless Chromium) against the packaged services, real Kafka and real Redis:
 * upload through the page's file input, watch the tasks arrive live and reach SUCCESS with their thumbnails drawn,
 * open one task's timeline. Leaves screenshots in target/dashboard-it/.
 */
class DashboardIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration DEADLINE = Duration.ofSeconds(60);

    static Path output;
    static ChromeDriverService driverService;
    static WebDriver browser;

    @BeforeAll
    static void startTheSystemAndABrowser() throws IOException {
        SystemPackages.requireProgram("chromium", CHROMIUM.toString());
        SystemPackages.requireProgram("chromium-driver", CHROMEDRIVER.toString());
        output = Path.of(System.getProperty("repo.root", "..")).resolve("system-tests/target/dashboard-it");
        Files.createDirectories(output);
        RunningSystem.get();

        // Both paths given, so Selenium Manager has nothing to look up or download (there is no internet here).
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(output.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1400",
                "--user-data-dir=" + Files.createTempDirectory(output, "chromium-profile-"));
        browser = new ChromeDriver(driverService, options);
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
    }

    @Test
    void showsUploadsFromThePageGoingLiveToSuccessWithTheirThumbnails(TestInfo test) throws Exception {
        Map<String, byte[]> images = Map.of(
                "landscape.jpg", TestImages.encoded(1600, 1000, "jpg"),
                "square.png", TestImages.encoded(613, 624, "png"),
                "drawing.gif", TestImages.encoded(400, 300, "gif"));
        List<String> paths = new ArrayList<>();
        for (Map.Entry<String, byte[]> image : images.entrySet()) {
            Path file = output.resolve(image.getKey());
            Files.write(file, image.getValue());
            paths.add(file.toAbsolutePath().toString());
        }
        try {
            browser.get(RunningSystem.get().api.baseUrl() + "/dashboard");
            // The table is redrawn on every live event, so an element found a moment ago may be gone.
            WebDriverWait wait = new WebDriverWait(browser, DEADLINE);
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(page -> "live".equals(page.findElement(By.id("connection")).getAttribute("data-state")));

            browser.findElement(By.id("file-input")).sendKeys(String.join("\n", paths));

            List<String> taskIds = wait.until(page -> {
                List<String> ids = page.findElements(By.cssSelector("#upload-results li.uploaded")).stream()
                        .map(item -> item.getAttribute("data-task-id")).toList();
                return ids.size() == images.size() ? ids : null;
            });
            for (String taskId : taskIds) {
                wait.until(page -> thumbnailDrawn(taskId));
            }
            // Read and clicked inside the wait, which tries again when a live event redraws the table meanwhile.
            assertEquals(images.keySet(), wait.until(page -> taskIds.stream().map(id -> page
                    .findElement(By.cssSelector("tr[data-task-id='" + id + "'] td:nth-child(3)")).getText())
                    .collect(Collectors.toSet())), "each upload's row shows its file name");

            wait.until(page -> {
                page.findElement(By.cssSelector("tr[data-task-id='" + taskIds.get(0) + "']")).click();
                return true;
            });
            List<String> timeline = wait.until(page -> {
                List<String> statuses = page.findElements(By.cssSelector("#detail-timeline li strong")).stream()
                        .map(WebElement::getText).toList();
                return statuses.contains("SUCCESS") ? statuses : null;
            });
            assertEquals(List.of("PENDING", "STARTED", "SUCCESS"), timeline);
            wait.until(page -> !page.findElements(By.cssSelector("#workers tr")).isEmpty());
            screenshot("dashboard.png");
        } catch (RuntimeException | AssertionError e) {
            screenshot("failed-" + test.getTestMethod().map(m -> m.getName()).orElse("test") + ".png");
            throw e;
        }
    }

    @Test
    void refusesAFileOverTheLimitBeforeSendingItAndShowsTheLimit(TestInfo test) throws Exception {
        Path big = output.resolve("too-big.jpg");
        byte[] head = TestImages.encoded(64, 64, "jpg");
        try (var out = Files.newOutputStream(big)) {
            out.write(head);
            out.write(new byte[21 * 1024 * 1024]); // over the default 20 MB limit
        }
        try {
            browser.get(RunningSystem.get().api.baseUrl() + "/dashboard");
            WebDriverWait wait = new WebDriverWait(browser, DEADLINE);
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(page -> "20 MB".equals(page.findElement(By.id("upload-limit")).getText()));

            browser.findElement(By.id("file-input")).sendKeys(big.toAbsolutePath().toString());

            String message = wait.until(page -> page.findElements(By.cssSelector("#upload-results li.too-large"))
                    .stream().map(WebElement::getText).filter(text -> text.startsWith("too-big.jpg")).findFirst()
                    .orElse(null));
            assertTrue(message.contains("over the 20 MB limit"), message);
        } catch (RuntimeException | AssertionError e) {
            screenshot("failed-" + test.getTestMethod().map(m -> m.getName()).orElse("test") + ".png");
            throw e;
        } finally {
            Files.deleteIfExists(big);
        }
    }

    /** The task's row says SUCCESS and its thumbnail image has loaded with real pixels. */
    private static boolean thumbnailDrawn(String taskId) {
        List<WebElement> images = browser.findElements(
                By.cssSelector("tr[data-task-id='" + taskId + "'][data-status='SUCCESS'] img.thumb"));
        if (images.isEmpty()) {
            return false;
        }
        Object width = ((JavascriptExecutor) browser).executeScript(
                "return arguments[0].complete ? arguments[0].naturalWidth : 0;", images.get(0));
        return width instanceof Number number && number.intValue() > 0;
    }

    private static void screenshot(String name) throws IOException {
        Files.write(output.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
